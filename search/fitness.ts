/**
 * Shared types of the searches: genomes, the plug-in fitness, the random source and the part of
 * a search-space description a search needs.
 *
 * @module
 */
import { RandomState } from "../labels/random_state.ts";

/** An architecture as a list of op indices, one per gene (NB201: a genotype). */
export type Genome = readonly number[];

/**
 * Batch fitness: one score per genome, higher is better (e.g. the angle θ, a proxy, an accuracy).
 * Scoring a whole batch at once lets GPU metrics batch their work.
 */
export type Fitness = (genomes: Genome[]) => Promise<ArrayLike<number>> | ArrayLike<number>;

/** The random draws a search makes (numpy legacy semantics; {@link RandomState} provides them). */
export interface SearchRng {
  /** `size` integers uniform in `[low, high)` (`np.random.randint(low, high, size)`). */
  randint(low: number, high: number, size: number): ArrayLike<number>;
  /** One double uniform in `[0, 1)` (`np.random.random_sample()`). */
  random(): number;
}

/** What a search needs to know about a search space (a `SearchSpace` provides it). */
export interface GenomeSpace {
  /** Number of genes. */
  readonly numGenes: number;
  /** Number of ops per gene: a random gene is uniform over `0..numOps-1`. */
  readonly numOps: number;
  /** Half-open range `[low, high)` a mutated gene is drawn from (NB201 `[1, 5)`: no `none`). */
  readonly mutationRange: readonly [number, number];
}

/** `seed` → a fresh `RandomState(seed)`; an rng object is used as is. */
export function toRng(rng: SearchRng | number): SearchRng {
  return typeof rng === "number" ? new RandomState(rng) : rng;
}

/** One uniform integer in `[low, high)` (numpy's scalar `randint(low, high)`). */
export function randintScalar(rng: SearchRng, low: number, high: number): number {
  return rng.randint(low, high, 1)[0];
}

/** Check a search space description; throws a `RangeError` naming the bad field. */
export function checkGenomeSpace(space: GenomeSpace): void {
  const { numGenes, numOps, mutationRange } = space;
  if (!Number.isInteger(numGenes) || numGenes < 1) {
    throw new RangeError(`numGenes must be a positive integer, got ${numGenes}`);
  }
  if (!Number.isInteger(numOps) || numOps < 1) {
    throw new RangeError(`numOps must be a positive integer, got ${numOps}`);
  }
  const [lo, hi] = mutationRange ?? [];
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi > numOps || lo >= hi) {
    throw new RangeError(
      `mutationRange must be [low, high) with 0 <= low < high <= numOps (${numOps}), got ` +
        `[${mutationRange}]`,
    );
  }
}

/** Key of a genome in a visited set. */
export function genomeKey(g: Genome): string {
  return g.join(",");
}

/**
 * Score `genomes` with `fitness` and check the answer: one number per genome, none `NaN`.
 * Returns the scores as a plain array.
 */
export async function scoreGenomes(fitness: Fitness, genomes: Genome[]): Promise<number[]> {
  if (genomes.length === 0) return [];
  const raw = await fitness(genomes);
  if (raw === null || typeof raw !== "object" || raw.length !== genomes.length) {
    throw new RangeError(
      `fitness returned ${raw?.length ?? raw} scores for ${genomes.length} genomes`,
    );
  }
  const out = Array.from(raw);
  out.forEach((v, i) => {
    if (typeof v !== "number" || Number.isNaN(v)) {
      throw new RangeError(`fitness returned ${v} for genome [${genomes[i]}]: expected a number`);
    }
  });
  return out;
}
