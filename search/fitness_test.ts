import assert from "node:assert/strict";
import { RandomState } from "../labels/random_state.ts";
import { checkGenomeSpace, genomeKey, randintScalar, scoreGenomes, toRng } from "./fitness.ts";

Deno.test("scalar randint follows numpy's scalar draws", () => {
  // numpy: r = np.random.RandomState(0); [r.randint(5) for _ in range(6)] -> [4, 0, 3, 3, 3, 1]
  const rng = toRng(0);
  assert.ok(rng instanceof RandomState);
  assert.deepEqual(Array.from({ length: 6 }, () => randintScalar(rng, 0, 5)), [4, 0, 3, 3, 3, 1]);
});

Deno.test("scoreGenomes checks the fitness answer", async () => {
  assert.deepEqual(await scoreGenomes((gs) => gs.map((g) => g[0]), [[1, 2], [3, 4]]), [1, 3]);
  assert.deepEqual(
    await scoreGenomes((gs) => Promise.resolve(new Float64Array(gs.length).fill(-Infinity)), [[0]]),
    [
      -Infinity,
    ],
  );
  assert.deepEqual(await scoreGenomes(() => [], []), []);
  await assert.rejects(scoreGenomes(() => [1], [[0], [1]]), /1 scores for 2 genomes/);
  await assert.rejects(scoreGenomes(() => [NaN], [[0, 3]]), /NaN for genome \[0,3\]/);
});

Deno.test("space checks and keys", () => {
  checkGenomeSpace({ numGenes: 6, numOps: 5, mutationRange: [1, 5] });
  assert.throws(
    () => checkGenomeSpace({ numGenes: 0, numOps: 5, mutationRange: [1, 5] }),
    /numGenes/,
  );
  assert.throws(
    () => checkGenomeSpace({ numGenes: 6, numOps: 5, mutationRange: [3, 3] }),
    /\[3,3\]/,
  );
  assert.equal(genomeKey([1, 0, 4]), "1,0,4");
});
