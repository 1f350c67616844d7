import assert from "node:assert/strict";
import { randomMetric, randomScoreTable } from "./random_metric.ts";

Deno.test("random metric: numpy RandomState(seed).rand(15625)[index] per genotype", async () => {
  // numpy: np.random.RandomState(0).rand(15625)[[0, 11718, 15624, 4851]] and the same for seed 7.
  const gs = [[0, 0, 0, 0, 0, 0], [3, 3, 3, 3, 3, 3], [4, 4, 4, 4, 4, 4], [1, 2, 3, 4, 0, 1]];
  const s0 = await randomMetric.create({});
  assert.deepEqual(Array.from(await s0(gs)), [
    0.5488135039273248,
    0.6115341845511547,
    0.6461723844146787,
    0.3815341106582597,
  ]);
  const s7 = await randomMetric.create({ seed: 7 });
  assert.deepEqual(Array.from(await s7(gs.slice(2))), [0.10636161778706232, 0.9306467518166961]);
  // A genotype's score does not depend on the batch it is scored in.
  assert.equal((await s7([gs[3]]))[0], 0.9306467518166961);
  assert.equal(randomScoreTable(7)[4851], 0.9306467518166961);
  await assert.rejects(() => s0([[5, 0, 0, 0, 0, 0]]), RangeError);
  s0.dispose();
  s7.dispose();
  await assert.rejects(() => s0(gs), /after dispose/);
});
