/**
 * Conv2D gradients on wasm at NB201 shapes (batch 64, 3x3): tfjs-backend-wasm's own
 * `Conv2DBackpropInput` vs the conv-based kernels of `conv_grad.ts`, the filter gradient
 * (wasm has none of its own; the forward conv is the yardstick), and the forward conv.
 *
 * Run: `npx deno bench -A backends/conv_grad_bench.ts`
 *
 * @module
 */
import { tf } from "./tf.ts";
import type { Tensor4D } from "./tf.ts";
import { initBackend } from "./backend.ts";

// tfjs' own wasm kernel, captured before initBackend replaces it.
await import("@tensorflow/tfjs-backend-wasm");
const original = tf.getKernel("Conv2DBackpropInput", "wasm");
if (original === undefined) throw new Error("tfjs-backend-wasm has no Conv2DBackpropInput");
await initBackend("wasm");
original.setupFunc?.(tf.backend());

const N = 64;
const SHAPES: { name: string; h: number; cin: number; cout: number; stride: number }[] = [
  { name: "16ch 32x32", h: 32, cin: 16, cout: 16, stride: 1 },
  { name: "32ch 16x16", h: 16, cin: 32, cout: 32, stride: 1 },
  { name: "64ch 8x8", h: 8, cin: 64, cout: 64, stride: 1 },
  { name: "16->32ch 32x32 stride 2", h: 32, cin: 16, cout: 32, stride: 2 },
];

for (const s of SHAPES) {
  const ho = s.h / s.stride;
  const x = tf.randomNormal([N, s.h, s.h, s.cin]) as Tensor4D;
  const w = tf.randomNormal([3, 3, s.cin, s.cout]) as Tensor4D;
  const dy = tf.randomNormal([N, ho, ho, s.cout]) as Tensor4D;
  const attrs = {
    strides: [s.stride, s.stride],
    pad: 1,
    dataFormat: "NHWC",
    dimRoundingMode: undefined,
    inputShape: x.shape,
  };
  const run = async (f: () => tf.Tensor) => {
    const out = f();
    await out.data();
    out.dispose();
  };

  Deno.bench({
    name: `dX tfjs-wasm kernel  ${s.name}`,
    group: `dX ${s.name}`,
    baseline: true,
    fn: () =>
      run(() => {
        const info = original.kernelFunc({
          inputs: { dy, filter: w },
          backend: tf.backend(),
          attrs: attrs as unknown as tf.NamedAttrMap,
        }) as tf.TensorInfo;
        return tf.engine().makeTensorFromTensorInfo(info);
      }),
  });
  Deno.bench({
    name: `dX conv-based        ${s.name}`,
    group: `dX ${s.name}`,
    fn: () => run(() => tf.conv2dTranspose(dy, w, x.shape, s.stride, 1)),
  });
  Deno.bench({
    name: `forward conv2d       ${s.name}`,
    group: `dW ${s.name}`,
    baseline: true,
    fn: () => run(() => tf.conv2d(x, w, s.stride, 1)),
  });
  Deno.bench({
    name: `dW conv-based        ${s.name}`,
    group: `dW ${s.name}`,
    fn: () =>
      run(() =>
        tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, {
          strides: [s.stride, s.stride],
          pad: 1,
          dataFormat: "NHWC",
          filterShape: w.shape,
        } as unknown as tf.NamedAttrMap) as tf.Tensor
      ),
  });
}
