import assert from "node:assert/strict";
import { initBackend } from "../backends/backend.ts";
import { tf } from "../backends/tf.ts";
import type { ImageSet } from "../datasets/image_set.ts";
import { RandomState } from "../labels/random_state.ts";
import { SuperNet } from "../search_spaces/nb201/supernet.ts";
import { AccuracyEvaluator, buildAccuracyData } from "./accuracy.ts";
import { accuracyMetric } from "./accuracy_metric.ts";

function _set(n: number, seed: number): ImageSet {
  const rs = new RandomState(seed);
  return {
    dataset: "ImageNet16-120",
    split: "x",
    size: 16,
    count: n,
    images: Uint8Array.from(rs.randint(0, 256, n * 768)),
    labels: rs.randint(0, 10, n),
    indices: Int32Array.from({ length: n }, (_, i) => i),
    numClasses: 10,
  };
}

Deno.test("accuracy metric = AccuracyEvaluator.scoreMany with the context's options", async () => {
  await initBackend("wasm");
  const net = new SuperNet({
    numClasses: 10,
    inputSize: 16,
    channels: 4,
    cellsPerStage: 1,
    seed: 1,
  });
  const train = _set(40, 1);
  const valid = _set(24, 2);
  const accuracy = { calibImages: 32, chunkSize: 16, evalBatch: 8, seed: 4 };
  const gs = [[3, 3, 3, 3, 3, 3], [1, 2, 4, 0, 3, 1]];
  const tensors = tf.memory().numTensors;
  const scorer = await accuracyMetric.create({ net, train, valid, accuracy });
  const got = await scorer(gs);
  scorer.dispose();
  assert.equal(tf.memory().numTensors, tensors);
  const ev = new AccuracyEvaluator(net, buildAccuracyData(train, valid, accuracy), accuracy);
  assert.deepEqual(got, await ev.scoreMany(gs));
  ev.dispose();
  // Pre-built data and explicit evaluation labels (all class 0): the score is the share of
  // images predicted as class 0, never above 100.
  const data = buildAccuracyData(train, valid, accuracy);
  const zeros = await accuracyMetric.create({
    net,
    accuracyData: data,
    accuracy: { ...accuracy, evalLabels: new Int32Array(24) },
  });
  const z = await zeros(gs);
  zeros.dispose();
  for (const v of z) {
    assert.ok(v >= 0 && v <= 100);
    assert.ok(Math.abs((v * 24) / 100 - Math.round((v * 24) / 100)) < 1e-9);
  }
  await assert.rejects(() => accuracyMetric.create({ train, valid }), /needs context\.net/);
  await assert.rejects(() => accuracyMetric.create({ net, train }), /needs context\.valid/);
  net.dispose();
});
