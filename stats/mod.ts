/**
 * Rank statistics: Kendall tau-b (O(n log n), = scipy), Spearman and Pearson (= scipy), the
 * official RLNAS ranking convention (stable descending ranks, NaN pairs dropped) and top-k
 * agreement.
 *
 * @module
 */
export { type KendallCounts, kendallCounts, kendallTau } from "./kendall.ts";
export { averageRanks, pearson, spearman } from "./correlation.ts";
export {
  descendingOrder,
  dropNaNPairs,
  type KeptPairs,
  officialKendallTau,
  ranks,
} from "./ranking.ts";
export { type BestPredicted, bestPredicted, precisionAtK } from "./precision.ts";
