import assert from "node:assert/strict";
import { initBackend } from "../backends/backend.ts";
import { webgpuUnavailableReason } from "../backends/webgpu_adapter.ts";
import { tf } from "../backends/tf.ts";
import type { Tensor1D, Tensor2D, Tensor4D } from "../backends/tf.ts";
import { RandomState } from "../labels/random_state.ts";
import type { Genotype } from "../search_spaces/nb201/encoding.ts";
import { SuperNet } from "../search_spaces/nb201/supernet.ts";
import { Sgd } from "./sgd.ts";
import { softmaxCrossEntropy, SposStepper } from "./step.ts";

await initBackend("wasm");

interface Golden {
  config: {
    channels: number;
    cellsPerStage: number;
    numClasses: number;
    inputSize: 16;
    seed: number;
    batch: number;
    inputSeed: number;
  };
  steps: { lr: number; paths: number[][]; labels: number[] }[];
  losses: number[];
  correct: number[];
  stats_after: Record<string, [number, number, number]>;
}

/** PyTorch (tools/pytorch_supernet.py) after 3 SPOS steps; see make_step_golden.py. */
const GOLDEN: Golden = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/training/step_golden.json", import.meta.url)),
);

Deno.test("softmaxCrossEntropy: matches the hand-computed mean -log softmax", async () => {
  // logits [[0, ln 3], [ln 2, 0]], labels [1, 0]: p = 3/4 and 2/3.
  const logits = tf.tensor2d([[0, Math.log(3)], [Math.log(2), 0]]) as Tensor2D;
  const labels = tf.tensor1d([1, 0], "int32") as Tensor1D;
  const l = softmaxCrossEntropy(logits, labels);
  const want = -(Math.log(3 / 4) + Math.log(2 / 3)) / 2;
  assert.ok(Math.abs((await l.data())[0] - want) < 1e-6);
  tf.dispose([logits, labels, l]);
  const bad = tf.tensor1d([1, 0, 2], "int32") as Tensor1D;
  const lg = tf.zeros([2, 3]) as Tensor2D;
  assert.throws(() => softmaxCrossEntropy(lg, bad), /logits must be \[B, K\] and labels \[B\]/);
  tf.dispose([bad, lg]);
});

const webgpuMissing = await webgpuUnavailableReason();

for (const backend of ["wasm", "webgpu"] as const) {
  Deno.test({
    name: `SposStepper on ${backend}: three steps match PyTorch (losses, correct, weights, stats)`,
    // the one allowed conditional skip: no WebGPU adapter, nothing to run on
    ignore: backend === "webgpu" && webgpuMissing !== undefined,
    fn: () => _threeStepsMatchPytorch(backend),
  });
}

async function _threeStepsMatchPytorch(backend: "wasm" | "webgpu"): Promise<void> {
  await initBackend(backend);
  const c = GOLDEN.config;
  const net = new SuperNet({
    numClasses: c.numClasses,
    inputSize: c.inputSize,
    channels: c.channels,
    cellsPerStage: c.cellsPerStage,
    seed: c.seed,
  });
  const sgd = new Sgd(net.params);
  const stepper = new SposStepper(net, sgd);
  const z = new RandomState(c.inputSeed).standardNormal(c.batch * 16 * 16 * 3);
  const x = tf.tensor4d(Float32Array.from(z), [c.batch, 16, 16, 3]) as Tensor4D;
  const afterSetup = tf.memory().numTensors;
  for (let s = 0; s < GOLDEN.steps.length; s++) {
    const { lr, paths, labels } = GOLDEN.steps[s];
    const y = tf.tensor1d(labels, "int32") as Tensor1D;
    const r = stepper.step(x, y, paths as unknown as Genotype[], lr);
    const loss = (await r.loss.data())[0];
    const correct = (await r.correct.data())[0];
    tf.dispose([y, r.loss, r.correct]);
    assert.ok(Math.abs(loss - GOLDEN.losses[s]) < 1e-5, `step ${s + 1}: loss ${loss}`);
    assert.equal(correct, GOLDEN.correct[s], `step ${s + 1}: correct`);
    assert.equal(tf.memory().numTensors, afterSetup, `step ${s + 1}: tensor count`);
  }
  const w = await net.exportWeights({ buffers: true });
  assert.equal(w.size, Object.keys(GOLDEN.stats_after).length);
  for (const [name, [s, s2, sw]] of Object.entries(GOLDEN.stats_after)) {
    const d = w.get(name)!.data;
    let a = 0, a2 = 0, aw = 0;
    d.forEach((v, i) => {
      a += v;
      a2 += v * v;
      aw += ((((i * 7) % 13) - 6) / 6) * v;
    });
    const scale = Math.sqrt(s2) * Math.sqrt(d.length);
    assert.ok(Math.abs(a - s) <= 1e-5 * scale, `${name}: sum ${a} vs ${s}`);
    assert.ok(Math.abs(a2 - s2) <= 1e-5 * s2, `${name}: sum of squares ${a2} vs ${s2}`);
    assert.ok(Math.abs(aw - sw) <= 1e-5 * scale, `${name}: weighted sum ${aw} vs ${sw}`);
  }
  assert.equal(sgd.steps, 3);
  x.dispose();
  sgd.dispose();
  net.dispose();
  await initBackend("wasm");
}
