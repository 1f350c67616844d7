/**
 * Brute-force reference of the RLNAS angle metric (spec §3): builds the weight vector V(a, W) by
 * literal concatenation, in the official `weight_angle.py` order (spec §3.4), and takes the cosine.
 * Slow (it copies up to ~2 M values per architecture and checkpoint); the tests use it as the oracle
 * of the fast {@link ./angle.ts}, and it is exported for users who want the literal vector.
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
  HEAD_NAMES,
  inferLayout,
  isSearchCell,
  OP_CONV3,
  OP_NONE,
  OP_POOL,
  OP_SKIP,
  PATHS,
  POOL_VALUE,
  resnetNames,
  TAIL_NAMES,
  type WeightMap,
} from "./_layout.ts";

/**
 * The literal weight vector V(a, W) of genotype `g` (applied to every search cell), as float32:
 * head (stem conv, stem BN gamma, beta); for each path [0->3], [0->2->3], [0->1->2->3], [0->1->3]
 * without `none` and each cell in ascending order, the path's kernels (skip: nothing; avg pool:
 * C*9 values of 1/9), plus the ResNet block parameters at cells N and 2N+1 while processing the
 * first none-free path; then tail (lastact BN gamma, beta, classifier weight, bias).
 * Returns `null` when every path contains `none` (the official code scores those 0.0).
 */
export function angleVector(w: WeightMap, g: Genotype, numClasses?: number): Float32Array | null {
  checkGenotype(g);
  const layout = inferLayout(w, numClasses);
  const shapes = fixedShapes(layout);
  const parts: Float32Array[] = [];
  for (const name of HEAD_NAMES) parts.push(getParam(w, name, shapes.head.get(name)!));
  let anyPath = false;
  for (const path of PATHS) {
    if (path.some((e) => g[e] === OP_NONE)) continue;
    const first = !anyPath;
    anyPath = true;
    for (let k = 0; k < layout.numCells; k++) {
      if (!isSearchCell(layout, k)) {
        if (first) {
          const block = shapes.resnet[k === layout.reductionCells[0] ? 0 : 1];
          for (const name of resnetNames(k)) parts.push(getParam(w, name, block.get(name)!));
        }
        continue;
      }
      const c = layout.cellChannels[k];
      for (const e of path) {
        const op = g[e];
        if (op === OP_SKIP) continue;
        if (op === OP_POOL) {
          const k3 = getParam(w, edgeWeightName(k, e, OP_CONV3), convShape(c, OP_CONV3));
          parts.push(new Float32Array(k3.length / c).fill(POOL_VALUE));
        } else {
          parts.push(getParam(w, edgeWeightName(k, e, op), convShape(c, op)));
        }
      }
    }
  }
  if (!anyPath) return null;
  for (const name of TAIL_NAMES) parts.push(getParam(w, name, shapes.tail.get(name)!));
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The angle of genotype `g` between checkpoints `w0` and `wt`, from the literal vectors:
 * arccos(clamp(<V0, Vt> / max(|V0| |Vt|, 1e-8), -1, 1)), with float64 accumulation; exactly 0 when
 * every path contains `none`.
 */
export function angleBruteForce(
  w0: WeightMap,
  wt: WeightMap,
  g: Genotype,
  numClasses?: number,
): number {
  const v0 = angleVector(w0, g, numClasses);
  const vt = angleVector(wt, g, numClasses);
  if (v0 === null || vt === null) return 0;
  if (v0.length !== vt.length) {
    throw new Error(`weight vectors differ in length: ${v0.length} vs ${vt.length}`);
  }
  let dot = 0;
  let n0 = 0;
  let nt = 0;
  for (let i = 0; i < v0.length; i++) {
    dot += v0[i] * vt[i];
    n0 += v0[i] * v0[i];
    nt += vt[i] * vt[i];
  }
  const cos = dot / Math.max(Math.sqrt(n0 * nt), 1e-8);
  return Math.acos(Math.min(1, Math.max(-1, cos)));
}
