/**
 * The search-space registry: a description of each search space (gene count, op count, how a
 * mutation draws an op, conversions) looked up by name.
 *
 * @module
 */
import { NB201_SPACE } from "./nb201/encoding.ts";

/**
 * A discrete search space whose architectures are fixed-length lists of op indices ("genes").
 * Evolution and random search only need `numGenes`, `numOps` and `mutationRange`.
 */
export interface SearchSpace<G extends readonly number[] = readonly number[]> {
  /** Registry name, e.g. `"nb201"`. */
  readonly name: string;
  /** Number of genes (NB201: 6 edges). */
  readonly numGenes: number;
  /** Number of ops per gene; a gene takes values `0..numOps-1`. */
  readonly numOps: number;
  /** Number of architectures (`numOps ** numGenes`). */
  readonly size: number;
  /** Name of each op index. */
  readonly opNames: readonly string[];
  /**
   * Half-open range `[low, high)` a mutated gene is drawn from (`np.random.randint(low, high)`);
   * NB201: `[1, 5)`, i.e. mutation never introduces `none`.
   */
  readonly mutationRange: readonly [number, number];
  /** Enumeration index of an architecture. */
  encode(g: ArrayLike<number>): number;
  /** Architecture at an enumeration index. */
  decode(index: number): G;
  /** Human-readable (benchmark) string of an architecture. */
  toString(g: ArrayLike<number>): string;
  /** Parse the string form. */
  fromString(s: string): G;
  /** True when `g` is a valid architecture of this space. */
  isValid(g: unknown): g is G;
}

const _SPACES: Readonly<Record<string, SearchSpace>> = {
  nb201: NB201_SPACE,
};

/** Names of the registered search spaces. */
export function searchSpaceNames(): string[] {
  return Object.keys(_SPACES);
}

/** The search space called `name`; throws a `RangeError` listing the valid names. */
export function getSearchSpace(name: string): SearchSpace {
  if (Object.hasOwn(_SPACES, name)) return _SPACES[name];
  throw new RangeError(
    `Unknown search space ${JSON.stringify(name)}: expected one of ${
      searchSpaceNames().map((n) => JSON.stringify(n)).join(", ")
    }`,
  );
}
