/**
 * Reference numbers for `table7`: RLNAS paper (Zhang et al., CVPR 2021, arXiv 2101.11834),
 * Table 7 "Bias analysis of angle towards architectures on NAS-Bench-201"
 * (`../shared/paper/rlnas-paper.txt`, section 4.3): test accuracy (%) mean ± std over three runs.
 * Rows: training free † (angle between two differently seeded untrained SuperNets, normal init),
 * training free ‡ (the same, uniform init), random search (100 architectures sampled uniformly,
 * the best by validation accuracy on a ground-truth SuperNet) and RLNAS. The protocol details are
 * UNCONFIRMED (spec §7); our choices are documented in `mod.ts`.
 *
 * @module
 */
import type { DatasetName } from "../types.ts";
import { type RegressionRule, spreadRule } from "../../reporting/regress.ts";

/** The rows of Table 7, in order. */
export const ROWS = [
  { id: "training-free-normal", name: "Training free † (normal init)" },
  { id: "training-free-uniform", name: "Training free ‡ (uniform init)" },
  { id: "random-search", name: "Random search" },
  { id: "rlnas", name: "RLNAS" },
] as const;

/** A row id. */
export type RowId = typeof ROWS[number]["id"];

/** Table 7: row -> dataset -> [test acc mean, std] (%). */
export const TABLE7: Readonly<Record<RowId, Readonly<Record<DatasetName, [number, number]>>>> = {
  "training-free-normal": {
    "cifar10": [90.74, 1.39],
    "cifar100": [66.97, 1.86],
    "ImageNet16-120": [38.54, 2.86],
  },
  "training-free-uniform": {
    "cifar10": [91.55, 1.34],
    "cifar100": [66.59, 2.10],
    "ImageNet16-120": [39.03, 3.91],
  },
  "random-search": {
    "cifar10": [92.09, 0.21],
    "cifar100": [67.27, 1.28],
    "ImageNet16-120": [40.77, 3.64],
  },
  "rlnas": {
    "cifar10": [93.45, 0.11],
    "cifar100": [70.71, 0.36],
    "ImageNet16-120": [43.70, 1.25],
  },
};

/** `paper` profile: allowed |ours - paper| of the mean test accuracy (percentage points). */
export const PAPER_TEST_ACC_TOLERANCE = 1.5;

/** Offset between the seeds of the two untrained SuperNets: W0 = seed, Wt = seed + offset. */
export const UNTRAINED_SEED_OFFSET = 1_000_000;

/**
 * The paper's findings (section 4.3): "the two training free methods are worse than random
 * search, and RLNAS is better than random search" — as [winner, loser] pairs of rows.
 */
export const FINDINGS: readonly (readonly [RowId, RowId])[] = [
  ["random-search", "training-free-normal"],
  ["random-search", "training-free-uniform"],
  ["rlnas", "random-search"],
];

/**
 * `smoke` profile: spread (max - min) of the NB201 test accuracy over seeds 0, 1, 2 of the
 * committed baseline (`results/table7/smoke/`), per row. The smoke verdict allows
 * {@link SMOKE_TOLERANCE_FACTOR} times it (floored at {@link SMOKE_MIN_TOLERANCE}).
 */
export const SMOKE_SPREAD: Readonly<Record<RowId, number>> = {
  // measured 2026-12-03 from the committed baseline (358cc60, wasm, CIFAR-10, seeds 0-2);
  // recompute with `deno run -A tools/smoke_spread.ts` after regenerating the baseline
  "training-free-normal": 0.8867,
  "training-free-uniform": 0.18,
  "random-search": 3,
  rlnas: 5.96,
};

/** See {@link SMOKE_SPREAD}. */
export const SMOKE_TOLERANCE_FACTOR = 1.5;

/** Smallest smoke tolerance (percentage points). */
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
