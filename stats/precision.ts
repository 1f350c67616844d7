/**
 * Top-k agreement between a metric and the ground truth, with the official tie-breaking of
 * {@link ./ranking.ts} (stable descending order, ties by input order; NaN pairs dropped).
 *
 * @module
 */
import { descendingOrder, dropNaNPairs, ranks } from "./ranking.ts";

/**
 * Precision@k: `|T_k(groundTruth) ∩ T_k(metric)| / k`, where `T_k(v)` is the set of the first `k`
 * indices of `descendingOrder(v)` (the k largest values, ties broken by input order), after
 * dropping every pair where either value is NaN. It is the fraction of the true top-k that the
 * metric also places in its top-k. `k` must be an integer in `[1, M]` (`M` = pairs kept).
 */
export function precisionAtK(
  metric: ArrayLike<number>,
  groundTruth: ArrayLike<number>,
  k: number,
): number {
  const { a: m, b: g } = dropNaNPairs(metric, groundTruth);
  if (!Number.isInteger(k) || k < 1 || k > m.length) {
    throw new RangeError(`precisionAtK: k must be an integer in [1, ${m.length}], got ${k}`);
  }
  const topM = descendingOrder(m).subarray(0, k);
  const inTopG = new Uint8Array(m.length);
  for (const i of descendingOrder(g).subarray(0, k)) inTopG[i] = 1;
  let hits = 0;
  for (const i of topM) hits += inTopG[i];
  return hits / k;
}

/** Where the metric's favourite architecture sits in the ground-truth ranking. */
export interface BestPredicted {
  /** Original index (into the inputs) of the architecture the metric ranks first. */
  index: number;
  /** Its ground-truth rank among the `M` kept pairs (1 = the true best; official ties). */
  gtRank: number;
  /** `100 * gtRank / M`: the architecture is in the true top `topPercent` %. */
  topPercent: number;
}

/**
 * The architecture ranked first by `metric` (first in input order among equal maxima) and its
 * ground-truth rank / top percentile, after dropping NaN pairs. Throws a `RangeError` when no
 * pair is left.
 */
export function bestPredicted(
  metric: ArrayLike<number>,
  groundTruth: ArrayLike<number>,
): BestPredicted {
  const { a: m, b: g, kept } = dropNaNPairs(metric, groundTruth);
  if (m.length === 0) throw new RangeError("bestPredicted: no pair without NaN");
  const best = descendingOrder(m)[0];
  const gtRank = ranks(g)[best];
  return { index: kept[best], gtRank, topPercent: (100 * gtRank) / m.length };
}
