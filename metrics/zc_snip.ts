/**
 * The `snip` zero-cost proxy (`../shared/spec/zero-cost-proxies.md`; NASLib / zero-cost-nas
 * `snip`): `Σ_layers Σ |W ⊙ ∂L/∂W|`, the gradient of the loss w.r.t. a multiplicative mask of
 * ones, L the train-mode cross-entropy of the batch against its true labels. Larger is better.
 *
 * @module
 */
import { absDot, layerWeightsAndGrads, zcMetric } from "./_zc_common.ts";
import type { ArchMetric } from "./metric.ts";

/** `snip`: connection sensitivity Σ|W ⊙ ∂L/∂W|. */
export const snipMetric: ArchMetric = zcMetric({
  name: "snip",
  description:
    "zero-cost snip: Σ|W⊙∂L/∂W|, CE on the proxy batch, train-mode BN (larger = better); fresh standalone net, affine BN",
  requires: ["network", "batch"],
  score: async (net, batch) => {
    let s = 0;
    for (const { w, g } of await layerWeightsAndGrads(net, batch!)) s += absDot(w, g);
    return s;
  },
});
