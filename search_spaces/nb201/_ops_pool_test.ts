import assert from "node:assert/strict";
import { initBackend } from "../../backends/backend.ts";
import { tf } from "../../backends/tf.ts";
import type { Tensor4D } from "../../backends/tf.ts";
import { RandomState } from "../../labels/random_state.ts";
import { avgPool2x2, avgPool3x3 } from "./_ops.ts";

/** dL/dx of L = sum(wt * avgPool3x3(x)) by hand: dx[q] = sum over windows p containing q of wt[p] / count[p]. */
function pool3GradRef(wt: Float64Array, n: number, h: number, w: number, c: number): Float64Array {
  const dx = new Float64Array(n * h * w * c);
  const count = (r: number, k: number) =>
    (Math.min(r + 1, h - 1) - Math.max(r - 1, 0) + 1) *
    (Math.min(k + 1, w - 1) - Math.max(k - 1, 0) + 1);
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < h; r++) {
      for (let k = 0; k < w; k++) {
        for (let ch = 0; ch < c; ch++) {
          const g = wt[((b * h + r) * w + k) * c + ch] / count(r, k);
          for (let dr = -1; dr <= 1; dr++) {
            for (let dk = -1; dk <= 1; dk++) {
              const rr = r + dr;
              const kk = k + dk;
              if (rr < 0 || rr >= h || kk < 0 || kk >= w) continue;
              dx[((b * h + rr) * w + kk) * c + ch] += g;
            }
          }
        }
      }
    }
  }
  return dx;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`avgPool3x3 gradient equals the hand-derived window sum (${backend})`, async () => {
    await initBackend(backend);
    const [n, h, w, c] = [2, 5, 4, 3];
    const rs = new RandomState(11);
    const x = tf.tensor4d(Float32Array.from(rs.standardNormal(n * h * w * c)), [n, h, w, c]);
    const wtArr = rs.standardNormal(n * h * w * c);
    const wt = tf.tensor4d(Float32Array.from(wtArr), [n, h, w, c]);
    const before = tf.memory().numTensors;
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(avgPool3x3(a as Tensor4D), wt)))(x);
    const got = await dx.data();
    dx.dispose();
    assert.equal(tf.memory().numTensors, before);
    const ref = pool3GradRef(Float64Array.from(wtArr, Math.fround), n, h, w, c);
    assert.ok(maxDiff(got, ref) < 1e-5, `max diff ${maxDiff(got, ref)}`);
    tf.dispose([x, wt]);
  });

  Deno.test(`avgPool2x2: 2x2 means, gradient dy/4 on each window (${backend})`, async () => {
    await initBackend(backend);
    // one image, 4x2, 2 channels: channel 0 = 0..7, channel 1 = 10 * (0..7)
    const vals = Array.from({ length: 8 }, (_, i) => [i, 10 * i]).flat();
    const x = tf.tensor4d(vals, [1, 4, 2, 2]);
    const y = avgPool2x2(x);
    assert.deepEqual(y.shape, [1, 2, 1, 2]);
    // windows {0,1,2,3} and {4,5,6,7}
    assert.deepEqual([...await y.data()], [1.5, 15, 5.5, 55]);
    const wt = tf.tensor4d([1, -2, 3, 4], [1, 2, 1, 2]);
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(avgPool2x2(a as Tensor4D), wt)))(x);
    assert.deepEqual([...await dx.data()], [
      0.25,
      -0.5,
      0.25,
      -0.5,
      0.25,
      -0.5,
      0.25,
      -0.5,
      0.75,
      1,
      0.75,
      1,
      0.75,
      1,
      0.75,
      1,
    ]);
    tf.dispose([x, y, wt, dx]);
    const odd = tf.zeros([1, 3, 4, 1]) as Tensor4D;
    assert.throws(
      () => avgPool2x2(odd),
      /avgPool2x2 needs an even height and width, got \[1,3,4,1\]/,
    );
    odd.dispose();
  });
}
