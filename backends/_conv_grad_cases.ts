/**
 * Conv2D gradient cases shared by the wasm and webgpu parity tests (not part of the public API).
 *
 * @module
 */
import { tf } from "./tf.ts";
import type { Tensor4D } from "./tf.ts";
import {
  conv2dBackpropFilterIm2col,
  conv2dBackpropFilterViaConv,
  conv2dBackpropInputViaConv,
  type ConvPad,
} from "./conv_grad.ts";
import { randomValues, take } from "./_test_util.ts";

/** A forward conv2d configuration whose two gradients are compared. */
export interface Case {
  name: string;
  x: [number, number, number, number];
  k: number;
  cout: number;
  stride: number | [number, number];
  pad: ConvPad;
}

// Batch > 1 and Cin != Cout everywhere; odd and even sizes; all padding forms.
export const CASES: Case[] = [
  { name: "3x3 s1 pad=1", x: [2, 7, 7, 3], k: 3, cout: 5, stride: 1, pad: 1 },
  { name: "3x3 s2 pad=1 even", x: [3, 8, 8, 4], k: 3, cout: 6, stride: 2, pad: 1 },
  { name: "3x3 s2 pad=1 odd", x: [2, 7, 7, 3], k: 3, cout: 2, stride: 2, pad: 1 },
  { name: "1x1 s1 valid", x: [2, 5, 5, 6], k: 1, cout: 4, stride: 1, pad: "valid" },
  { name: "1x1 s2 pad=0 odd", x: [2, 7, 7, 3], k: 1, cout: 5, stride: 2, pad: 0 },
  { name: "3x3 s1 same", x: [2, 6, 5, 3], k: 3, cout: 4, stride: 1, pad: "same" },
  { name: "3x3 s2 same even (asymmetric)", x: [2, 8, 8, 3], k: 3, cout: 4, stride: 2, pad: "same" },
  { name: "3x3 s1 valid non-square", x: [2, 6, 9, 3], k: 3, cout: 4, stride: 1, pad: "valid" },
  {
    name: "3x3 s2 explicit [1,2]x[0,1]",
    x: [2, 8, 7, 3],
    k: 3,
    cout: 4,
    stride: 2,
    pad: [[0, 0], [1, 2], [0, 1], [0, 0]],
  },
  {
    name: "3x3 s1 explicit pad 3 > k-1",
    x: [2, 4, 4, 2],
    k: 3,
    cout: 3,
    stride: 1,
    pad: [[0, 0], [3, 3], [3, 0], [0, 0]],
  },
  { name: "3x3 s[1,2] pad=1", x: [2, 6, 8, 3], k: 3, cout: 4, stride: [1, 2], pad: 1 },
  { name: "3x3 s3 pad=1", x: [2, 8, 7, 2], k: 3, cout: 3, stride: 3, pad: 1 },
  { name: "2x2 s2 valid", x: [2, 6, 7, 3], k: 2, cout: 2, stride: 2, pad: "valid" },
];

export interface Data {
  x: Float32Array;
  w: Float32Array;
  r: Float32Array;
  wShape: [number, number, number, number];
  outShape: [number, number, number, number];
}

export function caseData(c: Case, seed: number): Data {
  const wShape: Data["wShape"] = [c.k, c.k, c.x[3], c.cout];
  const info = tf.backend_util.computeConv2DInfo(c.x, wShape, c.stride, 1, c.pad);
  const outShape: Data["outShape"] = [c.x[0], info.outHeight, info.outWidth, c.cout];
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  return {
    x: randomValues(size(c.x), seed),
    w: randomValues(size(wShape), seed + 1),
    r: randomValues(size(outShape), seed + 2),
    wShape,
    outShape,
  };
}

/** [dx, dW] of sum(conv2d(x, w) * r) via tf.grads on the current backend. */
export async function gradsOnCurrentBackend(
  c: Case,
  d: Data,
): Promise<[Float32Array, Float32Array]> {
  const [dx, dw] = tf.tidy(() => {
    const x = tf.tensor4d(d.x, c.x);
    const w = tf.tensor4d(d.w, d.wShape);
    const r = tf.tensor4d(d.r, d.outShape);
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as Tensor4D, b as Tensor4D, c.stride, c.pad), r));
    return tf.grads(f)([x, w]);
  });
  return [await take(dx), await take(dw)];
}

/**
 * The same gradients from `conv_grad.ts`'s functions, with dy = r; `filter` picks the filter
 * gradient's implementation.
 */
export async function gradsViaConv(
  c: Case,
  d: Data,
  filter: "via-conv" | "im2col" = "via-conv",
): Promise<[Float32Array, Float32Array]> {
  const filterGrad = filter === "im2col" ? conv2dBackpropFilterIm2col : conv2dBackpropFilterViaConv;
  const [dx, dw] = tf.tidy(() => {
    const x = tf.tensor4d(d.x, c.x);
    const w = tf.tensor4d(d.w, d.wShape);
    const dy = tf.tensor4d(d.r, d.outShape);
    return [
      conv2dBackpropInputViaConv(c.x, dy, w, c.stride, c.pad),
      filterGrad(x, dy, d.wShape, c.stride, c.pad),
    ];
  });
  return [await take(dx), await take(dw)];
}
