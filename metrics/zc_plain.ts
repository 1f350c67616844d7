/**
 * The `plain` zero-cost proxy (`../shared/spec/zero-cost-proxies.md`; NASLib / zero-cost-nas
 * `plain`): `Σ_layers Σ ∂L/∂W ⊙ W`, signed, L the train-mode cross-entropy of the batch against
 * its true labels. Reported larger-is-better as NASLib does (its rank correlation with accuracy
 * is negative on NB201).
 *
 * @module
 */
import { dot, layerWeightsAndGrads, zcMetric } from "./_zc_common.ts";
import type { ArchMetric } from "./metric.ts";

/** `plain`: the signed Σ W ⊙ ∂L/∂W. */
export const plainMetric: ArchMetric = zcMetric({
  name: "plain",
  description:
    "zero-cost plain: signed Σ W⊙∂L/∂W, CE on the proxy batch, train-mode BN (NASLib sign, larger = better); fresh standalone net, affine BN",
  requires: ["network", "batch"],
  score: async (net, batch) => {
    let s = 0;
    for (const { w, g } of await layerWeightsAndGrads(net, batch!)) s += dot(w, g);
    return s;
  },
});
