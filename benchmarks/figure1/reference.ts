/**
 * Reference for `figure1`: RLNAS paper (Zhang et al., CVPR 2021, arXiv 2101.11834), Figure 1
 * "Impact of the random label category on (a) test accuracy and (b) Kendall's Tau"
 * (`../shared/paper/rlnas-paper.txt`, section 4.3): the SuperNet is trained with uniform random
 * labels of K = 10, 20, ..., 200 classes on CIFAR-10, CIFAR-100 and ImageNet16-120, then the
 * searched architecture's test accuracy and the angle's Kendall tau are obtained as in 4.2.1.
 *
 * The paper gives the figure only, no numbers: there is nothing to compare point by point. Its
 * stated findings: tau and test accuracy are "not sensitive to label categories in most cases";
 * on ImageNet16-120 they "fluctuate greatly" for small K (10-50). The red marker of each line is
 * the real class count.
 *
 * @module
 */
import type { DatasetName } from "../types.ts";
import { type RegressionRule, spreadRule } from "../../reporting/regress.ts";

/** The paper's class counts K. */
export const PAPER_CLASSES: readonly number[] = Array.from({ length: 20 }, (_, i) => 10 * (i + 1));

/** Real class count per dataset (the red markers). */
export const REAL_CLASSES: Readonly<Record<DatasetName, number>> = {
  "cifar10": 10,
  "cifar100": 100,
  "ImageNet16-120": 120,
};

/** Line colour per dataset in the charts. */
export const COLORS: Readonly<Record<DatasetName, string>> = {
  "cifar10": "#1f77b4",
  "cifar100": "#2ca02c",
  "ImageNet16-120": "#ff7f0e",
};

/** The paper's Table 1 / Table 2 RLNAS values at the real class count (K = classes), for context. */
export const AT_REAL_CLASSES: Readonly<Record<DatasetName, { testAcc: number; tau: number }>> = {
  "cifar10": { testAcc: 93.45, tau: 0.5059 },
  "cifar100": { testAcc: 70.71, tau: 0.5097 },
  "ImageNet16-120": { testAcc: 43.70, tau: 0.4716 },
};

/**
 * `quick` finding, read off Figure 1(b): the angle's tau is positive at every class count K on
 * every dataset (the paper: "Kendall's Tau and test accuracy are not sensitive to label categories
 * in most cases"; the figure gives no numbers, so only the sign is checked).
 */
export const QUICK_MIN_TAU = 0;

/**
 * `smoke` profile: spread (max - min) of the NB201 test accuracy over seeds 0, 1, 2 and every K
 * of the committed baseline (`results/figure1/smoke/`). The smoke verdict allows
 * {@link SMOKE_TOLERANCE_FACTOR} times it (floored at {@link SMOKE_MIN_TOLERANCE}).
 */
export const SMOKE_SPREAD: Readonly<Record<string, number>> = {
  // measured 2026-12-03 from the committed baseline (358cc60, wasm, CIFAR-10, seeds 0-2);
  // recompute with `deno run -A tools/smoke_spread.ts` after regenerating the baseline
  rlnas: 6.705,
};

/** See {@link SMOKE_SPREAD}. */
export const SMOKE_TOLERANCE_FACTOR = 1.5;

/** Smallest smoke tolerance (percentage points). */
export const SMOKE_MIN_TOLERANCE = 0.5;

/** Factor of the smoke spread a value may drop by before `deno task regress` calls it a regression. */
export const REGRESSION_SPREAD_FACTOR = 2;

/** `deno task regress`: the largest drop of tau that is not a regression. */
export const REGRESSION_TAU_DROP = 0.05;

/**
 * `deno task regress`: how far a candidate run's value may fall below the baseline's row of the
 * same key (any profile) before it is a regression: test accuracy by more than
 * {@link REGRESSION_SPREAD_FACTOR} x the method's {@link SMOKE_SPREAD}, at least
 * {@link SMOKE_MIN_TOLERANCE}; tau by more than {@link REGRESSION_TAU_DROP}. Only drops count; a
 * rise is reported as an improvement.
 */
export const REGRESSION_RULES: readonly RegressionRule[] = [
  spreadRule("test_acc", SMOKE_SPREAD, REGRESSION_SPREAD_FACTOR, SMOKE_MIN_TOLERANCE),
  { column: "tau", better: "higher", absolute: REGRESSION_TAU_DROP, description: "drop > 0.05" },
];
