import assert from "node:assert/strict";
import { fromCsv } from "../reporting/csv.ts";
import { dataFile, resolveDataDir } from "../datasets/data_dir.ts";
import { descendingOrder, dropNaNPairs, officialKendallTau, ranks } from "./ranking.ts";
import { kendallTau } from "./kendall.ts";
// References written by fixtures/stats/make_stats.py: `official_tau` there is the official
// cal_correlation.py convention re-done in Python (sorted(..., reverse=True) ranks, then
// scipy.stats.kendalltau); see that file for the code.
import fx from "../fixtures/stats/stats.json" with { type: "json" };

const nums = (a: (number | null)[]) => Float64Array.from(a, (v) => v ?? NaN);

Deno.test("ranks: stable descending, ties by input order (Python sorted(reverse=True))", () => {
  const s = fx.official_small;
  assert.deepEqual(Array.from(ranks(s.values)), s.ranks);
  // Hand check: [3,1,3,2,3,1] -> the 3s at 0,2,4 take ranks 1,2,3; 2 -> 4; the 1s -> 5,6.
  assert.deepEqual(Array.from(ranks([3, 1, 3, 2, 3, 1])), [1, 5, 2, 4, 3, 6]);
  assert.deepEqual(Array.from(descendingOrder([3, 1, 3, 2, 3, 1])), [0, 2, 4, 3, 1, 5]);
  assert.deepEqual(Array.from(ranks([0, -0, Infinity, -Infinity])), [2, 3, 1, 4]);
  assert.throws(() => ranks([1, NaN]), /NaN/);
});

Deno.test("dropNaNPairs drops a pair when either value is NaN", () => {
  const r = dropNaNPairs([1, NaN, 3, 4], [5, 6, NaN, 8]);
  assert.deepEqual(Array.from(r.a), [1, 4]);
  assert.deepEqual(Array.from(r.b), [5, 8]);
  assert.deepEqual(Array.from(r.kept), [0, 3]);
  assert.throws(() => dropNaNPairs([1], [1, 2]), /same length, got 1 and 2/);
});

Deno.test("officialKendallTau equals the Python re-run of the official convention", () => {
  for (const o of fx.official) {
    const m = nums(o.metric);
    const g = nums(o.groundTruth);
    const got = officialKendallTau(m, g);
    assert.ok(Math.abs(got - o.official_tau) <= 1e-13, `${o.name}: ${got} vs ${o.official_tau}`);
    // ...and differs from tau-b on the raw tied values (scipy), as spec §6 warns.
    const { a, b } = dropNaNPairs(m, g);
    assert.ok(Math.abs(kendallTau(a, b) - o.tau_b_raw) <= 1e-13, o.name);
    assert.ok(Math.abs(o.official_tau - o.tau_b_raw) > 1e-3, o.name);
  }
});

Deno.test("officialKendallTau on NB201 accuracies (Python reference, ties broken by index)", () => {
  const path = dataFile(resolveDataDir(), "nb201/nb201.csv");
  const rows = fromCsv(Deno.readTextFileSync(path)).records;
  const col = (c: string) => Float64Array.from(rows, (r) => Number(r[c]));
  const got = officialKendallTau(col("cifar10_valid_acc"), col("cifar10_test_acc"));
  assert.ok(Math.abs(got - fx.nb201.official_tau_metric_c10valid_gt_c10test) <= 1e-12);
  const got2 = officialKendallTau(col("cifar100_test_acc"), col("ImageNet16-120_test_acc"));
  assert.ok(Math.abs(got2 - fx.nb201.official_tau_metric_c100test_gt_in16test) <= 1e-12);
});

Deno.test("officialKendallTau: hand cases and degenerate input", () => {
  // Distinct values: identical to tau-b. metric [3,1,2] vs gt [30,10,20] -> 1.
  assert.equal(officialKendallTau([3, 1, 2], [30, 10, 20]), 1);
  // A fully tied metric still gives unique ranks 1..M in enumeration order:
  // gt ranks of [1,2,3] = [3,2,1], metric ranks = [1,2,3] -> tau = -1.
  assert.equal(officialKendallTau([5, 5, 5], [1, 2, 3]), -1);
  assert.ok(Number.isNaN(officialKendallTau([NaN, 1], [1, 2])));
});
