/**
 * Reference numbers for `table6`: RLNAS paper (Zhang et al., CVPR 2021, arXiv 2101.11834),
 * Table 6 "Search results of four generating random label method on NAS-Bench-201"
 * (`../shared/paper/rlnas-paper.txt`, section 4.3): test accuracy (%) mean ± std over three runs of
 * the architecture searched with the angle, per label generator (rows) and dataset (columns).
 * Row symbols: (1) * uniform labels drawn once, (2) ground-truth labels shuffled once,
 * (3) † uniform labels drawn every iteration, (4) ‡ ground-truth labels shuffled every iteration.
 * As printed, rows (3) and (4) have the same ImageNet16-120 entry (27.51 ± 1.04); it is kept
 * as printed (possibly a typo of the paper).
 *
 * @module
 */
import type { DatasetName } from "../types.ts";
import { type RegressionRule, spreadRule } from "../../reporting/regress.ts";

/** The four generators: label scheme names of `labels/schemes.ts`, in table order. */
export const GENERATORS = [
  { id: "uniform-once", symbol: "*", labels: "random-uniform-once", row: "(1)" },
  { id: "shuffle-once", symbol: "**", labels: "random-shuffle-once", row: "(2)" },
  { id: "uniform-per-iteration", symbol: "†", labels: "random-uniform-per-iteration", row: "(3)" },
  { id: "shuffle-per-iteration", symbol: "‡", labels: "random-shuffle-per-iteration", row: "(4)" },
] as const;

/** A generator id. */
export type GeneratorId = typeof GENERATORS[number]["id"];

/** Table 6: generator -> dataset -> [test acc mean, std] (%). */
export const TABLE6: Readonly<
  Record<GeneratorId, Readonly<Record<DatasetName, [number, number]>>>
> = {
  "uniform-once": {
    "cifar10": [93.45, 0.11],
    "cifar100": [70.71, 0.36],
    "ImageNet16-120": [43.70, 1.25],
  },
  "shuffle-once": {
    "cifar10": [93.52, 0.27],
    "cifar100": [70.25, 0.25],
    "ImageNet16-120": [43.81, 1.12],
  },
  "uniform-per-iteration": {
    "cifar10": [92.85, 0.46],
    "cifar100": [61.59, 6.57],
    "ImageNet16-120": [27.51, 1.04],
  },
  "shuffle-per-iteration": {
    "cifar10": [93.65, 0.07],
    "cifar100": [71.45, 0.42],
    "ImageNet16-120": [27.51, 1.04],
  },
};

/** `paper` profile: allowed |ours - paper| of the mean test accuracy (percentage points). */
export const PAPER_TEST_ACC_TOLERANCE = 1.5;

/**
 * `quick` finding: generators (1) and (2) "obtain comparable test accuracy" (section 4.3; the
 * paper's means differ by 0.07, 0.46 and 0.11 points). Comparable here: the means differ by at
 * most this many points (the paper profile's tolerance).
 */
export const QUICK_COMPARABLE_POINTS = 1.5;

/**
 * `smoke` profile: spread (max - min) of the searched architecture's NB201 test accuracy over
 * seeds 0, 1, 2 of the committed baseline (`results/table6/smoke/`), per generator. The smoke
 * verdict allows {@link SMOKE_TOLERANCE_FACTOR} times it (floored at {@link SMOKE_MIN_TOLERANCE}).
 */
export const SMOKE_SPREAD: Readonly<Record<GeneratorId, number>> = {
  // measured 2026-12-03 from the committed baseline (358cc60, wasm, CIFAR-10, seeds 0-2);
  // recompute with `deno run -A tools/smoke_spread.ts` after regenerating the baseline
  "uniform-once": 5.96,
  "shuffle-once": 0.21,
  "uniform-per-iteration": 5.3533,
  "shuffle-per-iteration": 5.2667,
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
