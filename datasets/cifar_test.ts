import assert from "node:assert/strict";
import { resolveDataDir } from "./data_dir.ts";
import { DataError } from "./errors.ts";
import { loadCifar, locateCifar, parseCifar } from "./cifar.ts";

const dir = resolveDataDir();

Deno.test("CIFAR-10 train_10k.bin: official data_batch_1 labels and layout", async () => {
  const set = await loadCifar(dir, "cifar10", "train");
  assert.equal(set.count, 10000);
  assert.equal(set.size, 32);
  assert.equal(set.numClasses, 10);
  assert.equal(set.images.length, 10000 * 3072);
  // Official first 10 labels of data_batch_1 (well known).
  assert.deepEqual(Array.from(set.labels.subarray(0, 10)), [6, 9, 9, 4, 1, 1, 2, 7, 8, 3]);
  assert.equal(set.indices[0], 0);
  assert.equal(set.indices[9999], 9999);
  // numpy: a = fromfile(train_10k.bin).reshape(-1, 3073); a[0, 1], a[0, 1025], a[0, 2049],
  // a[-1, -1], a[:, 0].sum()
  assert.deepEqual([set.images[0], set.images[1024], set.images[2048]], [61, 62, 67]);
  assert.equal(set.images[set.images.length - 1], 134);
  assert.equal(set.labels.reduce((a, b) => a + b, 0), 44983);
});

Deno.test("CIFAR-10 test_2k.bin: official test_batch labels", async () => {
  const set = await loadCifar(dir, "cifar10", "test");
  assert.equal(set.count, 2000);
  assert.deepEqual(Array.from(set.labels.subarray(0, 10)), [3, 8, 8, 0, 6, 6, 1, 6, 3, 1]);
});

Deno.test("CIFAR-100 train/test: official fine labels", async () => {
  const train = await loadCifar(dir, "cifar100", "train");
  assert.equal(train.count, 1117);
  assert.equal(train.numClasses, 100);
  assert.deepEqual(
    Array.from(train.labels.subarray(0, 10)),
    [19, 29, 0, 11, 1, 86, 90, 28, 23, 31],
  );
  assert.equal(new Set(train.labels).size, 100); // README: all 100 classes present
  const test = await loadCifar(dir, "cifar100", "test");
  assert.equal(test.count, 916);
  assert.deepEqual(Array.from(test.labels.subarray(0, 10)), [
    49,
    33,
    72,
    51,
    71,
    92,
    15,
    14,
    23,
    0,
  ]);
  assert.equal(locateCifar(dir, "cifar100", "test").layout, "subset");
});

Deno.test("corrupt CIFAR files raise a DataError naming the path", () => {
  const rec = new Uint8Array(3073);
  assert.throws(
    () => parseCifar(new Uint8Array(3073 * 2 + 1), "/d/c10.bin", "cifar10", "train"),
    (e: Error) => e instanceof DataError && e.message.includes("/d/c10.bin"),
  );
  rec[0] = 10;
  assert.throws(
    () => parseCifar(rec, "/d/lab.bin", "cifar10", "train"),
    (e: Error) =>
      e instanceof DataError && e.message.includes("/d/lab.bin") && e.message.includes("label 10"),
  );
  const r100 = new Uint8Array(3074);
  r100[0] = 20; // coarse label out of range
  assert.throws(
    () => parseCifar(r100, "/d/c100.bin", "cifar100", "train"),
    (e: Error) => e instanceof DataError && e.message.includes("coarse label 20"),
  );
  assert.throws(() => parseCifar(rec, "/d/x", "cifar10" as const, "valid" as "train"), RangeError);
});

Deno.test("official CIFAR-10 layout: partial batches keep official indices", async () => {
  const root = await Deno.makeTempDir();
  try {
    const batchDir = `${root}/cifar10/cifar-10-batches-bin`;
    await Deno.mkdir(batchDir, { recursive: true });
    const bytes = new Uint8Array(10000 * 3073);
    for (let i = 0; i < 10000; i++) {
      bytes[i * 3073] = i % 10;
      bytes[i * 3073 + 1] = i % 251;
    }
    await Deno.writeFile(`${batchDir}/data_batch_2.bin`, bytes);
    const located = locateCifar(root, "cifar10", "train");
    assert.equal(located.layout, "official");
    assert.deepEqual(located.files.map((f) => f.firstIndex), [10000]);
    const set = await loadCifar(root, "cifar10", "train");
    assert.equal(set.count, 10000);
    assert.equal(set.indices[0], 10000);
    assert.equal(set.indices[9999], 19999);
    assert.equal(set.labels[13], 3);
    assert.equal(set.images[13 * 3072], 13);
    // A truncated official batch is an error, not a silent prefix.
    await Deno.writeFile(`${batchDir}/data_batch_3.bin`, bytes.subarray(0, 3 * 3073));
    await assert.rejects(
      () => loadCifar(root, "cifar10", "train"),
      (e: Error) => e instanceof DataError && e.message.includes("data_batch_3.bin"),
    );
    // Nothing for the test split: DataError naming the subset file and the official name.
    assert.throws(
      () => locateCifar(root, "cifar10", "test"),
      (e: Error) =>
        e instanceof DataError && e.message.includes("test_2k.bin") &&
        e.message.includes("test_batch.bin"),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
