/**
 * The `nwot` (NASWOT) zero-cost proxy (`../shared/spec/zero-cost-proxies.md`; NASLib `nwot`):
 * a train-mode forward of the batch with a hook on every ReLU module; per ReLU the binary code
 * `c = (input > 0)` of each sample, `K = Σ_ReLU C Cᵀ + (1 − C)(1 − C)ᵀ` (= the kernel of the
 * codes concatenated over ReLUs), score `log |det K|` (slogdet). Larger is better.
 *
 * Each ReLU's `K` (computed as `2 C Cᵀ − s 1ᵀ − 1 sᵀ + D`, s the row sums, D the code length) is
 * a matrix of integer counts (at most D, exact in float32 below 2^24); they are summed in float64.
 *
 * @module
 */
import { tf } from "../backends/tf.ts";
import type { Tensor, Tensor2D } from "../backends/tf.ts";
import { batchTensor, logAbsDet, take, zcMetric } from "./_zc_common.ts";
import type { ArchMetric, ProxyBatch } from "./metric.ts";
import type { ProxyNetwork } from "./proxy_network.ts";

/** NASWOT's `log |det K|` of the network on the batch. */
export async function nwotScore(net: ProxyNetwork, batch: ProxyBatch): Promise<number> {
  const n = batch.count;
  const x = batchTensor(net, batch);
  // ReLU modules reading the same tensor (search-cell edges from one node) have the same codes:
  // one kernel, counted once per module
  const kernels = new Map<Tensor, { k: Tensor; times: number }>();
  try {
    tf.tidy(() => {
      net.forward(x, {
        mode: "train",
        onReluInput: (_module, input) => {
          const seen = kernels.get(input);
          if (seen !== undefined) {
            seen.times++;
            return;
          }
          // C Cᵀ + (1 − C)(1 − C)ᵀ = 2 C Cᵀ − s 1ᵀ − 1 sᵀ + D, s the row sums of C (one matmul)
          const c = tf.cast(tf.greater(tf.reshape(input, [n, -1]), 0), "float32") as Tensor2D;
          const d = c.shape[1];
          const rows = tf.sum(c, 1, true);
          const k = tf.keep(tf.add(
            tf.sub(tf.mul(tf.matMul(c, c, false, true), 2), tf.add(rows, tf.transpose(rows))),
            d,
          ));
          kernels.set(input, { k, times: 1 });
        },
      });
    });
    const k = new Float64Array(n * n);
    for (const [input, { k: t, times }] of kernels) {
      kernels.delete(input);
      const v = await take(t);
      for (let i = 0; i < k.length; i++) k[i] += times * v[i];
    }
    return logAbsDet(k, n);
  } finally {
    for (const { k } of kernels.values()) k.dispose();
    x.dispose();
  }
}

/** `nwot`: log |det| of the ReLU-code kernel of the batch. */
export const nwotMetric: ArchMetric = zcMetric({
  name: "nwot",
  description:
    "zero-cost nwot (NASWOT): log|det K| of the ReLU binary codes, train-mode forward of the proxy batch (larger = better); fresh standalone net, affine BN",
  requires: ["network", "batch"],
  score: (net, batch) => nwotScore(net, batch!),
});
