/**
 * Reference numbers for `table1`: RLNAS paper (Zhang et al., CVPR 2021, arXiv 2101.11834),
 * Table 1 "Search performance on NAS-Bench-201 across CIFAR-10, CIFAR-100 and ImageNet16-120"
 * (`../shared/paper/rlnas-paper.txt`, section 4.2.1). Rows: methods A-D; columns: valid acc and
 * test acc (%) per dataset, mean over three seeds (the paper gives no std for Table 1). The
 * paper's text says D "outperforms method B by 1.26% test accuracy on ImageNet16-120"; the table
 * gives 43.70 - 41.44 = 2.26. The table is used.
 *
 * @module
 */
import type { DatasetName } from "../types.ts";
import { type RegressionRule, spreadRule } from "../../reporting/regress.ts";

/** The four methods of Table 1: label type x performance indicator. */
export const METHODS = {
  A: { name: "A (SPOS)", labels: "ground-truth", metric: "accuracy" },
  B: { name: "B", labels: "ground-truth", metric: "angle" },
  C: { name: "C", labels: "random-uniform-once", metric: "accuracy" },
  D: { name: "D (RLNAS)", labels: "random-uniform-once", metric: "angle" },
} as const;

/** A method letter. */
export type MethodId = keyof typeof METHODS;

/** The method letters in table order. */
export const METHOD_IDS: readonly MethodId[] = ["A", "B", "C", "D"];

/** Table 1, row = method, column = dataset: `[valid acc, test acc]` (%). */
export const TABLE1: Readonly<Record<MethodId, Readonly<Record<DatasetName, [number, number]>>>> = {
  A: { "cifar10": [88.49, 92.11], "cifar100": [66.51, 66.89], "ImageNet16-120": [40.16, 40.80] },
  B: { "cifar10": [90.20, 93.76], "cifar100": [70.71, 71.11], "ImageNet16-120": [40.78, 41.44] },
  C: { "cifar10": [76.47, 80.60], "cifar100": [52.48, 52.84], "ImageNet16-120": [29.58, 28.37] },
  D: { "cifar10": [89.94, 93.45], "cifar100": [70.98, 70.71], "ImageNet16-120": [43.86, 43.70] },
};

/** `paper` profile: allowed |ours - paper| of the mean test accuracy (percentage points). */
export const PAPER_TEST_ACC_TOLERANCE = 1.5;

/**
 * `smoke` profile (CIFAR-10, 256 images, 1 epoch): spread of the found architecture's NB201 test
 * accuracy over seeds 0, 1, 2 measured with the committed baseline (`results/table1/smoke/`),
 * as max - min per method. The CI check allows a fresh run to differ from the committed
 * baseline row of the same seed by at most {@link SMOKE_TOLERANCE_FACTOR} times this spread
 * (floored at {@link SMOKE_MIN_TOLERANCE}).
 */
export const SMOKE_SPREAD: Readonly<Record<MethodId, number>> = {
  // measured 2026-12-03 from the committed baseline (358cc60, wasm, CIFAR-10, seeds 0-2);
  // recompute with `deno run -A tools/smoke_spread.ts` after regenerating the baseline
  A: 5.035,
  B: 5.42,
  C: 12.9483,
  D: 5.96,
};

/**
 * The smoke tolerance is this factor times {@link SMOKE_SPREAD}. A fresh smoke run of a seed
 * reproduces the committed row exactly with the code that made it (training is deterministic on
 * wasm); the tolerance lets numerics changes (a tfjs update, a kernel rewrite) through when they
 * move the result by less than the seed-to-seed spread. Three seeds underestimate the range.
 */
export const SMOKE_TOLERANCE_FACTOR = 1.5;

/** Smallest smoke tolerance (percentage points), for methods whose seeds happened to agree. */
export const SMOKE_MIN_TOLERANCE = 0.5;

/** Factor of the smoke spread a value may drop by before `deno task regress` calls it a regression. */
export const REGRESSION_SPREAD_FACTOR = 2;

/**
 * `deno task regress`: how far a candidate run's value may fall below the baseline's row of the
 * same key (any profile) before it is a regression: test accuracy by more than
 * {@link REGRESSION_SPREAD_FACTOR} x the method's {@link SMOKE_SPREAD}, at least
 * {@link SMOKE_MIN_TOLERANCE}. Only drops count; a rise is reported as an improvement.
 */
export const REGRESSION_RULES: readonly RegressionRule[] = [
  spreadRule("test_acc", SMOKE_SPREAD, REGRESSION_SPREAD_FACTOR, SMOKE_MIN_TOLERANCE),
];
