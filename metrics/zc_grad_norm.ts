/**
 * The `grad_norm` zero-cost proxy (`../shared/spec/zero-cost-proxies.md`; NASLib / zero-cost-nas
 * `grad_norm`): `Σ_layers ‖∂L/∂W‖_F`, L the train-mode cross-entropy of the batch against its true
 * labels. Larger is better.
 *
 * @module
 */
import { layerWeightsAndGrads, norm, zcMetric } from "./_zc_common.ts";
import type { ArchMetric } from "./metric.ts";

/** `grad_norm`: Σ of the layers' gradient norms. */
export const gradNormMetric: ArchMetric = zcMetric({
  name: "grad_norm",
  description:
    "zero-cost grad_norm: Σ‖∂L/∂W‖_F, CE on the proxy batch, train-mode BN (larger = better); fresh standalone net, affine BN",
  requires: ["network", "batch"],
  score: async (net, batch) => {
    let s = 0;
    for (const { g } of await layerWeightsAndGrads(net, batch!)) s += norm(g);
    return s;
  },
});
