/**
 * The RLNAS angle metric for NAS-Bench-201 (spec §3, official `exps/algos/weight_angle.py`),
 * computed without ever building the weight vectors.
 *
 * θ(a) = arccos(<V(a,W0), V(a,Wt)> / max(‖V(a,W0)‖·‖V(a,Wt)‖, 1e-8)), where V concatenates the
 * fixed segments (stem conv + BN γ,β; the two ResNet blocks; lastact BN γ,β + classifier) and, for
 * every none-free path of the cell and every search cell, the kernels of the path's edges (skip adds
 * nothing, avg pool a constant C·9 vector of 1/9). Because V is a concatenation, its dot product and
 * squared norms are sums over its segments, so {@link precomputeAngleStats} reduces a checkpoint pair
 * to a table `[edge][op] -> (dot, ‖w0‖², ‖wt‖²)` summed over cells plus the fixed segments' sums,
 * and each architecture then costs a few dozen additions ({@link angleOf}, {@link angleAll}).
 *
 * Ties. Architectures that differ only in ops that do not change the multiset of pieces of V (the
 * op of an edge on no none-free path; skip vs pool placed so that the number of pool pieces stays
 * the same, ...) have mathematically equal angles: 1,848 such groups cover 13,283 of the 15,625
 * architectures (`angleTieKey` in `_layout.ts`). Summing the same pieces in another order would
 * give them values that differ in the last bits, and that rounding noise would order them in the
 * evolution's sort. So the angle is computed once per tie class, for its first member in
 * enumeration order, and every member gets exactly that value (bit-equal, in both precisions);
 * the searches then break such ties like the official stable sort (`search/evolution.ts`).
 *
 * Precision (`precision` of {@link precomputeAngleStats}, CLI `--angle-precision`):
 * - `"float64"` (default): every product of two float32 weights is accumulated in float64, which
 *   is more accurate than the official value (the difference is of the order of float32 rounding,
 *   ~1e-7 relative) and independent of summation order up to ~1e-12. cos = dot / max(sqrt(‖x‖²·
 *   ‖y‖²), 1e-8), arccos in float64.
 * - `"float32"`: the official numbers' precision (float32 tensors, PyTorch `CosineSimilarity(dim=0)`
 *   on the GPU, then `torch.acos` in float32). Every operation is a float32 operation emulated
 *   with `Math.fround` (double arithmetic rounded to float32 is the correctly rounded float32
 *   result for +, ×, ÷ and sqrt), in this documented order: each parameter tensor's (and each
 *   pool constant's) products are summed with numpy's pairwise float32 summation (`np.sum` of a
 *   contiguous float32 array: blocks of up to 128 with 8 accumulators, halves above that), and
 *   these per-tensor partial sums are added in float32 one after the other in the official
 *   concatenation order (spec §3.4: head, then per none-free path and cell the path's pieces, the
 *   ResNet blocks during the first none-free path, then tail). The GPU's own reduction order
 *   cannot be reproduced, so the values match the official ones to within a few float32 ulps, not
 *   bit for bit. Then, as PyTorch 1.x `cosine_similarity` (the versions RLNAS ran on):
 *   `w12 / sqrt(clamp_min(w1·w2, eps²))` with eps = 1e-8 (eps² rounded to float32), in float32,
 *   clamped to [-1, 1] (the official code would return NaN for a cosine rounded above 1), and
 *   θ = float32(arccos) (`Math.acos` rounded to float32: the correctly rounded `acosf` up to
 *   double rounding; CUDA's `acosf` and numpy's float32 `arccos` are within 2 ulps of it). The
 *   result is a float32 value, like the official `.item()`.
 * (PyTorch 1.13 divides by max(‖x‖, eps)·max(‖y‖, eps) instead, as checked on a local install; the
 * two differ only for norms below 1e-8, which no checkpoint has.)
 *
 * @module
 */
import {
  checkGenotype,
  convShape,
  edgeWeightName,
  fixedShapes,
  type Genotype,
  genotypeAt,
  genotypeIndex,
  getParam,
  HEAD_NAMES,
  inferLayout,
  isSearchCell,
  type NetLayout,
  NUM_EDGES,
  NUM_GENOTYPES,
  NUM_OPS,
  OP_CONV1,
  OP_CONV3,
  OP_NONE,
  OP_POOL,
  PATHS,
  POOL_VALUE,
  resnetNames,
  TAIL_NAMES,
  tieRepresentatives,
  type WeightMap,
} from "./_layout.ts";

export type { Genotype, NetLayout, WeightMap, WeightTensor } from "./_layout.ts";

/** Precision of the angle's cosine (module doc). */
export type AnglePrecision = "float64" | "float32";

/** The valid {@link AnglePrecision} values, default first. */
export const ANGLE_PRECISIONS: readonly AnglePrecision[] = ["float64", "float32"];

/** Options of {@link precomputeAngleStats}. */
export interface AngleOptions {
  /** `"float64"` (default) or `"float32"`, the official numbers' precision (module doc). */
  precision?: AnglePrecision;
}

/**
 * Float32 partial sums `[dot, ‖w0‖², ‖wt‖²]` of every piece of V (float32 mode only): each is the
 * pairwise float32 sum of one tensor's float32 products.
 */
export interface AngleStats32 {
  /** The head tensors (stem conv, stem BN γ, β), 3 sums each. */
  readonly head: Float32Array;
  /** The 7 tensors of each ResNet block, 3 sums each, by cell index (other cells: empty). */
  readonly resnet: readonly Float32Array[];
  /** The tail tensors (lastact BN γ, β, classifier weight, bias), 3 sums each. */
  readonly tail: Float32Array;
  /** Each search cell's conv kernels: `[(e * 2 + (op - 2)) * 3]` for op 2, 3; by cell index. */
  readonly cells: readonly Float32Array[];
  /** Each search cell's avg-pool constant (C·9 values of float32(1/9)), 3 sums; by cell index. */
  readonly pool: readonly Float32Array[];
}

/** The per-checkpoint-pair sums the fast angle needs. */
export interface AngleStats {
  /** Layout (C, N, class count) shared by both checkpoints. */
  readonly layout: NetLayout;
  /** Precision the angles are computed in. */
  readonly precision: AnglePrecision;
  /** The float32 partial sums, present in float32 mode. */
  readonly f32?: AngleStats32;
  /** `[dot, ‖w0‖², ‖wt‖²]` of the fixed segments (head, both ResNet blocks, tail). */
  readonly fixed: Float64Array;
  /**
   * `[dot, ‖w0‖², ‖wt‖²]` of one occurrence of op `o` on edge `e`, summed over all search cells, at
   * offset `(e * 5 + o) * 3`. Zero for `none` and `skip_connect`; the pool constant for avg pool.
   */
  readonly table: Float64Array;
}

/** arccos(clamp(dot / max(sqrt(n0·nt), 1e-8), -1, 1)). */
export function angleFromSums(dot: number, n0: number, nt: number): number {
  const cos = dot / Math.max(Math.sqrt(n0 * nt), 1e-8);
  return Math.acos(Math.min(1, Math.max(-1, cos)));
}

const _f = Math.fround;
/** eps² of `CosineSimilarity` (eps = 1e-8) as the float32 clamp bound. */
const _EPS2_F32 = _f(1e-8 * 1e-8);

/**
 * The float32 angle from float32 sums, as PyTorch 1.x computes it: `w12 / sqrt(clamp_min(w1·w2,
 * eps²))` and `acos`, every step rounded to float32; the cosine clamped to [-1, 1].
 */
export function angleFromSums32(dot: number, n0: number, nt: number): number {
  const n12 = _f(Math.sqrt(Math.max(_f(_f(n0) * _f(nt)), _EPS2_F32)));
  const cos = _f(_f(dot) / n12);
  return _f(Math.acos(Math.min(1, Math.max(-1, cos))));
}

/**
 * `np.sum(a[lo:lo+n] * b[lo:lo+n])` for float32 arrays, bit for bit: float32 products, numpy's
 * pairwise float32 summation (`pairwise_sum`: fewer than 8 terms sequentially from -0.0; up to 128
 * with 8 interleaved accumulators combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the rest;
 * above 128 the two halves, split at a multiple of 8).
 */
export function pairwiseDot32(a: Float32Array, b: Float32Array, lo = 0, n = a.length): number {
  if (n < 8) {
    let r = -0;
    for (let i = lo; i < lo + n; i++) r = _f(r + _f(a[i] * b[i]));
    return r;
  }
  if (n <= 128) {
    let r0 = _f(a[lo] * b[lo]);
    let r1 = _f(a[lo + 1] * b[lo + 1]);
    let r2 = _f(a[lo + 2] * b[lo + 2]);
    let r3 = _f(a[lo + 3] * b[lo + 3]);
    let r4 = _f(a[lo + 4] * b[lo + 4]);
    let r5 = _f(a[lo + 5] * b[lo + 5]);
    let r6 = _f(a[lo + 6] * b[lo + 6]);
    let r7 = _f(a[lo + 7] * b[lo + 7]);
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const j = lo + i;
      r0 = _f(r0 + _f(a[j] * b[j]));
      r1 = _f(r1 + _f(a[j + 1] * b[j + 1]));
      r2 = _f(r2 + _f(a[j + 2] * b[j + 2]));
      r3 = _f(r3 + _f(a[j + 3] * b[j + 3]));
      r4 = _f(r4 + _f(a[j + 4] * b[j + 4]));
      r5 = _f(r5 + _f(a[j + 5] * b[j + 5]));
      r6 = _f(r6 + _f(a[j + 6] * b[j + 6]));
      r7 = _f(r7 + _f(a[j + 7] * b[j + 7]));
    }
    let res = _f(_f(_f(r0 + r1) + _f(r2 + r3)) + _f(_f(r4 + r5) + _f(r6 + r7)));
    for (; i < n; i++) res = _f(res + _f(a[lo + i] * b[lo + i]));
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return _f(pairwiseDot32(a, b, lo, n2) + pairwiseDot32(a, b, lo + n2, n - n2));
}

function _partials32(out: Float32Array, at: number, a: Float32Array, b: Float32Array): void {
  out[at] = pairwiseDot32(a, b);
  out[at + 1] = pairwiseDot32(a, a);
  out[at + 2] = pairwiseDot32(b, b);
}

function _accumulate(out: Float64Array, at: number, a: Float32Array, b: Float32Array): void {
  let dot = 0;
  let n0 = 0;
  let nt = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    dot += x * y;
    n0 += x * x;
    nt += y * y;
  }
  out[at] += dot;
  out[at + 1] += n0;
  out[at + 2] += nt;
}

function _sameLayout(a: NetLayout, b: NetLayout): boolean {
  return a.C === b.C && a.N === b.N && a.numClasses === b.numClasses;
}

/**
 * Reduce a checkpoint pair (W0 = epoch 0, Wt = trained) to {@link AngleStats}. Only parameters are
 * read (BN running statistics in the maps are ignored). `numClasses`, when given, must match the
 * classifier width; `opts.precision` picks float64 (default) or float32 angles. Throws an `Error`
 * naming any missing or mis-shaped parameter.
 */
export function precomputeAngleStats(
  w0: WeightMap,
  wt: WeightMap,
  numClasses?: number,
  opts: AngleOptions = {},
): AngleStats {
  const precision = opts.precision ?? "float64";
  if (!ANGLE_PRECISIONS.includes(precision)) {
    throw new RangeError(
      `angle precision must be one of ${ANGLE_PRECISIONS.join(", ")}, got ${String(precision)}`,
    );
  }
  const layout = inferLayout(w0, numClasses);
  const layoutT = inferLayout(wt, numClasses);
  if (!_sameLayout(layout, layoutT)) {
    throw new Error(
      `checkpoints differ in layout: W0 has C=${layout.C}, N=${layout.N}, ` +
        `${layout.numClasses} classes; Wt has C=${layoutT.C}, N=${layoutT.N}, ` +
        `${layoutT.numClasses} classes`,
    );
  }
  const fixed = new Float64Array(3);
  const shapes = fixedShapes(layout);
  for (const group of [shapes.head, ...shapes.resnet, shapes.tail]) {
    for (const [name, shape] of group) {
      _accumulate(fixed, 0, getParam(w0, name, shape), getParam(wt, name, shape));
    }
  }
  const table = new Float64Array(NUM_EDGES * NUM_OPS * 3);
  for (let k = 0; k < layout.numCells; k++) {
    if (!isSearchCell(layout, k)) continue;
    const c = layout.cellChannels[k];
    for (let e = 0; e < NUM_EDGES; e++) {
      for (const op of [OP_CONV1, OP_CONV3]) {
        const name = edgeWeightName(k, e, op);
        const shape = convShape(c, op);
        _accumulate(
          table,
          (e * NUM_OPS + op) * 3,
          getParam(w0, name, shape),
          getParam(wt, name, shape),
        );
      }
      // avg pool: C*9 copies of float32(1/9), identical in both vectors.
      const pool = c * 9 * POOL_VALUE * POOL_VALUE;
      const at = (e * NUM_OPS + OP_POOL) * 3;
      table[at] += pool;
      table[at + 1] += pool;
      table[at + 2] += pool;
    }
  }
  if (precision === "float64") return { layout, precision, fixed, table };
  return { layout, precision, fixed, table, f32: _precompute32(w0, wt, layout) };
}

function _precompute32(w0: WeightMap, wt: WeightMap, layout: NetLayout): AngleStats32 {
  const shapes = fixedShapes(layout);
  const group = (m: Map<string, number[]>, names: readonly string[]) => {
    const out = new Float32Array(names.length * 3);
    names.forEach((n, i) =>
      _partials32(out, i * 3, getParam(w0, n, m.get(n)!), getParam(wt, n, m.get(n)!))
    );
    return out;
  };
  const empty = new Float32Array(0);
  const resnet: Float32Array[] = [];
  const cells: Float32Array[] = [];
  const pool: Float32Array[] = [];
  for (let k = 0; k < layout.numCells; k++) {
    if (!isSearchCell(layout, k)) {
      const r = layout.reductionCells[0] === k ? 0 : 1;
      resnet.push(group(shapes.resnet[r], resnetNames(k)));
      cells.push(empty);
      pool.push(empty);
      continue;
    }
    resnet.push(empty);
    const c = layout.cellChannels[k];
    const t = new Float32Array(NUM_EDGES * 2 * 3);
    for (let e = 0; e < NUM_EDGES; e++) {
      for (const op of [OP_CONV1, OP_CONV3]) {
        const name = edgeWeightName(k, e, op);
        const shape = convShape(c, op);
        _partials32(
          t,
          (e * 2 + op - OP_CONV1) * 3,
          getParam(w0, name, shape),
          getParam(wt, name, shape),
        );
      }
    }
    cells.push(t);
    const ones = new Float32Array(c * 9).fill(POOL_VALUE);
    const p = new Float32Array(3);
    _partials32(p, 0, ones, ones);
    pool.push(p);
  }
  return {
    head: group(shapes.head, HEAD_NAMES),
    resnet,
    tail: group(shapes.tail, TAIL_NAMES),
    cells,
    pool,
  };
}

/**
 * The float32 angle of `g` itself: the per-tensor partial sums added in float32 in the official
 * concatenation order (module doc).
 */
function _angle32(stats: AngleStats, s: AngleStats32, g: Genotype): number {
  let dot = 0;
  let n0 = 0;
  let nt = 0;
  const add = (v: Float32Array) => {
    for (let i = 0; i < v.length; i += 3) {
      dot = _f(dot + v[i]);
      n0 = _f(n0 + v[i + 1]);
      nt = _f(nt + v[i + 2]);
    }
  };
  const addOne = (v: Float32Array, at: number) => {
    dot = _f(dot + v[at]);
    n0 = _f(n0 + v[at + 1]);
    nt = _f(nt + v[at + 2]);
  };
  const { layout } = stats;
  add(s.head);
  let any = false;
  for (const path of PATHS) {
    if (path.some((e) => g[e] === OP_NONE)) continue;
    const first = !any;
    any = true;
    for (let k = 0; k < layout.numCells; k++) {
      if (!isSearchCell(layout, k)) {
        if (first) add(s.resnet[k]);
        continue;
      }
      for (const e of path) {
        const op = g[e];
        if (op === OP_POOL) addOne(s.pool[k], 0);
        else if (op === OP_CONV1 || op === OP_CONV3) {
          addOne(s.cells[k], (e * 2 + op - OP_CONV1) * 3);
        }
      }
    }
  }
  if (!any) return 0;
  add(s.tail);
  return angleFromSums32(dot, n0, nt);
}

/** The float64 angle of `g` itself (path-order sums of the table). */
function _angle64(stats: AngleStats, g: Genotype): number {
  const t = stats.table;
  let dot = 0;
  let n0 = 0;
  let nt = 0;
  let any = false;
  for (const path of PATHS) {
    let dropped = false;
    for (const e of path) if (g[e] === OP_NONE) dropped = true;
    if (dropped) continue;
    any = true;
    for (const e of path) {
      const at = (e * NUM_OPS + g[e]) * 3;
      dot += t[at];
      n0 += t[at + 1];
      nt += t[at + 2];
    }
  }
  if (!any) return 0;
  const f = stats.fixed;
  return angleFromSums(dot + f[0], n0 + f[1], nt + f[2]);
}

/** The angle of enumeration index `i` computed for that genotype itself, in the stats' precision. */
function _own(stats: AngleStats, i: number): number {
  const g = genotypeAt(i);
  return stats.f32 === undefined ? _angle64(stats, g) : _angle32(stats, stats.f32, g);
}

/**
 * The enumeration index of the first genotype (in enumeration order) of `g`'s angle tie class: the
 * genotype whose angle every member of the class gets (module doc, "Ties").
 */
export function angleRepresentative(g: Genotype): number {
  checkGenotype(g);
  return tieRepresentatives()[genotypeIndex(g)];
}

/**
 * The angle θ (radians, in [0, π]) of genotype `g` (applied to all search cells); exactly 0 when
 * every path of the cell contains `none` (the official early return). Every member of a tie class
 * gets the same value, that of the class's first member in enumeration order.
 */
export function angleOf(stats: AngleStats, g: Genotype): number {
  return _own(stats, angleRepresentative(g));
}

/** The angles of many genotypes, in the given order (each tie class computed once). */
export function angleMany(stats: AngleStats, gs: readonly Genotype[]): Float64Array {
  for (const g of gs) checkGenotype(g);
  const memo = new Map<number, number>();
  const out = new Float64Array(gs.length);
  for (let i = 0; i < gs.length; i++) {
    const r = angleRepresentative(gs[i]);
    let v = memo.get(r);
    if (v === undefined) {
      v = _own(stats, r);
      memo.set(r, v);
    }
    out[i] = v;
  }
  return out;
}

/**
 * The angles of all 15 625 genotypes in enumeration order (lexicographic in the 6-tuple, edge 1<-0
 * most significant): entry `i` is the genotype whose base-5 digits are `i`. Computed once per tie
 * class (3,849 classes); the members of a class hold bit-identical values.
 */
export function angleAll(stats: AngleStats): Float64Array {
  const reps = tieRepresentatives();
  const out = new Float64Array(NUM_GENOTYPES);
  for (let i = 0; i < NUM_GENOTYPES; i++) {
    out[i] = reps[i] === i ? _own(stats, i) : out[reps[i]];
  }
  return out;
}
