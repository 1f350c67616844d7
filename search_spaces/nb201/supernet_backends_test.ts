import assert from "node:assert/strict";
import { initBackend } from "../../backends/backend.ts";
import { tf } from "../../backends/tf.ts";
import { RandomState } from "../../labels/random_state.ts";
import type { Genotype } from "./encoding.ts";
import { samplePaths, uniformPaths } from "./sampling.ts";
import { SuperNet } from "./supernet.ts";

/** Logits of a fixed sequence of forwards on a freshly built net on the current backend. */
async function run(): Promise<{ logits: Float32Array[]; stem: Float32Array }> {
  const net = new SuperNet({ numClasses: 10, inputSize: 32, seed: 17, cellsPerStage: 2 });
  const z = new RandomState(5).standardNormal(2 * 32 * 32 * 3);
  const x = tf.tensor4d(Float32Array.from(z), [2, 32, 32, 3]);
  const genotypes = ["333333", "241034", "100402", "000000"].map((s) => [...s].map(Number));
  const logits: Float32Array[] = [];
  try {
    const train = samplePaths(new RandomState(3), 6) as Genotype[];
    for (let s = 0; s < 2; s++) {
      const y = net.forward(x, train, true); // also moves the running statistics
      logits.push(await y.data() as Float32Array);
      y.dispose();
    }
    for (const g of genotypes) {
      const y = net.forward(x, uniformPaths(g, 6), false);
      logits.push(await y.data() as Float32Array);
      y.dispose();
    }
    const stem = (await net.exportWeights()).get("stem.0.weight")!.data;
    return { logits, stem };
  } finally {
    x.dispose();
    net.dispose();
  }
}

Deno.test("same seed, same weights and logits (within 1e-4 relative) on cpu and wasm", async () => {
  await initBackend("cpu");
  const cpu = await run();
  await initBackend("wasm");
  assert.equal(tf.getBackend(), "wasm");
  const wasm = await run();
  assert.deepEqual(wasm.stem, cpu.stem);
  cpu.logits.forEach((ref, k) => {
    let diff = 0;
    let scale = 0;
    ref.forEach((v, i) => {
      diff = Math.max(diff, Math.abs(v - wasm.logits[k][i]));
      scale = Math.max(scale, Math.abs(v));
    });
    assert.ok(scale > 0);
    assert.ok(diff <= 1e-4 * scale, `forward ${k}: max diff ${diff} (scale ${scale})`);
  });
});
