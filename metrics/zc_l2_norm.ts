/**
 * The `l2_norm` zero-cost proxy (`../shared/spec/zero-cost-proxies.md`; NASLib `l2_norm`):
 * `Σ_layers ‖W‖_F` of the freshly initialised network. No data. Larger is better.
 *
 * @module
 */
import { norm, zcMetric } from "./_zc_common.ts";
import type { ArchMetric } from "./metric.ts";

/** `l2_norm`: Σ of the layers' weight norms at initialisation. */
export const l2NormMetric: ArchMetric = zcMetric({
  name: "l2_norm",
  description:
    "zero-cost l2_norm: Σ‖W‖_F of the initial weights, no data (larger = better); fresh standalone net, affine BN",
  requires: ["network"],
  score: async (net) => {
    let s = 0;
    for (const layer of net.layers) s += norm(await layer.variable.data());
    return s;
  },
});
