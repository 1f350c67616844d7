/**
 * Search with a metric as fitness and NAS-Bench-201 lookup of the result (Tables 1, 6, 7 and
 * Figure 1): evolution (spec §5.1) or random search, then the found architecture's NB201 valid and
 * test accuracy. A valid accuracy the data directory does not have (CIFAR-100 and ImageNet16-120
 * here) is an empty cell (`""`), never `NaN`.
 *
 * @module
 */
import type { DatasetName } from "../../datasets/image_set.ts";
import type { Nb201Table } from "../../datasets/nb201_table.ts";
import { type EvolutionConfig, evolutionSearch } from "../../search/evolution.ts";
import type { Fitness, Genome } from "../../search/fitness.ts";
import { randomSearch } from "../../search/random_search.ts";
import { genotypeToString, NB201_SPACE } from "../../search_spaces/nb201/encoding.ts";

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

/** Evolution (spec §5.1, overridden by `config`) with `fitness`, then NB201 lookup. */
export async function evolveAndLookup(
  fitness: Fitness,
  config: Partial<EvolutionConfig>,
  seed: number,
  table: Nb201Table,
  dataset: DatasetName,
): Promise<Found> {
  const r = await evolutionSearch({ space: NB201_SPACE, fitness, rng: seed, config });
  return {
    genotype: r.best,
    fitness: r.fitness,
    scored: r.totalScored,
    ...lookupArch(table, r.best, dataset),
  };
}

/**
 * Random search (Table 7 baseline): `count` distinct architectures drawn uniformly (seeded),
 * the best by `fitness`, then NB201 lookup.
 */
export async function randomSearchAndLookup(
  fitness: Fitness,
  count: number,
  seed: number,
  table: Nb201Table,
  dataset: DatasetName,
): Promise<Found> {
  const r = await randomSearch({ space: NB201_SPACE, fitness, rng: seed, count });
  return {
    genotype: r.best,
    fitness: r.fitness,
    scored: r.totalScored,
    ...lookupArch(table, r.best, dataset),
  };
}
