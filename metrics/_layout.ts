/**
 * Parameter names and shapes of the official PyTorch `TinyNetworkSPOS` state dict (spec §1.1-1.2),
 * shared by the fast angle ({@link ./angle.ts}) and its brute-force oracle
 * ({@link ./angle_bruteforce.ts}). Private to `metrics/`.
 *
 * @module
 */
import { NB201_EDGES, NB201_PATHS } from "../search_spaces/nb201/encoding.ts";

/** One named tensor of a checkpoint (structurally the same as `training/safetensors.ts`). */
export interface WeightTensor {
  /** Shape in PyTorch layout (`[out, in, kh, kw]` for convolutions). */
  readonly shape: readonly number[];
  /** Values, row-major. */
  readonly data: Float32Array;
}

/** A checkpoint: PyTorch state-dict name -> tensor. Extra entries (running stats) are ignored. */
export type WeightMap = ReadonlyMap<string, WeightTensor>;

/**
 * An NB201 cell genotype: 6 op indices in edge order (1<-0, 2<-0, 2<-1, 3<-0, 3<-1, 3<-2); the
 * `Genotype` tuple of `search_spaces/nb201/encoding.ts` is one.
 */
export type Genotype = readonly number[];

/** Op index of `none`. */
export const OP_NONE = 0;
/** Op index of `skip_connect`. */
export const OP_SKIP = 1;
/** Op index of `nor_conv_1x1`. */
export const OP_CONV1 = 2;
/** Op index of `nor_conv_3x3`. */
export const OP_CONV3 = 3;
/** Op index of `avg_pool_3x3`. */
export const OP_POOL = 4;
/** Number of candidate ops per edge. */
export const NUM_OPS = 5;
/** Number of edges of a cell. */
export const NUM_EDGES = 6;
/** Number of genotypes of the NB201 space (5^6). */
export const NUM_GENOTYPES = 15625;

/** The 6 edges as `[to, from]` node pairs, in genotype order. */
export const EDGES: readonly (readonly [number, number])[] = NB201_EDGES;

/**
 * The 4 input-to-output paths as edge-index lists, in the order the official `weight_angle.py`
 * visits them: [0->3], [0->2->3], [0->1->2->3], [0->1->3] (spec §3.2).
 */
export const PATHS: readonly (readonly number[])[] = NB201_PATHS;

/** Names of the head parameters in concatenation order: stem conv, stem BN gamma, beta. */
export const HEAD_NAMES: readonly string[] = ["stem.0.weight", "stem.1.weight", "stem.1.bias"];

/** Names of the tail parameters in concatenation order: lastact BN gamma, beta, classifier. */
export const TAIL_NAMES: readonly string[] = [
  "lastact.0.weight",
  "lastact.0.bias",
  "classifier.weight",
  "classifier.bias",
];

/** Parameter names of the ResNet block at cell `k`, in `named_parameters` order. */
export function resnetNames(k: number): string[] {
  return [
    `cells.${k}.conv_a.op.1.weight`,
    `cells.${k}.conv_a.op.2.weight`,
    `cells.${k}.conv_a.op.2.bias`,
    `cells.${k}.conv_b.op.1.weight`,
    `cells.${k}.conv_b.op.2.weight`,
    `cells.${k}.conv_b.op.2.bias`,
    `cells.${k}.downsample.1.weight`,
  ];
}

/** Name of the conv kernel of op `op` (2 or 3) on edge `edge` (0..5) of search cell `cell`. */
export function edgeWeightName(cell: number, edge: number, op: number): string {
  const [i, j] = EDGES[edge];
  return `cells.${cell}.edges.${i}<-${j}.${op}.op.1.weight`;
}

/** Macro layout of a TinyNetworkSPOS checkpoint. */
export interface NetLayout {
  /** Stem channels (16 in NB201). */
  readonly C: number;
  /** Search cells per stage (5 in NB201). */
  readonly N: number;
  /** Classifier width. */
  readonly numClasses: number;
  /** Number of entries of the `cells` list (3N + 2). */
  readonly numCells: number;
  /** Indices of the two ResNet blocks (N and 2N + 1). */
  readonly reductionCells: readonly [number, number];
  /** Channels of each cell (the output channels for ResNet blocks). */
  readonly cellChannels: readonly number[];
}

/** Whether cell `k` of `layout` is a search cell (not a ResNet block). */
export function isSearchCell(layout: NetLayout, k: number): boolean {
  return k !== layout.reductionCells[0] && k !== layout.reductionCells[1];
}

function _sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The values of `name`, checking presence, shape and length; throws an `Error` naming it. */
export function getParam(w: WeightMap, name: string, shape: readonly number[]): Float32Array {
  const t = w.get(name);
  if (t === undefined) {
    throw new Error(`checkpoint has no parameter "${name}" (expected shape [${shape}])`);
  }
  if (!_sameShape(t.shape, shape)) {
    throw new Error(`parameter "${name}" has shape [${t.shape}], expected [${shape}]`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (t.data.length !== size) {
    throw new Error(`parameter "${name}" has ${t.data.length} values, expected ${size}`);
  }
  return t.data;
}

/**
 * Infer C, N and the class count from a checkpoint (stem conv, ResNet block names, classifier).
 * `numClasses`, when given, must equal the classifier width.
 */
export function inferLayout(w: WeightMap, numClasses?: number): NetLayout {
  const stem = w.get("stem.0.weight");
  if (stem === undefined || stem.shape.length !== 4) {
    throw new Error('checkpoint has no 4-D parameter "stem.0.weight" ([C, 3, 3, 3])');
  }
  const C = stem.shape[0];
  const reds: number[] = [];
  for (const name of w.keys()) {
    const m = /^cells\.(\d+)\.conv_a\.op\.1\.weight$/.exec(name);
    if (m !== null) reds.push(Number(m[1]));
  }
  reds.sort((a, b) => a - b);
  if (reds.length !== 2 || reds[1] !== 2 * reds[0] + 1 || reds[0] < 1) {
    throw new Error(
      `checkpoint must hold exactly two ResNet blocks at cells N and 2N+1 ` +
        `(cells.{k}.conv_a.op.1.weight), found cells [${reds}]`,
    );
  }
  const N = reds[0];
  const cls = w.get("classifier.weight");
  if (cls === undefined || cls.shape.length !== 2) {
    throw new Error('checkpoint has no 2-D parameter "classifier.weight" ([numClasses, 4C])');
  }
  const K = cls.shape[0];
  if (numClasses !== undefined && numClasses !== K) {
    throw new RangeError(
      `numClasses ${numClasses} does not match the checkpoint's classifier width ${K}`,
    );
  }
  const numCells = 3 * N + 2;
  const cellChannels: number[] = [];
  for (let k = 0; k < numCells; k++) {
    cellChannels.push(k < N ? C : k <= 2 * N ? 2 * C : 4 * C);
  }
  return { C, N, numClasses: K, numCells, reductionCells: [N, 2 * N + 1], cellChannels };
}

/** Expected shape of each fixed (architecture-independent) parameter, in concatenation order. */
export function fixedShapes(
  layout: NetLayout,
): { head: Map<string, number[]>; tail: Map<string, number[]>; resnet: Map<string, number[]>[] } {
  const { C, numClasses: K } = layout;
  const head = new Map<string, number[]>([
    ["stem.0.weight", [C, 3, 3, 3]],
    ["stem.1.weight", [C]],
    ["stem.1.bias", [C]],
  ]);
  const tail = new Map<string, number[]>([
    ["lastact.0.weight", [4 * C]],
    ["lastact.0.bias", [4 * C]],
    ["classifier.weight", [K, 4 * C]],
    ["classifier.bias", [K]],
  ]);
  const resnet = layout.reductionCells.map((k) => {
    const cout = layout.cellChannels[k];
    const cin = cout / 2;
    const names = resnetNames(k);
    const shapes = [
      [cout, cin, 3, 3],
      [cout],
      [cout],
      [cout, cout, 3, 3],
      [cout],
      [cout],
      [cout, cin, 1, 1],
    ];
    return new Map(names.map((n, i) => [n, shapes[i]]));
  });
  return { head, tail, resnet };
}

/** Expected shape of the conv kernel of op 2 or 3 in a search cell with `c` channels. */
export function convShape(c: number, op: number): number[] {
  return op === OP_CONV1 ? [c, c, 1, 1] : [c, c, 3, 3];
}

/** Throw a `RangeError` unless `g` is 6 integers in 0..4. */
export function checkGenotype(g: Genotype): void {
  if (g.length !== NUM_EDGES || !g.every((v) => Number.isInteger(v) && v >= 0 && v < NUM_OPS)) {
    throw new RangeError(
      `invalid genotype [${g}]: expected 6 op indices in 0..4 ` +
        `(none=0, skip_connect=1, nor_conv_1x1=2, nor_conv_3x3=3, avg_pool_3x3=4)`,
    );
  }
}

/** The value of every avg-pool constant (1/9 stored as float32, as in the official tensors). */
export const POOL_VALUE: number = Math.fround(1 / 9);

/**
 * How many none-free paths of `g` contain each edge (0 for an edge on no none-free path, whose op
 * then has no effect on the weight vector).
 */
export function pathMultiplicities(g: Genotype): number[] {
  const m = [0, 0, 0, 0, 0, 0];
  for (const path of PATHS) {
    if (path.some((e) => g[e] === OP_NONE)) continue;
    for (const e of path) m[e]++;
  }
  return m;
}

/**
 * The angle tie class of `g`: two genotypes with the same key have weight vectors made of the same
 * pieces (possibly in another order), so their angles are mathematically equal. The pieces are the
 * kernels of the conv ops on none-free paths, each repeated once per none-free path through its
 * edge, and the avg-pool constants (all equal within a cell), counted once per none-free path
 * through a pool edge; skip adds nothing and the ops of edges on no none-free path do not appear.
 * `null` when no path is none-free (the official angle is then exactly 0). NB201 has 3,849 classes,
 * 1,848 of them with more than one member.
 */
export function angleTieKey(g: Genotype): string | null {
  const m = pathMultiplicities(g);
  if (m.every((v) => v === 0)) return null;
  const parts: string[] = [];
  let pools = 0;
  for (let e = 0; e < NUM_EDGES; e++) {
    if (m[e] === 0) continue;
    if (g[e] === OP_CONV1 || g[e] === OP_CONV3) parts.push(`${e}:${g[e]}x${m[e]}`);
    else if (g[e] === OP_POOL) pools += m[e];
  }
  return `${parts.join(",")}|pool${pools}`;
}

/** The genotype of enumeration index `i` (base-5 digits, edge 1<-0 most significant). */
export function genotypeAt(i: number): number[] {
  const g = [0, 0, 0, 0, 0, 0];
  let r = i;
  for (let e = NUM_EDGES - 1; e >= 0; e--) {
    g[e] = r % NUM_OPS;
    r = (r - g[e]) / NUM_OPS;
  }
  return g;
}

/** The enumeration index of genotype `g` (the inverse of {@link genotypeAt}). */
export function genotypeIndex(g: Genotype): number {
  let i = 0;
  for (let e = 0; e < NUM_EDGES; e++) i = i * NUM_OPS + g[e];
  return i;
}

let _representatives: Int32Array | null = null;

/**
 * For every enumeration index, the first index (in enumeration order) of its angle tie class
 * ({@link angleTieKey}; the architectures without a none-free path form one class, led by the
 * all-`none` genotype 0). Computed once.
 */
export function tieRepresentatives(): Int32Array {
  if (_representatives === null) {
    const first = new Map<string | null, number>();
    const reps = new Int32Array(NUM_GENOTYPES);
    for (let i = 0; i < NUM_GENOTYPES; i++) {
      const key = angleTieKey(genotypeAt(i));
      const r = first.get(key);
      if (r === undefined) first.set(key, i);
      reps[i] = r ?? i;
    }
    _representatives = reps;
  }
  return _representatives;
}
