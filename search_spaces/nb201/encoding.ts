/**
 * NAS-Bench-201 cell encoding (spec §1.2, §1.4): the 5 candidate ops, the 6 edges, genotypes as
 * 6-tuples of op indices, the NB201 architecture string, the enumeration index, connectivity and
 * the four input→output paths.
 *
 * A genotype lists one op index per edge in the order `(1←0, 2←0, 2←1, 3←0, 3←1, 3←2)`, which is
 * also the order of the NB201 string `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`. The enumeration index
 * is the lexicographic rank of the tuple (edge `1←0` most significant, op index ascending), the
 * order of `Structure.gen_all`. It is NOT the official NB201 benchmark index: that one comes from
 * the `index,arch` columns of `nb201/nb201.csv` (see `datasets/nb201_table.ts`).
 *
 * @module
 */
import type { SearchSpace } from "../registry.ts";

/** The NB201 candidate ops; the position in this list is the op index of the encoding. */
export const NB201_OPS = [
  "none",
  "skip_connect",
  "nor_conv_1x1",
  "nor_conv_3x3",
  "avg_pool_3x3",
] as const;

/** Name of an NB201 op. */
export type Nb201Op = typeof NB201_OPS[number];

/** Number of candidate ops per edge (5). */
export const NB201_NUM_OPS = 5;

/** Number of edges of a cell (6). */
export const NB201_NUM_EDGES = 6;

/** Number of cell architectures (5^6 = 15,625). */
export const NB201_SIZE = 15625;

/** The edges in genotype order, each as `[to, from]` node indices. */
export const NB201_EDGES: readonly (readonly [number, number])[] = [
  [1, 0],
  [2, 0],
  [2, 1],
  [3, 0],
  [3, 1],
  [3, 2],
];

/**
 * The four input→output paths of the cell as lists of edge indices (into the genotype):
 * `0→3`, `0→2→3`, `0→1→2→3`, `0→1→3` (the order the angle metric walks them).
 */
export const NB201_PATHS: readonly (readonly number[])[] = [
  [3],
  [1, 5],
  [0, 2, 5],
  [0, 4],
];

/** Number of genotypes with no `none`-free input→output path (spec §1.3). */
export const NB201_NUM_DISCONNECTED = 341;

/** A NB201 cell: one op index (0..4, see {@link NB201_OPS}) per edge, in edge order. */
export type Genotype = readonly [number, number, number, number, number, number];

/** True when `g` has 6 integer entries in `0..4`. */
export function isGenotype(g: unknown): g is Genotype {
  if (!Array.isArray(g) && !ArrayBuffer.isView(g)) return false;
  const a = g as ArrayLike<unknown>;
  if (a.length !== NB201_NUM_EDGES) return false;
  for (let i = 0; i < NB201_NUM_EDGES; i++) {
    const v = a[i];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= NB201_NUM_OPS) return false;
  }
  return true;
}

function _describe(g: unknown): string {
  if (Array.isArray(g) || ArrayBuffer.isView(g)) {
    return `[${Array.from(g as ArrayLike<unknown>).join(", ")}]`;
  }
  return String(g);
}

/**
 * Validate `g` and return it as a frozen {@link Genotype} copy. Throws a `RangeError` naming the
 * bad value when it is not 6 integers in `0..4`.
 */
export function toGenotype(g: ArrayLike<number>): Genotype {
  if (!isGenotype(g)) {
    throw new RangeError(
      `Invalid NB201 genotype ${_describe(g)}: expected ${NB201_NUM_EDGES} integers in ` +
        `0..${NB201_NUM_OPS - 1} (${NB201_OPS.map((o, i) => `${i}=${o}`).join(", ")})`,
    );
  }
  return Object.freeze(Array.from(g)) as unknown as Genotype;
}

/** The NB201 architecture string of `g`, e.g. `|nor_conv_3x3~0|+|none~0|skip_connect~1|+|...|`. */
export function genotypeToString(g: ArrayLike<number>): string {
  const t = toGenotype(g);
  const node = (to: number, first: number) => {
    const parts: string[] = [];
    for (let j = 0; j < to; j++) parts.push(`${NB201_OPS[t[first + j]]}~${j}`);
    return `|${parts.join("|")}|`;
  };
  return `${node(1, 0)}+${node(2, 1)}+${node(3, 3)}`;
}

const _STRING_FORM = "|op~0|+|op~0|op~1|+|op~0|op~1|op~2|";

/**
 * Parse a NB201 architecture string (strict: exactly `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|` with
 * op names from {@link NB201_OPS}, no spaces). Throws a `RangeError` naming the string.
 */
export function genotypeFromString(s: string): Genotype {
  const bad = (why: string): never => {
    throw new RangeError(
      `Invalid NB201 architecture string ${JSON.stringify(s)}: ${why}; expected the form ` +
        `${_STRING_FORM} with ops ${NB201_OPS.join(", ")}`,
    );
  };
  if (typeof s !== "string") bad("not a string");
  const nodes = s.split("+");
  if (nodes.length !== 3) bad(`expected 3 nodes separated by "+", got ${nodes.length}`);
  const out: number[] = [];
  nodes.forEach((node, n) => {
    if (node.length < 2 || !node.startsWith("|") || !node.endsWith("|")) {
      bad(`node ${n + 1} ${JSON.stringify(node)} must start and end with "|"`);
    }
    const items = node.slice(1, -1).split("|");
    if (items.length !== n + 1) bad(`node ${n + 1} must have ${n + 1} inputs, got ${items.length}`);
    items.forEach((item, j) => {
      const m = /^([a-z0-9_]+)~(\d+)$/.exec(item);
      if (m === null) bad(`edge ${JSON.stringify(item)} is not "op~input"`);
      const [, op, from] = m as RegExpExecArray;
      if (Number(from) !== j) bad(`edge ${JSON.stringify(item)} must come from node ${j}`);
      const idx = (NB201_OPS as readonly string[]).indexOf(op);
      if (idx < 0) bad(`unknown op ${JSON.stringify(op)}`);
      out.push(idx);
    });
  });
  return Object.freeze(out) as unknown as Genotype;
}

/** Enumeration index of `g`: `sum_i g[i] * 5^(5-i)` (edge `1←0` most significant). */
export function genotypeToIndex(g: ArrayLike<number>): number {
  const t = toGenotype(g);
  let idx = 0;
  for (let i = 0; i < NB201_NUM_EDGES; i++) idx = idx * NB201_NUM_OPS + t[i];
  return idx;
}

/** The genotype at enumeration index `index` (an integer in `0..15624`). */
export function genotypeFromIndex(index: number): Genotype {
  if (!Number.isInteger(index) || index < 0 || index >= NB201_SIZE) {
    throw new RangeError(
      `Invalid NB201 enumeration index ${index}: expected an integer in 0..${NB201_SIZE - 1}`,
    );
  }
  const out = new Array<number>(NB201_NUM_EDGES);
  let r = index;
  for (let i = NB201_NUM_EDGES - 1; i >= 0; i--) {
    out[i] = r % NB201_NUM_OPS;
    r = Math.floor(r / NB201_NUM_OPS);
  }
  return Object.freeze(out) as unknown as Genotype;
}

/** All 15,625 genotypes in enumeration order (element `i` has enumeration index `i`). */
export function allGenotypes(): Genotype[] {
  const out: Genotype[] = new Array(NB201_SIZE);
  for (let i = 0; i < NB201_SIZE; i++) out[i] = genotypeFromIndex(i);
  return out;
}

/** True when some input→output path ({@link NB201_PATHS}) has no `none` edge. */
export function isConnected(g: ArrayLike<number>): boolean {
  const t = toGenotype(g);
  return NB201_PATHS.some((path) => path.every((e) => t[e] !== 0));
}

/**
 * The op-index order of NASLib's NB201 tuples (as used by the keys of
 * `zc/zc_nasbench201_725.json`): `skip_connect, none, nor_conv_3x3, nor_conv_1x1, avg_pool_3x3`.
 */
export const NASLIB_OPS = [
  "skip_connect",
  "none",
  "nor_conv_3x3",
  "nor_conv_1x1",
  "avg_pool_3x3",
] as const;

/**
 * NASLib's NB201 edge order, as genotype edge indices: NASLib lists the edges as
 * `(1←0, 2←0, 3←0, 2←1, 3←1, 3←2)`.
 */
export const NASLIB_EDGE_ORDER: readonly number[] = [0, 1, 3, 2, 4, 5];

/**
 * Convert a NASLib NB201 op-index tuple (NASLib op order {@link NASLIB_OPS} and edge order
 * {@link NASLIB_EDGE_ORDER}) or its string form `"(0, 2, 3, 2, 3, 1)"` to a genotype.
 */
export function genotypeFromNaslib(tuple: string | ArrayLike<number>): Genotype {
  let values: number[];
  if (typeof tuple === "string") {
    const m = /^\(\s*(\d)\s*,\s*(\d)\s*,\s*(\d)\s*,\s*(\d)\s*,\s*(\d)\s*,\s*(\d)\s*\)$/.exec(tuple);
    if (m === null) {
      throw new RangeError(
        `Invalid NASLib NB201 tuple ${JSON.stringify(tuple)}: expected "(a, b, c, d, e, f)"`,
      );
    }
    values = m.slice(1).map(Number);
  } else {
    values = Array.from(tuple);
  }
  const nl = toGenotype(values); // same shape and range as a genotype
  const out = new Array<number>(NB201_NUM_EDGES);
  NASLIB_EDGE_ORDER.forEach((edge, k) => {
    out[edge] = (NB201_OPS as readonly string[]).indexOf(NASLIB_OPS[nl[k]]);
  });
  return Object.freeze(out) as unknown as Genotype;
}

/** Inverse of {@link genotypeFromNaslib}: the NASLib op-index tuple of `g`. */
export function genotypeToNaslib(g: ArrayLike<number>): number[] {
  const t = toGenotype(g);
  return NASLIB_EDGE_ORDER.map((edge) =>
    (NASLIB_OPS as readonly string[]).indexOf(NB201_OPS[t[edge]])
  );
}

/** The NB201 search space as a registry entry (`getSearchSpace("nb201")`). */
export const NB201_SPACE: SearchSpace<Genotype> = Object.freeze({
  name: "nb201",
  numGenes: NB201_NUM_EDGES,
  numOps: NB201_NUM_OPS,
  size: NB201_SIZE,
  opNames: NB201_OPS,
  mutationRange: [1, NB201_NUM_OPS] as const,
  encode: genotypeToIndex,
  decode: genotypeFromIndex,
  toString(g?: ArrayLike<number>): string {
    return g === undefined ? "nb201" : genotypeToString(g);
  },
  fromString: genotypeFromString,
  isValid: isGenotype,
});
