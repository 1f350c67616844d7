/**
 * FLOPs and parameters of the DARTS evaluation networks of a genotype, counted as RLNAS counts them
 * (`thop`, eval mode, batch 1; spec `darts-mobilenet-architectures.md` §2): conv
 * multiply-accumulates, Linear `(2·in − 1)·out`, nothing for BN, ReLU, pooling, sums, concat and
 * identity; parameters = conv kernels, BN γ/β and the classifier, the auxiliary head excluded.
 *
 * - `imagenet` (`NetworkImageNet`, 14 cells, 224×224 input, 1000 classes, default C = 48):
 *   stem0 = Conv3×3 s2 (3→C/2)+BN+ReLU+Conv3×3 s2 (C/2→C)+BN, stem1 = ReLU+Conv3×3 s2 (C→C)+BN,
 *   reduction cells 4 and 9, AvgPool(7) + Linear(16C → classes).
 * - `cifar` (`NetworkCIFAR`, 20 cells, 32×32 input, 10 classes, default C = 36, the DARTS
 *   repositories' CIFAR evaluation width): stem = Conv3×3 (3→3C)+BN, reduction cells 6 and 13,
 *   global average pool + Linear(16C → classes).
 *
 * In both, a cell's preprocess0 is a FactorizedReduce when the previous cell reduced (for the
 * ImageNet cell 0: the stem did) and a ReLU-Conv1×1-BN otherwise, preprocess1 a ReLU-Conv1×1-BN;
 * in reduction cells the ops on the cell inputs have stride 2 (skip → FactorizedReduce); sep_conv =
 * twice (ReLU, depthwise k×k, pointwise, BN), the first with the op's stride; dil_conv = ReLU,
 * depthwise k×k dilation 2, pointwise, BN; pools carry no BN; the cell output concatenates nodes
 * 2..5 (4C channels).
 *
 * @module
 */
import { ThopCounter } from "../_thop.ts";
import type { DartsCell, DartsGenotype, DartsOp } from "./genotype.ts";

/** The two evaluation networks. */
export type DartsNetwork = "imagenet" | "cifar";

/** What a part of the network is. */
export type DartsPartKind = "stem" | "normal" | "reduce" | "classifier";

/** FLOPs and parameters of one part of the network. */
export interface DartsCostPart {
  /** `stem0`, `stem1` (ImageNet) or `stem` (CIFAR), `cell0`.., `classifier`. */
  readonly name: string;
  readonly kind: DartsPartKind;
  readonly flops: number;
  readonly params: number;
}

/** Cost of a network: totals and the parts, in network order (they sum to the totals). */
export interface DartsCost {
  readonly flops: number;
  readonly params: number;
  readonly parts: readonly DartsCostPart[];
}

/** Options of {@link dartsCost}. */
export interface DartsCostOptions {
  /** Initial channels C (default {@link DARTS_DEFAULT_CHANNELS}). */
  channels?: number;
  /** Classes of the classifier (default 1000 for ImageNet, 10 for CIFAR). */
  numClasses?: number;
}

/** Fixed shape of each evaluation network. */
export interface DartsNetworkShape {
  readonly cells: number;
  readonly reductions: readonly number[];
  readonly inputSize: number;
  readonly numClasses: number;
  readonly channels: number;
  /** Whether C must be even (ImageNet: stem0 makes C/2 channels and cell 0 halves C twice). */
  readonly evenChannels: boolean;
}

/** The shapes of the networks (reduction cells at `cells // 3` and `2·cells // 3`). */
export const DARTS_NETWORKS: Readonly<Record<DartsNetwork, DartsNetworkShape>> = Object.freeze({
  imagenet: Object.freeze({
    cells: 14,
    reductions: Object.freeze([4, 9]),
    inputSize: 224,
    numClasses: 1000,
    channels: 48,
    evenChannels: true,
  }),
  cifar: Object.freeze({
    cells: 20,
    reductions: Object.freeze([6, 13]),
    inputSize: 32,
    numClasses: 10,
    channels: 36,
    evenChannels: false,
  }),
});

/** Default C per network (ImageNet 48 as in RLNAS Table 3; CIFAR 36 as in DARTS). */
export const DARTS_DEFAULT_CHANNELS: Readonly<Record<DartsNetwork, number>> = Object.freeze({
  imagenet: DARTS_NETWORKS.imagenet.channels,
  cifar: DARTS_NETWORKS.cifar.channels,
});

/** A feature map: channels and side. */
interface _Map {
  c: number;
  h: number;
}

/** ReLU + two 1×1 stride-2 convs (cout/2 each, the second on the input shifted by one) + BN. */
function _factorizedReduce(t: ThopCounter, cin: number, cout: number, h: number): number {
  const half = cout / 2;
  const a = t.conv(cin, half, h, { kernel: 1, stride: 2 });
  const b = t.conv(cin, half, h - 1, { kernel: 1, stride: 2 });
  if (a !== b) throw new RangeError(`FactorizedReduce on an odd side ${h}: halves ${a} and ${b}`);
  t.bn(cout);
  return a;
}

/** ReLU + Conv1×1 + BN. */
function _reluConvBn(t: ThopCounter, cin: number, cout: number, h: number): number {
  const out = t.conv(cin, cout, h, { kernel: 1 });
  t.bn(cout);
  return out;
}

const _KERNEL: Readonly<Record<DartsOp, number>> = {
  max_pool_3x3: 3,
  avg_pool_3x3: 3,
  skip_connect: 1,
  sep_conv_3x3: 3,
  sep_conv_5x5: 5,
  dil_conv_3x3: 3,
  dil_conv_5x5: 5,
};

/** Count one op on `c` channels of side `h`; returns the output side. */
function _op(t: ThopCounter, op: DartsOp, c: number, h: number, stride: number): number {
  const k = _KERNEL[op];
  switch (op) {
    case "max_pool_3x3":
    case "avg_pool_3x3":
      return Math.floor((h + 2 - 3) / stride) + 1;
    case "skip_connect":
      return stride === 1 ? h : _factorizedReduce(t, c, c, h);
    case "sep_conv_3x3":
    case "sep_conv_5x5": {
      const p = (k - 1) / 2;
      let o = t.conv(c, c, h, { kernel: k, stride, padding: p, groups: c });
      o = t.conv(c, c, o, { kernel: 1 });
      t.bn(c);
      o = t.conv(c, c, o, { kernel: k, padding: p, groups: c });
      o = t.conv(c, c, o, { kernel: 1 });
      t.bn(c);
      return o;
    }
    case "dil_conv_3x3":
    case "dil_conv_5x5": {
      let o = t.conv(c, c, h, { kernel: k, stride, padding: k - 1, dilation: 2, groups: c });
      o = t.conv(c, c, o, { kernel: 1 });
      t.bn(c);
      return o;
    }
  }
}

/** Count one cell; returns its output map. */
function _cell(
  t: ThopCounter,
  cell: DartsCell,
  s0: _Map,
  s1: _Map,
  c: number,
  reduction: boolean,
  reductionPrev: boolean,
): _Map {
  const h0 = reductionPrev ? _factorizedReduce(t, s0.c, c, s0.h) : _reluConvBn(t, s0.c, c, s0.h);
  const h1 = _reluConvBn(t, s1.c, c, s1.h);
  if (h0 !== h1) throw new RangeError(`cell inputs of sides ${h0} and ${h1} do not match`);
  const sides = [h0, h1];
  for (let i = 0; i < cell.length; i += 2) {
    const outs = [cell[i], cell[i + 1]].map((g) =>
      _op(t, g.op, c, sides[g.input], reduction && g.input < 2 ? 2 : 1)
    );
    if (outs[0] !== outs[1]) throw new RangeError(`node ${2 + i / 2}: sides ${outs} differ`);
    sides.push(outs[0]);
  }
  return { c: 4 * c, h: sides[2] };
}

function _checkChannels(network: DartsNetwork, shape: DartsNetworkShape, c: number): void {
  const even = shape.evenChannels;
  if (!Number.isSafeInteger(c) || c < 1 || (even && c % 2 !== 0)) {
    throw new RangeError(
      `channels must be a positive ${even ? "even " : ""}integer for the ${network} network, ` +
        `got ${c}${even ? " (stem0 has C/2 channels and FactorizedReduce halves C)" : ""}`,
    );
  }
}

/** Exact FLOPs and parameters of the `network` evaluation network of genotype `g`. */
export function dartsCost(
  g: DartsGenotype,
  network: DartsNetwork,
  options: DartsCostOptions = {},
): DartsCost {
  if (!Object.hasOwn(DARTS_NETWORKS, network)) {
    throw new RangeError(`unknown DARTS network '${network}' (valid: imagenet, cifar)`);
  }
  const shape = DARTS_NETWORKS[network];
  const C = options.channels ?? shape.channels;
  _checkChannels(network, shape, C);
  const numClasses = options.numClasses ?? shape.numClasses;
  if (!Number.isSafeInteger(numClasses) || numClasses < 1) {
    throw new RangeError(`numClasses must be a positive integer, got ${numClasses}`);
  }
  const parts: DartsCostPart[] = [];
  const part = (name: string, kind: DartsPartKind, f: (t: ThopCounter) => void) => {
    const t = new ThopCounter();
    f(t);
    parts.push(Object.freeze({ name, kind, flops: t.flops, params: t.params }));
  };
  let s0: _Map;
  let s1: _Map;
  let reductionPrev: boolean;
  if (network === "imagenet") {
    let h = shape.inputSize;
    part("stem0", "stem", (t) => {
      h = t.conv(3, C / 2, h, { kernel: 3, stride: 2, padding: 1 });
      t.bn(C / 2);
      h = t.conv(C / 2, C, h, { kernel: 3, stride: 2, padding: 1 });
      t.bn(C);
    });
    s0 = { c: C, h };
    part("stem1", "stem", (t) => {
      h = t.conv(C, C, h, { kernel: 3, stride: 2, padding: 1 });
      t.bn(C);
    });
    s1 = { c: C, h };
    reductionPrev = true;
  } else {
    let h = shape.inputSize;
    part("stem", "stem", (t) => {
      h = t.conv(3, 3 * C, h, { kernel: 3, padding: 1 });
      t.bn(3 * C);
    });
    s0 = s1 = { c: 3 * C, h };
    reductionPrev = false;
  }
  let c = C;
  for (let i = 0; i < shape.cells; i++) {
    const reduction = shape.reductions.includes(i);
    if (reduction) c *= 2;
    let out: _Map = s1;
    part(`cell${i}`, reduction ? "reduce" : "normal", (t) => {
      out = _cell(t, reduction ? g.reduce : g.normal, s0, s1, c, reduction, reductionPrev);
    });
    s0 = s1;
    s1 = out;
    reductionPrev = reduction;
  }
  // ImageNet: AvgPool2d(7) on the 7×7 map; CIFAR: global average pool. Both 0 FLOPs.
  part("classifier", "classifier", (t) => t.linear(s1.c, numClasses));
  let flops = 0;
  let params = 0;
  for (const p of parts) {
    flops += p.flops;
    params += p.params;
  }
  return Object.freeze({ flops, params, parts: Object.freeze(parts) });
}
