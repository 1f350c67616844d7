import assert from "node:assert/strict";
import {
  CHECKPOINT_FORMAT,
  epochFile,
  latestCheckpoint,
  listCheckpoints,
  loadCheckpoint,
  loadWeights,
  saveCheckpoint,
  stateFile,
  type TrainState,
} from "./checkpoint.ts";
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
    await writeSafetensors(epochFile(dir, 0), new Map(), { format: "other" });
    await assert.rejects(() => loadWeights(dir, 0), /epoch-000.safetensors is not a SuperNet/);
    await assert.rejects(() => loadCheckpoint(dir, 5), /epoch-005.safetensors/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
