/**
 * The `jacov` (jacob_cov) zero-cost proxy (`../shared/spec/zero-cost-proxies.md`; zero-cost-nas
 * `jacob_cov`, NASLib `jacov`): `J = ∂(Σ logits)/∂x` of the train-mode forward of the batch,
 * flattened per sample; `λ` = eigenvalues of `corrcoef(J)` (float64); score
 * `−Σ (log(λ + 1e-5) + 1/(λ + 1e-5))`; a NaN (e.g. a constant row of J, when the output does not
 * depend on the input) is NASLib's −1e8. Larger is better.
 *
 * @module
 */
import { corrcoef, inputJacobian, symmetricEigenvalues, zcMetric } from "./_zc_common.ts";
import type { ArchMetric, ProxyBatch } from "./metric.ts";
import type { ProxyNetwork } from "./proxy_network.ts";

/** jacob_cov's score of a `[n, d]` Jacobian. */
export function jacovOfJacobian(j: ArrayLike<number>, n: number, d: number): number {
  const lambda = symmetricEigenvalues(corrcoef(j, n, d), n);
  const k = 1e-5;
  let s = 0;
  for (const v of lambda) s += Math.log(v + k) + 1 / (v + k);
  return -s;
}

/** The jacob_cov score of the network on the batch (NaN when undefined). */
export async function jacovScore(net: ProxyNetwork, batch: ProxyBatch): Promise<number> {
  const j = await inputJacobian(net, batch);
  return jacovOfJacobian(j, batch.count, j.length / batch.count);
}

/** `jacov`: correlation of the input Jacobians of the batch. */
export const jacovMetric: ArchMetric = zcMetric({
  name: "jacov",
  description:
    "zero-cost jacov: −Σ(log(λ+1e-5)+1/(λ+1e-5)), λ eig corrcoef of ∂Σy/∂x on the proxy batch, train-mode BN, NaN → −1e8 (larger = better); fresh standalone net, affine BN",
  requires: ["network", "batch"],
  score: (net, batch) => jacovScore(net, batch!),
});
