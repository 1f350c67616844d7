import assert from "node:assert/strict";
import { fromCsv } from "../reporting/csv.ts";
import { dataFile, resolveDataDir } from "../datasets/data_dir.ts";
import { bestPredicted, precisionAtK } from "./precision.ts";
// References written by fixtures/stats/make_stats.py (Python set intersection of the
// sorted(..., reverse=True)[:k] index lists; see that file).
import fx from "../fixtures/stats/stats.json" with { type: "json" };

const nums = (a: (number | null)[]) => Float64Array.from(a, (v) => v ?? NaN);

Deno.test("precisionAtK: hand cases", () => {
  // gt top-2 = {0, 1}; metric top-2 = {1, 2} -> 1/2.
  assert.equal(precisionAtK([1, 3, 2, 0], [4, 3, 2, 1], 2), 0.5);
  assert.equal(precisionAtK([1, 3, 2, 0], [4, 3, 2, 1], 4), 1);
  // Ties by input order: metric [5,5,5] top-1 = {0}; gt top-1 = {2}.
  assert.equal(precisionAtK([5, 5, 5], [1, 2, 3], 1), 0);
  // NaN pairs are dropped first: kept = indices 0, 2, 3.
  assert.equal(precisionAtK([9, NaN, 1, 2], [9, 100, 2, 1], 1), 1);
  assert.throws(() => precisionAtK([1, 2], [1, 2], 3), /k must be an integer in \[1, 2\], got 3/);
  assert.throws(() => precisionAtK([1, 2], [1, 2], 0.5), /got 0.5/);
});

Deno.test("precisionAtK and bestPredicted match the Python reference", () => {
  for (const o of fx.official) {
    const m = nums(o.metric);
    const g = nums(o.groundTruth);
    for (const [k, p] of Object.entries(o.precision_at_k)) {
      assert.equal(precisionAtK(m, g, Number(k)), p, `${o.name} k=${k}`);
    }
    assert.deepEqual(bestPredicted(m, g), o.best_predicted, o.name);
  }
});

Deno.test("NB201: CIFAR-10 valid accuracy as metric against test accuracy", () => {
  const path = dataFile(resolveDataDir(), "nb201/nb201.csv");
  const rows = fromCsv(Deno.readTextFileSync(path)).records;
  const col = (c: string) => Float64Array.from(rows, (r) => Number(r[c]));
  const v = col("cifar10_valid_acc");
  const t = col("cifar10_test_acc");
  for (const [k, p] of Object.entries(fx.nb201.precision_at_k_c10valid_c10test)) {
    assert.equal(precisionAtK(v, t, Number(k)), p, `k=${k}`);
  }
  const best = bestPredicted(v, t);
  assert.deepEqual(best, fx.nb201.best_predicted_c10valid_c10test);
  // data/README: the CIFAR-10 test optimum is index 6111.
  assert.equal(best.index, 6111);
});

Deno.test("bestPredicted: hand case and empty input", () => {
  // metric best = index 1 (first of the tied 7s); its gt 4 is rank 3 of 4 (9 > 5 > 4 > 3) -> top 75 %.
  assert.deepEqual(bestPredicted([1, 7, 7, 0], [5, 4, 9, 3]), {
    index: 1,
    gtRank: 3,
    topPercent: 75,
  });
  assert.throws(() => bestPredicted([NaN], [1]), /no pair without NaN/);
});
