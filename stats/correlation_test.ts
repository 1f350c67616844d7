import assert from "node:assert/strict";
import { fromCsv } from "../reporting/csv.ts";
import { dataFile, resolveDataDir } from "../datasets/data_dir.ts";
import { averageRanks, pearson, spearman } from "./correlation.ts";
// scipy 1.17.1 references written by fixtures/stats/make_stats.py (Python source in that file).
import fx from "../fixtures/stats/stats.json" with { type: "json" };

/** Decodes the fixture's number lists (null = NaN, "inf" / "-inf" = +-Infinity). */
const nums = (a: (number | string | null)[]) =>
  Float64Array.from(
    a,
    (v) => v === null ? NaN : typeof v === "string" ? Number(v.replace("inf", "Infinity")) : v,
  );

const close = (a: number, b: number, tol: number, msg?: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${msg ?? ""} ${a} vs ${b}`);

Deno.test("hand-derived cases", () => {
  close(pearson([1, 2, 3], [2, 4, 6]), 1, 1e-15);
  close(pearson([1, 2, 3], [3, 2, 1]), -1, 1e-15);
  // x=[1,2,3,4], y=[1,3,2,4]: centred x=[-1.5,-.5,.5,1.5], y=[-1.5,.5,-.5,1.5]; cov sum = 4,
  // sum sq = 5 each -> r = 0.8.
  close(pearson([1, 2, 3, 4], [1, 3, 2, 4]), 0.8, 1e-15);
  // Spearman is Pearson on ranks: any monotone transform gives the same value.
  close(spearman([1, 2, 3, 4], [1, 9, 4, 16]), 0.8, 1e-15);
  // Average ranks: [10, 20, 20, 5] -> [2, 3.5, 3.5, 1] (scipy.stats.rankdata).
  assert.deepEqual(Array.from(averageRanks([10, 20, 20, 5])), [2, 3.5, 3.5, 1]);
  assert.deepEqual(Array.from(averageRanks([-0, 0, 0])), [2, 2, 2]);
});

Deno.test("match scipy.stats.spearmanr / pearsonr / rankdata on tie-heavy cases", () => {
  for (const c of fx.cases) {
    const x = nums(c.x);
    const y = nums(c.y);
    assert.deepEqual(Array.from(averageRanks(x)), c.average_ranks_x, c.name);
    close(spearman(x, y), c.spearman, 1e-13, c.name);
    if (c.pearson !== null) close(pearson(x, y), c.pearson, 1e-13, c.name);
  }
});

Deno.test("NB201 goldens: scipy Spearman / Pearson over all 15,625 architectures", () => {
  const path = dataFile(resolveDataDir(), "nb201/nb201.csv");
  const rows = fromCsv(Deno.readTextFileSync(path)).records;
  const col = (c: string) => Float64Array.from(rows, (r) => Number(r[c]));
  const c10v = col("cifar10_valid_acc");
  const c10t = col("cifar10_test_acc");
  const c100t = col("cifar100_test_acc");
  // Task goldens 0.984112 / 0.980172 (to 1e-6) and the fixture's full scipy values.
  close(spearman(c10v, c10t), 0.984112, 1e-6);
  close(spearman(c10t, c100t), 0.980172, 1e-6);
  close(spearman(c10v, c10t), fx.nb201.spearman_c10valid_c10test, 1e-12);
  close(spearman(c10t, c100t), fx.nb201.spearman_c10test_c100test, 1e-12);
  close(pearson(c10v, c10t), fx.nb201.pearson_c10valid_c10test, 1e-12);
});

Deno.test("special cases: NaN and constant inputs give NaN, bad sizes throw", () => {
  assert.ok(Number.isNaN(pearson([1, NaN, 3], [1, 2, 3])));
  assert.ok(Number.isNaN(spearman([1, 2, 3], [1, NaN, 3])));
  assert.ok(Number.isNaN(pearson([0.1, 0.1, 0.1], [1, 2, 3])));
  assert.ok(Number.isNaN(spearman([1, 2, 3], [7, 7, 7])));
  assert.throws(() => pearson([1], [1]), /needs at least 2 pairs, got 1/);
  assert.throws(() => spearman([1, 2], [1]), /same length, got 2 and 1/);
  assert.throws(() => averageRanks([1, NaN]), /NaN/);
});
