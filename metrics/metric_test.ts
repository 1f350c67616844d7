import assert from "node:assert/strict";
import { makeScorer, requireField } from "./metric.ts";

Deno.test("makeScorer passes calls through, releases once, refuses calls after dispose", async () => {
  let released = 0;
  const s = makeScorer(
    "demo",
    (gs) => Promise.resolve(Float64Array.from(gs, (g) => g[0] + 10 * g[5])),
    () => released++,
  );
  assert.deepEqual(Array.from(await s([[1, 0, 0, 0, 0, 2], [4, 0, 0, 0, 0, 0]])), [21, 4]);
  s.dispose();
  s.dispose();
  assert.equal(released, 1);
  await assert.rejects(() => s([[1, 1, 1, 1, 1, 1]]), /metric "demo": scorer used after dispose/);
});

Deno.test("requireField returns the field or names what is missing", () => {
  assert.equal(requireField("random", { seed: 3 }, "seed"), 3);
  assert.throws(() => requireField("angle", {}, "w0"), /metric "angle" needs context\.w0/);
});
