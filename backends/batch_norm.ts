/**
 * Hand-written, differentiable 2-D batch normalisation for NHWC tensors, as PyTorch's
 * `BatchNorm2d` computes it.
 *
 * Training mode normalises with the batch statistics over N, H, W (biased variance) and also
 * returns the batch mean and the UNBIASED variance that PyTorch uses to update the running
 * statistics. Its gradient is analytic (`tf.customGrad`):
 * `dx = gamma * invstd / M * (M*dy - sum(dy) - xhat * sum(dy*xhat))`, M = N*H*W, which on wasm is
 * about twice as fast as differentiating `tf.batchNorm` (whose gradient uses a slow `Tile`).
 *
 * Every per-channel sum over N*H*W (batch mean and variance, `sum(dy)`, `sum(dy*xhat)`) is taken
 * on `wasm` one axis at a time (W, then H, then N; see `_sumNHW`). tfjs-backend-wasm reduces with
 * ONE sequential float32 accumulator per output, so a single `tf.sum(x, [0, 1, 2])` has a rounding
 * error growing with M (batch statistics ~3e-6 relative off at M = 8192, >10x worse than the
 * `cpu` backend, which accumulates in float64, or PyTorch). Through the SuperNet's ReLUs this
 * flipped near-zero activations and put train-mode gradients up to 1e-2 away from PyTorch. The
 * nested sums never add more than max(N, H, W) values in one accumulator (~1.5e-7 there) and,
 * as sums, are ~2-3x faster on wasm (no strided transpose of the whole tensor to [C, N*H*W]).
 *
 * @module
 */
import { tf } from "./tf.ts";
import type { Tensor, Tensor1D, Tensor4D } from "./tf.ts";

/** Result of {@link batchNormTrain}. */
export interface BatchNormTrainResult {
  /** Normalised (and, with gamma/beta, affinely transformed) output, shape of `x`. */
  y: Tensor4D;
  /** Batch mean per channel `[C]` (no gradient; for running-stat updates). */
  mean: Tensor1D;
  /** Unbiased batch variance per channel `[C]` (no gradient; for running-stat updates). */
  varUnbiased: Tensor1D;
}

/**
 * Per-channel sum over N, H and W of an NHWC tensor. On `wasm`, which sums sequentially in float32
 * (see the module doc), it is reduced one axis at a time (W, H, then N) so that no accumulator adds
 * more than max(N, H, W) values; other backends already sum accurately (`cpu` accumulates in
 * float64) and take one `tf.sum`, bit for bit as before.
 */
function _sumNHW(t: Tensor): Tensor1D {
  return tf.getBackend() === "wasm"
    ? tf.sum(tf.sum(tf.sum(t, 2), 1), 0) as Tensor1D
    : tf.sum(t, [0, 1, 2]) as Tensor1D;
}

/** Per-channel mean over N, H and W (see {@link _sumNHW}). */
function _meanNHW(t: Tensor): Tensor1D {
  if (tf.getBackend() !== "wasm") return tf.mean(t, [0, 1, 2]) as Tensor1D;
  const [n, h, w] = t.shape;
  return tf.div(_sumNHW(t), n * h * w) as Tensor1D;
}

function _checkX(x: Tensor): [number, number, number, number] {
  if (x.rank !== 4) {
    throw new RangeError(`batch norm expects an NHWC rank-4 tensor, got shape [${x.shape}]`);
  }
  return x.shape as [number, number, number, number];
}

function _checkChannel(name: string, t: Tensor | undefined, c: number): void {
  if (t !== undefined && (t.rank !== 1 || t.shape[0] !== c)) {
    throw new RangeError(`${name} must have shape [${c}] (channels of x), got [${t.shape}]`);
  }
}

function _checkEps(eps: number): void {
  if (!(eps > 0) || !Number.isFinite(eps)) {
    throw new RangeError(`eps must be a positive finite number, got ${eps}`);
  }
}

/**
 * Training-mode batch norm over N, H, W of an NHWC tensor.
 *
 * Gradients flow to `x`, `gamma` and `beta` (through `y`); `mean` and `varUnbiased` are
 * constants. Pass both `gamma` and `beta` (affine) or neither.
 *
 * @param x input `[N, H, W, C]` with N*H*W >= 2
 * @param gamma optional scale `[C]`
 * @param beta optional shift `[C]`
 * @param eps added to the biased variance (PyTorch default 1e-5)
 * @throws RangeError on bad shapes, N*H*W < 2, only one of gamma/beta, or eps <= 0
 */
export function batchNormTrain(
  x: Tensor4D,
  gamma?: Tensor1D,
  beta?: Tensor1D,
  eps = 1e-5,
): BatchNormTrainResult {
  const [n, h, w, c] = _checkX(x);
  _checkChannel("gamma", gamma, c);
  _checkChannel("beta", beta, c);
  _checkEps(eps);
  if ((gamma === undefined) !== (beta === undefined)) {
    throw new RangeError("batchNormTrain: pass both gamma and beta (affine) or neither");
  }
  const m = n * h * w;
  if (m < 2) {
    throw new RangeError(
      `batch norm in training mode needs more than 1 value per channel, got N*H*W = ${m}`,
    );
  }
  // Batch statistics are produced inside the custom op (where the tape is off) and handed out
  // through this closure, so they cost nothing extra and carry no gradient.
  let stats: [Tensor1D, Tensor1D] | undefined;
  const forward = (xx: Tensor4D, g?: Tensor1D, b?: Tensor1D) => {
    const mean = _meanNHW(xx);
    const xc = tf.sub(xx, mean);
    const variance = _meanNHW(tf.square(xc));
    const invstd = tf.rsqrt(tf.add(variance, eps)) as Tensor1D;
    const xhat = tf.mul(xc, invstd) as Tensor4D;
    const y = g === undefined || b === undefined ? xhat : tf.add(tf.mul(xhat, g), b) as Tensor4D;
    stats = [tf.keep(mean), tf.keep(tf.mul(variance, m / (m - 1)) as Tensor1D)];
    return { y, xhat, invstd };
  };
  const backward = (dy: Tensor4D, xhat: Tensor4D, invstd: Tensor1D, g?: Tensor1D) => {
    const dbeta = _sumNHW(dy);
    const dgamma = _sumNHW(tf.mul(dy, xhat));
    const scale = tf.div(g === undefined ? invstd : tf.mul(invstd, g), m);
    const inner = tf.sub(tf.sub(tf.mul(dy, m), dbeta), tf.mul(xhat, dgamma));
    return { dx: tf.mul(inner, scale) as Tensor4D, dgamma, dbeta };
  };

  let y: Tensor4D;
  if (gamma === undefined || beta === undefined) {
    const op = tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
      const [xx, save] = args as [Tensor4D, tf.GradSaveFunc];
      const f = forward(xx);
      save([f.xhat, f.invstd]);
      return {
        value: f.y,
        gradFunc: (dy: Tensor4D, saved: Tensor[]) =>
          backward(dy, saved[0] as Tensor4D, saved[1] as Tensor1D).dx,
      };
    });
    y = op(x) as Tensor4D;
  } else {
    const op = tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
      const [xx, g, b, save] = args as [Tensor4D, Tensor1D, Tensor1D, tf.GradSaveFunc];
      const f = forward(xx, g, b);
      save([f.xhat, f.invstd, g]);
      return {
        value: f.y,
        gradFunc: (dy: Tensor4D, saved: Tensor[]) => {
          const r = backward(
            dy,
            saved[0] as Tensor4D,
            saved[1] as Tensor1D,
            saved[2] as Tensor1D,
          );
          return [r.dx, r.dgamma, r.dbeta];
        },
      };
    });
    y = op(x, gamma, beta) as Tensor4D;
  }
  // Move the kept statistics into the caller's scope (so an enclosing tf.tidy owns them).
  const [keptMean, keptVar] = stats!;
  const mean = tf.clone(keptMean);
  const varUnbiased = tf.clone(keptVar);
  keptMean.dispose();
  keptVar.dispose();
  return { y, mean, varUnbiased };
}

/**
 * Evaluation-mode batch norm with running statistics:
 * `y = (x - runningMean) / sqrt(runningVar + eps) * gamma + beta`, differentiable in `x`,
 * `gamma` and `beta` (computed as one scale and one shift per channel).
 *
 * @param x input `[N, H, W, C]`
 * @param runningMean `[C]`
 * @param runningVar `[C]` (PyTorch's running variance, which is updated with unbiased batch
 *   variances)
 * @param gamma optional scale `[C]`
 * @param beta optional shift `[C]`
 * @param eps added to the running variance (PyTorch default 1e-5)
 */
export function batchNormEval(
  x: Tensor4D,
  runningMean: Tensor1D,
  runningVar: Tensor1D,
  gamma?: Tensor1D,
  beta?: Tensor1D,
  eps = 1e-5,
): Tensor4D {
  const [, , , c] = _checkX(x);
  _checkChannel("runningMean", runningMean, c);
  _checkChannel("runningVar", runningVar, c);
  _checkChannel("gamma", gamma, c);
  _checkChannel("beta", beta, c);
  _checkEps(eps);
  return tf.tidy(() => {
    const invstd = tf.rsqrt(tf.add(runningVar, eps));
    const scale = gamma === undefined ? invstd : tf.mul(invstd, gamma);
    const shift0 = tf.neg(tf.mul(runningMean, scale));
    const shift = beta === undefined ? shift0 : tf.add(shift0, beta);
    return tf.add(tf.mul(x, scale), shift) as Tensor4D;
  });
}
