/**
 * The `synflow` zero-cost proxy (`../shared/spec/zero-cost-proxies.md`; NASLib / zero-cost-nas
 * `synflow`): every BatchNorm replaced by the identity, every parameter by its absolute value,
 * input `ones[1, H, W, 3]`, `R = Σ output`, score `Σ_layers Σ |W ⊙ ∂R/∂W|`, reported as NASLib
 * does as `log(score)` (0 when the score is 0). No data.
 *
 * Range: the reference computes in float64; TensorFlow.js only has float32, and with positive
 * weights and no BN the activations grow by orders of magnitude per cell (C=16, N=5 overflows
 * float32). With positive weights and a positive input every ReLU is the identity, so the
 * network is linear in its input and in each ResNet block's input: the proxy divides the stem
 * output, and both branches of each ResNet block (the outputs of `conv_a` and `downsample`, the
 * two paths through the block), by scalars `c` measured in a first forward (the maximum there),
 * which divides R and every `∂R/∂W` by `Π c` exactly; `log(score) = log(score') + Σ log c`.
 *
 * @module
 */
import { tf } from "../backends/tf.ts";
import type { Tensor, Tensor4D } from "../backends/tf.ts";

type Scalar = tf.Scalar;
import { absDot, take, zcMetric } from "./_zc_common.ts";
import type { ArchMetric } from "./metric.ts";
import { paramGrads, type ProxyNetwork, restoreParams, snapshotParams } from "./proxy_network.ts";

/** The hooked layer output a rescaling point uses, and the key of its scale. */
function _cutKey(module: string): string | undefined {
  if (module === "stem.0") return module;
  const m = /^(cells\.\d+)\.(conv_a\.op\.1|downsample\.1)$/.exec(module);
  return m === null ? undefined : m[1];
}

/** NASLib's synflow score, `log(Σ |W ⊙ ∂R/∂W|)` (0 when that sum is 0). */
export async function synflowScore(net: ProxyNetwork): Promise<number> {
  const snapshot = snapshotParams(net);
  const scales = new Map<string, Scalar>();
  try {
    for (const p of net.params) {
      const a = tf.abs(p.variable);
      p.variable.assign(a);
      a.dispose();
    }
    const ones = tf.ones([1, ...net.inputShape]) as Tensor4D;
    try {
      // pass 1: the scale of each cut, measured where the forward reaches it (already rescaled
      // upstream); the conv_a of a block is reached before its downsample
      tf.tidy(() => {
        net.forward(ones, {
          mode: "train",
          batchNorm: false,
          onLayerOutput: (module, y) => {
            const key = _cutKey(module);
            if (key === undefined) return;
            let c = scales.get(key);
            if (c === undefined) {
              const m = tf.max(y);
              c = tf.keep(tf.where(tf.greater(m, 0), m, tf.onesLike(m)) as Scalar);
              scales.set(key, c);
            }
            return tf.div(y, c);
          },
        });
      });
      // pass 2: the gradients of the rescaled R (the scales are constants)
      const { value, grads } = paramGrads(
        () =>
          tf.sum(net.forward(ones, {
            mode: "train",
            batchNorm: false,
            onLayerOutput: (module, y): Tensor | void => {
              const key = _cutKey(module);
              return key === undefined ? undefined : tf.div(y, scales.get(key)!);
            },
          })) as Scalar,
        net.layers,
      );
      value.dispose();
      let score = 0;
      for (const layer of net.layers) {
        score += absDot(await layer.variable.data(), await take(grads.get(layer.name)!));
      }
      if (score === 0) return 0;
      let logScale = 0;
      for (const c of scales.values()) logScale += Math.log((await c.data())[0]);
      return Math.log(score) + logScale;
    } finally {
      ones.dispose();
    }
  } finally {
    for (const c of scales.values()) c.dispose();
    restoreParams(net, snapshot);
  }
}

/** `synflow`: log of the synaptic flow of the |W|, BN-free network on an all-ones input. */
export const synflowMetric: ArchMetric = zcMetric({
  name: "synflow",
  description:
    "zero-cost synflow: log Σ|W⊙∂R/∂W|, |params|, BN off, ones input, no data (NASLib log; larger = better); fresh standalone net, affine BN",
  requires: ["network"],
  score: (net) => synflowScore(net),
});
