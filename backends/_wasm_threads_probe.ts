/**
 * Subprocess entry of `wasm_threads_test.ts`: initialises the wasm backend on `--threads N`,
 * runs a convolution forward and its two gradients, writes the three results (float32, in that
 * order) to `--out FILE`, prints one JSON line (`threads`, `fallbackReason`, `values`) and then
 * simply returns, so that the test sees whether the process exits by itself.
 *
 * ```
 * deno run -A backends/_wasm_threads_probe.ts --threads 2 --out /tmp/conv.f32 [--start-timeout-ms 1]
 * ```
 *
 * `--start-timeout-ms` installs the threaded factory with that start timeout (a tiny one forces
 * the announced fallback to the single-threaded build).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { initBackend } from "./backend.ts";
import { tf } from "./tf.ts";
import { randomValues } from "./_test_util.ts";
import { installThreadedWasm, threadedWasmStatus } from "./wasm_threads.ts";

/** Input [batch, h, w, cin] and filter [k, k, cin, cout] of the probe's convolution. */
export const PROBE_SHAPES: {
  x: [number, number, number, number];
  w: [number, number, number, number];
} = {
  x: [8, 32, 32, 16],
  w: [3, 3, 16, 32],
};

const { values } = parseArgs({
  args: Deno.args,
  options: {
    threads: { type: "string" },
    out: { type: "string" },
    "start-timeout-ms": { type: "string" },
  },
});
if (values.threads === undefined || values.out === undefined) {
  throw new Error("usage: _wasm_threads_probe.ts --threads N --out FILE [--start-timeout-ms MS]");
}
const threads = Number(values.threads);
if (values["start-timeout-ms"] !== undefined && threads > 1) {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  installThreadedWasm(wasm, threads, { timeoutMs: Number(values["start-timeout-ms"]) });
}
const info = await initBackend("wasm", { wasmThreads: threads });
const [xs, ws] = [PROBE_SHAPES.x, PROBE_SHAPES.w];
const x = tf.tensor4d(randomValues(xs.reduce((a, b) => a * b), 1), xs);
const w = tf.tensor4d(randomValues(ws.reduce((a, b) => a * b), 2), ws);
const dy = tf.tensor4d(randomValues(xs[0] * xs[1] * xs[2] * ws[3], 3), [
  xs[0],
  xs[1],
  xs[2],
  ws[3],
]);
const y = tf.conv2d(x, w, 1, "same");
const [dx, dw] = tf.grads((a, b) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, "same"))(
  [x, w],
  dy,
);
const parts = await Promise.all([y, dx, dw].map((t) => t.data() as Promise<Float32Array>));
const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
parts.reduce((off, p) => (all.set(p, off), off + p.length), 0);
Deno.writeFileSync(values.out, new Uint8Array(all.buffer));
console.log(JSON.stringify({
  threads: info.threads,
  fallbackReason: threadedWasmStatus()?.fallbackReason ?? null,
  values: all.length,
}));
