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
 * Precision: the official code concatenates and reduces in float32 on the GPU; here every product
 * of two float32 weights is accumulated in float64, which is more accurate than the official value
 * (the difference is of the order of float32 rounding, ~1e-7 relative) and independent of
 * summation order up to ~1e-12. The cosine uses the `CosineSimilarity` formula of the PyTorch
 * versions RLNAS ran on (1.4): x·y / sqrt(max(‖x‖²·‖y‖², eps²)) = x·y / max(‖x‖·‖y‖, eps) with
 * eps = 1e-8. (PyTorch 1.13 instead divides by max(‖x‖, eps)·max(‖y‖, eps), as checked on the
 * local install; the two differ only for norms below 1e-8, which no checkpoint has.)
 *
 * @module
 */
import {
  checkGenotype,
  convShape,
  edgeWeightName,
  fixedShapes,
  type Genotype,
  getParam,
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
  type WeightMap,
} from "./_layout.ts";

export type { Genotype, NetLayout, WeightMap, WeightTensor } from "./_layout.ts";

/** The per-checkpoint-pair sums the fast angle needs. */
export interface AngleStats {
  /** Layout (C, N, class count) shared by both checkpoints. */
  readonly layout: NetLayout;
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
 * classifier width. Throws an `Error` naming any missing or mis-shaped parameter.
 */
export function precomputeAngleStats(
  w0: WeightMap,
  wt: WeightMap,
  numClasses?: number,
): AngleStats {
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
  return { layout, fixed, table };
}

function _angle(stats: AngleStats, g: Genotype): number {
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

/**
 * The angle θ (radians, in [0, π]) of genotype `g` (applied to all search cells); exactly 0 when
 * every path of the cell contains `none` (the official early return).
 */
export function angleOf(stats: AngleStats, g: Genotype): number {
  checkGenotype(g);
  return _angle(stats, g);
}

/** The angles of many genotypes, in the given order. */
export function angleMany(stats: AngleStats, gs: readonly Genotype[]): Float64Array {
  const out = new Float64Array(gs.length);
  for (let i = 0; i < gs.length; i++) {
    checkGenotype(gs[i]);
    out[i] = _angle(stats, gs[i]);
  }
  return out;
}

/**
 * The angles of all 15 625 genotypes in enumeration order (lexicographic in the 6-tuple, edge 1<-0
 * most significant): entry `i` is the genotype whose base-5 digits are `i`.
 */
export function angleAll(stats: AngleStats): Float64Array {
  const out = new Float64Array(NUM_GENOTYPES);
  const g = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < NUM_GENOTYPES; i++) {
    let r = i;
    for (let e = NUM_EDGES - 1; e >= 0; e--) {
      g[e] = r % NUM_OPS;
      r = (r - g[e]) / NUM_OPS;
    }
    out[i] = _angle(stats, g);
  }
  return out;
}
