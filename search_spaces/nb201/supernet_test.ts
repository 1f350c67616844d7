import assert from "node:assert/strict";
import { tf } from "../../backends/tf.ts";
import type { Tensor4D } from "../../backends/tf.ts";
import { RandomState } from "../../labels/random_state.ts";
import type { NamedTensor } from "../../training/safetensors.ts";
import type { Genotype } from "./encoding.ts";
import { uniformPaths } from "./sampling.ts";
import { edgeConvName, searchCellIndices, SuperNet, type SuperNetConfig } from "./supernet.ts";

await tf.setBackend("cpu");

const G = (...ops: number[]) => ops as unknown as Genotype;

interface Golden {
  config: SuperNetConfig;
  labels: number[];
  train_paths: number[][];
  train_logits: number[][];
  train_loss: number;
  grads: Record<string, number[]>;
  grad_stats: Record<string, [number, number, number]>;
  buffers_after_train: Record<string, number[]>;
  eval: { genotype: number[]; logits: number[][] }[];
  init_first: Record<string, number[]>;
}

const GOLDEN: Golden = JSON.parse(
  await Deno.readTextFile(
    new URL("../../fixtures/nb201_supernet/pytorch_golden_tiny.json", import.meta.url),
  ),
);

/** x = RandomState(seed).standard_normal(n*s*s*3) as NHWC float32 (numpy reference input). */
function inputBatch(n: number, s: number, seed: number): Tensor4D {
  const z = new RandomState(seed).standardNormal(n * s * s * 3);
  return tf.tensor4d(Float32Array.from(z), [n, s, s, 3]);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Gradient tensor (tfjs layout) -> PyTorch layout, flattened. */
async function gradToTorch(name: string, g: tf.Tensor): Promise<Float32Array> {
  const t = g.rank === 4
    ? tf.transpose(g, [3, 2, 0, 1])
    : name === "classifier.weight"
    ? tf.transpose(g)
    : tf.clone(g);
  const d = await t.data() as Float32Array;
  t.dispose();
  return d;
}

function ceLoss(logits: tf.Tensor2D, labels: number[], numClasses: number): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(
    tf.oneHot(tf.tensor1d(labels, "int32"), numClasses),
    logits,
  ) as tf.Scalar;
}

/** A 3-class, 16x16 SuperNet with C = 2 and one cell per stage (seed 4). */
function _tinyNet(): SuperNet {
  return new SuperNet({ numClasses: 3, inputSize: 16, seed: 4, channels: 2, cellsPerStage: 1 });
}

Deno.test("parameter names, shapes and count (C=16, N=5, 10 classes) match the spec", async () => {
  const net = new SuperNet({ numClasses: 10, inputSize: 32, seed: 0 });
  try {
    const w = await net.exportWeights({ buffers: true });
    const shape = (n: string) => w.get(n)?.shape;
    // hand count (spec §1.1-1.2, §3.1): stem 432+16+16; search cells 5*60*C^2 per stage;
    // ResNet blocks 14 464 and 57 600; lastact 128; classifier 640 + 10
    const stem = 432 + 32;
    const cells = 5 * 60 * (16 ** 2 + 32 ** 2 + 64 ** 2);
    assert.equal(cells, 1_612_800);
    assert.equal(net.numParams, stem + cells + 14_464 + 57_600 + 128 + 650);
    assert.equal(net.numParams, 1_686_106);
    // 3 stem + 15 cells * 6 edges * 2 kernels + 2 * 7 ResNet + 2 lastact + 2 classifier
    assert.equal(net.params.size, 3 + 180 + 14 + 2 + 2);
    // 2 per BN: stem, 180 cell BNs, 4 ResNet BNs, lastact
    assert.equal(net.buffers.size, 2 * (1 + 180 + 4 + 1));
    assert.equal(w.size, net.params.size + net.buffers.size);
    assert.deepEqual(shape("stem.0.weight"), [16, 3, 3, 3]);
    assert.deepEqual(shape("stem.1.running_var"), [16]);
    assert.deepEqual(shape("cells.0.edges.1<-0.2.op.1.weight"), [16, 16, 1, 1]);
    assert.deepEqual(shape("cells.16.edges.3<-2.3.op.1.weight"), [64, 64, 3, 3]);
    assert.deepEqual(shape("cells.7.edges.2<-1.3.op.2.running_mean"), [32]);
    assert.equal(shape("cells.7.edges.2<-1.3.op.2.weight"), undefined); // affine=False
    assert.deepEqual(shape("cells.5.conv_a.op.1.weight"), [32, 16, 3, 3]);
    assert.deepEqual(shape("cells.5.conv_a.op.2.bias"), [32]);
    assert.deepEqual(shape("cells.11.conv_b.op.1.weight"), [64, 64, 3, 3]);
    assert.deepEqual(shape("cells.11.downsample.1.weight"), [64, 32, 1, 1]);
    assert.deepEqual(shape("lastact.0.weight"), [64]);
    assert.deepEqual(shape("classifier.weight"), [10, 64]);
    assert.deepEqual(shape("classifier.bias"), [10]);
    assert.deepEqual(net.params.get("stem.0.weight")!.shape, [3, 3, 3, 16]); // tfjs layout
    assert.deepEqual(net.params.get("classifier.weight")!.shape, [64, 10]);
    assert.deepEqual(searchCellIndices(), [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16]);
    assert.ok([...w.keys()].every((n) => !n.includes("num_batches_tracked")));

    // spec §3.5 angle-vector lengths rebuilt from our parameter sizes
    const fixed = [...net.params.keys()].filter((n) => !n.includes(".edges."));
    const fixedLen = fixed.reduce((s, n) => s + net.params.get(n)!.size, 0);
    assert.equal(fixedLen, 73_306); // the all-skip vector (head + ResNet blocks + tail)
    const edgeUses = [2, 1, 1, 1, 1, 2]; // paths through each edge (spec §3.2)
    let conv3 = fixedLen;
    let pool = fixedLen;
    for (const k of searchCellIndices()) {
      edgeUses.forEach((m, e) => {
        const [i, j] = [[1, 0], [2, 0], [2, 1], [3, 0], [3, 1], [3, 2]][e];
        const kernel = w.get(edgeConvName(k, i, j, 3))!;
        conv3 += m * kernel.data.length;
        pool += m * kernel.shape[0] * 9; // [C_out, 3, 3] constant 1/9 vector
      });
    }
    assert.equal(conv3, 2_008_666);
    assert.equal(pool, 113_626);
  } finally {
    net.dispose();
  }
});

Deno.test("init: PyTorch-default bounds, BN 1/0, running stats 0/1, seeded and deterministic", async () => {
  const net = new SuperNet({
    numClasses: 10,
    inputSize: 32,
    seed: 0,
    channels: 8,
    cellsPerStage: 2,
  });
  const same = new SuperNet({
    numClasses: 10,
    inputSize: 32,
    seed: 0,
    channels: 8,
    cellsPerStage: 2,
  });
  const other = new SuperNet({
    numClasses: 10,
    inputSize: 32,
    seed: 1,
    channels: 8,
    cellsPerStage: 2,
  });
  try {
    const w = await net.exportWeights({ buffers: true });
    const w2 = await same.exportWeights({ buffers: true });
    const w3 = await other.exportWeights();
    for (const [name, t] of w) {
      assert.deepEqual(t.data, w2.get(name)!.data, name);
      if (
        name.endsWith("running_mean") || name.endsWith(".bias") && !name.startsWith("classifier")
      ) {
        assert.ok(t.data.every((v) => v === 0), name);
      } else if (name.endsWith("running_var") || name.endsWith(".weight") && t.shape.length === 1) {
        assert.ok(t.data.every((v) => v === 1), name);
      } else {
        const fanIn = t.shape.length === 4 ? t.shape[1] * t.shape[2] * t.shape[3] : 32;
        const b = 1 / Math.sqrt(fanIn);
        assert.ok(maxAbs(t.data) <= Math.fround(b), `${name} exceeds ${b}`);
        if (t.data.length >= 64) assert.ok(maxAbs(t.data) > 0.9 * b, `${name} too small`);
        assert.notDeepEqual(t.data, w3.get(name)!.data, name);
      }
    }
  } finally {
    net.dispose();
    same.dispose();
    other.dispose();
  }
});

Deno.test("init values equal numpy RandomState draws (uniform and normal)", async () => {
  const net = new SuperNet({ ...GOLDEN.config, inputSize: 16 });
  try {
    const w = await net.exportWeights();
    // from tools/pytorch_supernet.py init_like_tfjs (numpy RandomState(3).uniform stream)
    for (const [name, first] of Object.entries(GOLDEN.init_first)) {
      assert.deepEqual(Array.from(w.get(name)!.data.subarray(0, 3)), first, name);
    }
  } finally {
    net.dispose();
  }
  const normal = new SuperNet({ numClasses: 10, inputSize: 32, seed: 5, init: "normal" });
  try {
    const stem = (await normal.exportWeights()).get("stem.0.weight")!.data;
    // numpy: RandomState(5).normal(0, sqrt(2/27), 3).astype(float32)
    const ref = [0.1200869083404541, -0.09005144983530045, 0.6615720987319946];
    assert.ok(maxAbsDiff(stem.subarray(0, 3), ref) < 1e-7);
    const bias = (await normal.exportWeights()).get("classifier.bias")!.data;
    assert.ok(bias.every((v) => v === 0));
  } finally {
    normal.dispose();
  }
});

Deno.test("train-mode forward, CE gradients and running stats equal PyTorch (golden)", async () => {
  const cfg = GOLDEN.config;
  const net = new SuperNet({ ...cfg, inputSize: 16 });
  const x = inputBatch(3, 16, 123);
  try {
    const paths = GOLDEN.train_paths.map((g) => G(...g));
    let logits: tf.Tensor2D | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const l = net.forward(x, paths, true);
      logits = tf.keep(l);
      return ceLoss(l, GOLDEN.labels, cfg.numClasses);
    }, [...net.params.values()]);
    const dl = maxAbsDiff(await logits!.data(), GOLDEN.train_logits.flat());
    assert.ok(dl < 1e-5, `logits diff ${dl}`);
    assert.ok(Math.abs((await value.data())[0] - GOLDEN.train_loss) < 1e-5);
    const byName = new Map<string, tf.Tensor>();
    for (const [name, v] of net.params) if (grads[v.name]) byName.set(name, grads[v.name]);
    const used = net.usedParams(paths);
    const torchNames = [...Object.keys(GOLDEN.grads), ...Object.keys(GOLDEN.grad_stats)];
    assert.deepEqual(new Set(used), new Set(torchNames)); // PyTorch gives exactly these a gradient
    for (const name of torchNames) {
      const g = byName.get(name);
      if (g === undefined) {
        // reaches the loss only through `none` edges: PyTorch's gradient is exactly zero
        assert.ok(name.includes(".edges."), name);
        assert.equal(maxAbs(GOLDEN.grads[name] ?? [1]), 0, name);
        continue;
      }
      const d = await gradToTorch(name, g);
      if (GOLDEN.grads[name]) {
        const ref = GOLDEN.grads[name];
        const diff = maxAbsDiff(d, ref);
        assert.ok(diff <= 1e-4 * Math.max(maxAbs(ref), 1e-2), `${name}: diff ${diff}`);
      } else {
        const [s, s2, sw] = GOLDEN.grad_stats[name];
        let a = 0, a2 = 0, aw = 0;
        d.forEach((v, i) => {
          a += v;
          a2 += v * v;
          aw += (((i * 7) % 13) - 6) / 6 * v;
        });
        const scale = Math.sqrt(s2) * Math.sqrt(d.length);
        assert.ok(Math.abs(a - s) < 1e-4 * scale, `${name} sum ${a} vs ${s}`);
        assert.ok(Math.abs(a2 - s2) < 1e-4 * s2, `${name} sumsq ${a2} vs ${s2}`);
        assert.ok(Math.abs(aw - sw) < 1e-4 * scale, `${name} weighted ${aw} vs ${sw}`);
      }
    }
    const missing = torchNames.filter((n) => !byName.has(n));
    assert.deepEqual(missing, ["cells.0.edges.2<-0.2.op.1.weight"]);
    const buffers = await net.exportWeights({ buffers: true });
    for (const [name, ref] of Object.entries(GOLDEN.buffers_after_train)) {
      const diff = maxAbsDiff(buffers.get(name)!.data, ref);
      assert.ok(diff <= 1e-5 * Math.max(1, maxAbs(ref)), `${name}: diff ${diff}`);
    }
    // eval mode with the updated running statistics, same genotype in every cell
    for (const { genotype, logits: ref } of GOLDEN.eval) {
      const y = net.forward(x, uniformPaths(genotype, 3), false);
      const diff = maxAbsDiff(await y.data(), ref.flat());
      y.dispose();
      assert.ok(diff < 1e-5, `eval ${genotype}: diff ${diff}`);
    }
    tf.dispose([value, logits!, ...Object.values(grads)]);
  } finally {
    x.dispose();
    net.dispose();
  }
});

Deno.test("an all-none cell output gives logits = classifier bias (fresh running stats)", async () => {
  const net = new SuperNet({
    numClasses: 4,
    inputSize: 16,
    seed: 9,
    channels: 2,
    cellsPerStage: 1,
  });
  const x = inputBatch(2, 16, 1);
  try {
    const bias = Array.from(await net.params.get("classifier.bias")!.data());
    // every BN sees zeros: train mode -> 0, eval mode with mean 0 / var 1 -> 0; ReLU(0) = 0
    for (const training of [false, true]) {
      const y = net.forward(x, uniformPaths([2, 0, 0, 0, 0, 0], 3), training);
      const v = await y.data();
      y.dispose();
      for (let n = 0; n < 2; n++) {
        assert.deepEqual(Array.from(v.subarray(4 * n, 4 * n + 4)), bias.map(Math.fround));
      }
    }
  } finally {
    x.dispose();
    net.dispose();
  }
});

// Op-level finite-difference checks (convs, avg pool, skip, BN train mode, ResNet block, search
// cell) are in _ops_test.ts; the full-net gradients are checked against PyTorch above. Here: the
// head (lastact BN, global pool, classifier), where the float32 finite difference is not drowned
// by the ReLU kinks of 17 cells.
Deno.test("head gradients (lastact BN, pooling, classifier) match finite differences", async () => {
  const net = _tinyNet();
  const x = inputBatch(2, 16, 2);
  // conv3x3, conv1x1, avg pool, skip, none in every stage; BN train mode everywhere
  const paths = [G(3, 2, 4, 1, 3, 2), G(4, 1, 3, 2, 0, 3), G(2, 3, 1, 4, 2, 3)];
  const r = tf.tensor2d(Float32Array.from(new RandomState(3).rand(6), (u) => 2 * u - 1), [2, 3]);
  const loss = () => tf.sum(tf.mul(net.forward(x, paths, true), r)) as tf.Scalar;
  const evalLoss = async () => {
    const l = tf.tidy(loss);
    const v = (await l.data())[0];
    l.dispose();
    return v;
  };
  try {
    const names = ["lastact.0.weight", "lastact.0.bias", "classifier.weight", "classifier.bias"];
    const { grads } = tf.variableGrads(loss, [...net.params.values()]);
    const rs = new RandomState(11);
    const eps = 1e-3;
    let checked = 0;
    for (const name of names) {
      const v = net.params.get(name)!;
      const g = grads[v.name];
      assert.ok(g !== undefined, `${name} has no gradient`);
      const d = tf.tensor(Float32Array.from(rs.rand(v.size), (u) => 2 * u - 1), v.shape);
      const analytic = (await tf.tidy(() => tf.sum(tf.mul(g, d))).data())[0];
      const w0 = tf.clone(v);
      v.assign(tf.tidy(() => tf.add(w0, tf.mul(d, eps))));
      const lp = await evalLoss();
      v.assign(tf.tidy(() => tf.sub(w0, tf.mul(d, eps))));
      const lm = await evalLoss();
      v.assign(w0);
      tf.dispose([d, w0]);
      const fd = (lp - lm) / (2 * eps);
      assert.ok(
        Math.abs(fd - analytic) <= 1e-4 + 1e-3 * Math.abs(analytic),
        `${name}: finite difference ${fd} vs analytic ${analytic}`,
      );
      checked++;
    }
    assert.equal(checked, names.length);
    tf.dispose(Object.values(grads));
  } finally {
    tf.dispose([x, r]);
    net.dispose();
  }
});

Deno.test("tensor count stays flat over repeated train steps and eval forwards", async () => {
  const net = _tinyNet();
  const x = inputBatch(2, 16, 2);
  const paths = [G(3, 2, 4, 1, 3, 2), G(4, 0, 3, 2, 0, 3), G(0, 0, 0, 0, 0, 0)];
  try {
    const counts: number[] = [];
    for (let s = 0; s < 3; s++) {
      const { value, grads } = tf.variableGrads(
        () => ceLoss(net.forward(x, paths, true), [0, 2], 3),
        [...net.params.values()],
      );
      await value.data();
      tf.dispose([value, ...Object.values(grads)]);
      const y = net.forward(x, paths, false);
      await y.data();
      y.dispose();
      counts.push(tf.memory().numTensors);
    }
    assert.equal(counts[1], counts[0]);
    assert.equal(counts[2], counts[0]);
  } finally {
    x.dispose();
    net.dispose();
  }
});

Deno.test("running stats: momentum 0.1, unbiased variance, only executed BNs; resetRunningStats", async () => {
  const net = _tinyNet();
  const x = inputBatch(4, 16, 5);
  try {
    // stem BN input = stem conv output: compute its batch statistics by hand (float64)
    const conv = tf.conv2d(x, net.params.get("stem.0.weight") as tf.Tensor4D, 1, "same");
    const c = await conv.data();
    conv.dispose();
    const n = c.length / 2;
    const mean = [0, 1].map((ch) => {
      let s = 0;
      for (let i = ch; i < c.length; i += 2) s += c[i];
      return s / n;
    });
    const varU = [0, 1].map((ch) => {
      let s = 0;
      for (let i = ch; i < c.length; i += 2) s += (c[i] - mean[ch]) ** 2;
      return s / (n - 1);
    });
    const y = net.forward(x, uniformPaths([1, 1, 3, 1, 1, 1], 3), true);
    y.dispose();
    const w = await net.exportWeights({ buffers: true });
    const rm = w.get("stem.1.running_mean")!.data;
    const rv = w.get("stem.1.running_var")!.data;
    for (const ch of [0, 1]) {
      assert.ok(Math.abs(rm[ch] - 0.1 * mean[ch]) < 1e-6);
      assert.ok(Math.abs(rv[ch] - (0.9 + 0.1 * varU[ch])) < 1e-5);
    }
    // executed: 2<-1 conv3x3 of every cell; not executed: everything else in the cells
    assert.notDeepEqual(Array.from(w.get("cells.0.edges.2<-1.3.op.2.running_var")!.data), [1, 1]);
    assert.deepEqual(Array.from(w.get("cells.0.edges.2<-1.2.op.2.running_var")!.data), [1, 1]);
    assert.deepEqual(Array.from(w.get("cells.0.edges.1<-0.3.op.2.running_mean")!.data), [0, 0]);
    // eval mode does not change them
    const before = await net.exportWeights({ buffers: true });
    net.forward(x, uniformPaths([3, 3, 3, 3, 3, 3], 3), false).dispose();
    const after = await net.exportWeights({ buffers: true });
    for (const [k, t] of before) assert.deepEqual(after.get(k)!.data, t.data, k);
    net.resetRunningStats();
    for (const [k, t] of await net.exportWeights({ buffers: true })) {
      if (k.endsWith("running_mean")) assert.ok(t.data.every((v) => v === 0), k);
      if (k.endsWith("running_var")) assert.ok(t.data.every((v) => v === 1), k);
    }
  } finally {
    x.dispose();
    net.dispose();
  }
});

Deno.test("usedParams: fixed params + the executed conv kernels, state-dict order", () => {
  const net = new SuperNet({
    numClasses: 3,
    inputSize: 16,
    seed: 0,
    channels: 2,
    cellsPerStage: 1,
  });
  try {
    const used = net.usedParams([G(3, 0, 0, 0, 0, 0), G(1, 4, 0, 0, 0, 0), G(0, 2, 3, 2, 0, 4)]);
    assert.deepEqual(used, [
      "stem.0.weight",
      "stem.1.weight",
      "stem.1.bias",
      "cells.0.edges.1<-0.3.op.1.weight",
      "cells.1.conv_a.op.1.weight",
      "cells.1.conv_a.op.2.weight",
      "cells.1.conv_a.op.2.bias",
      "cells.1.conv_b.op.1.weight",
      "cells.1.conv_b.op.2.weight",
      "cells.1.conv_b.op.2.bias",
      "cells.1.downsample.1.weight",
      "cells.3.conv_a.op.1.weight",
      "cells.3.conv_a.op.2.weight",
      "cells.3.conv_a.op.2.bias",
      "cells.3.conv_b.op.1.weight",
      "cells.3.conv_b.op.2.weight",
      "cells.3.conv_b.op.2.bias",
      "cells.3.downsample.1.weight",
      "cells.4.edges.2<-0.2.op.1.weight",
      "cells.4.edges.2<-1.3.op.1.weight",
      "cells.4.edges.3<-0.2.op.1.weight",
      "lastact.0.weight",
      "lastact.0.bias",
      "classifier.weight",
      "classifier.bias",
    ]);
  } finally {
    net.dispose();
  }
});

Deno.test("exportWeights/importWeights: PyTorch layout, round trip, validation", async () => {
  const a = new SuperNet({ numClasses: 3, inputSize: 16, seed: 1, channels: 2, cellsPerStage: 1 });
  const b = new SuperNet({ numClasses: 3, inputSize: 16, seed: 2, channels: 2, cellsPerStage: 1 });
  const x = inputBatch(2, 16, 3);
  try {
    // layout: torch[o, i, y, x] == tfjs[y, x, i, o]
    const name = "cells.4.edges.3<-2.3.op.1.weight"; // C = 8
    const tfData = await a.params.get(name)!.data();
    const w = await a.exportWeights({ buffers: true });
    const t = w.get(name)!;
    assert.deepEqual(t.shape, [8, 8, 3, 3]);
    const [o, i, ky, kx] = [5, 2, 1, 2];
    assert.equal(t.data[((o * 8 + i) * 3 + ky) * 3 + kx], tfData[((ky * 3 + kx) * 8 + i) * 8 + o]);
    const cls = await a.params.get("classifier.weight")!.data(); // [8, 3]
    assert.equal(w.get("classifier.weight")!.data[2 * 8 + 5], cls[5 * 3 + 2]);
    // round trip into a differently seeded net: same logits
    a.forward(x, uniformPaths([3, 3, 2, 4, 1, 3], 3), true).dispose(); // non-trivial running stats
    const full = await a.exportWeights({ buffers: true });
    b.importWeights(full);
    const paths = uniformPaths([3, 1, 2, 4, 2, 3], 3);
    const ya = await a.forward(x, paths, false).data();
    const yb = await b.forward(x, paths, false).data();
    assert.deepEqual(yb, ya);
    for (const [k, v] of await b.exportWeights({ buffers: true })) {
      assert.deepEqual(v.data, full.get(k)!.data, k);
    }
    // validation (nothing changes on error)
    const bad = (m: Map<string, NamedTensor>, re: RegExp) =>
      assert.throws(() => b.importWeights(m), re);
    const params = await a.exportWeights();
    bad(
      new Map([...params, ["foo", { shape: [1], data: new Float32Array(1) }]]),
      /unknown tensor "foo"/,
    );
    const wrong = new Map(params);
    wrong.set("stem.0.weight", { shape: [2, 3, 3, 1], data: new Float32Array(18) });
    bad(wrong, /"stem.0.weight" has shape \[2,3,3,1\], expected \[2,3,3,3\]/);
    const missing = new Map(params);
    missing.delete("classifier.bias");
    bad(missing, /1 parameters missing, e.g. "classifier.bias"/);
    const partial = new Map(params);
    partial.set("stem.1.running_mean", { shape: [2], data: new Float32Array(2) });
    bad(partial, /all \d+ BN running statistics or none/);
    b.importWeights(params); // parameters only: fine
    b.importWeights(
      new Map([...full, ["stem.1.num_batches_tracked", { shape: [], data: new Float32Array(1) }]]),
    );
  } finally {
    x.dispose();
    a.dispose();
    b.dispose();
  }
});

Deno.test("bad configuration and inputs are rejected with clear errors", () => {
  assert.throws(
    () => new SuperNet({ numClasses: 0, inputSize: 32, seed: 0 }),
    /numClasses must be a positive integer, got 0/,
  );
  assert.throws(
    () => new SuperNet({ numClasses: 10, inputSize: 28 as 32, seed: 0 }),
    /inputSize must be 32 or 16, got 28/,
  );
  assert.throws(
    () => new SuperNet({ numClasses: 10, inputSize: 32, seed: 0, init: "xavier" as "normal" }),
    /init must be one of pytorch-uniform, normal, got xavier/,
  );
  assert.throws(() => new SuperNet({ numClasses: 10, inputSize: 32, seed: -1 }), /seed/);
  const net = new SuperNet({
    numClasses: 3,
    inputSize: 16,
    seed: 0,
    channels: 2,
    cellsPerStage: 1,
  });
  const x = tf.zeros([1, 16, 16, 3]) as Tensor4D;
  try {
    const ok = uniformPaths([1, 1, 1, 1, 1, 1], 3);
    assert.throws(
      () => net.forward(x, ok.slice(0, 2), false),
      /one genotype per search cell \(3\), got 2/,
    );
    assert.throws(
      () => net.forward(x, [...ok.slice(0, 2), G(1, 2, 5, 0, 0, 0)], false),
      /cell 2: op 5 at edge 2 is invalid/,
    );
    const x32 = tf.zeros([1, 32, 32, 3]) as Tensor4D;
    assert.throws(
      () => net.forward(x32, ok, false),
      /x must have shape \[N, 16, 16, 3\], got \[1,32,32,3\]/,
    );
    x32.dispose();
    assert.throws(() => edgeConvName(0, 1, 0, 4), /op 4 has no kernel/);
  } finally {
    x.dispose();
    net.dispose();
  }
  assert.throws(() => net.forward(x, [], false), /disposed/);
});

Deno.test("construction and dispose leave no tensors behind", () => {
  const before = tf.memory().numTensors;
  const net = new SuperNet({
    numClasses: 3,
    inputSize: 16,
    seed: 0,
    channels: 2,
    cellsPerStage: 1,
  });
  assert.equal(tf.memory().numTensors - before, net.params.size + net.buffers.size);
  net.dispose();
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("forward bnMomentum: default 0.1 bit-identical, 1 copies the batch statistics", async () => {
  const x = inputBatch(3, 16, 9);
  const paths = uniformPaths([3, 2, 4, 1, 3, 2], 3);
  const run = async (opts?: { bnMomentum?: number }) => {
    const net = _tinyNet();
    try {
      // two train-mode forwards from the reset state (the second one mixes old and new)
      for (let i = 0; i < 2; i++) {
        const y = opts === undefined
          ? net.forward(x, paths, true)
          : net.forward(x, paths, true, opts);
        y.dispose();
      }
      return await net.exportWeights({ buffers: true });
    } finally {
      net.dispose();
    }
  };
  try {
    const byDefault = await run();
    const explicit = await run({ bnMomentum: 0.1 });
    for (const [k, t] of byDefault) assert.deepEqual(explicit.get(k)!.data, t.data, k);
    // momentum 1: the running statistics are the last batch's (the same batch twice here), and
    // momentum 0 leaves the reset values
    const one = await run({ bnMomentum: 1 });
    const zero = await run({ bnMomentum: 0 });
    const m = byDefault.get("stem.1.running_mean")!.data;
    const m1 = one.get("stem.1.running_mean")!.data;
    // EMA of the same batch statistic s twice from 0: 0.1 s + 0.09 s = 0.19 s
    for (let c = 0; c < 2; c++) assert.ok(Math.abs(m[c] - 0.19 * m1[c]) < 1e-6, `${m[c]} ${m1[c]}`);
    for (const [k, t] of zero) {
      if (!k.includes("running")) continue;
      assert.ok(t.data.every((v) => v === (k.endsWith("running_var") ? 1 : 0)), k);
    }
    const net = _tinyNet();
    try {
      assert.throws(
        () => net.forward(x, paths, true, { bnMomentum: 1.5 }),
        /bnMomentum must be a number in \[0, 1\], got 1.5/,
      );
      assert.throws(() => net.forward(x, paths, false, { bnMomentum: NaN }), /bnMomentum/);
    } finally {
      net.dispose();
    }
  } finally {
    x.dispose();
  }
});
