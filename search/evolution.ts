/**
 * Evolutionary search exactly as RLNAS runs it on NAS-Bench-201 (spec §5.1,
 * `rlnas_evolution_search_with_angle.py`, the SPOS skeleton), generic over the number of genes,
 * ops and the mutation range so other spaces can reuse it with their own settings.
 *
 * The random draws replay the official numpy calls one for one (scalar `randint` / `random_sample`
 * in the same order), so with a `RandomState` in the same state and the same fitness values the
 * trajectory is the official one. The official script does not start from a fresh
 * `RandomState(seed)`: it seeds numpy and draws the dataset's random labels first, so pass
 * `stateAfterLabelDraws(dataset, seed)` (`labels/schemes.ts`) to replay it (a plain number seeds a
 * fresh state). The draws:
 * - random candidate: `randint(numOps)` per gene;
 * - mutation: parent `topK[randint(len(topK))]`, then per gene `random_sample() < p` →
 *   `randint(low, high)` (NB201: `randint(1, 5)`, never `none`);
 * - crossover: `p1 = topK[randint(len)]`, `p2 = topK[randint(len)]`, then per gene
 *   `[p1[i], p2[i]][randint(2)]`.
 * Candidates are drawn in batches of 10; each batch is drawn in full, then scanned in order, and
 * every candidate not seen before is recorded and accepted until the target count is reached (the
 * rest of that batch is dropped unrecorded, as in the official generator). Mutation retries until it
 * has its count (a safety cap of `mutationMaxBatches` batches only binds when the neighbourhood of
 * the top-K is exhausted, where the official code would loop forever); crossover stops after
 * `crossoverMaxBatches` batches (official: count + 1 = 51) and may return fewer; random candidates
 * fill the population. The last generation's offspring are drawn (so the random state ends where
 * the official one does) but never scored.
 *
 * Ties: the top-K update is the official `t = topK + population; t.sort(key=fitness,
 * reverse=True); t[:K]`. Python's sort is stable and `reverse=True` keeps equal elements in their
 * original order (it does not reverse them), so among equal fitness values the earlier entry of
 * that list wins: first the members of the previous top-K (in their order, i.e. the one that
 * entered earlier), then the new population in population order (mutations, crossovers, random
 * fill, each in acceptance order). It is NOT enumeration order; `Array.prototype.sort` (stable)
 * with a comparator that returns 0 for equal values reproduces it exactly. Exact ties need exactly
 * equal fitness values: the angle gives every architecture of a tie group the same value
 * (`metrics/angle.ts`).
 *
 * @module
 */
import {
  checkGenomeSpace,
  type Fitness,
  type Genome,
  genomeKey,
  type GenomeSpace,
  randintScalar,
  scoreGenomes,
  type SearchRng,
  toRng,
} from "./fitness.ts";

/** Hyper-parameters of the evolution. */
export interface EvolutionConfig {
  /** Population size P (NB201: 100). */
  populationSize: number;
  /** Size K of the global top-K list the parents come from (NB201: 30). */
  topK: number;
  /** Mutations per generation (NB201: 50). */
  mutationCount: number;
  /** Crossovers per generation (NB201: 50). */
  crossoverCount: number;
  /** Per-gene mutation probability (NB201: 0.1). */
  mutationProb: number;
  /** Number of scored generations (NB201: 20). */
  generations: number;
  /** Candidates drawn per batch (official: 10). */
  batchSize: number;
  /** Crossover gives up after this many batches (official: `crossoverCount + 1`). */
  crossoverMaxBatches: number;
  /** Safety cap on mutation batches (official: unbounded). */
  mutationMaxBatches: number;
}

/** The NB201 settings of spec §5.1. */
export const NB201_EVOLUTION: Readonly<EvolutionConfig> = Object.freeze({
  populationSize: 100,
  topK: 30,
  mutationCount: 50,
  crossoverCount: 50,
  mutationProb: 0.1,
  generations: 20,
  batchSize: 10,
  crossoverMaxBatches: 51,
  mutationMaxBatches: 100_000,
});

/** A scored architecture. */
export interface ScoredGenome {
  /** The architecture. */
  genome: Genome;
  /** Its fitness. */
  fitness: number;
}

/** What happened in one generation. */
export interface GenerationStats {
  /** Generation number, from 0. */
  generation: number;
  /** Best fitness seen so far (top-K leader after this generation's update). */
  best: number;
  /** The architecture with that fitness. */
  bestGenome: Genome;
  /** Best fitness within this generation's population. */
  populationBest: number;
  /** Mean fitness of this generation's population. */
  mean: number;
  /** Architectures scored in this generation. */
  scored: number;
  /** Offspring drawn after scoring: mutations, crossovers, random fill. */
  offspring: { mutation: number; crossover: number; random: number };
}

/** Result of {@link evolutionSearch}. */
export interface EvolutionResult {
  /** Best architecture seen (first of the final top-K). */
  best: Genome;
  /** Its fitness. */
  fitness: number;
  /** The final top-K, best first. */
  topK: ScoredGenome[];
  /** One entry per generation. */
  history: GenerationStats[];
  /** Architectures scored in total (≤ populationSize × generations). */
  totalScored: number;
  /** The population scored in each generation, in order. */
  populations: Genome[][];
}

/** Options of {@link evolutionSearch}. */
export interface EvolutionOptions {
  /** The search space (a `SearchSpace` from `search_spaces/` fits). */
  space: GenomeSpace;
  /** Batch fitness, higher is better. */
  fitness: Fitness;
  /**
   * Random source, or a seed for a fresh `RandomState` (numpy legacy semantics). The official
   * NB201 search continues from `stateAfterLabelDraws(dataset, seed)` instead (module doc).
   */
  rng: SearchRng | number;
  /** Overrides of {@link NB201_EVOLUTION}. */
  config?: Partial<EvolutionConfig>;
  /** Called after each generation is scored and its offspring drawn. */
  onGeneration?: (stats: GenerationStats) => void | Promise<void>;
}

/** State shared by the candidate generators: the rng, the space and the visited set. */
export interface CandidateSource {
  /** Random source. */
  rng: SearchRng;
  /** The search space. */
  space: GenomeSpace;
  /** Keys ({@link genomeKey}) of every candidate recorded so far. */
  visited: Set<string>;
  /** Candidates per batch (official: 10). */
  batchSize: number;
}

/** How a generator ended. */
export interface CandidateBatch {
  /** Accepted (new) candidates, in acceptance order. */
  candidates: Genome[];
  /** Batches drawn. */
  batches: number;
}

/**
 * Draw batches of `batchSize` candidates with `draw` and accept new ones until `count` are
 * accepted or `maxBatches` batches were drawn (the official `stack_random_cand` + `legal` loop).
 */
export function collectCandidates(
  src: CandidateSource,
  count: number,
  maxBatches: number,
  draw: () => number[],
): CandidateBatch {
  const candidates: Genome[] = [];
  let batches = 0;
  while (candidates.length < count && batches < maxBatches) {
    const batch: number[][] = [];
    for (let b = 0; b < src.batchSize; b++) batch.push(draw());
    batches++;
    for (const cand of batch) {
      if (candidates.length >= count) break;
      const key = genomeKey(cand);
      if (src.visited.has(key)) continue;
      src.visited.add(key);
      candidates.push(Object.freeze(cand));
    }
  }
  return { candidates, batches };
}

/** `count` new uniform candidates (every gene uniform over `0..numOps-1`, `none` included). */
export function randomCandidates(src: CandidateSource, count: number): CandidateBatch {
  const { numGenes, numOps } = src.space;
  if (count > 0) _checkRoom(src, count);
  return collectCandidates(src, count, Infinity, () => {
    const g = new Array<number>(numGenes);
    for (let i = 0; i < numGenes; i++) g[i] = randintScalar(src.rng, 0, numOps);
    return g;
  });
}

/** `count` new mutants of parents drawn uniformly from `parents` (at most `maxBatches` batches). */
export function mutationCandidates(
  src: CandidateSource,
  parents: readonly Genome[],
  count: number,
  prob: number,
  maxBatches: number,
): CandidateBatch {
  if (count > 0 && parents.length === 0) throw new RangeError("mutation needs at least one parent");
  const [lo, hi] = src.space.mutationRange;
  return collectCandidates(src, count, maxBatches, () => {
    const g = [...parents[randintScalar(src.rng, 0, parents.length)]];
    for (let i = 0; i < g.length; i++) {
      if (src.rng.random() < prob) g[i] = randintScalar(src.rng, lo, hi);
    }
    return g;
  });
}

/** Up to `count` new children of two parents drawn uniformly (with replacement) from `parents`. */
export function crossoverCandidates(
  src: CandidateSource,
  parents: readonly Genome[],
  count: number,
  maxBatches: number,
): CandidateBatch {
  if (count > 0 && parents.length === 0) {
    throw new RangeError("crossover needs at least one parent");
  }
  return collectCandidates(src, count, maxBatches, () => {
    const p1 = parents[randintScalar(src.rng, 0, parents.length)];
    const p2 = parents[randintScalar(src.rng, 0, parents.length)];
    return p1.map((a, i) => (randintScalar(src.rng, 0, 2) === 0 ? a : p2[i]));
  });
}

function _checkRoom(src: CandidateSource, count: number): void {
  const size = src.space.numOps ** src.space.numGenes;
  if (src.visited.size + count > size) {
    throw new RangeError(
      `cannot draw ${count} new architectures: ${src.visited.size} of the ${size} in the space ` +
        `were already visited`,
    );
  }
}

function _config(overrides: Partial<EvolutionConfig> = {}): EvolutionConfig {
  const crossoverCount = overrides.crossoverCount ?? NB201_EVOLUTION.crossoverCount;
  const c: EvolutionConfig = {
    ...NB201_EVOLUTION,
    crossoverMaxBatches: crossoverCount + 1,
    ...overrides,
  };
  const ints: (keyof EvolutionConfig)[] = [
    "populationSize",
    "topK",
    "mutationCount",
    "crossoverCount",
    "generations",
    "batchSize",
    "crossoverMaxBatches",
  ];
  for (const k of ints) {
    const v = c[k];
    const min = k === "populationSize" || k === "topK" || k === "batchSize" ? 1 : 0;
    if (!Number.isInteger(v) || v < min) {
      throw new RangeError(`evolution ${k} must be an integer >= ${min}, got ${v}`);
    }
  }
  if (!(c.mutationMaxBatches >= 1)) {
    throw new RangeError(`evolution mutationMaxBatches must be >= 1, got ${c.mutationMaxBatches}`);
  }
  if (!(c.mutationProb >= 0 && c.mutationProb <= 1)) {
    throw new RangeError(`evolution mutationProb must be in [0, 1], got ${c.mutationProb}`);
  }
  if (c.mutationCount + c.crossoverCount > c.populationSize) {
    throw new RangeError(
      `evolution mutationCount + crossoverCount (${c.mutationCount} + ${c.crossoverCount}) ` +
        `exceeds populationSize ${c.populationSize}`,
    );
  }
  return c;
}

/**
 * Run the evolution: score the population, update the global top-K (stable sort, descending),
 * breed mutations, crossovers and random fill, repeat for `generations` generations.
 */
export async function evolutionSearch(options: EvolutionOptions): Promise<EvolutionResult> {
  const { space, fitness, onGeneration } = options;
  checkGenomeSpace(space);
  const config = _config(options.config);
  const src: CandidateSource = {
    rng: toRng(options.rng),
    space,
    visited: new Set(),
    batchSize: config.batchSize,
  };
  let population = randomCandidates(src, config.populationSize).candidates;
  let topK: ScoredGenome[] = [];
  const history: GenerationStats[] = [];
  const populations: Genome[][] = [];
  let totalScored = 0;
  for (let gen = 0; gen < config.generations; gen++) {
    const scores = await scoreGenomes(fitness, population);
    populations.push(population);
    totalScored += population.length;
    const scored = population.map((genome, i) => ({ genome, fitness: scores[i] }));
    // Array.prototype.sort is stable, like Python's list.sort(reverse=True): equal values keep
    // their order in [...topK, ...population] (module doc, "Ties").
    topK = [...topK, ...scored].sort((a, b) => _desc(a.fitness, b.fitness)).slice(0, config.topK);
    const parents = topK.map((s) => s.genome);
    const mutation = mutationCandidates(
      src,
      parents,
      config.mutationCount,
      config.mutationProb,
      config.mutationMaxBatches,
    ).candidates;
    const crossover = crossoverCandidates(
      src,
      parents,
      config.crossoverCount,
      config.crossoverMaxBatches,
    ).candidates;
    const random = randomCandidates(
      src,
      config.populationSize - mutation.length - crossover.length,
    ).candidates;
    const stats: GenerationStats = {
      generation: gen,
      best: topK[0].fitness,
      bestGenome: topK[0].genome,
      populationBest: Math.max(...scores),
      mean: scores.reduce((s, v) => s + v, 0) / scores.length,
      scored: population.length,
      offspring: { mutation: mutation.length, crossover: crossover.length, random: random.length },
    };
    history.push(stats);
    if (onGeneration) await onGeneration(stats);
    population = [...mutation, ...crossover, ...random];
  }
  if (topK.length === 0) {
    throw new RangeError(`evolution ran ${config.generations} generations: nothing was scored`);
  }
  return {
    best: topK[0].genome,
    fitness: topK[0].fitness,
    topK,
    history,
    totalScored,
    populations,
  };
}

/** Descending order that also places -Infinity last and keeps ties (returns 0). */
function _desc(a: number, b: number): number {
  return a === b ? 0 : a > b ? -1 : 1;
}
