/**
 * Reference numbers for `table2`: RLNAS paper (Zhang et al., CVPR 2021, arXiv 2101.11834),
 * Table 2 "Ranking correlation on NAS-Bench-201" (`../shared/paper/rlnas-paper.txt`, section
 * 4.2.1): Kendall's tau between each method's metric and the NB201 ground-truth rank over the
 * whole search space. Rows: methods A-D (configurations of Table 1); columns: datasets. The
 * paper's order on every dataset: C < A < D < B.
 *
 * @module
 */
import type { DatasetName } from "../types.ts";
import type { MethodId } from "../table1/reference.ts";
import type { RegressionRule } from "../../reporting/regress.ts";

export { METHOD_IDS, type MethodId, METHODS } from "../table1/reference.ts";

/** Table 2, row = method, column = dataset: Kendall's tau. */
export const TABLE2: Readonly<Record<MethodId, Readonly<Record<DatasetName, number>>>> = {
  A: { "cifar10": 0.4239, "cifar100": 0.4832, "ImageNet16-120": 0.4322 },
  B: { "cifar10": 0.6671, "cifar100": 0.6942, "ImageNet16-120": 0.6342 },
  C: { "cifar10": 0.0874, "cifar100": -0.0195, "ImageNet16-120": -0.0262 },
  D: { "cifar10": 0.5059, "cifar100": 0.5097, "ImageNet16-120": 0.4716 },
};

/** `paper` profile: allowed |ours - paper| of the mean tau. */
export const PAPER_TAU_TOLERANCE = 0.07;

/** `quick` profile: tau(D) must exceed tau(C) by more than this (the paper: 0.42-0.53). */
export const QUICK_MIN_TAU_GAP = 0.2;

/** `quick` profile: |tau(C)| must stay below this (the paper: 0.09 at most). */
export const QUICK_MAX_ABS_TAU_C = 0.2;

/**
 * `smoke` profile (CIFAR-10, 256 images, 1 epoch; accuracy tau on 16 seeded architectures): spread
 * (max - min) of tau over seeds 0, 1, 2 measured with the committed baseline
 * (`results/table2/smoke/`). The CI check allows a fresh run to differ from the committed row of
 * the same seed by at most {@link SMOKE_TOLERANCE_FACTOR} times this spread (floored at
 * {@link SMOKE_MIN_TOLERANCE}).
 */
export const SMOKE_SPREAD: Readonly<Record<MethodId, number>> = {
  // measured 2026-12-03 from the committed baseline (358cc60, wasm, CIFAR-10, seeds 0-2);
  // recompute with `deno run -A tools/smoke_spread.ts` after regenerating the baseline
  A: 0.4333,
  B: 0.2207,
  C: 0.4,
  D: 0.1676,
};

/**
 * The smoke tolerance is this factor times {@link SMOKE_SPREAD}. A fresh smoke run of a seed
 * reproduces the committed row exactly with the code that made it (training is deterministic on
 * wasm); the tolerance lets numerics changes through when they move tau by less than the
 * seed-to-seed spread. Three seeds underestimate the range.
 */
export const SMOKE_TOLERANCE_FACTOR = 1.5;

/** Smallest smoke tolerance of tau. */
export const SMOKE_MIN_TOLERANCE = 0.02;

/** `deno task regress`: the largest drop of tau that is not a regression. */
export const REGRESSION_TAU_DROP = 0.05;

/**
 * `deno task regress`: how far a candidate run's value may fall below the baseline's row of the
 * same key (any profile) before it is a regression: tau by more than
 * {@link REGRESSION_TAU_DROP}. Only drops count; a rise is reported as an improvement.
 */
export const REGRESSION_RULES: readonly RegressionRule[] = [
  { column: "tau", better: "higher", absolute: REGRESSION_TAU_DROP, description: "drop > 0.05" },
];
