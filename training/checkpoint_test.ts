import assert from "node:assert/strict";
import {
  CHECKPOINT_FORMAT,
  CheckpointIntegrityError,
  checksumsFile,
  epochFile,
  findNonFinite,
  keepsWeights,
  latestCheckpoint,
  listCheckpoints,
  listWeightEpochs,
  loadCheckpoint,
  loadWeights,
  pruneCheckpoints,
  saveCheckpoint,
  saveWeights,
  stateFile,
  type TrainState,
  verifyCheckpointFile,
} from "./checkpoint.ts";
import { sha256Hex } from "../datasets/download.ts";
import { readSafetensors, writeSafetensors } from "./safetensors.ts";

const _meta = {
  dataset: "cifar10",
  numClasses: 10,
  inputSize: 32,
  labels: "random-uniform-once",
  seed: 0,
  config: { epochs: 2 },
};

function _state(epoch: number): TrainState {
  return {
    epoch,
    globalStep: 4 * epoch,
    sgd: {
      momentum: new Map([["cells.0.w", { shape: [1, 2], data: new Float32Array([0.5, -1]) }]]),
      touched: ["stem.0.weight", "cells.0.w"],
      steps: 4 * epoch,
    },
    rng: { order: { key: [1, 2], pos: 3 } },
    labels: new Int32Array([3, 0, 9]),
    history: [{ epoch, lr: 0.025, loss: 2.3, accuracy: 0.1, images: 8, steps: 4, seconds: 1 }],
  };
}

Deno.test("checkpoint: file names follow the documented layout", () => {
  assert.equal(epochFile("/x", 0), "/x/epoch-000.safetensors");
  assert.equal(stateFile("/x", 12), "/x/state-012.safetensors");
  assert.equal(epochFile("/x", 1234), "/x/epoch-1234.safetensors");
  assert.throws(() => epochFile("/x", -1), /got -1/);
});

Deno.test("checkpoint: save/load round trip keeps weights, optimizer, RNG and labels", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const weights = new Map([
      ["stem.0.weight", { shape: [2, 1, 1, 1], data: new Float32Array([1.5, -2.25]) }],
    ]);
    await saveCheckpoint(dir, weights, _state(3), _meta);
    const got = await loadCheckpoint(dir, 3);
    assert.deepEqual(got.weights, weights);
    assert.deepEqual(got.state, _state(3));
    assert.equal(got.metadata.format, CHECKPOINT_FORMAT);
    assert.equal(got.metadata.epoch, "3");
    assert.equal(got.metadata.num_classes, "10");
    assert.deepEqual(JSON.parse(got.metadata.config), { epochs: 2 });
    // the weights file holds only the weights (PyTorch can load it as a state dict)
    const raw = await readSafetensors(epochFile(dir, 3));
    assert.deepEqual([...raw.tensors.keys()], ["stem.0.weight"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkpoint: only complete checkpoints are listed; latest is the highest", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.deepEqual(await listCheckpoints(`${dir}/missing`), []);
    assert.equal(await latestCheckpoint(dir), null);
    const w = new Map([["a", { shape: [1], data: new Float32Array([1]) }]]);
    await saveCheckpoint(dir, w, _state(0), _meta);
    await saveCheckpoint(dir, w, _state(1), _meta);
    // an orphan state file (run killed between the two writes) is not a checkpoint
    await writeSafetensors(stateFile(dir, 2), new Map(), { format: "x" });
    await Deno.writeTextFile(`${dir}/epoch-002.safetensors.abc.tmp`, "partial");
    assert.deepEqual(await listCheckpoints(dir), [0, 1]);
    assert.equal(await latestCheckpoint(dir), 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkpoint: foreign files are rejected with the path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await saveWeights(dir, 0, new Map(), { format: "other" });
    await assert.rejects(() => loadWeights(dir, 0), /epoch-000.safetensors is not a SuperNet/);
    await assert.rejects(() => loadCheckpoint(dir, 5), /epoch-005.safetensors/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function _inTmp(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Flip the most significant exponent bit of float `i` of the data section of a safetensors file. */
async function _flipExponent(path: string, i: number): Promise<void> {
  const bytes = await Deno.readFile(path);
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  bytes[8 + n + 4 * i + 3] ^= 0x40; // little-endian float32: byte 3 holds the sign and exponent
  await Deno.writeFile(path, bytes);
}

function _rejectsNaming(path: string, dir: string, why: RegExp) {
  return (e: Error) => {
    assert.ok(e instanceof CheckpointIntegrityError, String(e));
    assert.match(e.message, why);
    assert.ok(e.message.includes(path), e.message);
    assert.ok(e.message.endsWith(`; delete ${dir} to retrain it`), e.message);
    assert.ok(!e.message.includes("\n"), e.message);
    return true;
  };
}

Deno.test("checkpoint: checksums.json records both files; corrupt or unrecorded files are refused", async () => {
  await _inTmp(async (dir) => {
    const w = new Map([["a", { shape: [3], data: new Float32Array([0.5, -1.25, 2]) }]]);
    await saveCheckpoint(dir, w, _state(1), _meta);
    const manifest = JSON.parse(await Deno.readTextFile(checksumsFile(dir)));
    assert.equal(manifest.algorithm, "SHA-256");
    for (const p of [epochFile(dir, 1), stateFile(dir, 1)]) {
      const name = p.slice(dir.length + 1);
      assert.equal(manifest.files[name], await sha256Hex(await Deno.readFile(p)));
    }
    // an exponent bit flip keeps the file readable as safetensors but not trusted:
    // 0.5 = 0x3f000000 -> 0x7f000000 = 2^127
    await _flipExponent(epochFile(dir, 1), 0);
    assert.equal((await readSafetensors(epochFile(dir, 1))).tensors.get("a")!.data[0], 2 ** 127);
    const mismatch = _rejectsNaming(
      epochFile(dir, 1),
      dir,
      /^corrupt SuperNet checkpoint .*SHA-256/,
    );
    await assert.rejects(loadWeights(dir, 1), mismatch);
    await assert.rejects(loadCheckpoint(dir, 1), mismatch);
    await assert.rejects(verifyCheckpointFile(epochFile(dir, 1)), mismatch);
    // the state file is checked as well
    await saveCheckpoint(dir, w, _state(2), _meta);
    await _flipExponent(stateFile(dir, 2), 1);
    await assert.rejects(
      loadCheckpoint(dir, 2),
      _rejectsNaming(stateFile(dir, 2), dir, /^corrupt SuperNet checkpoint .*SHA-256/),
    );
    // a file the manifest does not know, and a directory without a manifest
    await writeSafetensors(epochFile(dir, 3), w, { format: CHECKPOINT_FORMAT });
    await assert.rejects(
      loadWeights(dir, 3),
      _rejectsNaming(epochFile(dir, 3), dir, /no SHA-256 recorded in .*checksums\.json/),
    );
    await Deno.remove(checksumsFile(dir));
    await assert.rejects(
      loadWeights(dir, 3),
      _rejectsNaming(epochFile(dir, 3), dir, /checksums\.json is missing/),
    );
    await assert.rejects(
      loadWeights(dir, 9),
      _rejectsNaming(epochFile(dir, 9), dir, /^missing SuperNet checkpoint/),
    );
  });
});

Deno.test("checkpoint: saveWeights replaces a weights file and records its new checksum", async () => {
  await _inTmp(async (dir) => {
    const w = new Map([["a", { shape: [1], data: new Float32Array([1]) }]]);
    await saveCheckpoint(dir, w, _state(0), _meta);
    const { metadata } = await loadWeights(dir, 0);
    const edited = new Map([["a", { shape: [1], data: new Float32Array([0]) }]]);
    await saveWeights(dir, 0, edited, metadata);
    assert.deepEqual((await loadWeights(dir, 0)).weights, edited);
    assert.deepEqual((await loadCheckpoint(dir, 0)).state, _state(0));
  });
});

Deno.test("checkpoint: saveCheckpoint refuses non-finite weights, BN statistics and momentum", async () => {
  await _inTmp(async (dir) => {
    const bad = new Map([
      ["a.weight", { shape: [2], data: new Float32Array([1, NaN]) }],
      ["a.running_var", { shape: [2], data: new Float32Array([Infinity, -Infinity]) }],
    ]);
    assert.deepEqual(findNonFinite(bad), { values: 3, tensors: ["a.weight", "a.running_var"] });
    assert.equal(
      findNonFinite(new Map([["x", { shape: [1], data: new Float32Array([3e38]) }]])),
      null,
    );
    await assert.rejects(
      saveCheckpoint(dir, bad, _state(1), _meta),
      /non-finite weights or BN statistics: 3 values in 2 tensors \(first a\.weight\)/,
    );
    const st = _state(1);
    st.sgd.momentum.set("m", { shape: [1], data: new Float32Array([NaN]) });
    const good = new Map([["a", { shape: [1], data: new Float32Array([1]) }]]);
    await assert.rejects(saveCheckpoint(dir, good, st, _meta), /non-finite momentum: 1 values/);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  });
});

Deno.test("checkpoint: keepsWeights keeps W0, the latest and every K-th epoch", () => {
  const kept = (latest: number, k: number) =>
    Array.from({ length: latest + 1 }, (_, e) => e).filter((e) => keepsWeights(e, latest, k));
  assert.deepEqual(kept(7, 3), [0, 3, 6, 7]);
  assert.deepEqual(kept(6, 3), [0, 3, 6]);
  assert.deepEqual(kept(3, 1), [0, 1, 2, 3]);
  assert.deepEqual(kept(4, 50), [0, 4]);
});

Deno.test("checkpoint: pruneCheckpoints deletes old files and their checksums, keeps the latest", async () => {
  await _inTmp(async (dir) => {
    const w = (e: number) => new Map([["a", { shape: [1], data: new Float32Array([e]) }]]);
    for (let e = 0; e <= 7; e++) {
      await saveCheckpoint(dir, w(e), _state(e), _meta);
      if (e > 0) await pruneCheckpoints(dir, e, 3);
    }
    assert.deepEqual(await listWeightEpochs(dir), [0, 3, 6, 7]);
    assert.deepEqual(await listCheckpoints(dir), [7]);
    assert.equal(await latestCheckpoint(dir), 7);
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(names, [
      "checksums.json",
      "epoch-000.safetensors",
      "epoch-003.safetensors",
      "epoch-006.safetensors",
      "epoch-007.safetensors",
      "state-007.safetensors",
    ]);
    const files = JSON.parse(await Deno.readTextFile(checksumsFile(dir))).files;
    assert.deepEqual(Object.keys(files).sort(), names.filter((n) => n !== "checksums.json"));
    for (const e of [0, 3, 6, 7]) assert.deepEqual((await loadWeights(dir, e)).weights, w(e));
    assert.deepEqual((await loadCheckpoint(dir, 7)).state, _state(7));
    // a second prune removes nothing; keepEvery is validated; the latest must be complete
    assert.deepEqual(await pruneCheckpoints(dir, 7, 3), []);
    await assert.rejects(pruneCheckpoints(dir, 7, 0), /keepEvery must be an integer >= 1, got 0/);
    await assert.rejects(pruneCheckpoints(dir, 6, 3), /checkpoint 6 in .* is not complete/);
  });
});
