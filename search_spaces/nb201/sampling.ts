/**
 * Path sampling for SPOS supernet training ("urs" mode, spec §1.3) and uniform evaluation paths.
 *
 * @module
 */
import type { Genotype } from "./encoding.ts";

/** A source of uniform doubles in `[0, 1)` (e.g. `RandomState` from `labels/random_state.ts`). */
export interface PathRng {
  /** one uniform double in `[0, 1)` */
  random(): number;
}

const _NUM_OPS = 5;

function _checkNumCells(numCells: number, where: string): void {
  if (!Number.isInteger(numCells) || numCells < 1) {
    throw new RangeError(`${where}: numCells must be a positive integer, got ${numCells}`);
  }
}

/**
 * One independently sampled genotype per search cell, as the official SPOS training does each
 * iteration: per cell, node by node (i = 1, 2, 3), an op uniform over the 5 candidates for every
 * incoming edge j->i (`floor(5 * rng.random())`); while all incoming edges of node i drew `none`,
 * all of them are redrawn. Node 1 is thus uniform over the 4 non-none ops, node 2 over the 24
 * non-all-none pairs and node 3 over the 124 non-all-none triples.
 */
export function samplePaths(rng: PathRng, numCells = 15): Genotype[] {
  _checkNumCells(numCells, "samplePaths");
  const out: Genotype[] = [];
  for (let c = 0; c < numCells; c++) {
    const g: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const ops = new Array<number>(i);
      let allNone = true;
      do {
        allNone = true;
        for (let j = 0; j < i; j++) {
          const op = Math.floor(_NUM_OPS * rng.random());
          if (!(op >= 0 && op < _NUM_OPS)) {
            throw new RangeError(`samplePaths: rng.random() must return a value in [0, 1)`);
          }
          ops[j] = op;
          if (op !== 0) allNone = false;
        }
      } while (allNone);
      g.push(...ops);
    }
    out.push(g as unknown as Genotype);
  }
  return out;
}

/** The evaluation paths: genotype `g` in every one of the `numCells` search cells. */
export function uniformPaths(g: ArrayLike<number>, numCells = 15): Genotype[] {
  _checkNumCells(numCells, "uniformPaths");
  if (g.length !== 6) {
    throw new RangeError(`uniformPaths: genotype must have 6 op indices, got ${g.length}`);
  }
  for (let e = 0; e < 6; e++) {
    if (!Number.isInteger(g[e]) || g[e] < 0 || g[e] > 4) {
      throw new RangeError(
        `uniformPaths: op ${
          g[e]
        } at edge ${e} is invalid (valid: 0 none, 1 skip_connect, 2 nor_conv_1x1, 3 nor_conv_3x3, 4 avg_pool_3x3)`,
      );
    }
  }
  return Array.from({ length: numCells }, () => Array.from(g) as unknown as Genotype);
}
