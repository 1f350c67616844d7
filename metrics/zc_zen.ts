/**
 * The `zen` zero-cost proxy (Zen-NAS as NASLib's `compute_zen_score` computes it, repeat 1,
 * mixup gamma 0.01; `../shared/spec/zero-cost-proxies.md`): every conv and Linear weight redrawn
 * N(0, 1), the Linear bias 0, BN gamma 1 / beta 0; two train-mode forwards (no gradients) of
 * Gaussian inputs `x1` and `x1 + 0.01·x2` shaped like the batch (its images are NOT used, only
 * their count and side); `f` = the feature map entering the global average pool; each forward
 * folds its unbiased batch variance into every BN's running variance (PyTorch momentum 0.1,
 * from 1); score `log(mean_n Σ |f(x1) − f(x1 + 0.01·x2)|) + Σ_BN log √mean(running_var)`.
 * NaN / −∞ (a zero feature map) → NASLib's −1e8. Larger is better.
 *
 * The draws are numpy-compatible: `RandomState(ctx.seed ?? 0)` gives the weights (PyTorch
 * layout, state-dict order), then `x1`, then `x2` (NHWC), so a PyTorch reference can replay them
 * (`tools/pytorch_zero_cost.py`).
 *
 * @module
 */
import { tf } from "../backends/tf.ts";
import type { Tensor, Tensor4D } from "../backends/tf.ts";
import { RandomState } from "../labels/random_state.ts";
import { take, zcMetric } from "./_zc_common.ts";
import type { ArchMetric, ProxyBatch } from "./metric.ts";
import type { ProxyNetwork } from "./proxy_network.ts";

const _MIXUP = 0.01;
const _MOMENTUM = 0.1;

/** Assigns zen's Gaussian weights (the network is changed: score it, then dispose it). */
function _gaussianInit(net: ProxyNetwork, rs: RandomState): void {
  for (const p of net.params) {
    const v = p.variable;
    const s = v.shape as number[];
    const t = tf.tidy(() => {
      if (p.kind === "conv") {
        // tfjs [kh, kw, in, out] <- PyTorch [out, in, kh, kw]
        const z = Float32Array.from(rs.standardNormal(v.size));
        return tf.transpose(tf.tensor4d(z, [s[3], s[2], s[0], s[1]]), [2, 3, 1, 0]);
      }
      if (p.kind === "linear") {
        const z = Float32Array.from(rs.standardNormal(v.size));
        return tf.transpose(tf.tensor2d(z, [s[1], s[0]]));
      }
      return p.kind === "bn_weight" ? tf.onesLike(v) : tf.zerosLike(v);
    });
    v.assign(t);
    t.dispose();
  }
}

/** Zen-NAS' score of the network, with the batch's shape and draws from `seed`. */
export async function zenScore(
  net: ProxyNetwork,
  batch: ProxyBatch,
  seed: number,
): Promise<number> {
  const rs = new RandomState(seed);
  _gaussianInit(net, rs);
  const [h, w] = net.inputShape;
  const n = batch.count;
  const size = n * h * w * 3;
  const x1 = tf.tensor4d(Float32Array.from(rs.standardNormal(size)), [n, h, w, 3]);
  const x2 = tf.tensor4d(Float32Array.from(rs.standardNormal(size)), [n, h, w, 3]);
  const held: Tensor[] = [x1, x2];
  try {
    const run = (x: Tensor4D) => {
      let feat: Tensor | undefined;
      const vars: [string, Tensor][] = [];
      tf.tidy(() => {
        net.forward(x, {
          mode: "train",
          onFeatures: (f) => {
            feat = tf.keep(f);
          },
          onBatchNorm: (module, stats) => {
            vars.push([module, tf.keep(stats.varUnbiased)]);
          },
        });
      });
      held.push(feat!, ...vars.map(([, t]) => t));
      return { feat: feat!, vars };
    };
    const a = run(x1);
    const mix = tf.tidy(() => tf.add(x1, tf.mul(x2, _MIXUP)) as Tensor4D);
    held.push(mix);
    const b = run(mix);
    // running_var of each BN after the two forwards
    const rv = new Map<string, Float64Array>();
    for (const { vars } of [a, b]) {
      for (const [module, t] of vars) {
        const v = await t.data();
        const r = rv.get(module) ?? new Float64Array(v.length).fill(1);
        for (let i = 0; i < v.length; i++) r[i] = (1 - _MOMENTUM) * r[i] + _MOMENTUM * v[i];
        rv.set(module, r);
      }
    }
    let logBn = 0;
    for (const r of rv.values()) {
      let m = 0;
      for (const v of r) m += v;
      logBn += Math.log(Math.sqrt(m / r.length));
    }
    const d = await take(tf.tidy(() => tf.abs(tf.sub(a.feat, b.feat))));
    let s = 0;
    for (const v of d) s += v;
    return Math.log(s / n) + logBn;
  } finally {
    for (const t of held) t.dispose();
  }
}

/** `zen`: Zen-NAS' expressivity of the Gaussian-initialised network. */
export const zenMetric: ArchMetric = zcMetric({
  name: "zen",
  description:
    "zero-cost zen (NASLib): log mean Σ|Δ pre-pool features| for input x1 vs x1+0.01·x2 + Σ_BN log√mean(running_var), N(0,1) weights and inputs from RandomState(seed), batch shape only (larger = better); fresh standalone net, affine BN",
  requires: ["network", "batch"],
  score: (net, batch, ctx) => zenScore(net, batch!, ctx.seed ?? 0),
});
