import assert from "node:assert/strict";
import { initBackend } from "../backends/backend.ts";
import { tf } from "../backends/tf.ts";
import { resolveDataDir } from "../datasets/data_dir.ts";
import { loadSearchData } from "../datasets/splits.ts";
import { SuperNet } from "../search_spaces/nb201/supernet.ts";
import {
  CheckpointIntegrityError,
  DEFAULT_KEEP_EVERY,
  epochFile,
  latestCheckpoint,
  listWeightEpochs,
  loadCheckpoint,
  saveWeights,
  stateFile,
} from "./checkpoint.ts";
import { readSafetensors } from "./safetensors.ts";
import {
  estimateCheckpointDisk,
  resolveTrainConfig,
  streamSeeds,
  supernetTensorShapes,
  TrainingDivergedError,
  type TrainOptions,
  trainSuperNet,
} from "./trainer.ts";

await initBackend("wasm");
const data = await loadSearchData(resolveDataDir(), "cifar10", { trainLimit: 64, validLimit: 1 });
const train = data.train;
const tiny = { channels: 4, cellsPerStage: 1 };

/** A tiny fast run: 32 CIFAR-10 images, batch 16, C = 4, one search cell per stage. */
function _opts(extra: Partial<TrainOptions> = {}): TrainOptions {
  return {
    train,
    maxImages: 32,
    batchSize: 16,
    epochs: 2,
    net: tiny,
    seed: 0,
    onEpoch: null,
    ...extra,
  };
}

async function _tmp<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "rlnas-train-" });
  try {
    return await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function _bytes(path: string): Promise<Uint8Array> {
  return await Deno.readFile(path);
}

Deno.test("streamSeeds: labels use the run seed (official draws), other streams differ", () => {
  const s = streamSeeds(0);
  assert.equal(s.init, 0);
  assert.equal(s.labels, 0);
  assert.equal(s.order, 0x2545f491);
  assert.equal(streamSeeds(1).augment, (1 ^ 0x9e3779b9) >>> 0);
  assert.equal(streamSeeds(3, 7).labels, 7);
  assert.equal(new Set(Object.values(streamSeeds(5))).size, 5); // init = labels
  assert.throws(() => streamSeeds(-1), /seed must be an integer in \[0, 4294967295\], got -1/);
});

Deno.test("resolveTrainConfig: defaults of SPOS.config and clear errors", () => {
  const c = resolveTrainConfig({ train, epochs: 250 });
  assert.equal(c.batchSize, 64);
  assert.equal(c.lrMax, 0.025);
  assert.equal(c.lrMin, 0.001);
  assert.equal(c.weightDecay, 5e-4);
  assert.equal(c.momentum, 0.9);
  assert.equal(c.nesterov, true);
  assert.equal(c.zeroGrad, "pytorch1");
  assert.equal(c.labels, "random-uniform-once");
  assert.equal(c.numClasses, 10);
  assert.equal(c.inputSize, 32);
  assert.equal(c.channels, 16);
  assert.equal(c.cellsPerStage, 5);
  assert.equal(c.images, 64);
  assert.equal(resolveTrainConfig({ train, epochs: 1, numClasses: 4 }).numClasses, 4);
  assert.throws(
    () => resolveTrainConfig({ train, epochs: 1, labels: "ground-truth", numClasses: 4 }),
    /numClasses 4 needs a random label scheme/,
  );
  assert.throws(() => resolveTrainConfig({ train, epochs: 0 }), /epochs must be .* got 0/);
  assert.throws(
    () => resolveTrainConfig({ train, epochs: 1, keepEvery: 0 }),
    /keepEvery must be an integer >= 1, got 0/,
  );
  assert.throws(
    () => resolveTrainConfig({ train, epochs: 1, labels: "x" }),
    /unknown label scheme/,
  );
  assert.throws(
    () => resolveTrainConfig({ train, epochs: 1, zeroGrad: "torch2" as "pytorch1" }),
    /zeroGrad must be one of pytorch1, set-to-none, got torch2/,
  );
});

Deno.test("trainSuperNet: W0 is written before the first step; same seed -> same bytes", async () => {
  await _tmp(async (dir) => {
    const a = await trainSuperNet(_opts({ epochs: 1, checkpointDir: `${dir}/a` }));
    const b = await trainSuperNet(_opts({ epochs: 1, checkpointDir: `${dir}/b` }));
    const c = await trainSuperNet(_opts({ epochs: 1, checkpointDir: `${dir}/c`, seed: 1 }));
    for (const r of [a, b, c]) r.net.dispose();
    assert.equal(a.labelIndexing, "official");
    assert.equal(await latestCheckpoint(`${dir}/a`), 1);
    // W0 = the freshly initialised SuperNet of the init seed, BN stats untouched
    const fresh = new SuperNet({ numClasses: 10, inputSize: 32, seed: 0, ...tiny });
    const w0 = await fresh.exportWeights({ buffers: true });
    fresh.dispose();
    const saved = await readSafetensors(epochFile(`${dir}/a`, 0));
    assert.deepEqual(saved.tensors, w0);
    assert.equal(saved.metadata.epoch, "0");
    for (const k of [0, 1]) {
      assert.deepEqual(
        await _bytes(epochFile(`${dir}/a`, k)),
        await _bytes(epochFile(`${dir}/b`, k)),
      );
    }
    assert.notDeepEqual(
      await _bytes(epochFile(`${dir}/a`, 1)),
      await _bytes(epochFile(`${dir}/c`, 1)),
    );
    // the weights moved, the BN running statistics were updated
    const w1 = (await readSafetensors(epochFile(`${dir}/a`, 1))).tensors;
    assert.notDeepEqual(w1.get("stem.0.weight"), w0.get("stem.0.weight"));
    assert.notDeepEqual(w1.get("stem.1.running_mean"), w0.get("stem.1.running_mean"));
  });
});

Deno.test("trainSuperNet: resume after a mid-epoch stop ends bit-identical", async () => {
  await _tmp(async (dir) => {
    const full = await trainSuperNet(_opts({ checkpointDir: `${dir}/full` }));
    full.net.dispose();
    assert.equal(full.globalStep, 4);
    // killed in the middle of epoch 2 (after step 3 of 4), then resumed from epoch 1
    const cut = await trainSuperNet(_opts({ checkpointDir: `${dir}/cut`, stopAfterSteps: 3 }));
    cut.net.dispose();
    assert.equal(cut.stopped, true);
    assert.equal(cut.epochsDone, 1);
    assert.equal(await latestCheckpoint(`${dir}/cut`), 1);
    const res = await trainSuperNet(_opts({ checkpointDir: `${dir}/cut`, resume: true }));
    assert.equal(res.resumedFrom, 1);
    assert.equal(res.epochsDone, 2);
    assert.equal(res.globalStep, 4);
    const live = await res.net.exportWeights({ buffers: true });
    res.net.dispose();
    assert.deepEqual(
      await _bytes(epochFile(`${dir}/cut`, 2)),
      await _bytes(epochFile(`${dir}/full`, 2)),
    );
    assert.deepEqual(live, (await readSafetensors(epochFile(`${dir}/full`, 2))).tensors);
    const sa = await loadCheckpoint(`${dir}/full`, 2);
    const sb = await loadCheckpoint(`${dir}/cut`, 2);
    assert.deepEqual(sb.state.sgd, sa.state.sgd);
    assert.deepEqual(sb.state.rng, sa.state.rng);
    assert.deepEqual(
      sb.state.history.map((h) => [h.loss, h.accuracy, h.lr]),
      sa.state.history.map((h) => [h.loss, h.accuracy, h.lr]),
    );
    // resuming a finished run does nothing
    const again = await trainSuperNet(_opts({ checkpointDir: `${dir}/full`, resume: true }));
    again.net.dispose();
    assert.equal(again.resumedFrom, 2);
    assert.equal(again.globalStep, 4);
  });
});

Deno.test("trainSuperNet: resume from W0 and with an abort signal", async () => {
  await _tmp(async (dir) => {
    const ac = new AbortController();
    ac.abort();
    const cut = await trainSuperNet(_opts({ epochs: 1, checkpointDir: dir, signal: ac.signal }));
    cut.net.dispose();
    assert.equal(cut.stopped, true);
    assert.equal(cut.globalStep, 0);
    assert.equal(await latestCheckpoint(dir), 0);
    const res = await trainSuperNet(_opts({ epochs: 1, checkpointDir: dir, resume: true }));
    res.net.dispose();
    assert.equal(res.resumedFrom, 0);
    const ref = await trainSuperNet(_opts({ epochs: 1, checkpointDir: `${dir}/ref` }));
    ref.net.dispose();
    assert.deepEqual(await _bytes(epochFile(dir, 1)), await _bytes(epochFile(`${dir}/ref`, 1)));
  });
});

Deno.test("trainSuperNet: refuses a different configuration or a used directory", async () => {
  await _tmp(async (dir) => {
    const r = await trainSuperNet(_opts({ epochs: 1, checkpointDir: dir, stopAfterSteps: 0 }));
    r.net.dispose();
    await assert.rejects(
      () => trainSuperNet(_opts({ epochs: 1, checkpointDir: dir, resume: true, seed: 3 })),
      /configuration differs in labelSeed, seed, seeds \(checkpoint: labelSeed=0, seed=0/,
    );
    await assert.rejects(
      () => trainSuperNet(_opts({ epochs: 1, checkpointDir: dir })),
      /already holds checkpoints \(latest epoch 0\)/,
    );
    await assert.rejects(
      () => trainSuperNet(_opts({ resume: true })),
      /resume needs checkpointDir/,
    );
  });
});

Deno.test("trainSuperNet: tensor count is flat across epochs and runs", async () => {
  const counts: number[] = [];
  // whatever building + disposing a SuperNet alone leaves behind is not the trainer's
  const n0 = tf.memory().numTensors;
  new SuperNet({ numClasses: 10, inputSize: 32, seed: 0, ...tiny }).dispose();
  const netResidue = tf.memory().numTensors - n0;
  (await trainSuperNet(_opts({ epochs: 1 }))).net.dispose(); // warm-up (one-time kernel setup)
  const before = tf.memory().numTensors;
  const r = await trainSuperNet(_opts({
    epochs: 3,
    onEpoch: () => counts.push(tf.memory().numTensors),
  }));
  assert.equal(counts.length, 3);
  assert.equal(counts[1], counts[0]);
  assert.equal(counts[2], counts[0]);
  r.net.dispose();
  assert.equal(tf.memory().numTensors, before + netResidue);
});

Deno.test("trainSuperNet: a diverging run stops naming epoch and step, W0 kept", async () => {
  await _tmp(async (dir) => {
    const err = await trainSuperNet(
      _opts({ lrMax: 1e30, lrMin: 1e30, epochs: 3, checkpointDir: dir, progressEvery: 1 }),
    ).then(() => null, (e) => e);
    assert.ok(err instanceof TrainingDivergedError, String(err));
    assert.match(err.message, /non-finite loss at epoch \d+, step \d+/);
    assert.ok(err.step >= 1 && err.step <= 2);
    assert.equal(await latestCheckpoint(dir), err.epoch - 1);
    await Deno.stat(stateFile(dir, 0));
  });
});

Deno.test("trainSuperNet: K random classes size the head; progress records", async () => {
  const epochs: number[] = [];
  const batches: [number, number][] = [];
  const r = await trainSuperNet(_opts({
    epochs: 1,
    numClasses: 3,
    progressEvery: 1,
    onEpoch: (p) => {
      epochs.push(p.epoch);
      assert.equal(p.epochs, 1);
      assert.equal(p.images, 32);
      assert.equal(p.steps, 2);
      assert.equal(p.lr, 0.025);
      assert.ok(p.imagesPerSecond > 0 && p.etaSeconds === 0);
      assert.ok(p.accuracy >= 0 && p.accuracy <= 1 && Number.isFinite(p.loss));
    },
    onBatch: (p) => batches.push([p.epoch, p.step]),
  }));
  assert.deepEqual(r.net.params.get("classifier.weight")!.shape, [16, 3]);
  r.net.dispose();
  assert.deepEqual(epochs, [1]);
  assert.deepEqual(batches, [[1, 1]]); // the last step is reported by the epoch record
});

Deno.test("trainSuperNet: pytorch1 keeps decaying once-sampled ops, set-to-none does not", async () => {
  const a = await trainSuperNet(_opts({ epochs: 1 }));
  const b = await trainSuperNet(_opts({ epochs: 1, zeroGrad: "set-to-none" }));
  const wa = await a.net.exportWeights();
  const wb = await b.net.exportWeights();
  a.net.dispose();
  b.net.dispose();
  // same data, labels and paths; at step 2 pytorch1 also decays the ops sampled only at step 1
  assert.notDeepEqual(wa, wb);
});

for (const labels of ["ground-truth", "random-uniform-once"]) {
  Deno.test(`trainSuperNet: the loss falls when overfitting 16 images (${labels})`, async () => {
    const r = await trainSuperNet(_opts({
      labels,
      maxImages: 16,
      batchSize: 8,
      epochs: 10,
      lrMax: 0.1,
      lrMin: 0.1,
      net: { channels: 8, cellsPerStage: 1 },
    }));
    r.net.dispose();
    const loss = r.history.map((h) => h.loss);
    const first = (loss[0] + loss[1]) / 2;
    const last = (loss[7] + loss[8] + loss[9]) / 3;
    assert.ok(last < first - 0.1, `loss did not fall: ${loss.map((l) => l.toFixed(3))}`);
  });
}

Deno.test("trainSuperNet: zero classifier and lr 0 give loss ln(10) and numpy's label hits", async () => {
  await _tmp(async (dir) => {
    const o = _opts({ epochs: 1, lrMax: 0, lrMin: 0, checkpointDir: dir });
    (await trainSuperNet({ ...o, stopAfterSteps: 0 })).net.dispose();
    const w0 = await readSafetensors(epochFile(dir, 0));
    for (const k of ["classifier.weight", "classifier.bias"]) w0.tensors.get(k)!.data.fill(0);
    await saveWeights(dir, 0, w0.tensors, w0.metadata);
    const r = await trainSuperNet({ ...o, resume: true });
    r.net.dispose();
    // all logits 0: CE = ln 10; argmax picks class 0, and numpy's
    // RandomState(0).randint(0, 10, 50000) at the first 32 `train` indices of cifar-split.txt
    // that lie in the 10k subset holds three 0s.
    assert.ok(Math.abs(r.history[0].loss - Math.log(10)) < 1e-5, `${r.history[0].loss}`);
    assert.equal(r.history[0].accuracy, 3 / 32);
    assert.deepEqual([...train.indices.slice(0, 8)], [0, 5, 7, 11, 13, 15, 16, 17]);
  });
});

function _names(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

Deno.test("resolveTrainConfig: numClasses below 2 is a RangeError naming the value; nothing is written", async () => {
  for (const k of [1, 0, -3, 2.5]) {
    assert.throws(
      () => resolveTrainConfig({ train, epochs: 1, numClasses: k }),
      (e: Error) => {
        assert.ok(e instanceof RangeError, String(e));
        assert.equal(e.message, `numClasses must be an integer >= 2, got ${k}`);
        return true;
      },
    );
  }
  assert.equal(resolveTrainConfig({ train, epochs: 1, numClasses: 2 }).numClasses, 2);
  await _tmp(async (dir) => {
    await assert.rejects(
      trainSuperNet(_opts({ numClasses: 1, checkpointDir: `${dir}/run` })),
      RangeError,
    );
    assert.deepEqual(_names(dir), []);
  });
});

Deno.test("trainSuperNet: lr 1e6 leaves NaN weights at a finite loss; epoch 1 is refused, not written", async () => {
  await _tmp(async (dir) => {
    // 8 steps of batch 4: the loss read back stays finite, the weights do not
    const err = await trainSuperNet(
      _opts({ epochs: 1, batchSize: 4, lrMax: 1e6, lrMin: 1e6, checkpointDir: dir }),
    ).then(() => null, (e) => e);
    assert.ok(err instanceof TrainingDivergedError, String(err));
    assert.equal(err.epoch, 1);
    assert.equal(err.step, 8);
    assert.ok(err.values !== undefined && err.values.values > 0, err.message);
    assert.match(
      err.message,
      /^training diverged: non-finite weights.* after epoch 1, step 8 \(lr 1000000\): \d+ values in \d+ tensors \(first [^)]+\); checkpoint epoch-001 was not written, the last good checkpoint is epoch 0$/,
    );
    await assert.rejects(Deno.stat(epochFile(dir, 1)), Deno.errors.NotFound);
    await assert.rejects(Deno.stat(stateFile(dir, 1)), Deno.errors.NotFound);
    assert.equal(await latestCheckpoint(dir), 0);
    // what is on disk is finite and loads
    await loadCheckpoint(dir, 0);
  });
});

Deno.test("trainSuperNet: resume removes the temp files of killed writes", async () => {
  await _tmp(async (dir) => {
    (await trainSuperNet(_opts({ epochs: 1, checkpointDir: dir, stopAfterSteps: 0 }))).net
      .dispose();
    // pid 99999999 is above Linux's largest pid (2^22): its writer is gone
    const stale = "state-001.safetensors.99999999.abcd1234.tmp";
    await Deno.writeTextFile(`${dir}/${stale}`, "partial");
    await Deno.utime(`${dir}/${stale}`, 0, 0); // old, for systems where pids cannot be checked
    const r = await trainSuperNet(_opts({ epochs: 1, checkpointDir: dir, resume: true }));
    r.net.dispose();
    assert.equal(r.resumedFrom, 0);
    assert.ok(!_names(dir).includes(stale), _names(dir).join(" "));
    assert.ok(!_names(dir).some((n) => n.endsWith(".tmp")), _names(dir).join(" "));
  });
});

Deno.test("trainSuperNet: resume refuses a corrupted checkpoint, naming it", async () => {
  await _tmp(async (dir) => {
    (await trainSuperNet(_opts({ epochs: 1, checkpointDir: dir, stopAfterSteps: 0 }))).net
      .dispose();
    const bytes = await Deno.readFile(stateFile(dir, 0));
    bytes[bytes.length - 1] ^= 0x40;
    await Deno.writeFile(stateFile(dir, 0), bytes);
    await assert.rejects(
      trainSuperNet(_opts({ epochs: 1, checkpointDir: dir, resume: true })),
      (e: Error) => {
        assert.ok(e instanceof CheckpointIntegrityError, String(e));
        assert.ok(e.message.startsWith(`corrupt SuperNet checkpoint ${stateFile(dir, 0)} `));
        assert.ok(e.message.endsWith(`; delete ${dir} to retrain it`), e.message);
        return true;
      },
    );
  });
});

Deno.test("trainSuperNet: retention keeps W0, every keepEvery-th and the latest; resume stays bit-identical", async () => {
  await _tmp(async (dir) => {
    const o = (extra: Partial<TrainOptions>) => _opts({ epochs: 5, keepEvery: 2, ...extra });
    const full = await trainSuperNet(o({ checkpointDir: `${dir}/full` }));
    full.net.dispose();
    assert.deepEqual(_names(`${dir}/full`), [
      "checksums.json",
      "epoch-000.safetensors",
      "epoch-002.safetensors",
      "epoch-004.safetensors",
      "epoch-005.safetensors",
      "run.json",
      "state-005.safetensors",
    ]);
    assert.equal(await latestCheckpoint(`${dir}/full`), 5);
    const all = await trainSuperNet(o({ checkpointDir: `${dir}/all`, keepEvery: 1 }));
    all.net.dispose();
    assert.deepEqual(await listWeightEpochs(`${dir}/all`), [0, 1, 2, 3, 4, 5]);
    // killed in epoch 4 (after step 7 of 10): epoch 3 is the latest complete checkpoint
    const cut = await trainSuperNet(o({ checkpointDir: `${dir}/cut`, stopAfterSteps: 7 }));
    cut.net.dispose();
    assert.equal(await latestCheckpoint(`${dir}/cut`), 3);
    assert.deepEqual(await listWeightEpochs(`${dir}/cut`), [0, 2, 3]);
    const res = await trainSuperNet(o({ checkpointDir: `${dir}/cut`, resume: true }));
    res.net.dispose();
    assert.equal(res.resumedFrom, 3);
    assert.deepEqual(_names(`${dir}/cut`), _names(`${dir}/full`));
    for (const k of [0, 2, 4, 5]) {
      assert.deepEqual(
        await _bytes(epochFile(`${dir}/cut`, k)),
        await _bytes(epochFile(`${dir}/full`, k)),
      );
      assert.deepEqual(
        await _bytes(epochFile(`${dir}/all`, k)),
        await _bytes(epochFile(`${dir}/full`, k)),
      );
    }
    const a = await loadCheckpoint(`${dir}/full`, 5);
    const b = await loadCheckpoint(`${dir}/cut`, 5);
    assert.deepEqual(b.state.sgd, a.state.sgd);
    assert.deepEqual(b.state.rng, a.state.rng);
  });
});

Deno.test("supernetTensorShapes: the names and shapes of SuperNet's weights", async () => {
  for (
    const cfg of [{ channels: 3, cellsPerStage: 2, numClasses: 7 }, { ...tiny, numClasses: 10 }]
  ) {
    const net = new SuperNet({ inputSize: 32, seed: 0, ...cfg });
    const w = await net.exportWeights({ buffers: true });
    const params = new Set(net.params.keys());
    net.dispose();
    const { params: p, buffers: b } = supernetTensorShapes(cfg);
    assert.deepEqual([...p.keys()].sort(), [...params].sort());
    assert.deepEqual(
      new Map([...p, ...b].sort()),
      new Map([...w].map(([n, t]) => [n, t.shape] as [string, number[]]).sort()),
    );
  }
});

Deno.test("estimateCheckpointDisk: the paper's SuperNet by hand; a real run's files", async () => {
  // C = 16, N = 5 (TinyNetworkSPOS): stem 16*3*9 + BN 2*16; 5 cells per stage with 6 edges of
  // conv1x1 + conv3x3 = 10 C^2 per edge for C = 16, 32, 64; ResNet blocks 16->32 and 32->64
  // (conv_a, BN, conv_b, BN, 1x1 downsample); lastact BN 2*64; classifier 64*10 + 10
  const cells = 5 * 60 * (16 ** 2 + 32 ** 2 + 64 ** 2);
  const res = (i: number, o: number) => o * i * 9 + 2 * o + o * o * 9 + 2 * o + o * i;
  const params = 16 * 27 + 32 + cells + res(16, 32) + res(32, 64) + 128 + 650;
  assert.equal(params, 1686106);
  // BN running mean + var: affine BNs (16, 32, 32, 64, 64, 64) and one per conv op in the cells
  const bn = 2 * (16 + 32 + 32 + 64 + 64 + 64 + 5 * 12 * (16 + 32 + 64));
  const paper = estimateCheckpointDisk({ epochs: 250, numClasses: 10 });
  assert.equal(paper.parameters, params);
  assert.equal(paper.bnStatistics, bn);
  // float32 values + headers; W0, epochs 50, 100, ..., 250 and the last state
  assert.ok(
    paper.weightsFileBytes > 4 * (params + bn) &&
      paper.weightsFileBytes < 4 * (params + bn) + 64_000,
  );
  assert.ok(paper.stateFileBytes > 4 * params && paper.stateFileBytes < 4 * params + 100_000);
  assert.equal(DEFAULT_KEEP_EVERY, 50);
  assert.equal(paper.weightsFiles, 6);
  assert.equal(paper.stateFiles, 1);
  assert.equal(paper.bytes, 6 * paper.weightsFileBytes + paper.stateFileBytes);
  assert.ok(paper.peakBytes < 100e6, `${paper.peakBytes}`);
  assert.equal(estimateCheckpointDisk({ epochs: 250, numClasses: 10 }, 1).weightsFiles, 251);
  assert.equal(estimateCheckpointDisk({ epochs: 7, numClasses: 10 }, 3).weightsFiles, 4); // 0 3 6 7
  assert.throws(() => estimateCheckpointDisk({ epochs: 1, numClasses: 1 }), /numClasses/);
  // a real run whose steps sample every op: the weights file is exact, the state within 1%
  await _tmp(async (dir) => {
    const r = await trainSuperNet(
      _opts({ epochs: 3, batchSize: 2, keepEvery: 2, checkpointDir: dir }),
    );
    const nParams = r.net.params.size;
    r.net.dispose();
    const ck = await loadCheckpoint(dir, 3);
    assert.equal(ck.state.sgd.touched.length, nParams);
    const est = estimateCheckpointDisk(r.config, 2);
    assert.equal(est.weightsFiles, 3);
    assert.equal((await Deno.stat(epochFile(dir, 3))).size, est.weightsFileBytes);
    const state = (await Deno.stat(stateFile(dir, 3))).size;
    assert.ok(
      Math.abs(state - est.stateFileBytes) < 0.01 * state,
      `${state} vs ${est.stateFileBytes}`,
    );
    let total = 0;
    for (const n of _names(dir)) {
      if (n.endsWith(".safetensors")) total += (await Deno.stat(`${dir}/${n}`)).size;
    }
    assert.ok(Math.abs(total - est.bytes) < 0.01 * total, `${total} vs ${est.bytes}`);
  });
});
