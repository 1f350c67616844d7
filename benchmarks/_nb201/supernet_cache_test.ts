import assert from "node:assert/strict";
import { imageFingerprint } from "../../datasets/image_set.ts";
import { tinyData, tinySpec } from "./_tiny_spec.ts";
import { tf } from "../../backends/tf.ts";
import {
  CheckpointIntegrityError,
  epochFile,
  listWeightEpochs,
  stateFile,
} from "../../training/checkpoint.ts";
import {
  cacheRoot,
  findCachedSuperNet,
  loadAnglePair,
  loadTrainedNet,
  obtainSuperNet,
  supernetKey,
} from "./supernet_cache.ts";

Deno.test("cacheRoot: RLNAS_CACHE_DIR overrides <repo>/.cache/supernets", () => {
  assert.equal(cacheRoot((n) => (n === "RLNAS_CACHE_DIR" ? "/x/y/" : undefined)), "/x/y");
  assert.ok(cacheRoot(() => undefined).endsWith("/.cache/supernets"));
});

Deno.test("supernetKey: same training -> same key; any setting or data change -> new key", async () => {
  const k = await supernetKey(tinySpec());
  assert.match(k, /^[0-9a-f]{20}$/);
  assert.equal(await supernetKey(tinySpec()), k);
  const others = [
    tinySpec({ seed: 1 }),
    tinySpec({ labels: "ground-truth" }),
    tinySpec({ numClasses: 20 }),
    tinySpec({ epochs: 2 }),
    tinySpec({ init: "normal" }),
    tinySpec({ backend: "webgpu" }),
    tinySpec({ train: { ...tinyData.train, images: tinyData.train.images.map((b) => 255 - b) } }),
  ];
  const keys = await Promise.all(others.map(supernetKey));
  assert.equal(new Set([k, ...keys]).size, others.length + 1);
  // K equal to the dataset's class count is the default: the same SuperNet
  assert.equal(await supernetKey(tinySpec({ numClasses: 10 })), k);
});

Deno.test("imageFingerprint: FNV-1a over bytes, labels and indices", () => {
  const set = {
    ...tinyData.train,
    count: 1,
    images: new Uint8Array([1]),
    labels: Int32Array.from([0]),
    indices: Int32Array.from([0]),
  };
  // FNV-1a 32: h = 0x811c9dc5; per byte h = (h ^ b) * 0x01000193 (mod 2^32); bytes 1, 0 (label), 0 (index)
  let h = 0x811c9dc5;
  for (const b of [1, 0, 0]) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  assert.equal(imageFingerprint(set), h.toString(16).padStart(8, "0"));
});

Deno.test("obtainSuperNet: trains on a miss, reuses on a hit; W0 and Wt load", async () => {
  const root = await Deno.makeTempDir({ prefix: "rlnas-cache-" });
  const before = tf.memory().numTensors;
  try {
    const lines: string[] = [];
    const a = await obtainSuperNet(tinySpec(), { root, log: (l) => lines.push(l) });
    assert.equal(a.hit, false);
    assert.equal(a.dir, `${root}/${a.key}`);
    await Deno.stat(epochFile(a.dir, 0));
    await Deno.stat(epochFile(a.dir, 1));
    assert.match(lines[0], /training in /);
    const b = await obtainSuperNet(tinySpec(), { root, log: (l) => lines.push(l) });
    assert.equal(b.hit, true);
    assert.equal(b.key, a.key);
    assert.equal(b.trainSeconds, 0);
    assert.match(lines[lines.length - 1], /cached in /);
    const { w0, wt } = await loadAnglePair(b);
    const name = "classifier.weight";
    assert.deepEqual(w0.get(name)!.shape, [10, 8]);
    assert.notDeepEqual(w0.get(name)!.data, wt.get(name)!.data); // one SGD step moved it
    const net = await loadTrainedNet(b);
    const back = await net.exportWeights();
    assert.deepEqual(back.get(name)!.data, wt.get(name)!.data);
    net.dispose();
    assert.equal(tf.memory().numTensors, before);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("supernetKey: the backend is part of the key", async () => {
  const keys = await Promise.all(
    ["wasm", "webgpu", "cpu", "tensorflow"].map((backend) => supernetKey(tinySpec({ backend }))),
  );
  assert.equal(new Set(keys).size, 4);
  assert.equal(keys[0], await supernetKey(tinySpec()));
});

Deno.test("obtainSuperNet: refuses to train a SuperNet keyed to another backend", async () => {
  const root = await Deno.makeTempDir({ prefix: "rlnas-cache-" });
  try {
    await assert.rejects(
      obtainSuperNet(tinySpec({ backend: "webgpu" }), { root }),
      /is keyed to backend webgpu but the active tfjs backend is wasm/,
    );
    assert.deepEqual([...Deno.readDirSync(root)], []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

/** Flip the top exponent bit of every 97th float of the data section of a safetensors file. */
async function _flipExponents(path: string): Promise<void> {
  const bytes = await Deno.readFile(path);
  const start = 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true));
  for (let p = start + 3; p < bytes.length; p += 4 * 97) bytes[p] ^= 0x40;
  await Deno.writeFile(path, bytes);
}

Deno.test("findCachedSuperNet / obtainSuperNet: a corrupted epoch-001 is refused, naming it", async () => {
  const root = await Deno.makeTempDir({ prefix: "rlnas-cache-" });
  try {
    const a = await obtainSuperNet(tinySpec(), { root });
    assert.notEqual(await findCachedSuperNet(tinySpec(), { root }), null);
    const path = epochFile(a.dir, 1);
    await _flipExponents(path);
    const refused = (e: Error) => {
      assert.ok(e instanceof CheckpointIntegrityError, String(e));
      assert.equal(
        e.message,
        e.message.split("\n")[0],
        "one line",
      );
      assert.match(e.message, /^corrupt SuperNet checkpoint .*\(SHA-256 mismatch/);
      assert.ok(e.message.includes(path), e.message);
      assert.ok(e.message.endsWith(`; delete ${a.dir} to retrain it`), e.message);
      return true;
    };
    await assert.rejects(findCachedSuperNet(tinySpec(), { root }), refused);
    await assert.rejects(obtainSuperNet(tinySpec(), { root }), refused);
    // an entry handed out before the corruption does not load either (angle, accuracy)
    await assert.rejects(loadAnglePair(a), refused);
    await assert.rejects(loadTrainedNet(a), refused);
    // deleting the entry, as the message says, retrains it
    await Deno.remove(a.dir, { recursive: true });
    const b = await obtainSuperNet(tinySpec(), { root });
    assert.equal(b.hit, false);
    assert.equal(b.key, a.key);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("obtainSuperNet: keepEvery sets the retention, not the key", async () => {
  const root = await Deno.makeTempDir({ prefix: "rlnas-cache-" });
  try {
    const spec = tinySpec({ epochs: 3 });
    const a = await obtainSuperNet(spec, { root: `${root}/a` });
    const b = await obtainSuperNet(spec, { root: `${root}/b`, keepEvery: 2 });
    assert.equal(a.key, b.key);
    assert.deepEqual(await listWeightEpochs(a.dir), [0, 3]); // default 50
    assert.deepEqual(await listWeightEpochs(b.dir), [0, 2, 3]);
    await assert.rejects(Deno.stat(stateFile(b.dir, 2)), Deno.errors.NotFound);
    assert.deepEqual(
      await Deno.readFile(epochFile(a.dir, 3)),
      await Deno.readFile(epochFile(b.dir, 3)),
    );
    assert.equal((await obtainSuperNet(spec, { root: `${root}/b`, keepEvery: 1 })).hit, true);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
