/**
 * The `epe_nas` zero-cost proxy (`../shared/spec/zero-cost-proxies.md`; NASLib `epe_nas`,
 * `eval_score_perclass`): `J` as in `jacov` (`∂(Σ logits)/∂x` of the train-mode forward, per
 * sample); for each class c present in the batch, `s_c = Σ log(|corrcoef(J_c)| + 1e-5)` over
 * the rows of its samples. Up to 100 classes: score `Σ_c |s_c|`. Over 100 classes (NASLib's
 * other branch): `s_c` is divided by its number of samples (a class with ONE sample is skipped
 * there: NASLib's `len()` of numpy's 0-d correlation raises and the class is dropped), score
 * `Σ_c Σ_c' |s_c − s_c'|` / (number of classes scored). NaN → NASLib's −1e8. Larger is better.
 *
 * @module
 */
import { corrcoef, inputJacobian, zcMetric } from "./_zc_common.ts";
import type { ArchMetric, ProxyBatch } from "./metric.ts";
import type { ProxyNetwork } from "./proxy_network.ts";

/** epe_nas' score of a `[n, d]` Jacobian with labels, for a `numClasses`-way classifier. */
export function epeNasOfJacobian(
  j: ArrayLike<number>,
  labels: ArrayLike<number>,
  d: number,
  numClasses: number,
): number {
  const k = 1e-5;
  const rowsOf = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const r = rowsOf.get(labels[i]);
    if (r === undefined) rowsOf.set(labels[i], [i]);
    else r.push(i);
  }
  const scores: number[] = [];
  for (const rows of rowsOf.values()) {
    const m = rows.length;
    if (m === 1 && numClasses > 100) continue;
    const sub = new Float64Array(m * d);
    rows.forEach((r, a) => {
      for (let t = 0; t < d; t++) sub[a * d + t] = j[r * d + t];
    });
    const corr = corrcoef(sub, m, d);
    let s = 0;
    for (const v of corr) s += Math.log(Math.abs(v) + k);
    if (numClasses > 100) s /= m;
    scores.push(s);
  }
  let score = 0;
  if (numClasses <= 100) {
    for (const s of scores) score += Math.abs(s);
  } else {
    for (const s of scores) for (const t of scores) score += Math.abs(s - t);
    if (scores.length > 0) score /= scores.length;
  }
  return score;
}

/** The epe_nas score of the network on the batch (NaN when undefined). */
export async function epeNasScore(net: ProxyNetwork, batch: ProxyBatch): Promise<number> {
  const j = await inputJacobian(net, batch);
  return epeNasOfJacobian(j, batch.labels, j.length / batch.count, net.numClasses);
}

/** `epe_nas`: per-class correlation of the input Jacobians. */
export const epeNasMetric: ArchMetric = zcMetric({
  name: "epe_nas",
  description:
    "zero-cost epe_nas: Σ_c|Σ log(|corrcoef(J_c)|+1e-5)| per class of the proxy batch (NASLib's >100-class variant), J = ∂Σy/∂x, train-mode BN, NaN → −1e8 (larger = better); fresh standalone net, affine BN",
  requires: ["network", "batch"],
  score: (net, batch) => epeNasScore(net, batch!),
});
