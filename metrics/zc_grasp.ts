/**
 * The `grasp` zero-cost proxy (`../shared/spec/zero-cost-proxies.md`; NASLib / zero-cost-nas
 * `grasp`, T = 1, one iteration): `Σ_layers Σ (−W ⊙ Hg)`, where `g = ∂L/∂W` over the conv and
 * Linear weights and `Hg` is the Hessian of L (w.r.t. those weights) times `g`; L the train-mode
 * cross-entropy of the batch. Larger is better (NASLib's ranking convention).
 *
 * TensorFlow.js cannot differentiate a gradient through these networks (see
 * `proxy_network.ts`, "Second order"), so `Hg` is a central difference of first-order gradients,
 * `(∂L/∂W(W + εg) − ∂L/∂W(W − εg)) / 2ε`, taken with the ReLU masks of the unperturbed pass
 * frozen (`ProxyForwardOptions.relu`). That is what autograd's Hessian is: PyTorch
 * differentiates ReLU as the constant mask of the pass, so the exact `Hg` is the Hessian of the
 * frozen-mask network, which is smooth (conv, average pool, train-mode BN, softmax
 * cross-entropy), and the difference converges as ε⁴ to it (fourth-order stencil).
 * ε = {@link GRASP_STEP}·min over layers of ‖W_l‖ / ‖g_l‖: small for the truncation term, which
 * dominates on the full-size networks (`tools/zc_fullsize_check.ts` vs PyTorch on two CIFAR-10
 * C=16 N=5 networks: 0.3 % and 0.04 % off at 3e-4, 11 % and 8 % at 1e-3, the wrong sign at
 * 3e-3), large enough for float32 rounding, which dominates on the tiny fixture networks.
 *
 * @module
 */
import { tf } from "../backends/tf.ts";
import type { Tensor, Tensor4D } from "../backends/tf.ts";
import { batchTensor, zcMetric } from "./_zc_common.ts";
import type { ArchMetric, ProxyBatch } from "./metric.ts";
import {
  crossEntropy,
  paramGrads,
  type ProxyForwardOptions,
  type ProxyNetwork,
} from "./proxy_network.ts";

/** The step ε relative to ‖W‖ / ‖g‖ (see the module comment). */
export const GRASP_STEP = 3e-4;

/** `grasp`: Σ −W ⊙ Hg, Hg by frozen-mask central differences of the loss gradient. */
export const graspMetric: ArchMetric = zcMetric({
  name: "grasp",
  description:
    "zero-cost grasp: Σ−W⊙Hg, g=∂L/∂W, CE on the proxy batch, train-mode BN (larger = better); Hg by central differences with the ReLU masks frozen; fresh standalone net, affine BN",
  requires: ["network", "batch"],
  score: (net, batch) => graspScore(net, batch!, GRASP_STEP),
});

/** {@link graspMetric}'s score with step `step` (exported for the step-size test). */
export async function graspScore(
  net: ProxyNetwork,
  b: ProxyBatch,
  step: number,
): Promise<number> {
  const x = batchTensor(net, b);
  const masks = new Map<string, Tensor4D>();
  try {
    const record: ProxyForwardOptions = {
      mode: "train",
      onReluInput: (module, input) => {
        if (!masks.has(module)) {
          masks.set(module, tf.keep(tf.cast(tf.greater(input, 0), "float32")));
        }
      },
    };
    const frozen: ProxyForwardOptions = {
      mode: "train",
      relu: (module, input) => tf.mul(input, masks.get(module)!) as Tensor4D,
    };
    const grads = (opts: ProxyForwardOptions): Map<string, Tensor> => {
      const r = paramGrads(() => crossEntropy(net.forward(x, opts), b.labels), net.layers);
      r.value.dispose();
      return r.grads;
    };
    const g = grads(record);
    const w = new Map<string, Tensor>();
    for (const l of net.layers) w.set(l.name, tf.clone(l.variable));
    try {
      let ratio = Infinity;
      for (const l of net.layers) {
        const wn = tf.tidy(() => tf.sum(tf.square(w.get(l.name)!)).dataSync()[0]);
        const gn = tf.tidy(() => tf.sum(tf.square(g.get(l.name)!)).dataSync()[0]);
        if (gn > 0) ratio = Math.min(ratio, Math.sqrt(wn / gn));
      }
      if (ratio === Infinity) return 0; // no gradient: Hg = 0
      const eps = step * ratio;
      const at = (sign: number): Map<string, Tensor> => {
        for (const l of net.layers) {
          const v = tf.tidy(() => tf.add(w.get(l.name)!, tf.mul(g.get(l.name)!, sign * eps)));
          l.variable.assign(v);
          v.dispose();
        }
        return grads(frozen);
      };
      // fourth-order central stencil: (8 (g(ε) − g(−ε)) − (g(2ε) − g(−2ε))) / 12ε
      const p1 = at(1);
      const m1 = at(-1);
      const p2 = at(2);
      const m2 = at(-2);
      let s = 0;
      for (const l of net.layers) {
        const n = l.name;
        const [a, b, c, d] = await Promise.all(
          [p1, m1, p2, m2].map((m) => m.get(n)!.data() as Promise<Float32Array>),
        );
        const wv = await w.get(n)!.data() as Float32Array;
        let t = 0;
        for (let i = 0; i < wv.length; i++) t += wv[i] * (8 * (a[i] - b[i]) - (c[i] - d[i]));
        s -= t / (12 * eps);
      }
      for (const m of [p1, m1, p2, m2]) for (const t of m.values()) t.dispose();
      return s;
    } finally {
      for (const l of net.layers) l.variable.assign(w.get(l.name)!);
      for (const t of [...w.values(), ...g.values()]) t.dispose();
    }
  } finally {
    x.dispose();
    for (const m of masks.values()) m.dispose();
  }
}
