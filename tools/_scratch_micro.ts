import { initBackend } from "../backends/backend.ts";
import { tf } from "../backends/tf.ts";
import type { Tensor4D } from "../backends/tf.ts";
import { avgPool3x3 } from "../search_spaces/nb201/_ops.ts";
import { SuperNet } from "../search_spaces/nb201/supernet.ts";
import { Sgd } from "../training/sgd.ts";

await initBackend(Deno.args[0] ?? "wasm");
async function bench(name: string, f: () => tf.Tensor | tf.Tensor[], reps = 10) {
  for (let i = 0; i < 2; i++) { const r = f(); await (Array.isArray(r) ? r[0] : r).data(); tf.dispose(r); }
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const r = f();
    await (Array.isArray(r) ? r[0] : r).data();
    ts.push(performance.now() - t0);
    tf.dispose(r);
  }
  ts.sort((a, b) => a - b);
  console.log(`${name.padEnd(50)} ${ts[ts.length >> 1].toFixed(2)} ms`);
}
const _inv = new Map<string, tf.Tensor4D>();
function invCount(h: number, w: number): tf.Tensor4D {
  const m = new Float32Array(h * w);
  for (let r = 0; r < h; r++) {
    const rows = Math.min(r + 1, h - 1) - Math.max(r - 1, 0) + 1;
    for (let c = 0; c < w; c++) {
      const cols = Math.min(c + 1, w - 1) - Math.max(c - 1, 0) + 1;
      m[r * w + c] = 9 / (rows * cols);
    }
  }
  return tf.tensor4d(m, [1, h, w, 1]);
}
const pool3 = tf.customGrad((x: tf.Tensor, save: tf.GradSaveFunc) => {
  const [, h, w] = x.shape;
  const s = invCount(h, w);
  const y = tf.mul(tf.avgPool(tf.pad(x as Tensor4D, [[0,0],[1,1],[1,1],[0,0]]), 3, 1, "valid"), s);
  save([s]);
  return { value: y, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.avgPool(tf.pad(tf.mul(dy, saved[0]) as Tensor4D, [[0,0],[1,1],[1,1],[0,0]]), 3, 1, "valid") };
});
for (const [h, c] of [[32, 16], [16, 32], [8, 64]]) {
  const x = tf.randomNormal([64, h, h, c]) as Tensor4D;
  const dy = tf.randomNormal([64, h, h, c]) as Tensor4D;
  await bench(`pool3 fwd+bwd current ${h}x${c}`, () => { const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(avgPool3x3(a as Tensor4D), dy))); return g(x); });
  await bench(`pool3 fwd+bwd custom  ${h}x${c}`, () => { const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(pool3(a) as Tensor4D, dy))); return g(x); });
  await bench(`  sum(mul) only ${h}x${c}`, () => { const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(a, dy))); return g(x); });
  await bench(`sum axes 012 ${h}x${c}`, () => tf.sum(x, [0, 1, 2]));
  await bench(`mean axes 012 ${h}x${c}`, () => tf.mean(x, [0, 1, 2]));
  await bench(`matmul ones sum ${h}x${c}`, () => tf.tidy(() => tf.matMul(tf.ones([1, 64 * h * h]), tf.reshape(x, [64 * h * h, c]))));
  await bench(`reshape [M/c? ] sum axis0 ${h}x${c}`, () => tf.sum(tf.reshape(x, [64 * h * h, c]), 0));
  await bench(`mul ${h}x${c}`, () => tf.mul(x, dy));
  await bench(`transpose ${h}x${c}`, () => tf.transpose(x, [3, 0, 1, 2]));
  await bench(`relu ${h}x${c}`, () => tf.relu(x));
  await bench(`avgpool2 grad ${h}x${c}`, () => { const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(a as Tensor4D, 2, 2, "valid"), tf.ones([64, h/2, h/2, c])))); return g(x); });
  tf.dispose([x, dy]);
}
const net = new SuperNet({ numClasses: 10, inputSize: 32, seed: 0 });
const sgd = new Sgd(net.params);
const grads = new Map<string, tf.Tensor>();
for (const [n, v] of net.params) grads.set(n, tf.randomNormal(v.shape));
console.log(`params ${net.params.size}`);
await bench("sgd step all params", () => { sgd.step(0.025, grads); return tf.scalar(0); });
