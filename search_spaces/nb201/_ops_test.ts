import assert from "node:assert/strict";
import { tf } from "../../backends/tf.ts";
import type { Tensor4D } from "../../backends/tf.ts";
import { RandomState } from "../../labels/random_state.ts";
import { batchNormTrain } from "../../backends/batch_norm.ts";
import { avgPool3x3, conv1x1, conv3x3, conv3x3Stride2, resnetBlock, searchCell } from "./_ops.ts";

await tf.setBackend("cpu");

function values(n: number, seed: number): Float32Array {
  const rs = new RandomState(seed);
  return Float32Array.from(rs.rand(n), (u) => 2 * u - 1);
}

/** float64 reference: NHWC conv with symmetric zero padding p (PyTorch semantics). */
function refConv(
  x: Float32Array,
  [n, h, w, ci]: number[],
  f: Float32Array,
  k: number,
  co: number,
  s: number,
  p: number,
): { data: Float64Array; ho: number; wo: number } {
  const ho = Math.floor((h + 2 * p - k) / s) + 1;
  const wo = Math.floor((w + 2 * p - k) / s) + 1;
  const out = new Float64Array(n * ho * wo * co);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        for (let o = 0; o < co; o++) {
          let acc = 0;
          for (let ky = 0; ky < k; ky++) {
            for (let kx = 0; kx < k; kx++) {
              const iy = oy * s + ky - p;
              const ix = ox * s + kx - p;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              for (let c = 0; c < ci; c++) {
                acc += f[((ky * k + kx) * ci + c) * co + o] * x[((b * h + iy) * w + ix) * ci + c];
              }
            }
          }
          out[((b * ho + oy) * wo + ox) * co + o] = acc;
        }
      }
    }
  }
  return { data: out, ho, wo };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Directional finite difference of sum(f(x) * r) along d vs the analytic gradient. */
async function checkGrad(
  f: (x: Tensor4D) => tf.Tensor,
  shape: [number, number, number, number],
  seed: number,
  eps: number,
): Promise<[number, number]> {
  const n = shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor4d(values(n, seed), shape);
  const d = tf.tensor4d(values(n, seed + 1), shape);
  const outShape = tf.tidy(() => f(x).shape);
  const r = tf.tensor(values(outShape.reduce((a, b) => a * b, 1), seed + 2), outShape);
  const loss = (xx: Tensor4D) => tf.sum(tf.mul(f(xx), r));
  const g = tf.grad((xx: tf.Tensor) => loss(xx as Tensor4D))(x);
  const analytic = (await tf.sum(tf.mul(g, d)).data())[0];
  const lp = (await tf.tidy(() => loss(tf.add(x, tf.mul(d, eps)) as Tensor4D)).data())[0];
  const lm = (await tf.tidy(() => loss(tf.sub(x, tf.mul(d, eps)) as Tensor4D)).data())[0];
  tf.dispose([x, d, r, g]);
  return [(lp - lm) / (2 * eps), analytic];
}

Deno.test("avgPool3x3 = AvgPool2d(3, 1, 1, count_include_pad=False) (hand reference)", async () => {
  const shape = [2, 5, 4, 3];
  const [n, h, w, c] = shape;
  const x = values(n * h * w * c, 1);
  const ref = new Float64Array(x.length);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y++) {
      for (let xx = 0; xx < w; xx++) {
        for (let ch = 0; ch < c; ch++) {
          let s = 0;
          let cnt = 0;
          for (let dy = -1; dy <= 1; dy++) {
            for (let dx = -1; dx <= 1; dx++) {
              const iy = y + dy;
              const ix = xx + dx;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              s += x[((b * h + iy) * w + ix) * c + ch];
              cnt++;
            }
          }
          ref[((b * h + y) * w + xx) * c + ch] = s / cnt;
        }
      }
    }
  }
  const xt = tf.tensor4d(x, shape as [number, number, number, number]);
  const got = await avgPool3x3(xt).data();
  assert.ok(maxAbsDiff(got, ref) < 1e-6, `max diff ${maxAbsDiff(got, ref)}`);
  // corner value by hand: mean of the 4 in-bounds pixels
  const corner = (x[0] + x[c] + x[w * c] + x[(w + 1) * c]) / 4;
  assert.ok(Math.abs(got[0] - corner) < 1e-6);
  // tfjs' own 'same' avg pool agrees in the forward pass (it excludes the padding too)
  const same = await tf.avgPool(xt, 3, 1, "same").data();
  assert.ok(maxAbsDiff(got, same) < 1e-6);
  xt.dispose();
});

Deno.test("avgPool3x3 gradient matches finite differences (border pixels included)", async () => {
  const [fd, an] = await checkGrad(avgPool3x3, [2, 4, 5, 3], 10, 0.5);
  assert.ok(Math.abs(fd - an) <= 1e-4 * Math.max(1, Math.abs(an)), `fd ${fd} analytic ${an}`);
  // tfjs' 'same' avg pool gradient would divide by 9 at the border: make sure that differs
  const [fdSame, anSame] = await checkGrad(
    (x) => tf.avgPool(x, 3, 1, "same"),
    [2, 4, 5, 3],
    10,
    0.5,
  );
  assert.ok(Math.abs(fdSame - anSame) > 1e-2, "tfjs avgPool 'same' gradient unexpectedly exact");
});

Deno.test("conv3x3Stride2 pads symmetrically like PyTorch (float64 reference), conv3x3/conv1x1 too", async () => {
  const shape = [2, 6, 6, 3];
  const n = shape.reduce((a, b) => a * b, 1);
  const x = values(n, 3);
  const f3 = values(3 * 3 * 3 * 4, 4);
  const f1 = values(3 * 4, 5);
  const xt = tf.tensor4d(x, shape as [number, number, number, number]);
  const cases: [Tensor4D, { data: Float64Array; ho: number; wo: number }, number][] = [
    [conv3x3Stride2(xt, tf.tensor4d(f3, [3, 3, 3, 4])), refConv(x, shape, f3, 3, 4, 2, 1), 3],
    [conv3x3(xt, tf.tensor4d(f3, [3, 3, 3, 4])), refConv(x, shape, f3, 3, 4, 1, 1), 6],
    [conv1x1(xt, tf.tensor4d(f1, [1, 1, 3, 4])), refConv(x, shape, f1, 1, 4, 1, 0), 6],
  ];
  for (const [got, ref, size] of cases) {
    assert.deepEqual(got.shape, [2, size, size, 4]);
    assert.equal(ref.ho, size);
    const d = maxAbsDiff(await got.data(), ref.data);
    assert.ok(d < 1e-5, `max diff ${d}`);
  }
  // 'same' with stride 2 would pad bottom/right only: its output differs from PyTorch's
  const sameS2 = await tf.conv2d(xt, tf.tensor4d(f3, [3, 3, 3, 4]), 2, "same").data();
  assert.ok(maxAbsDiff(sameS2, cases[0][1].data) > 1e-2);
  tf.dispose([xt, ...cases.map((c) => c[0])]);
});

Deno.test("conv gradients (input and filter) match finite differences", async () => {
  const filters: [string, (x: Tensor4D, f: Tensor4D) => Tensor4D, number][] = [
    ["conv1x1", conv1x1, 1],
    ["conv3x3", conv3x3, 3],
    ["conv3x3Stride2", conv3x3Stride2, 3],
  ];
  for (const [name, op, k] of filters) {
    const f = tf.tensor4d(values(k * k * 3 * 2, 7), [k, k, 3, 2]);
    const [fd, an] = await checkGrad((x) => op(x, f), [2, 4, 4, 3], 20, 0.5);
    assert.ok(Math.abs(fd - an) <= 1e-4 * Math.max(1, Math.abs(an)), `${name} dx: ${fd} vs ${an}`);
    const x = tf.tensor4d(values(2 * 4 * 4 * 3, 8), [2, 4, 4, 3]);
    const [fdW, anW] = await checkGrad((ff) => op(x, ff), [k, k, 3, 2], 30, 0.5);
    assert.ok(
      Math.abs(fdW - anW) <= 1e-4 * Math.max(1, Math.abs(anW)),
      `${name} dw: ${fdW} vs ${anW}`,
    );
    tf.dispose([f, x]);
  }
});

/**
 * Directional finite differences of sum(f(...inputs) * r) with respect to each input in turn,
 * against the analytic gradients (tf.grads). Returns [fd, analytic] per input.
 */
async function checkGrads(
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  seed: number,
  eps: number,
): Promise<[number, number][]> {
  const outShape = tf.tidy(() => f(...inputs).shape);
  const r = tf.tensor(values(outShape.reduce((a, b) => a * b, 1), seed), outShape);
  const loss = (...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), r));
  const grads = tf.grads(loss)(inputs);
  const out: [number, number][] = [];
  for (let k = 0; k < inputs.length; k++) {
    const d = tf.tensor(values(inputs[k].size, seed + 1 + k), inputs[k].shape);
    const an = (await tf.tidy(() => tf.sum(tf.mul(grads[k], d))).data())[0];
    const at = async (s: number) => {
      const l = tf.tidy(() => {
        const xs = inputs.slice();
        xs[k] = tf.add(inputs[k], tf.mul(d, s));
        return loss(...xs);
      });
      const v = (await l.data())[0];
      l.dispose();
      return v;
    };
    out.push([(await at(eps) - await at(-eps)) / (2 * eps), an]);
    d.dispose();
  }
  tf.dispose([r, ...grads]);
  return out;
}

const near = ([fd, an]: [number, number]) => Math.abs(fd - an) <= 1e-3 + 5e-3 * Math.abs(an);

Deno.test("ResNet block (train-mode affine BNs) gradients match finite differences", async () => {
  const inputs = [
    tf.tensor4d(values(2 * 4 * 4 * 2, 40), [2, 4, 4, 2]),
    tf.tensor4d(values(3 * 3 * 2 * 4, 41), [3, 3, 2, 4]),
    tf.tensor4d(values(3 * 3 * 4 * 4, 42), [3, 3, 4, 4]),
    tf.tensor4d(values(2 * 4, 43), [1, 1, 2, 4]),
    tf.tensor1d(values(4, 44).map((v) => 1 + 0.5 * v)),
    tf.tensor1d(values(4, 45)),
    tf.tensor1d(values(4, 46).map((v) => 1 + 0.5 * v)),
    tf.tensor1d(values(4, 47)),
  ];
  const f = (...t: tf.Tensor[]) => {
    const [x, wa, wb, wd, ga, ba, gb, bb] = t as [
      Tensor4D,
      Tensor4D,
      Tensor4D,
      Tensor4D,
      ...tf.Tensor1D[],
    ];
    return resnetBlock(
      x,
      wa,
      wb,
      wd,
      (y, which) => which === "conv_a" ? batchNormTrain(y, ga, ba).y : batchNormTrain(y, gb, bb).y,
    );
  };
  const out = tf.tidy(() => f(...inputs));
  assert.deepEqual(out.shape, [2, 2, 2, 4]);
  out.dispose();
  const res = await checkGrads(f, inputs, 50, 1e-3);
  res.forEach((p, k) => assert.ok(near(p), `input ${k}: fd ${p[0]} vs analytic ${p[1]}`));
  tf.dispose(inputs);
});

Deno.test("search cell gradients (skip, avg pool, ReLU-conv-BN) match finite differences", async () => {
  const genotypes = [[3, 2, 4, 1, 3, 2], [4, 1, 1, 4, 0, 3], [1, 0, 0, 2, 0, 4]];
  for (const g of genotypes) {
    const edges = ["1<-0", "2<-0", "2<-1", "3<-0", "3<-1", "3<-2"];
    const convs = edges.map((e, k) => [e, g[k]] as const).filter(([, op]) => op === 2 || op === 3);
    const inputs = [
      tf.tensor4d(values(2 * 4 * 4 * 3, 60), [2, 4, 4, 3]),
      ...convs.map(([, op], k) => {
        const kk = op === 2 ? 1 : 3;
        return tf.tensor4d(values(kk * kk * 9, 61 + k), [kk, kk, 3, 3]);
      }),
    ];
    const f = (...t: tf.Tensor[]) =>
      searchCell(
        t[0] as Tensor4D,
        g,
        (edge, op) => {
          const k = convs.findIndex(([e, o]) => e === edge && o === op);
          assert.ok(k >= 0, `unexpected kernel request ${edge} ${op}`);
          return t[1 + k] as Tensor4D;
        },
        (y) => batchNormTrain(y).y,
      );
    // eps 3e-4: at 1e-3 the perturbation already crosses a ReLU kink for the first genotype
    const res = await checkGrads(f, inputs, 70, 3e-4);
    res.forEach((p, k) => assert.ok(near(p), `${g} input ${k}: fd ${p[0]} vs analytic ${p[1]}`));
    tf.dispose(inputs);
  }
});

Deno.test("search cell forward: node sums by hand (skip / pool only) and all-none node = 0", async () => {
  const x = tf.tensor4d(values(1 * 3 * 3 * 2, 80), [1, 3, 3, 2]);
  const never = () => {
    throw new Error("no kernel expected");
  };
  // n1 = x, n2 = pool(x) + skip(n1) = pool(x) + x, n3 = x + 0 + n2 = 2x + pool(x)
  const y = searchCell(x, [1, 4, 1, 1, 0, 1], never, never);
  const ref = tf.add(tf.mul(x, 2), avgPool3x3(x));
  assert.ok(maxAbsDiff(await y.data(), await ref.data()) < 1e-6);
  // node 3 has only none inputs: zeros
  const z = searchCell(x, [1, 1, 1, 0, 0, 0], never, never);
  assert.ok((await z.data()).every((v) => v === 0));
  tf.dispose([x, y, ref, z]);
});
