/**
 * Search with a metric as fitness and NAS-Bench-201 lookup of the result (Tables 1, 6, 7 and
 * Figure 1): evolution (spec §5.1) or random search, then the found architecture's NB201 valid and
 * test accuracy. A valid accuracy the data directory does not have (CIFAR-100 and ImageNet16-120
 * here) is an empty cell (`""`), never `NaN`.
 *
 * Random state: every search continues from numpy's state after the official script's seeding
 * and label draw of the searched dataset (`stateAfterLabelDraws(dataset, seed)`, spec §5.1), the
 * state the official `rlnas_evolution_search_with_angle.py` starts its evolution from, whatever
 * labels (or no training at all, Table 7's training-free rows) the SuperNet had. With it and the
 * same fitness values the evolution replays the official trajectory draw for draw. The random
 * search has no official code (spec §7); it is seeded the same way, as if run by the same script
 * (seed, build the dataset, search), so all searches of a run share one definition of their
 * random state.
 *
 * @module
 */
import type { DatasetName } from "../../datasets/image_set.ts";
import type { Nb201Table } from "../../datasets/nb201_table.ts";
import { type EvolutionConfig, evolutionSearch } from "../../search/evolution.ts";
import type { Fitness, Genome } from "../../search/fitness.ts";
import { stateAfterLabelDraws } from "../../labels/schemes.ts";
import { randomSearch } from "../../search/random_search.ts";
import {
  genotypeToIndex,
  genotypeToString,
  NB201_SIZE,
  NB201_SPACE,
} from "../../search_spaces/nb201/encoding.ts";

/** An architecture with its NB201 ground truth. */
export interface LookedUp {
  /** NB201 architecture string. */
  arch: string;
  /** NB201's own index. */
  nb201Index: number;
  /** NB201 valid accuracy (percent), or `""` when the data directory has no such column. */
  validAcc: number | "";
  /** NB201 test accuracy (percent). */
  testAcc: number;
}

/** The result of a search. */
export interface Found extends LookedUp {
  /** The genotype (op indices, edge order). */
  genotype: Genome;
  /** Its fitness (the metric's value). */
  fitness: number;
  /** Architectures scored by the search. */
  scored: number;
}

/** NB201 ground truth of `g` on `dataset`. */
export function lookupArch(table: Nb201Table, g: Genome, dataset: DatasetName): LookedUp {
  return {
    arch: genotypeToString(g),
    nb201Index: table.indexOf(g),
    validAcc: table.hasColumn(dataset, "valid") ? table.accuracy(g, dataset, "valid") : "",
    testAcc: table.accuracy(g, dataset, "test"),
  };
}

/** A note for datasets whose NB201 valid accuracies are absent (empty `valid_acc` cells). */
export function validColumnNote(table: Nb201Table, dataset: DatasetName): string | null {
  return table.hasColumn(dataset, "valid") ? null : `${dataset}: the NB201 table in the data ` +
    `directory has no valid accuracies, so valid_acc is left empty (test accuracy only)`;
}

/**
 * Evolution (spec §5.1, overridden by `config`) with `fitness`, continuing from
 * `stateAfterLabelDraws(dataset, seed)`, then NB201 lookup.
 */
export async function evolveAndLookup(
  fitness: Fitness,
  config: Partial<EvolutionConfig>,
  seed: number,
  table: Nb201Table,
  dataset: DatasetName,
): Promise<Found> {
  const rng = stateAfterLabelDraws(dataset, seed);
  const r = await evolutionSearch({ space: NB201_SPACE, fitness, rng, config });
  return {
    genotype: r.best,
    fitness: r.fitness,
    scored: r.totalScored,
    ...lookupArch(table, r.best, dataset),
  };
}

/**
 * Random search (Table 7 baseline): `count` distinct architectures drawn uniformly, continuing
 * from `stateAfterLabelDraws(dataset, seed)`, the best by `fitness` (the first sampled among
 * equal scores), then NB201 lookup.
 */
export async function randomSearchAndLookup(
  fitness: Fitness,
  count: number,
  seed: number,
  table: Nb201Table,
  dataset: DatasetName,
): Promise<Found> {
  const rng = stateAfterLabelDraws(dataset, seed);
  const r = await randomSearch({ space: NB201_SPACE, fitness, rng, count });
  return {
    genotype: r.best,
    fitness: r.fitness,
    scored: r.totalScored,
    ...lookupArch(table, r.best, dataset),
  };
}

/**
 * A fitness that looks scores up in a table over all 15,625 architectures (enumeration order),
 * e.g. a metric's committed per-architecture scores.
 */
export function tableFitness(table: ArrayLike<number>): Fitness {
  if (table.length !== NB201_SIZE) {
    throw new RangeError(`score table has ${table.length} entries, expected ${NB201_SIZE}`);
  }
  return (gs: Genome[]) => gs.map((g) => table[genotypeToIndex(g)]);
}
