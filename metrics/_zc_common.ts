/**
 * Private helpers of the zero-cost proxies (`zc_*.ts`, definitions in
 * `../shared/spec/zero-cost-proxies.md`): the metric wrapper (one fresh network per
 * architecture, scored then disposed; a non-finite score becomes NASLib's -1e8), the batch as a
 * tensor, layer gradients of the cross-entropy, float64 reductions of tensor values, and the
 * small dense linear algebra (correlation matrix, symmetric eigenvalues, log |det|) some proxies
 * need.
 *
 * @module
 */
import { tf } from "../backends/tf.ts";
import type { Tensor, Tensor4D } from "../backends/tf.ts";
import {
  type ArchMetric,
  makeScorer,
  type MetricContext,
  type ProxyBatch,
  requireField,
} from "./metric.ts";
import { crossEntropy, paramGrads, type ProxyLayer, type ProxyNetwork } from "./proxy_network.ts";

/** NASLib's score for a NaN (or infinite) value. */
export const NAN_SCORE = -1e8;

/** What one proxy computes on one freshly built network. */
export type ProxyScoreFn = (
  net: ProxyNetwork,
  batch: ProxyBatch | undefined,
  ctx: MetricContext,
) => Promise<number>;

/** Settings of {@link zcMetric}. */
export interface ZcMetricSpec {
  name: string;
  description: string;
  /** Default `true` (NASLib ranks every proxy larger-is-better). */
  higherIsBetter?: boolean;
  /** `["network", "batch"]` or `["network"]`. */
  requires: readonly ("network" | "batch")[];
  score: ProxyScoreFn;
}

/**
 * An {@link ArchMetric} that builds `ctx.network(g)` for each genotype, scores it with
 * `spec.score` and disposes it (also on failure). A NaN or infinite score is reported as
 * {@link NAN_SCORE} (NASLib's convention), so every score is finite.
 */
export function zcMetric(spec: ZcMetricSpec): ArchMetric {
  return {
    name: spec.name,
    description: spec.description,
    higherIsBetter: spec.higherIsBetter ?? true,
    requires: spec.requires,
    // deno-lint-ignore require-await
    async create(ctx: MetricContext) {
      const network = requireField(spec.name, ctx, "network");
      const batch = spec.requires.includes("batch")
        ? requireField(spec.name, ctx, "batch")
        : undefined;
      if (batch !== undefined) checkBatch(spec.name, batch);
      return makeScorer(spec.name, async (gs) => {
        const out = new Float64Array(gs.length);
        for (const [i, g] of gs.entries()) {
          const net = network(g);
          try {
            const v = await spec.score(net, batch, ctx);
            out[i] = Number.isFinite(v) ? v : NAN_SCORE;
          } finally {
            net.dispose();
          }
        }
        return out;
      });
    },
  };
}

function checkBatch(name: string, b: ProxyBatch): void {
  const n = b.count * b.side * b.side * 3;
  if (
    !Number.isInteger(b.count) || b.count < 1 || b.x.length !== n || b.labels.length !== b.count
  ) {
    throw new RangeError(
      `metric "${name}": batch must hold count * side * side * 3 = ${n} values and ${b.count} ` +
        `labels, got ${b.x.length} values and ${b.labels.length} labels`,
    );
  }
}

/** The batch as an NHWC tensor (the caller disposes it); its side must be the network's. */
export function batchTensor(net: ProxyNetwork, b: ProxyBatch): Tensor4D {
  const [h, w, c] = net.inputShape;
  if (b.side !== h || b.side !== w || c !== 3) {
    throw new RangeError(
      `zero-cost proxy: batch images are ${b.side}x${b.side}x3, the network takes [${net.inputShape}]`,
    );
  }
  return tf.tensor4d(b.x, [b.count, h, w, 3]);
}

/** Values of `t` (read, then `t` is disposed). */
export async function take(t: Tensor): Promise<Float32Array> {
  try {
    return await t.data() as Float32Array;
  } finally {
    t.dispose();
  }
}

/**
 * Each layer's weight and its gradient of the train-mode cross-entropy on the batch, read as
 * float32 arrays (tfjs layout; a layer the loss does not reach has a zero gradient).
 */
export async function layerWeightsAndGrads(
  net: ProxyNetwork,
  b: ProxyBatch,
): Promise<{ layer: ProxyLayer; w: Float32Array; g: Float32Array }[]> {
  const x = batchTensor(net, b);
  let res: ReturnType<typeof paramGrads>;
  try {
    res = paramGrads(() => crossEntropy(net.forward(x, { mode: "train" }), b.labels), net.layers);
  } finally {
    x.dispose();
  }
  res.value.dispose();
  const out = [];
  for (const layer of net.layers) {
    const w = await layer.variable.data() as Float32Array;
    out.push({ layer, w, g: await take(res.grads.get(layer.name)!) });
  }
  return out;
}

/** Σ a·b in float64. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Σ |a·b| in float64. */
export function absDot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] * b[i]);
  return s;
}

/** The Frobenius norm ‖a‖ in float64. */
export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/**
 * `numpy.corrcoef` of the rows of a `rows x cols` row-major matrix (float64, clipped to
 * [-1, 1]); a constant row gives NaN entries, as numpy's 0 / 0.
 */
export function corrcoef(m: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const c = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    let mean = 0;
    for (let j = 0; j < cols; j++) mean += m[i * cols + j];
    mean /= cols;
    for (let j = 0; j < cols; j++) c[i * cols + j] = m[i * cols + j] - mean;
  }
  const cov = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    for (let k = i; k < rows; k++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += c[i * cols + j] * c[k * cols + j];
      s *= 1 / (cols - 1); // as numpy.cov, so that rounding matches
      cov[i * rows + k] = s;
      cov[k * rows + i] = s;
    }
  }
  const r = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < rows; k++) {
      const v = cov[i * rows + k] / Math.sqrt(cov[i * rows + i]) / Math.sqrt(cov[k * rows + k]);
      r[i * rows + k] = Number.isNaN(v) ? v : Math.min(1, Math.max(-1, v));
    }
  }
  return r;
}

/**
 * Eigenvalues of a symmetric `n x n` matrix (cyclic Jacobi, float64); NaN entries give NaN
 * eigenvalues.
 */
export function symmetricEigenvalues(m: ArrayLike<number>, n: number): Float64Array {
  const a = Float64Array.from(m);
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) return new Float64Array(n).fill(NaN);
  }
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < n; p++) {
      diag += a[p * n + p] * a[p * n + p];
      for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }
  return Float64Array.from({ length: n }, (_, i) => a[i * n + i]);
}

/** `numpy.linalg.slogdet(m)[1]`: log |det m| of an `n x n` matrix (LU, partial pivoting). */
export function logAbsDet(m: ArrayLike<number>, n: number): number {
  const a = Float64Array.from(m);
  let s = 0;
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let i = k + 1; i < n; i++) {
      if (Math.abs(a[i * n + k]) > Math.abs(a[piv * n + k])) piv = i;
    }
    if (a[piv * n + k] === 0) return -Infinity;
    if (piv !== k) {
      for (let j = 0; j < n; j++) {
        const t = a[k * n + j];
        a[k * n + j] = a[piv * n + j];
        a[piv * n + j] = t;
      }
    }
    const d = a[k * n + k];
    s += Math.log(Math.abs(d));
    for (let i = k + 1; i < n; i++) {
      const f = a[i * n + k] / d;
      if (f === 0) continue;
      for (let j = k; j < n; j++) a[i * n + j] -= f * a[k * n + j];
    }
  }
  return s;
}

/**
 * `d(Σ logits)/dx` of the train-mode forward, per sample: `[count, side*side*3]` row-major
 * (NHWC order; correlations between samples do not depend on the feature order). An output that
 * does not depend on `x` gives zeros (as PyTorch's `x * 0`).
 */
export async function inputJacobian(net: ProxyNetwork, b: ProxyBatch): Promise<Float32Array> {
  const x = batchTensor(net, b);
  try {
    const j = tf.grad((xx: Tensor) =>
      tf.add(tf.sum(net.forward(xx as Tensor4D, { mode: "train" })), tf.mul(tf.sum(xx), 0))
    )(x);
    return await take(j);
  } finally {
    x.dispose();
  }
}
