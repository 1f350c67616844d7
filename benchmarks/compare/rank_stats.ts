/**
 * The ranking statistics of one metric's scores against NB201's accuracies (spec §6 and the
 * zero-cost literature): official Kendall tau, tau-b, Spearman rho, precision@k and the
 * best-scored architecture.
 *
 * @module
 */
import { spearman } from "../../stats/correlation.ts";
import { kendallTau } from "../../stats/kendall.ts";
import { bestPredicted, precisionAtK } from "../../stats/precision.ts";
import { officialKendallTau } from "../../stats/ranking.ts";

/** The statistics of {@link rankStats}. */
export interface RankStats {
  /** Official convention (ranks, then scipy's tau-b) vs test accuracy. */
  tau: number;
  /** scipy `kendalltau` on the raw values vs test accuracy. */
  tauB: number;
  /** Spearman rho vs test accuracy. */
  spearman: number;
  /** Official tau vs the validation accuracy, null without a validation column. */
  tauValid: number | null;
  /** Precision@10, @ top 1 % and @ top 5 % (k at least 1) vs test accuracy. */
  pAt10: number;
  pAt1pct: number;
  pAt5pct: number;
  /** Position (into the scored list) of the best-scored architecture. */
  top1: number;
}

/**
 * Statistics of `scores` (oriented: larger = better; one per entry of `indices`) against the
 * full test (and validation) accuracy columns in enumeration order.
 */
export function rankStats(
  scores: ArrayLike<number>,
  indices: ArrayLike<number>,
  test: ArrayLike<number>,
  valid: ArrayLike<number> | null,
): RankStats {
  if (scores.length !== indices.length) {
    throw new RangeError(`${scores.length} scores for ${indices.length} architectures`);
  }
  const n = indices.length;
  const at = (col: ArrayLike<number>) =>
    Float64Array.from({ length: n }, (_, i) => col[indices[i]]);
  const t = at(test);
  const k = (fraction: number) => Math.min(n, Math.max(1, Math.round(fraction * n)));
  return {
    tau: officialKendallTau(scores, t),
    tauB: kendallTau(scores, t),
    spearman: spearman(scores, t),
    tauValid: valid === null ? null : officialKendallTau(scores, at(valid)),
    pAt10: precisionAtK(scores, t, Math.min(10, n)),
    pAt1pct: precisionAtK(scores, t, k(0.01)),
    pAt5pct: precisionAtK(scores, t, k(0.05)),
    top1: bestPredicted(scores, t).index,
  };
}
