import assert from "node:assert/strict";
import { tinyData, tinySpec } from "./_tiny_spec.ts";
import { tf } from "../../backends/tf.ts";
import { epochFile } from "../../training/checkpoint.ts";
import {
  cacheRoot,
  imageFingerprint,
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
