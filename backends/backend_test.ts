import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { tf } from "./tf.ts";
import type { Tensor4D } from "./tf.ts";
import {
  BACKENDS,
  DEFAULT_BACKEND,
  initBackend,
  isBackendName,
  parseBackendName,
} from "./backend.ts";
import { webgpuUnavailableReason } from "./webgpu_adapter.ts";

const unavailable = await webgpuUnavailableReason();
if (unavailable !== undefined) {
  console.log(`skipping initBackend("webgpu"): ${unavailable}`);
}

Deno.test("backend names: wasm is the default, four backends", () => {
  assert.deepEqual([...BACKENDS], ["wasm", "cpu", "webgpu", "tensorflow"]);
  assert.equal(DEFAULT_BACKEND, "wasm");
  assert.ok(isBackendName("cpu"));
  assert.ok(!isBackendName("webgl"));
  assert.equal(parseBackendName("webgpu"), "webgpu");
});

Deno.test("unknown backend names are rejected with the valid names", async () => {
  await assert.rejects(
    () => initBackend("webgl"),
    (e: Error) =>
      e instanceof RangeError &&
      e.message === "unknown backend 'webgl'; valid backends: wasm, cpu, webgpu, tensorflow",
  );
  assert.throws(() => parseBackendName("WASM"), /unknown backend 'WASM'; valid backends: wasm/);
});

Deno.test("initBackend('cpu') and the default (wasm) activate the backend", async () => {
  const cpu = await initBackend("cpu");
  assert.equal(cpu.name, "cpu");
  assert.equal(tf.getBackend(), "cpu");
  assert.equal(cpu.tfjsVersion, "4.22.0"); // pinned in deno.json
  assert.match(cpu.device, /\(\d+ logical cores?\)$/);

  const wasm = await initBackend();
  assert.equal(wasm.name, "wasm");
  assert.equal(tf.getBackend(), "wasm");
  assert.equal(wasm.backendVersion, "4.22.0");
  assert.equal(wasm.threads, 1); // tfjs disables wasm threads under Node compatibility
  assert.equal(wasm.simd, await WebAssembly.validate(_SIMD_PROBE));
  assert.deepEqual(wasm.customKernels, ["Conv2DBackpropFilter", "Conv2DBackpropInput"]);
  // The backend computes: 3x3 'same' conv of ones with a ones filter has 9 in the interior.
  const y = tf.conv2d(
    tf.ones([1, 3, 3, 1]) as Tensor4D,
    tf.ones([3, 3, 1, 1]) as Tensor4D,
    1,
    "same",
  );
  assert.deepEqual([...await y.data()], [4, 6, 4, 6, 9, 6, 4, 6, 4]);
  y.dispose();
});

// A wasm module using a v128 SIMD instruction (wasm-feature-detect's SIMD probe).
const _SIMD_PROBE = new Uint8Array([
  0,
  97,
  115,
  109,
  1,
  0,
  0,
  0,
  1,
  5,
  1,
  96,
  0,
  1,
  123,
  3,
  2,
  1,
  0,
  10,
  10,
  1,
  8,
  0,
  65,
  0,
  253,
  15,
  253,
  98,
  11,
]);

Deno.test("initBackend('tensorflow') without tfjs-node says what to install", async () => {
  await initBackend("cpu");
  await assert.rejects(
    () => initBackend("tensorflow"),
    (e: Error) =>
      e.message.startsWith(
        "tensorflow backend unavailable: neither @tensorflow/tfjs-node-gpu " +
          "nor @tensorflow/tfjs-node is installed",
      ) &&
      e.message.includes(
        "deno install --allow-scripts=npm:@tensorflow/tfjs-node-gpu " +
          "npm:@tensorflow/tfjs-node-gpu@4.22.0",
      ) &&
      e.message.includes("libtensorflow") &&
      e.message.includes("CUDA 11.2") &&
      e.message.includes("cuDNN 8.1"),
  );
  assert.equal(tf.getBackend(), "cpu"); // unchanged after the failure
});

Deno.test({
  name: "initBackend('webgpu') reports the adapter",
  ignore: unavailable !== undefined,
  fn: async () => {
    const info = await initBackend("webgpu");
    assert.equal(info.name, "webgpu");
    assert.equal(tf.getBackend(), "webgpu");
    assert.ok(info.device.length > 0 && !info.device.startsWith("unknown"), info.device);
    const y = tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4]));
    assert.deepEqual([...await y.data()], [4, 6]);
    y.dispose();
    await initBackend("cpu");
  },
});

const BANNER = "looks like you are running TensorFlow.js in Node.js";

/** Runs `code` as a module in a fresh `deno run --allow-read` from a temporary cwd. */
async function _runProbe(code: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/probe.ts`, code);
    const config = fileURLToPath(new URL("../deno.json", import.meta.url));
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "--config", config, `${dir}/probe.ts`],
      cwd: dir,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const _backendUrl = new URL("./backend.ts", import.meta.url).href;
const _tfUrl = new URL("./tf.ts", import.meta.url).href;

Deno.test("no tfjs banner or other output; wasm works from another cwd with only --allow-read", async () => {
  const probe = await _runProbe(`
import { initBackend } from "${_backendUrl}";
import { tf } from "${_tfUrl}";
for (const name of ["cpu", "wasm"]) {
  const info = await initBackend(name);
  const x = tf.ones([2, 4, 4, 3]);
  const w = tf.ones([3, 3, 3, 2]);
  const [dx, dw] = tf.grads((a, b) => tf.sum(tf.conv2d(a, b, 2, 1)))([x, w]);
  await dx.data();
  const s = (await dw.sum().data())[0];
  Deno.stdout.writeSync(new TextEncoder().encode(name + " " + info.simd + " " + s + "\\n"));
}
`);
  assert.equal(probe.stderr, "");
  assert.equal(probe.code, 0);
  // sum over taps/channels of dW for all-ones x, dy: 2 images * 2 out ch * 3 in ch * (taps
  // inside the input over the 2x2 outputs of a 4x4 stride-2 pad-1 conv) = 12 * 25 = 300.
  assert.equal(probe.stdout, "cpu undefined 300\nwasm true 300\n");
});

Deno.test("control: the banner is printed when production mode is off", async () => {
  const probe = await _runProbe(`
import { tf } from "${_tfUrl}";
tf.env().set("PROD", false);
await tf.setBackend("cpu");
tf.tensor1d([1]).dispose();
`);
  assert.equal(probe.code, 0);
  assert.ok(probe.stderr.includes(BANNER), probe.stderr);
});
