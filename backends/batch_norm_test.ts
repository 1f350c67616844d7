import assert from "node:assert/strict";
import { tf } from "./tf.ts";
import type { Tensor, Tensor1D, Tensor4D } from "./tf.ts";
import { initBackend } from "./backend.ts";
import { batchNormEval, batchNormTrain } from "./batch_norm.ts";
import { randomValues, relMaxDiff, take } from "./_test_util.ts";

// Golden values from numpy (float64), x: [N=2, H=2, W=3, C=2]; gradients of sum(y * DY) by central
// finite differences (h = 1e-6), so independent of the analytic backward formula. Generator:
//   i = arange(24); x = (sin(0.7 i) (1 + 0.1 i)).reshape(2,2,3,2) + [0.5, -2]; dy = cos(0.3 i)
//   gamma = [1.5, -0.5]; beta = [0.2, -1]; eps = 1e-5; eval: running mean [0.3, -1], var [2, 0.5]
const X = [
  0.5,
  -1.29136054,
  1.68253968,
  -0.877827823,
  0.96898341,
  -2.52617484,
  -0.894521236,
  -3.67016944,
  -0.636279948,
  -1.96805359,
  1.8139732,
  0.0751532911,
  2.3801176,
  -1.26607377,
  -0.37954991,
  -4.1992394,
  -2.0458621,
  -3.6689702,
  0.594144532,
  -0.0582476896,
  3.47182207,
  0.621815177,
  1.46997874,
  -3.26083568,
];
const DY = [
  1,
  0.955336489,
  0.825335615,
  0.621609968,
  0.362357754,
  0.0707372017,
  -0.227202095,
  -0.504846105,
  -0.737393716,
  -0.904072142,
  -0.989992497,
  -0.98747977,
  -0.896758416,
  -0.725932304,
  -0.490260821,
  -0.210795799,
  0.0874989834,
  0.377977743,
  0.634692876,
  0.834712785,
  0.960170287,
  0.999858636,
  0.950232592,
  0.8157251,
];
const Y = [
  -0.0463516472,
  -1.17604413,
  1.1486684,
  -1.30853509,
  0.427581355,
  -0.780424325,
  -1.45559048,
  -0.413902071,
  -1.19462375,
  -0.959239731,
  1.28148906,
  -1.6138589,
  1.85360847,
  -1.18414571,
  -0.935184216,
  -0.244394354,
  -2.61908245,
  -0.414286293,
  0.0487864746,
  -1.57111881,
  2.95683466,
  -1.78900286,
  0.933864128,
  -0.545047737,
];
const MEAN = [0.743778836, -1.84083204];
const VAR_UNBIASED = [2.40353342, 2.65689285];
const DX = [
  0.913952596,
  -0.255754915,
  0.601995964,
  -0.137941837,
  0.215863091,
  -0.00486072504,
  -0.16647187,
  0.14942031,
  -0.711627113,
  0.322155639,
  -1.24754537,
  0.402689709,
  -1.21817386,
  0.283569564,
  -0.491292034,
  0.0412761534,
  0.283425852,
  -0.133394358,
  0.534006691,
  -0.184632433,
  0.5333081,
  -0.219632609,
  0.752557955,
  -0.262894498,
];
const DGAMMA = [2.01889251, 1.53942776];
const DBETA = [1.47868056, 1.3428318];
const Y_NOAFFINE = [
  -0.164234431,
  0.352088256,
  0.632445602,
  0.617070179,
  0.151720903,
  -0.439151351,
  -1.10372699,
  -1.17219586,
  -0.929749167,
  -0.0815205386,
  0.720992705,
  1.22771779,
  1.10240565,
  0.368291421,
  -0.756789478,
  -1.51121129,
  -1.8793883,
  -1.17142741,
  -0.100809017,
  1.14223762,
  1.83788977,
  1.57800571,
  0.489242752,
  -0.909904525,
];
const DX_NOAFFINE = [
  0.609301731,
  0.51150983,
  0.401330642,
  0.275883673,
  0.143908727,
  0.00972145053,
  -0.110981246,
  -0.298840621,
  -0.474418075,
  -0.644311277,
  -0.831696915,
  -0.805379418,
  -0.812115905,
  -0.567139129,
  -0.327528023,
  -0.0825523072,
  0.188950568,
  0.266788717,
  0.356004461,
  0.369264867,
  0.355538733,
  0.439265219,
  0.501705303,
  0.525788996,
];
const Y_EVAL = [
  0.412131504,
  -0.793979044,
  1.6664011,
  -1.08638791,
  0.909562285,
  0.0791577882,
  -1.06697793,
  0.888076038,
  -0.793072368,
  -0.315489588,
  1.80580706,
  -1.76024058,
  2.40629237,
  -0.811859317,
  -0.520769723,
  1.26218125,
  -2.28815627,
  0.887228057,
  0.51198661,
  -1.66591279,
  3.56421693,
  -2.14678504,
  1.44094675,
  0.598636252,
];
const SHAPE: [number, number, number, number] = [2, 2, 3, 2];
const GAMMA = [1.5, -0.5];
const BETA = [0.2, -1.0];
const TOL = 1e-4;

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string) {
  const d = relMaxDiff(actual, expected);
  assert.ok(d < TOL, `${what}: relative max diff ${d}`);
}

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`batchNormTrain matches numpy values and finite-difference gradients (${backend})`, async () => {
    await initBackend(backend);
    const before = tf.memory().numTensors;
    const x = tf.tensor4d(X, SHAPE);
    const dy = tf.tensor4d(DY, SHAPE);
    const g = tf.tensor1d(GAMMA);
    const b = tf.tensor1d(BETA);
    const out = batchNormTrain(x, g, b);
    assertClose(await take(out.y), Y, "y");
    assertClose(await take(out.mean), MEAN, "mean");
    assertClose(await take(out.varUnbiased), VAR_UNBIASED, "varUnbiased");
    const [dx, dg, db] = tf.grads((a: Tensor, gg: Tensor, bb: Tensor) =>
      tf.sum(tf.mul(batchNormTrain(a as Tensor4D, gg as Tensor1D, bb as Tensor1D).y, dy))
    )([x, g, b]);
    assertClose(await take(dx), DX, "dx");
    assertClose(await take(dg), DGAMMA, "dgamma");
    assertClose(await take(db), DBETA, "dbeta");

    const plain = batchNormTrain(x);
    assertClose(await take(plain.y), Y_NOAFFINE, "y (no affine)");
    tf.dispose([plain.mean, plain.varUnbiased]);
    const dx0 = tf.grad((a: Tensor) => tf.sum(tf.mul(batchNormTrain(a as Tensor4D).y, dy)))(x);
    assertClose(await take(dx0), DX_NOAFFINE, "dx (no affine)");

    const rm = tf.tensor1d([0.3, -1.0]);
    const rv = tf.tensor1d([2.0, 0.5]);
    assertClose(await take(batchNormEval(x, rm, rv, g, b)), Y_EVAL, "eval y");
    tf.dispose([x, dy, g, b, rm, rv]);
    assert.equal(tf.memory().numTensors, before);
  });
}

/** PyTorch's formula from primitive ops, differentiated by tfjs' autodiff. */
function plainBatchNorm(x: Tensor4D, g: Tensor1D, b: Tensor1D, eps = 1e-5): Tensor4D {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), g), b);
}

Deno.test("batchNormTrain gradients equal tf.grads of the plain-op formula (wasm, 8x6x6x5)", async () => {
  await initBackend("wasm");
  const shape: [number, number, number, number] = [8, 6, 6, 5];
  const n = shape.reduce((p, q) => p * q, 1);
  const x = tf.tensor4d(randomValues(n, 7).map((v) => 3 * v + 1), shape);
  const dy = tf.tensor4d(randomValues(n, 8), shape);
  const g = tf.tensor1d(randomValues(5, 9));
  const b = tf.tensor1d(randomValues(5, 10));
  const loss = (f: typeof plainBatchNorm) => (a: Tensor, gg: Tensor, bb: Tensor) =>
    tf.sum(tf.mul(f(a as Tensor4D, gg as Tensor1D, bb as Tensor1D), dy));
  const ours = tf.grads(loss((a, gg, bb) => batchNormTrain(a, gg, bb).y))([x, g, b]);
  const ref = tf.grads(loss(plainBatchNorm))([x, g, b]);
  for (const [i, name] of ["dx", "dgamma", "dbeta"].entries()) {
    assertClose(await take(ours[i]), await take(ref[i]), name);
  }
  tf.dispose([x, dy, g, b]);
});

// Regression: tfjs-backend-wasm sums with one sequential float32 accumulator, so a plain
// tf.sum(x, [0, 1, 2]) over M = 8192 values with a non-zero mean put the batch statistics ~3e-6 off
// (and through ReLU kinks made SuperNet train-mode gradients differ from PyTorch by up to 1e-2).
// References: the same float32 inputs reduced in float64 here.
Deno.test("batchNormTrain statistics and parameter gradients are float32-accurate on wasm (M = 8192)", async () => {
  await initBackend("wasm");
  const [n, h, w, c] = [32, 16, 16, 8];
  const m = n * h * w;
  const xv = randomValues(m * c, 11).map((v, i) => 3 + (i % c) + v);
  const dyv = randomValues(m * c, 12).map((v) => 1 + v);
  const mean = new Float64Array(c);
  const ss = new Float64Array(c);
  xv.forEach((v, i) => mean[i % c] += v / m);
  xv.forEach((v, i) => ss[i % c] += (v - mean[i % c]) ** 2);
  const invstd = Array.from(ss, (s) => 1 / Math.sqrt(s / m + 1e-5));
  const dbeta = new Float64Array(c);
  const dgamma = new Float64Array(c);
  dyv.forEach((d, i) => {
    dbeta[i % c] += d;
    dgamma[i % c] += d * (xv[i] - mean[i % c]) * invstd[i % c];
  });
  const x = tf.tensor4d(xv, [n, h, w, c]);
  const dy = tf.tensor4d(dyv, [n, h, w, c]);
  const g = tf.ones([c]) as Tensor1D;
  const b = tf.zeros([c]) as Tensor1D;
  const r = batchNormTrain(x, g, b);
  const grads = tf.grads((a: Tensor, gg: Tensor, bb: Tensor) =>
    tf.sum(tf.mul(batchNormTrain(a as Tensor4D, gg as Tensor1D, bb as Tensor1D).y, dy))
  )([x, g, b]);
  const errMean = relMaxDiff(await take(r.mean), mean);
  const errVar = relMaxDiff(await take(r.varUnbiased), Array.from(ss, (s) => s / (m - 1)));
  const errDbeta = relMaxDiff(await take(grads[2]), dbeta);
  // sum(dy * xhat) cancels (xhat has zero mean), so its relative error is larger
  const errDgamma = relMaxDiff(await take(grads[1]), dgamma);
  tf.dispose([r.y, grads[0], x, dy, g, b]);
  assert.ok(errMean <= 6e-7, `mean: relative error ${errMean}`);
  assert.ok(errVar <= 6e-7, `varUnbiased: relative error ${errVar}`);
  assert.ok(errDbeta <= 6e-7, `dbeta: relative error ${errDbeta}`);
  assert.ok(errDgamma <= 1e-3, `dgamma: relative error ${errDgamma}`);
});

Deno.test("batchNormTrain statistics are owned by the enclosing tidy", async () => {
  await initBackend("cpu");
  const x = tf.tensor4d(X, SHAPE);
  const before = tf.memory().numTensors;
  const varU = tf.tidy(() => {
    const r = batchNormTrain(x);
    return r.varUnbiased; // mean and y are disposed by the tidy
  });
  assert.equal(tf.memory().numTensors, before + 1);
  assertClose(await take(varU), VAR_UNBIASED, "varUnbiased");
  x.dispose();
});

Deno.test("batch norm rejects bad input with clear messages", async () => {
  await initBackend("cpu");
  const x = tf.zeros([2, 2, 2, 3]) as Tensor4D;
  const c2 = tf.ones([2]) as Tensor1D;
  const c3 = tf.ones([3]) as Tensor1D;
  const one = tf.zeros([1, 1, 1, 3]) as Tensor4D;
  assert.throws(() => batchNormTrain(x, c2, c2), /gamma must have shape \[3\].*got \[2\]/);
  assert.throws(() => batchNormTrain(x, c3), /both gamma and beta/);
  assert.throws(() => batchNormTrain(one), /more than 1 value per channel, got N\*H\*W = 1/);
  assert.throws(() => batchNormTrain(x, undefined, undefined, 0), /eps must be a positive/);
  const flat = tf.zeros([2, 3]);
  assert.throws(
    () => batchNormTrain(flat as unknown as Tensor4D),
    /NHWC rank-4 tensor, got shape \[2,3\]/,
  );
  assert.throws(() => batchNormEval(x, c3, c2), /runningVar must have shape \[3\]/);
  tf.dispose([x, c2, c3, one, flat]);
});
