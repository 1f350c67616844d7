import assert from "node:assert/strict";
import { RandomState } from "../labels/random_state.ts";
import { batchOrder, gatherLabels, numBatches, sequentialBatches } from "./loader.ts";

Deno.test("numBatches keeps the last partial batch (spec §1.5 iterations per epoch)", () => {
  assert.equal(numBatches(25000, 64), 391); // CIFAR-10: 391, last batch 40
  assert.equal(numBatches(50000, 64), 782); // CIFAR-100: 782, last 16
  assert.equal(numBatches(151700, 64), 2371); // ImageNet16-120: 2371, last 20
  assert.equal(numBatches(0, 64), 0);
  assert.throws(() => numBatches(10, 0), RangeError);
  assert.throws(() => numBatches(-1, 4), RangeError);
});

Deno.test("batchOrder = numpy RandomState(seed).permutation cut into batches", () => {
  // numpy: r = np.random.RandomState(0); r.permutation(10); r.permutation(10)
  const rs = new RandomState(0);
  const e1 = batchOrder(10, 4, rs);
  assert.deepEqual(e1.map((b) => Array.from(b)), [[2, 8, 4, 9], [1, 6, 7, 3], [0, 5]]);
  const e2 = batchOrder(10, 4, rs);
  assert.deepEqual(e2.map((b) => Array.from(b)), [[3, 5, 1, 2], [9, 8, 0, 6], [7, 4]]);
  // numpy: p = np.random.RandomState(7).permutation(130); p[:5], p[64:69], p[128:]
  const b = batchOrder(130, 64, new RandomState(7));
  assert.deepEqual(b.map((x) => x.length), [64, 64, 2]);
  assert.deepEqual(Array.from(b[0].subarray(0, 5)), [54, 65, 52, 58, 119]);
  assert.deepEqual(Array.from(b[1].subarray(0, 5)), [88, 27, 104, 86, 74]);
  assert.deepEqual(Array.from(b[2]), [67, 25]);
  // Deterministic for a seed.
  const again = batchOrder(130, 64, new RandomState(7));
  assert.deepEqual(again.map((x) => Array.from(x)), b.map((x) => Array.from(x)));
});

Deno.test("batchOrder rejects a permutation of the wrong length", () => {
  assert.throws(() => batchOrder(5, 2, { permutation: () => [0, 1] }), RangeError);
});

Deno.test("sequentialBatches and gatherLabels", () => {
  assert.deepEqual(sequentialBatches(5, 2).map((b) => Array.from(b)), [[0, 1], [2, 3], [4]]);
  assert.deepEqual(Array.from(gatherLabels([7, 8, 9], [2, 0, 2])), [9, 7, 9]);
  assert.throws(() => gatherLabels([7], [1]), RangeError);
});
