/**
 * The `fisher` zero-cost proxy (`../shared/spec/zero-cost-proxies.md`; zero-cost-nas / NASLib
 * `fisher`): with `act` the output of a layer (a conv's output before its BN, the classifier's
 * logits) and `grad = ∂L/∂act` (L the train-mode cross-entropy of the batch against its true
 * labels), per output channel k: `g_nk = Σ_{h,w} act·grad` (the Linear: `act·grad`),
 * `F_k = ½ · mean_n g_nk²`; NASLib broadcasts each channel's `|F_k|` over the weight's fan-in
 * (`weight.shape[1:]`) before summing, so the score is `Σ_layers fan_in · Σ_k |F_k|`. Larger is
 * better.
 *
 * `∂L/∂act` is taken as the gradient of a zero probe added to each layer output (probes are
 * variables, so a layer the loss does not reach, e.g. a conv feeding only `none` edges, has a
 * zero gradient, as PyTorch's `x * 0` gives).
 *
 * @module
 */
import { tf } from "../backends/tf.ts";
import type { Tensor, Variable } from "../backends/tf.ts";
import { batchTensor, take, zcMetric } from "./_zc_common.ts";
import type { ArchMetric, ProxyBatch } from "./metric.ts";
import { crossEntropy, type ProxyNetwork } from "./proxy_network.ts";

/** The fisher score of the network on the batch. */
export async function fisherScore(net: ProxyNetwork, batch: ProxyBatch): Promise<number> {
  const x = batchTensor(net, batch);
  const probes = new Map<string, Variable>();
  const acts = new Map<string, Tensor>();
  const prods: Tensor[] = [];
  try {
    // the shape of every layer output
    tf.tidy(() => {
      net.forward(x, {
        mode: "train",
        onLayerOutput: (module, y) => {
          probes.set(module, tf.variable(tf.zerosLike(y), true));
        },
      });
    });
    const { value, grads } = tf.variableGrads(() => {
      // keep acts of this forward only
      for (const t of acts.values()) t.dispose();
      acts.clear();
      return crossEntropy(
        net.forward(x, {
          mode: "train",
          onLayerOutput: (module, y) => {
            acts.set(module, tf.keep(y));
            return tf.add(y, probes.get(module)!);
          },
        }),
        batch.labels,
      );
    }, [...probes.values()]);
    value.dispose();
    const byVar = new Map(Object.entries(grads));
    let score = 0;
    for (const layer of net.layers) {
      const act = acts.get(layer.module);
      const g = byVar.get(probes.get(layer.module)!.name);
      if (act === undefined || g === undefined) continue; // not reached: zero
      // g_nk: Σ over H then W (nested sums keep float32 accumulators short)
      const gnk = tf.tidy(() => {
        const p = tf.mul(act, g);
        return p.rank === 4 ? tf.sum(tf.sum(p, 2), 1) : p;
      });
      prods.push(gnk);
      const [n, k] = gnk.shape;
      const v = await take(gnk);
      let sumK = 0;
      for (let c = 0; c < k; c++) {
        let m = 0;
        for (let i = 0; i < n; i++) m += v[i * k + c] * v[i * k + c];
        sumK += Math.abs(0.5 * (m / n));
      }
      const s = layer.variable.shape as number[];
      const fanIn = layer.kind === "conv" ? s[0] * s[1] * s[2] : s[0];
      score += fanIn * sumK;
    }
    for (const t of Object.values(grads)) t.dispose();
    return score;
  } finally {
    for (const t of prods) t.dispose();
    for (const t of acts.values()) t.dispose();
    for (const p of probes.values()) p.dispose();
    x.dispose();
  }
}

/** `fisher`: channel-wise Fisher information of the layer outputs. */
export const fisherMetric: ArchMetric = zcMetric({
  name: "fisher",
  description:
    "zero-cost fisher: Σ_layers fan_in·Σ_k ½mean_n(Σ_hw act·∂L/∂act)², CE on the proxy batch, train-mode BN (larger = better); fresh standalone net, affine BN",
  requires: ["network", "batch"],
  score: (net, batch) => fisherScore(net, batch!),
});
