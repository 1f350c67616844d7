import assert from "node:assert/strict";
import { fromCsv } from "../reporting/csv.ts";
import { dataFile, resolveDataDir } from "../datasets/data_dir.ts";
import { kendallCounts, kendallTau } from "./kendall.ts";
// scipy 1.17.1 references written by fixtures/stats/make_stats.py (Python source in that file).
import fx from "../fixtures/stats/stats.json" with { type: "json" };

/** Decodes the fixture's number lists (null = NaN, "inf" / "-inf" = +-Infinity). */
const nums = (a: (number | string | null)[]) =>
  Float64Array.from(
    a,
    (v) => v === null ? NaN : typeof v === "string" ? Number(v.replace("inf", "Infinity")) : v,
  );

/** Columns of nb201/nb201.csv from the data directory (never copied into the repo). */
function nb201Columns(...names: string[]): Float64Array[] {
  const path = dataFile(resolveDataDir(), "nb201/nb201.csv");
  const rows = fromCsv(Deno.readTextFileSync(path)).records;
  assert.equal(rows.length, 15625);
  return names.map((c) => Float64Array.from(rows, (r) => Number(r[c])));
}

Deno.test("hand-derived cases", () => {
  // 3 pairs: (1,1),(2,3),(3,2): 2 concordant, 1 discordant, no ties -> (2-1)/3.
  assert.ok(Math.abs(kendallTau([1, 2, 3], [1, 3, 2]) - 1 / 3) < 1e-15);
  // scipy evaluates the same expression (1/sqrt(3)/sqrt(3)) and returns exactly these bits.
  assert.equal(kendallTau([1, 2, 3], [1, 3, 2]), 0.33333333333333337);
  assert.equal(kendallTau([1, 2, 3, 4], [10, 20, 30, 40]), 1);
  assert.equal(kendallTau([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  // x=[1,1,2], y=[1,2,3]: T=3, X=1 (the x tie), Y=0, C=2, D=0 -> 2/sqrt(2*3) = sqrt(2/3).
  assert.ok(Math.abs(kendallTau([1, 1, 2], [1, 2, 3]) - Math.sqrt(2 / 3)) < 1e-15);
  assert.deepEqual(kendallCounts([1, 1, 2], [1, 2, 3]), {
    n: 3,
    total: 3,
    xTies: 1,
    yTies: 0,
    jointTies: 0,
    discordant: 0,
    concordant: 2,
  });
  // Joint tie: x=[1,1,2,3], y=[5,5,4,6]. Pairs: (0,1) joint tie; (0,2),(1,2) discordant;
  // (0,3),(1,3),(2,3) concordant. T=6, X=1, Y=1, J=1, D=2, C=3 -> (3-2)/sqrt(5*5) = 0.2.
  assert.deepEqual(kendallCounts([1, 1, 2, 3], [5, 5, 4, 6]), {
    n: 4,
    total: 6,
    xTies: 1,
    yTies: 1,
    jointTies: 1,
    discordant: 2,
    concordant: 3,
  });
  assert.ok(Math.abs(kendallTau([1, 1, 2, 3], [5, 5, 4, 6]) - 0.2) < 1e-15);
});

Deno.test("matches scipy.stats.kendalltau on tie-heavy and continuous cases", () => {
  for (const c of fx.cases) {
    const got = kendallTau(nums(c.x), nums(c.y));
    assert.ok(Math.abs(got - c.kendall_tau_b) <= 1e-13, `${c.name}: ${got} vs ${c.kendall_tau_b}`);
    // tau-b is symmetric in its arguments.
    assert.ok(Math.abs(kendallTau(nums(c.y), nums(c.x)) - c.kendall_tau_b) <= 1e-13, c.name);
  }
});

Deno.test("NB201 goldens: scipy tau-b over all 15,625 architectures (with ties)", () => {
  const [c10v, c10t, c100t] = nb201Columns(
    "cifar10_valid_acc",
    "cifar10_test_acc",
    "cifar100_test_acc",
  );
  // Task goldens (scipy): 0.893972 and 0.881957 to 1e-6; fixture values to 1e-12.
  assert.ok(Math.abs(kendallTau(c10v, c10t) - 0.893972) < 1e-6);
  assert.ok(Math.abs(kendallTau(c10t, c100t) - 0.881957) < 1e-6);
  assert.ok(Math.abs(kendallTau(c10v, c10t) - fx.nb201.kendall_c10valid_c10test) < 1e-12);
  assert.ok(Math.abs(kendallTau(c10t, c100t) - fx.nb201.kendall_c10test_c100test) < 1e-12);
});

Deno.test("scipy's special cases: NaN propagates, empty / constant give NaN, bad lengths throw", () => {
  assert.ok(Number.isNaN(kendallTau([1, NaN, 3], [1, 2, 3])));
  assert.ok(Number.isNaN(kendallTau([], [])));
  assert.ok(Number.isNaN(kendallTau([1], [2])));
  assert.ok(Number.isNaN(kendallTau([2, 2, 2], [1, 2, 3])));
  assert.throws(() => kendallTau([1, 2], [1, 2, 3]), /same length, got 2 and 3/);
  assert.throws(() => kendallCounts([NaN, 1], [1, 2]), /contain NaN/);
});

Deno.test("large n with many distinct values uses the Float64 key path and stays exact", () => {
  // n distinct values in x and y, so the packed (x, y) keys exceed 2^32. Perfect (anti-)agreement:
  // all T = n(n-1)/2 pairs concordant (discordant). scipy returns (+-)T/sqrt(T)/sqrt(T), which is
  // (+-)0.9999999999999999 for n = 70000 (scipy.stats.kendalltau(x, +-x) with x = arange(n) * 0.5).
  const n = 70000;
  const x = Float64Array.from({ length: n }, (_, i) => i * 0.5);
  const y = Float64Array.from(x, (v) => -v);
  assert.equal(kendallTau(x, x), 0.9999999999999999);
  assert.equal(kendallTau(x, y), -0.9999999999999999);
  const c = kendallCounts(x, y);
  assert.equal(c.discordant, (n * (n - 1)) / 2);
  assert.equal(c.concordant, 0);
  assert.equal(kendallCounts(x, x).concordant, (n * (n - 1)) / 2);
});
