/**
 * The numbers `compare` is judged by: its defaults per profile, NASLib's tolerance (issue 12's
 * fidelity bound) and the smoke spread of its committed baseline.
 *
 * @module
 */
import type { ProfileName } from "../types.ts";
import type { RegressionRule } from "../../reporting/regress.ts";

/** The metric every comparison includes, the RLNAS baseline. */
export const BASELINE_METRIC = "angle";

/** Metrics compared when `--metric` is not given (besides the angle). */
export const DEFAULT_METRICS: readonly string[] = ["params", "flops", "random"];

/** `--archs` per profile: CPU minutes at smoke, NASLib's 725 at quick, all at paper. */
export const DEFAULT_ARCHS: Readonly<Record<ProfileName, string>> = {
  smoke: "50",
  quick: "naslib",
  paper: "all",
};

/**
 * Issue 12's fidelity bound: our tau against the validation accuracy of NASLib's file within
 * this of the tau of NASLib's own scores, per proxy.
 */
export const NASLIB_TAU_TOLERANCE = 0.05;

/**
 * Issue 12's fidelity bar: Spearman rho between our scores and NASLib's own on the architectures
 * of its file at least 0.9 (as `|rho - 1| <= 0.1`).
 */
export const NASLIB_RHO_TOLERANCE = 0.1;

/**
 * `smoke` profile: spread (max - min) of tau over seeds 0, 1, 2 of the committed baseline
 * (`results/compare/smoke/`), per metric; `deno run -A tools/smoke_spread.ts` prints it.
 */
export const SMOKE_SPREAD: Readonly<Record<string, number>> = {
  // measured 2026-12-03 from the committed baseline (wasm, CIFAR-10, seeds 0-2, 50 archs);
  // (snip and nwot added from the same three seeds' rerun, which left the other rows unchanged)
  angle: 0.1404,
  params: 0,
  flops: 0,
  random: 0.1029,
  synflow: 0.0033,
  snip: 0.0196,
  nwot: 0.0147,
};

/** See {@link SMOKE_SPREAD}. */
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
