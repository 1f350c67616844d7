/**
 * Random-search baseline: sample distinct architectures uniformly (optionally only those passing a
 * filter, e.g. NB201 `isConnected`), score them, keep the best (the first sampled among equal
 * scores). The protocol of the paper's random-search rows is UNCONFIRMED (spec §7); this is the
 * plain version. The NB201 benchmarks seed it like the official evolution script seeds its
 * search, from `stateAfterLabelDraws(dataset, seed)` (`benchmarks/_nb201/search.ts`).
 *
 * @module
 */
import type { ScoredGenome } from "./evolution.ts";
import {
  checkGenomeSpace,
  type Fitness,
  type Genome,
  genomeKey,
  type GenomeSpace,
  scoreGenomes,
  type SearchRng,
  toRng,
} from "./fitness.ts";

/** Options of {@link randomSearch}. */
export interface RandomSearchOptions {
  /** The search space (only `numGenes` and `numOps` are used). */
  space: GenomeSpace;
  /** Batch fitness, higher is better. */
  fitness: Fitness;
  /** Random source or a seed for a fresh `RandomState`. */
  rng: SearchRng | number;
  /** Number of distinct architectures to sample and score. */
  count: number;
  /** Keep only architectures for which this is true (e.g. `isConnected`). */
  filter?: (g: Genome) => boolean;
  /** Genomes per fitness call (default 100). */
  batchSize?: number;
  /** Give up after this many draws (default `1000 * count`). */
  maxDraws?: number;
}

/** Result of {@link randomSearch}. */
export interface RandomSearchResult {
  /** Best architecture (the first one sampled among equal scores). */
  best: Genome;
  /** Its fitness. */
  fitness: number;
  /** Every sampled architecture with its score, in sampling order. */
  evaluated: ScoredGenome[];
  /** Best fitness after each evaluation (`bestSoFar[i]` covers `evaluated[0..i]`). */
  bestSoFar: number[];
  /** Number of architectures scored. */
  totalScored: number;
}

/**
 * Sample `count` distinct architectures: each draw is `rng.randint(0, numOps, numGenes)` (every
 * gene uniform, `none` included); repeats and filtered-out draws are skipped.
 */
export function sampleDistinct(
  space: GenomeSpace,
  rng: SearchRng | number,
  count: number,
  filter?: (g: Genome) => boolean,
  maxDraws = 1000 * count,
): Genome[] {
  checkGenomeSpace(space);
  const size = space.numOps ** space.numGenes;
  if (!Number.isInteger(count) || count < 1 || count > size) {
    throw new RangeError(`count must be an integer in 1..${size} (the space size), got ${count}`);
  }
  const r = toRng(rng);
  const seen = new Set<string>();
  const out: Genome[] = [];
  let draws = 0;
  while (out.length < count) {
    if (draws++ >= maxDraws) {
      throw new RangeError(
        `random search found only ${out.length} of ${count} distinct architectures in ` +
          `${maxDraws} draws (is the filter too strict?)`,
      );
    }
    const g = Object.freeze(Array.from(r.randint(0, space.numOps, space.numGenes)));
    const key = genomeKey(g);
    if (seen.has(key)) continue;
    seen.add(key);
    if (filter && !filter(g)) continue;
    out.push(g);
  }
  return out;
}

/** Sample, score (in batches) and return the best architecture. */
export async function randomSearch(options: RandomSearchOptions): Promise<RandomSearchResult> {
  const batchSize = options.batchSize ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  const genomes = sampleDistinct(
    options.space,
    options.rng,
    options.count,
    options.filter,
    options.maxDraws,
  );
  const evaluated: ScoredGenome[] = [];
  const bestSoFar: number[] = [];
  let best = 0;
  for (let start = 0; start < genomes.length; start += batchSize) {
    const batch = genomes.slice(start, start + batchSize);
    const scores = await scoreGenomes(options.fitness, batch);
    batch.forEach((genome, i) => {
      evaluated.push({ genome, fitness: scores[i] });
      const k = evaluated.length - 1;
      if (evaluated[k].fitness > evaluated[best].fitness) best = k;
      bestSoFar.push(evaluated[best].fitness);
    });
  }
  return {
    best: evaluated[best].genome,
    fitness: evaluated[best].fitness,
    evaluated,
    bestSoFar,
    totalScored: evaluated.length,
  };
}
