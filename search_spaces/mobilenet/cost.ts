/**
 * FLOPs and parameters of a MobileNet-like architecture as RLNAS counts them (spec
 * `darts-mobilenet-architectures.md` §3): the fixed pre-processing, plus a per-block lookup (an
 * MBConv counted with `thop`, skip = 0), plus the fixed post-processing; 224×224 input, 1000
 * classes. Conv = `C_in/groups · k²` per output element, Linear `(2·in − 1)·out`, BN / ReLU6 /
 * pooling / the residual sum 0; parameters = conv kernels, BN γ/β, classifier weight and bias.
 *
 * - pre: Conv3×3 s2 (3→40)+BN+ReLU6 on 224, then an expand-1 MBConv at 112 (depthwise 3×3 on 40
 *   + BN + ReLU6, pointwise 40→24 + BN);
 * - MBConv(inp, oup, k, e, stride) on side h: pointwise inp→inp·e + BN + ReLU6, depthwise k×k with
 *   the stride + BN + ReLU6, pointwise →oup + BN;
 * - post: Conv1×1 (432→1728)+BN+ReLU6 on 7×7, AvgPool(7), Linear(1728→1000).
 *
 * @module
 */
import { ThopCounter } from "../_thop.ts";
import {
  MOBILENET_BLOCKS,
  MOBILENET_CHOICES,
  MOBILENET_SKIP,
  type MobilenetArch,
  mobilenetChoiceName,
  validateMobilenetArch,
} from "./architecture.ts";

/** FLOPs and parameters of one part. */
export interface MobilenetCostPart {
  /** `pre`, `block0`..`block20` (with the choice, e.g. `block2 (skip)`), `post`. */
  readonly name: string;
  readonly flops: number;
  readonly params: number;
}

/** Cost of an architecture: totals and the parts in network order (they sum to the totals). */
export interface MobilenetCost {
  readonly flops: number;
  readonly params: number;
  readonly parts: readonly MobilenetCostPart[];
}

/** FLOPs and parameters of one part (without a name). */
export interface MobilenetPartCost {
  readonly flops: number;
  readonly params: number;
}

function _count(f: (t: ThopCounter) => void): MobilenetPartCost {
  const t = new ThopCounter();
  f(t);
  return Object.freeze({ flops: t.flops, params: t.params });
}

/** The fixed pre-processing (stem conv + expand-1 MBConv to 24 channels). */
export const MOBILENET_PRE: MobilenetPartCost = _count((t) => {
  const h = t.conv(3, 40, 224, { kernel: 3, stride: 2, padding: 1 });
  t.bn(40);
  t.conv(40, 40, h, { kernel: 3, padding: 1, groups: 40 });
  t.bn(40);
  t.conv(40, 24, h, { kernel: 1 });
  t.bn(24);
});

/** The fixed post-processing (Conv1×1 432→1728 + BN on 7×7, AvgPool(7), Linear 1728→1000). */
export const MOBILENET_POST: MobilenetPartCost = _count((t) => {
  t.conv(432, 1728, 7, { kernel: 1 });
  t.bn(1728);
  t.linear(1728, 1000);
});

/**
 * Cost of choice `choice` (−1..5) in block `block` (0..20): the entry of RLNAS's lookup table.
 * Throws a `RangeError` for a block or choice outside the space (skip only where allowed).
 */
export function mobilenetBlockCost(block: number, choice: number): MobilenetPartCost {
  const b = MOBILENET_BLOCKS[block];
  if (b === undefined || !Number.isInteger(block)) {
    throw new RangeError(`block must be an integer in 0..20, got ${block}`);
  }
  const arch: number[] = MOBILENET_BLOCKS.map((x) => (x.canSkip ? MOBILENET_SKIP : 0));
  arch[block] = choice;
  validateMobilenetArch(arch);
  if (choice === MOBILENET_SKIP) return Object.freeze({ flops: 0, params: 0 });
  const { kernel, expand } = MOBILENET_CHOICES[choice];
  const mid = b.inp * expand;
  return _count((t) => {
    let h = t.conv(b.inp, mid, b.size, { kernel: 1 });
    t.bn(mid);
    h = t.conv(mid, mid, h, { kernel, stride: b.stride, padding: (kernel - 1) / 2, groups: mid });
    t.bn(mid);
    t.conv(mid, b.oup, h, { kernel: 1 });
    t.bn(b.oup);
  });
}

/** Exact FLOPs and parameters of an architecture (validated first). */
export function mobilenetCost(arch: MobilenetArch): MobilenetCost {
  const a = validateMobilenetArch(arch);
  const parts: MobilenetCostPart[] = [{ name: "pre", ...MOBILENET_PRE }];
  a.forEach((id, b) => {
    parts.push({ name: `block${b} (${mobilenetChoiceName(id)})`, ...mobilenetBlockCost(b, id) });
  });
  parts.push({ name: "post", ...MOBILENET_POST });
  let flops = 0;
  let params = 0;
  for (const p of parts) {
    flops += p.flops;
    params += p.params;
  }
  return Object.freeze({ flops, params, parts: Object.freeze(parts.map((p) => Object.freeze(p))) });
}
