/**
 * The `random` metric: a seeded uniform score per architecture, a sanity baseline whose rank
 * correlation with anything should be ≈ 0 (spec §6, "random ranking").
 *
 * @module
 */
import { RandomState } from "../labels/random_state.ts";
import { checkGenotype, NUM_GENOTYPES } from "./_layout.ts";
import { type ArchMetric, makeScorer, type MetricContext } from "./metric.ts";

/**
 * The score table of the `random` metric: `np.random.RandomState(seed).rand(15625)`, entry `i`
 * for the genotype of enumeration index `i`, so a genotype's score does not depend on which
 * other genotypes are scored with it.
 */
export function randomScoreTable(seed: number): Float64Array {
  return new RandomState(seed).rand(NUM_GENOTYPES);
}

/** Seeded random scores: context `seed` (default 0). */
export const randomMetric: ArchMetric = {
  name: "random",
  description: "seeded uniform random score per architecture (baseline; np RandomState(seed).rand)",
  higherIsBetter: true,
  requires: [],
  // deno-lint-ignore require-await
  async create(ctx: MetricContext) {
    const table = randomScoreTable(ctx.seed ?? 0);
    return makeScorer("random", (gs) => {
      const out = new Float64Array(gs.length);
      gs.forEach((g, i) => {
        checkGenotype(g);
        let idx = 0;
        for (const op of g) idx = idx * 5 + op;
        out[i] = table[idx];
      });
      return Promise.resolve(out);
    });
  },
};
