/**
 * Conv2D gradients built from fast kernels (forward `Conv2D`, `MatMul`), and their registration
 * on the `wasm` and `webgpu` backends.
 *
 * tfjs-backend-wasm 4.22 has no `Conv2DBackpropFilter` kernel (tfjs falls back to nothing and
 * throws) and a slow scalar `Conv2DBackpropInput`. Its forward `Conv2D` is XNNPACK (SIMD), so
 * both gradients are rewritten as forward convolutions:
 *
 * - filter gradient, NHWC: `dW[kh,kw,ci,co] = sum_{n,oh,ow} x[n, oh*s+kh-pt, ow*s+kw-pl, ci] *
 *   dy[n,oh,ow,co]`. With `x` transposed to `[Ci, H, W, N]` (N becomes the reduced channel axis)
 *   and `dy` transposed to a filter `[Ho, Wo, N, Co]` with dilation = stride, this is a stride-1
 *   convolution whose output `[Ci, kh, kw, Co]` is `dW` up to a transpose.
 * - input gradient: the transposed convolution. Stride 1: a convolution of `dy` padded by
 *   `k-1-pad` with the spatially flipped filter whose in/out channels are swapped. Stride s > 1:
 *   instead of inserting zeros into `dy` (s^2 times the work), each of the s*s output phases
 *   (`(ih + pad) mod s`) is a stride-1 convolution of `dy` with a flipped sub-filter (taps
 *   `r, r+s, ...`), and the phases are interleaved.
 *
 * On 2 CPU cores at NB201 shapes (batch 64) this is ~5-10x faster than the alternatives measured
 * (im2col + matMul, per-tap matMul, tfjs' own wasm `Conv2DBackpropInput`); see
 * `conv_grad_bench.ts`.
 *
 * On `webgpu`, tfjs' own `Conv2DBackpropFilter` runs one thread per filter element over the
 * whole batch (37-133 ms per call on an H100 at NB201 shapes); the filter gradient there is an
 * im2col + a batched `MatMul` ({@link conv2dBackpropFilterIm2col}): `dW = sum_n patches_n^T dy_n`
 * with `patches[n, Ho*Wo, kh*kw*Ci]` gathered by `kh*kw` strided slices of the padded input.
 *
 * @module
 */
import { tf } from "./tf.ts";
import type { Tensor, Tensor4D } from "./tf.ts";

/** Padding accepted by tfjs convolutions: a mode, one number, or explicit NHWC pairs. */
export type ConvPad =
  | "same"
  | "valid"
  | number
  | [[number, number], [number, number], [number, number], [number, number]];

/** Rounding of the output size when `pad` is a number (as in `tf.conv2d`). */
export type DimRoundingMode = "floor" | "round" | "ceil";

type _Shape4 = [number, number, number, number];
type _Pads = { top: number; bottom: number; left: number; right: number };

function _pair(v: number | [number, number]): [number, number] {
  return typeof v === "number" ? [v, v] : v;
}

function _checkShape(name: string, shape: readonly number[]): _Shape4 {
  if (shape.length !== 4 || shape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new RangeError(
      `${name} must be a 4-D shape of positive integers (NHWC / [kh,kw,ci,co]), got [${shape}]`,
    );
  }
  return [shape[0], shape[1], shape[2], shape[3]];
}

function _checkDy(dy: Tensor4D, expected: _Shape4): void {
  if (dy.shape.some((d, i) => d !== expected[i])) {
    throw new RangeError(
      `dy shape [${dy.shape}] does not match the convolution output [${expected}]`,
    );
  }
}

/** Crops (negative pads) with a slice and returns the remaining non-negative pads. */
function _cropNegative(t: Tensor4D, pads: _Pads): [Tensor4D, _Pads] {
  const [n, h, w, c] = t.shape;
  const cropT = Math.max(0, -pads.top);
  const cropB = Math.max(0, -pads.bottom);
  const cropL = Math.max(0, -pads.left);
  const cropR = Math.max(0, -pads.right);
  const out = cropT + cropB + cropL + cropR === 0
    ? t
    : tf.slice(t, [0, cropT, cropL, 0], [n, h - cropT - cropB, w - cropL - cropR, c]);
  return [out, {
    top: Math.max(0, pads.top),
    bottom: Math.max(0, pads.bottom),
    left: Math.max(0, pads.left),
    right: Math.max(0, pads.right),
  }];
}

function _explicit(p: _Pads): [[0, 0], [number, number], [number, number], [0, 0]] {
  return [[0, 0], [p.top, p.bottom], [p.left, p.right], [0, 0]];
}

/** Geometry of a filter gradient: shapes, strides and the input pads the windows need. */
interface _FilterGradGeometry {
  xs: _Shape4;
  fs: _Shape4;
  sh: number;
  sw: number;
  ho: number;
  wo: number;
  /** Pads (negative: crops) of `x` so that the `Ho x Wo` windows tile it exactly. */
  pads: _Pads;
}

function _filterGradGeometry(
  x: Tensor4D,
  dy: Tensor4D,
  filterShape: readonly number[],
  strides: number | [number, number],
  pad: ConvPad,
  dimRoundingMode?: DimRoundingMode,
): _FilterGradGeometry {
  const xs = _checkShape("x shape", x.shape);
  const fs = _checkShape("filterShape", filterShape);
  const info = tf.backend_util.computeConv2DInfo(xs, fs, strides, 1, pad, dimRoundingMode);
  const [sh, sw] = _pair(strides);
  const ho = info.outHeight;
  const wo = info.outWidth;
  _checkDy(dy, [xs[0], ho, wo, fs[3]]);
  const { top, left } = info.padInfo;
  const pads = {
    top,
    left,
    bottom: fs[0] + (ho - 1) * sh - xs[1] - top,
    right: fs[1] + (wo - 1) * sw - xs[2] - left,
  };
  return { xs, fs, sh, sw, ho, wo, pads };
}

/**
 * Filter gradient of `tf.conv2d(x, W, strides, pad)` (NHWC, dilation 1) computed with one
 * forward convolution. Same contract as `tf.conv2dBackpropFilter`-style kernels.
 *
 * @param x input `[N, H, W, Ci]`
 * @param dy output gradient `[N, Ho, Wo, Co]`
 * @param filterShape `[kh, kw, Ci, Co]`
 * @param strides stride (one number or `[sh, sw]`)
 * @param pad padding used in the forward convolution
 * @param dimRoundingMode rounding used in the forward convolution (numeric `pad` only)
 * @returns `dW` with shape `filterShape`
 */
export function conv2dBackpropFilterViaConv(
  x: Tensor4D,
  dy: Tensor4D,
  filterShape: readonly number[],
  strides: number | [number, number],
  pad: ConvPad,
  dimRoundingMode?: DimRoundingMode,
): Tensor4D {
  const g = _filterGradGeometry(x, dy, filterShape, strides, pad, dimRoundingMode);
  return tf.tidy(() => {
    const xT = tf.transpose(x, [3, 1, 2, 0]); // [Ci, H, W, N]
    const [xc, pads] = _cropNegative(xT, g.pads);
    const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, N, Co] used as a filter
    const out = tf.conv2d(xc, dyT, 1, _explicit(pads), "NHWC", [g.sh, g.sw]); // [Ci, kh, kw, Co]
    return tf.transpose(out, [1, 2, 0, 3]);
  });
}

/**
 * Filter gradient of `tf.conv2d(x, W, strides, pad)` (NHWC, dilation 1) as im2col + one matrix
 * product: `dW[(kh*KW + kw)*Ci + ci, co] = sum_{n,oh,ow} patches[(n,oh,ow), (kh,kw,ci)] *
 * dy[(n,oh,ow), co]`, where tap `(kh, kw)` of the patches is the strided slice
 * `xpad[:, kh : kh + (Ho-1)*sh + 1 : sh, kw : kw + (Wo-1)*sw + 1 : sw, :]`. Same contract as
 * {@link conv2dBackpropFilterViaConv}.
 */
export function conv2dBackpropFilterIm2col(
  x: Tensor4D,
  dy: Tensor4D,
  filterShape: readonly number[],
  strides: number | [number, number],
  pad: ConvPad,
  dimRoundingMode?: DimRoundingMode,
): Tensor4D {
  const { xs, fs, sh, sw, ho, wo, pads: p } = _filterGradGeometry(
    x,
    dy,
    filterShape,
    strides,
    pad,
    dimRoundingMode,
  );
  const [n, , , ci] = xs;
  const [kh, kw, , co] = fs;
  return tf.tidy(() => {
    const [xc, pads] = _cropNegative(x, p);
    const xp = pads.top + pads.bottom + pads.left + pads.right === 0
      ? xc
      : tf.pad(xc, _explicit(pads));
    const taps: Tensor4D[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const full = sh === 1 && sw === 1 && xp.shape[1] === ho && xp.shape[2] === wo;
        taps.push(
          full ? xp : tf.stridedSlice(
            xp,
            [0, i, j, 0],
            [n, i + (ho - 1) * sh + 1, j + (wo - 1) * sw + 1, ci],
            [1, sh, sw, 1],
          ) as Tensor4D,
        );
      }
    }
    const patches = taps.length === 1 ? taps[0] : tf.concat(taps, 3);
    // One product per image, summed: a single [K, N*Ho*Wo] x [N*Ho*Wo, Co] product has a tiny
    // output and a huge inner dimension, which GPU matmul kernels parallelise badly.
    const perImage = tf.matMul(
      tf.reshape(patches, [n, ho * wo, kh * kw * ci]),
      tf.reshape(dy, [n, ho * wo, co]),
      true,
      false,
    );
    return tf.reshape(tf.sum(perImage, 0), [kh, kw, ci, co]);
  });
}

/**
 * Input gradient of `tf.conv2d(x, W, strides, pad)` (NHWC, dilation 1) computed with one
 * forward convolution of the (zero-dilated) `dy` with the flipped, channel-swapped filter.
 *
 * @param xShape input shape `[N, H, W, Ci]`
 * @param dy output gradient `[N, Ho, Wo, Co]`
 * @param filter `[kh, kw, Ci, Co]`
 * @param strides stride (one number or `[sh, sw]`)
 * @param pad padding used in the forward convolution
 * @param dimRoundingMode rounding used in the forward convolution (numeric `pad` only)
 * @returns `dx` with shape `xShape`
 */
export function conv2dBackpropInputViaConv(
  xShape: readonly number[],
  dy: Tensor4D,
  filter: Tensor4D,
  strides: number | [number, number],
  pad: ConvPad,
  dimRoundingMode?: DimRoundingMode,
): Tensor4D {
  const xs = _checkShape("xShape", xShape);
  const fs = _checkShape("filter shape", filter.shape);
  const info = tf.backend_util.computeConv2DInfo(xs, fs, strides, 1, pad, dimRoundingMode);
  const [sh, sw] = _pair(strides);
  const [, h, w] = xs;
  const [kh, kw] = fs;
  const ho = info.outHeight;
  const wo = info.outWidth;
  _checkDy(dy, [xs[0], ho, wo, fs[3]]);
  const { top, left } = info.padInfo;
  if (sh === 1 && sw === 1) {
    return tf.tidy(() => {
      const [dyc, pads] = _cropNegative(dy, {
        top: kh - 1 - top,
        left: kw - 1 - left,
        bottom: h + top - ho,
        right: w + left - wo,
      });
      const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]); // [kh,kw,Co,Ci]
      return tf.conv2d(dyc, flipped as Tensor4D, 1, _explicit(pads));
    });
  }
  return tf.tidy(() => _backpropInputByPhases(dy, filter, xs, [sh, sw], top, left));
}

/** Taps of phase `r` for stride `s` and kernel size `k`, last tap first (a flipped sub-filter). */
function _phaseTaps(r: number, s: number, k: number): number[] {
  const taps: number[] = [];
  for (let t = r; t < k; t += s) taps.unshift(t);
  return taps;
}

/**
 * Strided input gradient without multiplying by inserted zeros: output rows with
 * `(ih + top) mod s = r` only receive filter taps `r, r+s, ...`, so each of the `sh*sw` phases
 * is a stride-1 convolution of `dy` with a flipped sub-filter; the phases are then interleaved.
 * With Z[q*s + r] = phase_r[q], dX[ih] = Z[ih + top], and
 * phase_r[q] = sum_j dy[q - j] W[r + j*s].
 */
function _backpropInputByPhases(
  dy: Tensor4D,
  filter: Tensor4D,
  xs: _Shape4,
  [sh, sw]: [number, number],
  top: number,
  left: number,
): Tensor4D {
  const [n, h, w, ci] = xs;
  const [kh, kw] = filter.shape;
  const [, ho, wo] = dy.shape;
  const qh = Math.ceil((h + top) / sh);
  const qw = Math.ceil((w + left) / sw);
  const rows: Tensor4D[] = [];
  for (let rh = 0; rh < sh; rh++) {
    const cols: Tensor4D[] = [];
    for (let rw = 0; rw < sw; rw++) {
      const th = _phaseTaps(rh, sh, kh);
      const tw = _phaseTaps(rw, sw, kw);
      if (th.length === 0 || tw.length === 0) {
        cols.push(tf.zeros([n, qh, qw, ci]));
        continue;
      }
      const sub = tf.gather(tf.gather(filter, th, 0), tw, 1); // [Jh, Jw, Ci, Co]
      const subT = tf.transpose(sub, [0, 1, 3, 2]) as Tensor4D; // [Jh, Jw, Co, Ci]
      // Output q in [0, qh) needs dy rows q-Jh+1 .. q: pad Jh-1 on top, qh-ho at the bottom.
      const [dyc, pads] = _cropNegative(dy, {
        top: th.length - 1,
        left: tw.length - 1,
        bottom: qh - ho,
        right: qw - wo,
      });
      cols.push(tf.conv2d(dyc, subT, 1, _explicit(pads)));
    }
    rows.push(tf.stack(cols, 3) as Tensor4D); // [N, qh, qw, sw, Ci]
  }
  // [N, qh, sh, qw, sw, Ci] -> interleaved rows and columns
  const z = tf.reshape(tf.stack(rows, 2), [n, qh * sh, qw * sw, ci]) as Tensor4D;
  return tf.slice(z, [0, top, left, 0], [n, h, w, ci]);
}

/** How the filter gradient is computed: {@link conv2dBackpropFilterViaConv} or {@link conv2dBackpropFilterIm2col}. */
export type FilterGradImpl = "via-conv" | "im2col";

/** Which conv-gradient kernels replace a backend's own ones. */
export interface ConvGradChoice {
  /** `Conv2DBackpropFilter` implementation. */
  filter: FilterGradImpl;
  /** Replace `Conv2DBackpropInput` by {@link conv2dBackpropInputViaConv} (else keep the backend's). */
  input: boolean;
}

/**
 * The kernels installed per backend: on `wasm` both gradients as forward convolutions (XNNPACK);
 * on `webgpu` the filter gradient as im2col + MatMul (tfjs' own input gradient is a fast
 * implicit-GEMM program there and stays).
 */
export const CONV_GRAD_CHOICES: Readonly<Record<"wasm" | "webgpu", ConvGradChoice>> = {
  wasm: { filter: "via-conv", input: true },
  webgpu: { filter: "im2col", input: false },
};

/** Names of the kernels {@link registerWasmConvGradKernels} installs on `wasm`. */
export const WASM_CONV_GRAD_KERNELS = ["Conv2DBackpropFilter", "Conv2DBackpropInput"] as const;

type _Info = { dataId: object; shape: number[]; dtype: string };
type _KernelArgs = { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap };

function _asTensor(info: _Info, owned: Tensor[]): Tensor4D {
  if (info instanceof tf.Tensor) return info as Tensor4D;
  const t = tf.engine().makeTensorFromTensorInfo(info as tf.TensorInfo) as Tensor4D;
  owned.push(t);
  return t;
}

function _checkNhwc(kernel: string, dataFormat: unknown): void {
  if (dataFormat !== undefined && dataFormat !== "NHWC") {
    throw new Error(
      `${kernel} here supports dataFormat 'NHWC' only, got '${String(dataFormat)}'`,
    );
  }
}

/** The attributes of a conv-gradient kernel call, typed. */
interface _ConvAttrs {
  strides: [number, number];
  pad: ConvPad;
  dimRoundingMode?: DimRoundingMode;
  /** `filterShape` (filter gradient) or `inputShape` (input gradient). */
  shape: number[];
}

/** A tfjs kernel function computing a conv gradient from its two inputs with `compute`. */
function _convGradKernel(
  kernel: "Conv2DBackpropFilter" | "Conv2DBackpropInput",
  compute: (a: Tensor4D, b: Tensor4D, attrs: _ConvAttrs) => Tensor4D,
): tf.KernelFunc {
  const [first, second, shapeAttr] = kernel === "Conv2DBackpropFilter"
    ? ["x", "dy", "filterShape"]
    : ["dy", "filter", "inputShape"];
  return ((args: _KernelArgs): tf.TensorInfo => {
    const attrs = (args.attrs ?? {}) as Record<string, unknown>;
    _checkNhwc(kernel, attrs.dataFormat);
    const owned: Tensor[] = [];
    try {
      return compute(
        _asTensor(args.inputs[first] as _Info, owned),
        _asTensor(args.inputs[second] as _Info, owned),
        {
          strides: attrs.strides as [number, number],
          pad: attrs.pad as ConvPad,
          dimRoundingMode: attrs.dimRoundingMode as DimRoundingMode | undefined,
          shape: attrs[shapeAttr] as number[],
        },
      );
    } finally {
      owned.forEach((t) => t.dispose());
    }
  }) as tf.KernelFunc;
}

function _filterKernelOf(impl: FilterGradImpl): tf.KernelFunc {
  const fn = impl === "im2col" ? conv2dBackpropFilterIm2col : conv2dBackpropFilterViaConv;
  return _convGradKernel(
    "Conv2DBackpropFilter",
    (x, dy, a) => fn(x, dy, a.shape, a.strides, a.pad, a.dimRoundingMode),
  );
}

const _FILTER_KERNELS: Readonly<Record<FilterGradImpl, tf.KernelFunc>> = {
  "via-conv": _filterKernelOf("via-conv"),
  "im2col": _filterKernelOf("im2col"),
};

const _inputKernel = _convGradKernel(
  "Conv2DBackpropInput",
  (dy, filter, a) =>
    conv2dBackpropInputViaConv(a.shape, dy, filter, a.strides, a.pad, a.dimRoundingMode),
);

function _register(kernelName: string, backendName: string, kernelFunc: tf.KernelFunc): void {
  const existing = tf.getKernel(kernelName, backendName);
  if (existing?.kernelFunc === kernelFunc) return;
  // tfjs warns on duplicate registration; unregister first so the override is explicit.
  if (existing !== undefined) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ kernelName, backendName, kernelFunc });
}

/**
 * Registers the chosen conv-gradient kernels on `backendName` and returns their names. Call it
 * AFTER the backend package has been imported (its import registers its own kernels).
 * Idempotent.
 *
 * @param backendName backend to register on (any backend with `Conv2D` and `MatMul` kernels)
 * @param choice which kernels (see {@link CONV_GRAD_CHOICES})
 */
export function registerConvGradKernels(backendName: string, choice: ConvGradChoice): string[] {
  _register("Conv2DBackpropFilter", backendName, _FILTER_KERNELS[choice.filter]);
  if (choice.input) _register("Conv2DBackpropInput", backendName, _inputKernel);
  return choice.input ? ["Conv2DBackpropFilter", "Conv2DBackpropInput"] : ["Conv2DBackpropFilter"];
}

/**
 * Registers the conv-based `Conv2DBackpropFilter` and `Conv2DBackpropInput` kernels on the
 * `wasm` backend, replacing the package's own `Conv2DBackpropInput`. Call it AFTER
 * `@tensorflow/tfjs-backend-wasm` has been imported (its import registers its kernels).
 * Idempotent.
 *
 * @param backendName backend to register on (default `"wasm"`; any backend with a `Conv2D`
 *   kernel works, which the tests use to check the math on `cpu`)
 */
export function registerWasmConvGradKernels(backendName = "wasm"): void {
  registerConvGradKernels(backendName, CONV_GRAD_CHOICES.wasm);
}

/** True when {@link registerWasmConvGradKernels} kernels are the active ones on `backendName`. */
export function hasConvGradKernels(backendName = "wasm"): boolean {
  return tf.getKernel("Conv2DBackpropFilter", backendName)?.kernelFunc ===
      _FILTER_KERNELS["via-conv"] &&
    tf.getKernel("Conv2DBackpropInput", backendName)?.kernelFunc === _inputKernel;
}
