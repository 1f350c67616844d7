/**
 * Training-mode batch norm forward + backward on wasm at NB201 shapes (batch 64):
 * {@link batchNormTrain} (analytic gradient) vs differentiating `tf.batchNorm` with `tf.moments`.
 *
 * Run: `npx deno bench -A backends/batch_norm_bench.ts`
 *
 * @module
 */
import { tf } from "./tf.ts";
import type { Tensor, Tensor1D, Tensor4D } from "./tf.ts";
import { initBackend } from "./backend.ts";
import { batchNormTrain } from "./batch_norm.ts";

await initBackend("wasm");

for (const [c, h] of [[16, 32], [32, 16], [64, 8]]) {
  const x = tf.randomNormal([64, h, h, c]) as Tensor4D;
  const dy = tf.randomNormal([64, h, h, c]) as Tensor4D;
  const g = tf.ones([c]) as Tensor1D;
  const b = tf.zeros([c]) as Tensor1D;
  const step = async (f: (a: Tensor4D, gg: Tensor1D, bb: Tensor1D) => Tensor) => {
    const grads = tf.grads((a: Tensor, gg: Tensor, bb: Tensor) =>
      tf.sum(tf.mul(f(a as Tensor4D, gg as Tensor1D, bb as Tensor1D), dy))
    )([x, g, b]);
    await grads[0].data();
    tf.dispose(grads);
  };
  const group = `BN fwd+bwd ${c}ch ${h}x${h}`;
  Deno.bench({
    name: `tf.batchNorm      ${c}ch ${h}x${h}`,
    group,
    baseline: true,
    fn: () =>
      step((a, gg, bb) => {
        const { mean, variance } = tf.moments(a, [0, 1, 2]);
        return tf.batchNorm(a, mean, variance, bb, gg, 1e-5);
      }),
  });
  Deno.bench({
    name: `batchNormTrain    ${c}ch ${h}x${h}`,
    group,
    fn: () =>
      step((a, gg, bb) => {
        const r = batchNormTrain(a, gg, bb);
        tf.dispose([r.mean, r.varUnbiased]);
        return r.y;
      }),
  });
}
