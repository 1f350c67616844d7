/**
 * Private tensor ops of the NB201 supernet and standalone network (NHWC), with PyTorch padding
 * semantics, and their PyTorch-default weight draws.
 *
 * @module
 */
import { tf } from "../../backends/tf.ts";
import type { Tensor4D } from "../../backends/tf.ts";
import type { RandomState } from "../../labels/random_state.ts";

/**
 * `n` values of numpy's `rs.uniform(-bound, bound, n)` (`-bound + 2 * bound * rs.random()`,
 * computed in float64, stored as float32): PyTorch's default init of a conv / Linear weight or a
 * Linear bias with `bound = 1 / sqrt(fan_in)`.
 */
export function uniformDraws(rs: RandomState, n: number, bound: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = -bound + 2 * bound * rs.random();
  return out;
}

/**
 * Optional observers of a block's forward (the standalone network's proxy hooks). Absent hooks
 * change nothing: the same ops run as without them.
 */
export interface OpHooks {
  /** Called with the input of each ReLU (named like the conv that follows it, see below). */
  relu?: (x: Tensor4D, name: string) => void;
  /**
   * Computes each ReLU instead of `tf.relu` (same names as {@link OpHooks.relu}; edges of a
   * search cell that share a source share one activation, computed with the first edge's name).
   */
  activation?: (x: Tensor4D, name: string) => Tensor4D;
  /** Maps each conv output (before its BN) to the tensor the block continues with. */
  conv?: (y: Tensor4D, name: string) => Tensor4D;
}

function _relu(hooks: OpHooks | undefined, x: Tensor4D, name: string): Tensor4D {
  return hooks?.activation === undefined ? tf.relu(x) : hooks.activation(x, name);
}

function _hookConv(hooks: OpHooks | undefined, y: Tensor4D, name: string): Tensor4D {
  return hooks?.conv === undefined ? y : hooks.conv(y, name);
}

const _countCache = new Map<string, Float32Array>();

/** 9 / (number of in-bounds pixels of the 3x3 window) for each output pixel of an h x w map. */
function _invCount(h: number, w: number): Float32Array {
  const key = `${h}x${w}`;
  let m = _countCache.get(key);
  if (m === undefined) {
    m = new Float32Array(h * w);
    for (let r = 0; r < h; r++) {
      const rows = Math.min(r + 1, h - 1) - Math.max(r - 1, 0) + 1;
      for (let c = 0; c < w; c++) {
        const cols = Math.min(c + 1, w - 1) - Math.max(c - 1, 0) + 1;
        m[r * w + c] = 9 / (rows * cols);
      }
    }
    _countCache.set(key, m);
  }
  return m;
}

const _PAD1: [[number, number], [number, number], [number, number], [number, number]] = [
  [0, 0],
  [1, 1],
  [1, 1],
  [0, 0],
];

/**
 * `AvgPool2d(3, stride=1, padding=1, count_include_pad=False)`: each output is the mean of the
 * in-bounds pixels of its 3x3 window. Built as zero padding + a valid 3x3 average (= sum / 9)
 * rescaled by 9 / count, so that the gradient is exact too (tfjs' own `'same'` avg pool excludes
 * the padding in the forward pass but its gradient divides by 9 everywhere).
 *
 * The gradient is written out (`tf.customGrad`): the 3x3 window is symmetric, so
 * `dx = avgPool3x3valid(pad1(dy * 9 / count))`, the same forward pooling kernel again; on wasm this
 * is 3-6x faster than tfjs' `AvgPoolGrad` + the `Slice` of the padding's gradient.
 */
export function avgPool3x3(x: Tensor4D): Tensor4D {
  return _avgPool3x3(x) as Tensor4D;
}

const _avgPool3x3 = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [Tensor4D, tf.GradSaveFunc];
  const [, h, w] = x.shape;
  const scale = tf.tensor4d(_invCount(h, w), [1, h, w, 1]);
  const avg9 = tf.avgPool(tf.pad(x, _PAD1), 3, 1, "valid");
  save([scale]);
  return {
    value: tf.mul(avg9, scale) as Tensor4D,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.avgPool(tf.pad(tf.mul(dy, saved[0]) as Tensor4D, _PAD1), 3, 1, "valid"),
  };
});

/**
 * `AvgPool2d(2, stride=2)` of an NHWC tensor with even height and width. The gradient spreads
 * `dy / 4` over each 2x2 window with one broadcast multiply (tfjs' wasm `AvgPoolGrad` is ~10x
 * slower).
 */
export function avgPool2x2(x: Tensor4D): Tensor4D {
  const [, h, w] = x.shape;
  if (h % 2 !== 0 || w % 2 !== 0) {
    throw new RangeError(`avgPool2x2 needs an even height and width, got [${x.shape}]`);
  }
  return _avgPool2x2(x) as Tensor4D;
}

const _avgPool2x2 = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x] = args as [Tensor4D];
  const [n, h, w, c] = x.shape;
  return {
    value: tf.avgPool(x, 2, 2, "valid") as Tensor4D,
    gradFunc: (dy: tf.Tensor) =>
      tf.reshape(
        tf.mul(tf.reshape(dy, [n * (h / 2), 1, w / 2, 1, c]), tf.fill([1, 2, 1, 2, 1], 0.25)),
        [n, h, w, c],
      ),
  };
});

/** Conv3x3 with stride 1 and PyTorch padding 1 on every side (= tfjs `'same'`). */
export function conv3x3(x: Tensor4D, filter: tf.Tensor4D): Tensor4D {
  return tf.conv2d(x, filter, 1, "same");
}

/**
 * Conv3x3 with stride 2 and PyTorch padding 1 on every side (tfjs `'same'` would pad only the
 * bottom/right for even sizes).
 */
export function conv3x3Stride2(x: Tensor4D, filter: tf.Tensor4D): Tensor4D {
  return tf.conv2d(x, filter, 2, [[0, 0], [1, 1], [1, 1], [0, 0]]);
}

/** Conv1x1, stride 1, no padding. */
export function conv1x1(x: Tensor4D, filter: tf.Tensor4D): Tensor4D {
  return tf.conv2d(x, filter, 1, "valid");
}

/** Batch norm of one named BN (train or eval, running-stat updates are the caller's business). */
export type BnFn = (x: Tensor4D, prefix: string) => Tensor4D;

/**
 * ResNet basic block (stride 2): `avgpool2(x) -> conv1x1` + `BN(conv3x3(ReLU(BN(conv3x3s2(ReLU(x))))))`
 * with kernels `wa`, `wb`, `wd` and BN callbacks named `"conv_a"` / `"conv_b"`. `hooks` see the
 * ReLU inputs `"conv_a"` / `"conv_b"` and the conv outputs `"conv_a"`, `"conv_b"`, `"downsample"`.
 */
export function resnetBlock(
  x: Tensor4D,
  wa: Tensor4D,
  wb: Tensor4D,
  wd: Tensor4D,
  bn: BnFn,
  hooks?: OpHooks,
): Tensor4D {
  hooks?.relu?.(x, "conv_a");
  const a = bn(_hookConv(hooks, conv3x3Stride2(_relu(hooks, x, "conv_a"), wa), "conv_a"), "conv_a");
  hooks?.relu?.(a, "conv_b");
  const b = bn(_hookConv(hooks, conv3x3(_relu(hooks, a, "conv_b"), wb), "conv_b"), "conv_b");
  const shortcut = _hookConv(hooks, conv1x1(avgPool2x2(x), wd), "downsample");
  return tf.add(shortcut, b) as Tensor4D;
}

/**
 * A search cell with genotype `g` (6 op indices, edge order 1<-0, 2<-0, 2<-1, 3<-0, 3<-1, 3<-2):
 * node_i = sum_j op_{j->i}(node_j), output node 3. `none` edges are skipped (an all-`none` node
 * is a zero tensor); `kernel(edge, op)` gives the conv kernel of op 2 / 3 on that edge (named
 * `"i<-j"`), and `bn(y, "i<-j.op")` normalises its output. `hooks` see, for every conv edge, its
 * ReLU input and its conv output, both named `"i<-j.op"` (edges from the same node share one
 * `tf.relu`, but each edge's hook is called, as each PyTorch `ReLUConvBN` has its own ReLU).
 */
export function searchCell(
  x: Tensor4D,
  g: ArrayLike<number>,
  kernel: (edge: string, op: number) => Tensor4D,
  bn: BnFn,
  hooks?: OpHooks,
): Tensor4D {
  const nodes: Tensor4D[] = [x];
  const relus: (Tensor4D | undefined)[] = [];
  for (let i = 1; i <= 3; i++) {
    const terms: Tensor4D[] = [];
    for (let j = 0; j < i; j++) {
      const op = g[((i - 1) * i) / 2 + j];
      if (op === 0) continue; // none: contributes zeros
      const src = nodes[j];
      if (op === 1) {
        terms.push(src);
      } else if (op === 4) {
        terms.push(avgPool3x3(src));
      } else {
        const edge = `${i}<-${j}`;
        const name = `${edge}.${op}`;
        hooks?.relu?.(src, name);
        const r = relus[j] ??= _relu(hooks, src, name);
        const w = kernel(edge, op);
        terms.push(bn(_hookConv(hooks, op === 2 ? conv1x1(r, w) : conv3x3(r, w), name), name));
      }
    }
    nodes.push(
      terms.length === 0
        ? tf.zerosLike(x)
        : terms.length === 1
        ? terms[0]
        : tf.addN(terms) as Tensor4D,
    );
  }
  return nodes[3];
}
