import assert from "node:assert/strict";
import { initBackend } from "../backends/backend.ts";
import { tf } from "../backends/tf.ts";
import type { Tensor2D, Tensor4D } from "../backends/tf.ts";
import { DATASET_INFO, type ImageSet } from "../datasets/image_set.ts";
import { RandomState } from "../labels/random_state.ts";
import { SuperNet } from "../search_spaces/nb201/supernet.ts";
import type { Genotype as CellGenotype } from "../search_spaces/nb201/encoding.ts";
import {
  type AccuracyData,
  AccuracyEvaluator,
  buildAccuracyData,
  type RecalibratableNet,
  resetStatsWeight,
} from "./accuracy.ts";

/**
 * A hand-analysable "net": logits = per-image channel means minus a BN-like running mean, times
 * a weight. Train mode updates the running mean with PyTorch's momentum-0.1 EMA of the batch mean.
 */
class _FakeNet implements RecalibratableNet {
  readonly runningMean = tf.tidy(() => tf.variable(tf.zeros([3]), false));
  trainBatches: number[] = [];
  seenPaths: (readonly CellGenotype[])[] = [];
  resets = 0;
  forward(x: Tensor4D, paths: readonly CellGenotype[], training: boolean): Tensor2D {
    this.seenPaths.push(paths);
    const m = tf.mean(x, [1, 2]) as Tensor2D;
    if (training) {
      this.trainBatches.push(x.shape[0]);
      this.runningMean.assign(tf.add(tf.mul(this.runningMean, 0.9), tf.mul(tf.mean(m, 0), 0.1)));
    }
    return tf.sub(m, this.runningMean) as Tensor2D;
  }
  resetRunningStats(): void {
    this.resets++;
    tf.tidy(() => this.runningMean.assign(tf.zeros([3])));
  }
  async mean(): Promise<number[]> {
    return Array.from(await this.runningMean.data());
  }
  dispose(): void {
    this.runningMean.dispose();
  }
}

/** `n` constant 2x2 images: image i has channel values `vals[i]`. */
function _images(vals: number[][]): Float32Array {
  const out = new Float32Array(vals.length * 12);
  vals.forEach((v, i) => {
    for (let p = 0; p < 4; p++) for (let c = 0; c < 3; c++) out[i * 12 + p * 3 + c] = v[c];
  });
  return out;
}

const G = [3, 1, 2, 4, 0, 3];

Deno.test("top-1 against a hand-made case, over several eval batches", async () => {
  const net = new _FakeNet();
  const data: AccuracyData = {
    size: 2,
    calibration: _images([[0, 0, 0]]),
    // argmax: 0, 1, 2, 0, 2
    validation: _images([[3, 1, 0], [0, 2, 1], [0, 1, 5], [9, -1, 8], [-5, -4, -3]]),
    validLabels: Int32Array.from([0, 1, 1, 0, 2]),
  };
  const ev = new AccuracyEvaluator(net, data, { evalBatch: 2, recalibrate: false });
  assert.equal(await ev.score(G), 80);
  assert.equal(net.resets, 0);
  assert.deepEqual(net.trainBatches, []);
  // 15 search cells, all with the genotype; eval batches 2 + 2 + 1.
  assert.equal(net.seenPaths.length, 3);
  for (const p of net.seenPaths) assert.deepEqual(p, Array(15).fill(G));
  // Scoring against other labels.
  const other = new AccuracyEvaluator(net, data, {
    evalBatch: 4,
    recalibrate: false,
    evalLabels: Int32Array.from([2, 2, 2, 2, 2]),
  });
  assert.equal(await other.score(G), 40);
  ev.dispose();
  other.dispose();
  net.dispose();
});

Deno.test("recalibration resets BN stats, then forwards each chunk once in train mode", async () => {
  const net = new _FakeNet();
  tf.tidy(() => net.runningMean.assign(tf.fill([3], 100))); // stale statistics, must be reset
  const data: AccuracyData = {
    size: 2,
    calibration: _images([[10, 0, 0], [10, 0, 0], [10, 0, 0], [10, 0, 0], [10, 0, 0]]),
    validation: _images([[1.5, 1.0, 0]]),
    validLabels: Int32Array.from([0]),
  };
  const ev = new AccuracyEvaluator(net, data, { chunkSize: 2 });
  assert.equal(ev.calibCount, 5);
  // Without recalibration (stale means 100 for all channels): logits [-98.5, -99, -100] -> class 0.
  assert.equal(await ev.score(G, { recalibrate: false }), 100);
  // With: 3 chunks (2, 2, 1), EMA from 0: 10 * (1 - 0.9^3) = 2.71 -> logits [-1.21, 1, 0] -> class 1.
  assert.equal(await ev.score(G), 0);
  assert.equal(net.resets, 1);
  assert.deepEqual(net.trainBatches, [2, 2, 1]);
  assert.ok(Math.abs((await net.mean())[0] - 2.71) < 1e-5);
  assert.deepEqual(Array.from(await ev.scoreMany([G, G])), [0, 0]);
  assert.deepEqual(net.trainBatches, [2, 2, 1, 2, 2, 1, 2, 2, 1]);
  ev.dispose();
  await assert.rejects(() => ev.score(G), /after dispose/);
  net.dispose();
});

Deno.test("evaluator keeps the tensor count flat and frees its tensors", async () => {
  const before = tf.memory().numTensors;
  const net = new _FakeNet();
  const data: AccuracyData = {
    size: 2,
    calibration: _images([[1, 2, 3], [3, 2, 1], [0, 0, 1]]),
    validation: _images([[1, 0, 0], [0, 1, 0], [0, 0, 1]]),
    validLabels: Int32Array.from([0, 1, 2]),
  };
  const ev = new AccuracyEvaluator(net, data, { chunkSize: 2, evalBatch: 2 });
  await ev.score(G);
  const after1 = tf.memory().numTensors;
  await ev.scoreMany([G, [1, 1, 1, 1, 1, 1], G]);
  assert.equal(tf.memory().numTensors, after1);
  ev.dispose();
  net.dispose();
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("evaluator rejects inconsistent sizes and bad genotypes", async () => {
  const net = new _FakeNet();
  const data: AccuracyData = {
    size: 2,
    calibration: _images([[1, 2, 3]]),
    validation: _images([[1, 0, 0], [0, 1, 0]]),
    validLabels: Int32Array.from([0, 1]),
  };
  assert.throws(
    () => new AccuracyEvaluator(net, data, { evalLabels: Int32Array.from([1]) }),
    /evalLabels has 1 labels.*\(2\)/,
  );
  assert.throws(() => new AccuracyEvaluator(net, data, { chunkSize: 0 }), /chunkSize/);
  assert.throws(
    () => new AccuracyEvaluator(net, { ...data, calibration: new Float32Array(5) }),
    /whole number/,
  );
  const ev = new AccuracyEvaluator(net, data);
  await assert.rejects(() => ev.score([1, 2, 3, 4, 5, 6]), RangeError);
  ev.dispose();
  net.dispose();
});

/** A 32x32 CIFAR-10 set whose image i is the constant byte `i`. */
function _constSet(n: number, split: string): ImageSet {
  const images = new Uint8Array(n * 3072);
  for (let i = 0; i < n; i++) images.fill(i, i * 3072, (i + 1) * 3072);
  return {
    dataset: "cifar10",
    split,
    size: 32,
    count: n,
    images,
    labels: Int32Array.from({ length: n }, (_, i) => i % 10),
    indices: Int32Array.from({ length: n }, (_, i) => i),
    numClasses: 10,
  };
}

Deno.test("buildAccuracyData draws a seeded shuffled, augmented calibration cache", () => {
  const train = _constSet(10, "train");
  const valid = _constSet(6, "valid");
  const data = buildAccuracyData(train, valid, { calibImages: 13, validImages: 4, seed: 3 });
  const { mean, std } = DATASET_INFO.cifar10;
  // The centre pixel (row 16, col 16) is never padding (crop shift <= 4): recover the image byte.
  const byteAt = (arr: Float32Array, img: number, row: number, col: number) =>
    Math.round((arr[img * 3072 + (row * 32 + col) * 3] * std[0] + mean[0]) * 255);
  const drawn = Array.from({ length: 13 }, (_, i) => byteAt(data.calibration, i, 16, 16));
  // numpy: rs = np.random.RandomState(3); rs.permutation(10) -> [5 4 1 2 9 6 7 0 3 8],
  // then rs.permutation(10) -> [3 8 2 1 9 4 0 6 7 5] (second pass, first 3 taken).
  assert.deepEqual(drawn, [5, 4, 1, 2, 9, 6, 7, 0, 3, 8, 3, 8, 2]);
  // Augmented: some image has zero padding (byte 0 after normalisation) in a corner.
  const corners = Array.from({ length: 13 }, (_, i) => byteAt(data.calibration, i, 0, 0));
  assert.ok(corners.some((b, i) => b !== drawn[i]));
  // Validation: first 4 images, eval transform (every pixel = the image byte), true labels.
  for (let i = 0; i < 4; i++) assert.equal(byteAt(data.validation, i, 0, 0), i);
  assert.deepEqual(Array.from(data.validLabels), [0, 1, 2, 3]);
  assert.equal(data.calibration.length, 13 * 3072);
  // Same seed -> identical cache.
  const again = buildAccuracyData(train, valid, { calibImages: 13, validImages: 4, seed: 3 });
  assert.deepEqual(again.calibration, data.calibration);
  assert.throws(() => buildAccuracyData(train, valid, { validImages: 7 }), /validImages 7/);
});

/**
 * A synthetic 16x16 set (10 classes, random labels, seeded): each image is a random colour per
 * channel plus noise, so that an untrained net tells images apart.
 */
function _randomSet(n: number, split: string, seed: number): ImageSet {
  const rs = new RandomState(seed);
  const noise = rs.randint(0, 64, n * 768);
  const base = rs.randint(0, 192, n * 3);
  const images = noise.map((v, i) => v + base[Math.floor(i / 256)]);
  return {
    dataset: "ImageNet16-120",
    split,
    size: 16,
    count: n,
    images: Uint8Array.from(images),
    labels: rs.randint(0, 10, n),
    indices: Int32Array.from({ length: n }, (_, i) => i),
    numClasses: 10,
  };
}

function _argmax(logits: Float32Array, classes: number): Int32Array {
  const out = new Int32Array(logits.length / classes);
  for (let i = 0; i < out.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) {
      if (logits[i * classes + c] > logits[i * classes + best]) best = c;
    }
    out[i] = best;
  }
  return out;
}

Deno.test("SuperNet: recalibration matters, weights untouched, deterministic, flat tensors", async () => {
  await initBackend("wasm");
  const train = _randomSet(80, "train", 1);
  const valid = _randomSet(48, "valid", 2);
  const cfg = { numClasses: 10, inputSize: 16 as const, channels: 4, cellsPerStage: 1, seed: 5 };
  const net = new SuperNet(cfg);
  // Non-trivial head: a 10x larger classifier without bias, so predictions depend on the image.
  const w = await net.exportWeights();
  const cls = w.get("classifier.weight")!;
  w.set("classifier.weight", { shape: cls.shape, data: cls.data.map((v) => 10 * v) });
  w.set("classifier.bias", { shape: [10], data: new Float32Array(10) });
  net.importWeights(w);
  const sizes = { calibImages: 64, validImages: 48, seed: 0, chunkSize: 32, evalBatch: 16 };
  const data = buildAccuracyData(train, valid, sizes);
  const g = [3, 2, 1, 3, 4, 2];
  const paths = Array(net.numSearchCells).fill(g);
  const predict = async () => {
    const logits = tf.tidy(() =>
      net.forward(tf.tensor4d(data.validation, [48, 16, 16, 3]), paths, false)
    );
    const out = _argmax(await logits.data() as Float32Array, 10);
    logits.dispose();
    return out;
  };
  const probe = new AccuracyEvaluator(net, data, sizes);
  probe.recalibrate(g);
  const predCal = await predict();
  net.resetRunningStats();
  const predReset = await predict();
  probe.dispose();
  const agree = predCal.filter((p, i) => p === predReset[i]).length;
  assert.ok(agree < 48, "recalibrated and reset statistics give different predictions");

  // Score against the recalibrated predictions: 100 % with recalibration, the hand-counted
  // agreement without (running statistics freshly reset, as after resetRunningStats()).
  const ev = new AccuracyEvaluator(net, data, { ...sizes, evalLabels: predCal });
  const before = await net.exportWeights();
  const tensors = tf.memory().numTensors;
  assert.equal(await ev.score(g), 100);
  assert.equal(await ev.score(g), 100);
  net.resetRunningStats();
  assert.equal(await ev.score(g, { recalibrate: false }), (100 * agree) / 48);
  assert.equal(tf.memory().numTensors, tensors);
  // Trainable weights are unchanged by scoring (exportWeights omits BN buffers).
  const after = await net.exportWeights();
  for (const [name, t] of before) assert.deepEqual(after.get(name)!.data, t.data, name);
  // Recalibration first resets: an unexecuted op's BN holds mean 0 even after being dirtied.
  const unusedMean = net.buffers.get("cells.0.edges.1<-0.2.op.2.running_mean")!;
  tf.tidy(() => unusedMean.assign(tf.fill([4], 7)));
  assert.equal(await ev.score(g), 100);
  assert.deepEqual(Array.from(await unusedMean.data()), [0, 0, 0, 0]);
  // Deterministic: a second evaluator built from the same seed scores identically.
  const ev2 = AccuracyEvaluator.fromImageSets(net, train, valid, { ...sizes, evalLabels: predCal });
  const many = await ev2.scoreMany([g, [1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0]]);
  assert.equal(many[0], 100);
  // A disconnected cell outputs zeros, so every image gets the same prediction: the score is
  // the share of one label among the evaluation labels.
  const shares = new Set(
    Array.from(predCal, (p) => (100 * predCal.filter((q) => q === p).length) / 48),
  );
  assert.ok(shares.has(many[2]) || many[2] === 0);
  ev.dispose();
  ev2.dispose();
  net.dispose();
});

/** Image `n` of the recalibration test: NHWC value `((7n + 3y + 5x + 11c) mod 13) / 6 - 1`. */
function _patternImages(count: number, size: number): Float32Array {
  const out = new Float32Array(count * size * size * 3);
  let at = 0;
  for (let n = 0; n < count; n++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let c = 0; c < 3; c++) out[at++] = ((7 * n + 3 * y + 5 * x + 11 * c) % 13) / 6 - 1;
      }
    }
  }
  return out;
}

Deno.test("recalibration: cumulative = mean of the chunks' batch stats; 0.1 = the EMA", async () => {
  await initBackend("wasm");
  const size = 16;
  const net = new SuperNet({
    numClasses: 3,
    inputSize: size,
    seed: 2,
    channels: 2,
    cellsPerStage: 1,
  });
  // Stem conv = identity on input channels 0 and 1 (centre tap 1), so the stem BN sees the images
  // themselves and its batch statistics can be computed by hand.
  const w = await net.exportWeights();
  const stem = new Float32Array(2 * 3 * 9);
  for (const c of [0, 1]) stem[(c * 3 + c) * 9 + 4] = 1;
  w.set("stem.0.weight", { shape: [2, 3, 3, 3], data: stem });
  net.importWeights(w);
  const chunkSizes = [4, 4, 2]; // 10 images in chunks of 4: the last chunk is partial
  const calibration = _patternImages(10, size);
  const data: AccuracyData = {
    size,
    calibration,
    validation: _patternImages(2, size),
    validLabels: Int32Array.from([0, 1]),
  };
  const g = [3, 2, 4, 1, 3, 2];
  const buffers = async () => {
    const out = new Map<string, Float64Array>();
    for (const [k, t] of await net.exportWeights({ buffers: true })) {
      if (k.includes("running")) out.set(k, Float64Array.from(t.data));
    }
    return out;
  };
  // Hand reference for the stem BN: per chunk, the mean and the unbiased variance of each
  // channel over all images and pixels of the chunk (float64).
  const pixels = size * size;
  const stemStats = chunkSizes.map((n, i) => {
    const start = chunkSizes.slice(0, i).reduce((a, b) => a + b, 0);
    return [0, 1].map((c) => {
      const v: number[] = [];
      for (let k = 0; k < n * pixels; k++) v.push(calibration[(start * pixels + k) * 3 + c]);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const varU = v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1);
      return { mean, varU };
    });
  });
  // Reference for every BN: each chunk's own batch statistics (reset, then that chunk alone with
  // momentum 1, which copies the batch statistics into the running ones).
  const paths = Array(net.numSearchCells).fill(g);
  const perChunk: Map<string, Float64Array>[] = [];
  for (let i = 0, start = 0; i < chunkSizes.length; start += chunkSizes[i++]) {
    net.resetRunningStats();
    const x = tf.tensor4d(
      calibration.subarray(start * pixels * 3, (start + chunkSizes[i]) * pixels * 3),
      [chunkSizes[i], size, size, 3],
    );
    tf.tidy(() => void net.forward(x, paths, true, { bnMomentum: 1 }));
    x.dispose();
    perChunk.push(await buffers());
  }
  for (const [i, s] of stemStats.entries()) {
    for (const c of [0, 1]) {
      assert.ok(Math.abs(perChunk[i].get("stem.1.running_mean")![c] - s[c].mean) < 1e-6);
      assert.ok(Math.abs(perChunk[i].get("stem.1.running_var")![c] - s[c].varU) < 1e-5);
    }
  }
  const close = (got: Float64Array, want: number[], what: string) =>
    got.forEach((v, j) =>
      assert.ok(Math.abs(v - want[j]) <= 1e-5 * (1 + Math.abs(want[j])), `${what}[${j}]: ${v}`)
    );
  for (const bnMomentum of ["cumulative", 0.1] as const) {
    const ev = new AccuracyEvaluator(net, data, { chunkSize: 4, evalBatch: 2, bnMomentum });
    assert.equal(ev.bnMomentum, bnMomentum);
    ev.recalibrate(g);
    const got = await buffers();
    for (const [k, v] of got) {
      const reset = k.endsWith("running_var") ? 1 : 0;
      const want = Array.from(v, (_, j) => {
        const s = perChunk.map((m) => m.get(k)![j]);
        if (bnMomentum === "cumulative") return s.reduce((a, b) => a + b, 0) / s.length;
        // EMA: 0.9^3 * reset + 0.1 * (0.9^2 s1 + 0.9 s2 + s3)
        return 0.9 ** 3 * reset + 0.1 * (0.81 * s[0] + 0.9 * s[1] + s[2]);
      });
      close(v, want, `${bnMomentum} ${k}`);
    }
    // the stem BN against the hand-computed statistics
    const sm = got.get("stem.1.running_mean")!;
    const sv = got.get("stem.1.running_var")!;
    for (const c of [0, 1]) {
      const m = stemStats.map((s) => s[c].mean);
      const vu = stemStats.map((s) => s[c].varU);
      if (bnMomentum === "cumulative") {
        close(Float64Array.of(sm[c], sv[c]), [
          (m[0] + m[1] + m[2]) / 3,
          (vu[0] + vu[1] + vu[2]) / 3,
        ], "stem");
      } else {
        close(Float64Array.of(sm[c], sv[c]), [
          0.1 * (0.81 * m[0] + 0.9 * m[1] + m[2]),
          0.729 + 0.1 * (0.81 * vu[0] + 0.9 * vu[1] + vu[2]),
        ], "stem");
      }
    }
    ev.dispose();
  }
  assert.throws(
    () => new AccuracyEvaluator(net, data, { bnMomentum: 0 }),
    /bnMomentum must be a number in \(0, 1\] or "cumulative", got 0/,
  );
  net.dispose();
});

Deno.test("resetStatsWeight: the weight left on the reset statistics", () => {
  // official: 20,000 images in chunks of 512 = 40 chunks (39 x 512 + 32), 0.9^40
  assert.ok(Math.abs(resetStatsWeight(20_000, 512, 0.1) - 0.9 ** 40) < 1e-15);
  assert.ok(Math.abs(resetStatsWeight(128, 128, 0.1) - 0.9) < 1e-15); // one chunk: 90 %
  assert.equal(resetStatsWeight(64, 64, "cumulative"), 0);
  assert.ok(resetStatsWeight(38, 1, 0.1) <= 0.02 && resetStatsWeight(37, 1, 0.1) > 0.02);
  assert.throws(() => resetStatsWeight(10, 0), /chunkSize/);
  assert.throws(() => resetStatsWeight(10, 5, 1.5), /bnMomentum/);
});
