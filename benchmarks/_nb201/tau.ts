/**
 * Ranking correlation of a metric with NAS-Bench-201 test accuracy (Table 2, Figure 1b): the
 * official convention of spec §6 (stable descending ranks, ties broken by enumeration order, then
 * Kendall tau) as the main number, and scipy's tau-b on the raw values as an extra column.
 * Metrics too slow to evaluate on all 15,625 architectures at reduced profiles use a fixed,
 * seeded sample of architectures (the same for every run seed).
 *
 * @module
 */
import type { DatasetName } from "../../datasets/image_set.ts";
import type { Nb201Table } from "../../datasets/nb201_table.ts";
import { RandomState } from "../../labels/random_state.ts";
import { sampleDistinct } from "../../search/random_search.ts";
import { genotypeToIndex, NB201_SIZE, NB201_SPACE } from "../../search_spaces/nb201/encoding.ts";
import { kendallTau } from "../../stats/kendall.ts";
import { officialKendallTau } from "../../stats/ranking.ts";

/** Architectures a tau is computed over: enumeration indices, ascending. */
export interface TauSample {
  /** Enumeration indices, ascending (enumeration order keeps the official tie-breaking). */
  indices: Int32Array;
  /** How they were chosen, for the CSV (`all` or `seeded-random(n=..., seed=...)`). */
  description: string;
}

/**
 * All 15,625 architectures (`size` null or >= 15,625), or `size` distinct architectures drawn
 * uniformly with a numpy-compatible `RandomState(seed)` (`randint(0, 5, 6)` per draw, repeats
 * skipped), sorted into enumeration order.
 */
export function tauSample(size: number | null, seed: number): TauSample {
  if (size === null || size >= NB201_SIZE) {
    return { indices: Int32Array.from({ length: NB201_SIZE }, (_, i) => i), description: "all" };
  }
  if (!Number.isInteger(size) || size < 2) {
    throw new RangeError(`tau sample size must be an integer >= 2 or null (all), got ${size}`);
  }
  const gs = sampleDistinct(NB201_SPACE, new RandomState(seed), size);
  const indices = Int32Array.from(gs, (g) => genotypeToIndex(g)).sort();
  return { indices, description: `seeded-random(n=${size}, seed=${seed})` };
}

/** A tau and how it was computed. */
export interface TauResult {
  /** Official convention (spec §6). */
  tau: number;
  /** scipy `kendalltau` (tau-b) on the raw metric and accuracy values. */
  tauB: number;
  /** Number of architectures. */
  n: number;
}

/**
 * Tau of `scores` (one per entry of `indices`, same order) against the NB201 test accuracy of
 * `dataset`.
 */
export function tauVsTest(
  scores: ArrayLike<number>,
  indices: ArrayLike<number>,
  table: Nb201Table,
  dataset: DatasetName,
): TauResult {
  if (scores.length !== indices.length) {
    throw new RangeError(`${scores.length} scores for ${indices.length} architectures`);
  }
  const all = table.column(dataset, "test");
  const gt = Float64Array.from({ length: indices.length }, (_, i) => all[indices[i]]);
  return {
    tau: officialKendallTau(scores, gt),
    tauB: kendallTau(scores, gt),
    n: indices.length,
  };
}

/** The entries of a full (15,625, enumeration order) score table at `indices`. */
export function pick(table: ArrayLike<number>, indices: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: indices.length }, (_, i) => table[indices[i]]);
}
