import assert from "node:assert/strict";
import { resolveDataDir } from "./data_dir.ts";
import { DataError } from "./errors.ts";
import { loadSearchData, loadSplitFile, parseSplitText, restrictToSplit } from "./splits.ts";
import type { ImageSet } from "./image_set.ts";

const dir = resolveDataDir();

// Golden values: python3 + numpy on the shared data and split files
// (json.load(split)[key][1] -> ints; keep those < number of images present).

Deno.test("official split files: sizes and first indices", async () => {
  const c10 = await loadSplitFile(dir, "cifar-split");
  assert.equal(c10.train.length, 25000);
  assert.equal(c10.valid.length, 25000);
  assert.deepEqual(Array.from(c10.train.subarray(0, 5)), [0, 5, 7, 11, 13]);
  assert.deepEqual(Array.from(c10.valid.subarray(0, 5)), [1, 2, 3, 4, 6]);
  const c100 = await loadSplitFile(dir, "cifar100-test-split");
  assert.equal(c100.xvalid.length, 5000);
  assert.equal(c100.xtest.length, 5000);
  const in16 = await loadSplitFile(dir, "imagenet-16-120-test-split");
  assert.equal(in16.xvalid.length, 3000);
  assert.equal(in16.xtest.length, 3000);
});

Deno.test("parseSplitText validates format and range", () => {
  const ok = parseSplitText('{"a": ["int", ["3", "1"]], "b": ["int", []]}', "/s.txt", 4);
  assert.deepEqual(Array.from(ok.a), [3, 1]);
  assert.equal(ok.b.length, 0);
  for (
    const bad of ["{", "[1]", '{"a": ["float", ["1"]]}', '{"a": ["int", ["x"]]}', '{"a": 5}']
  ) {
    assert.throws(
      () => parseSplitText(bad, "/s.txt"),
      (e: Error) => e instanceof DataError && e.message.includes("/s.txt"),
      bad,
    );
  }
  assert.throws(() => parseSplitText('{"a": ["int", ["4"]]}', "/s.txt", 4), DataError);
});

Deno.test("restrictToSplit keeps present images in split order", () => {
  const set: ImageSet = {
    dataset: "cifar10",
    split: "train",
    size: 32,
    count: 3,
    images: new Uint8Array(3 * 3072).map((_, i) => Math.floor(i / 3072)),
    labels: Int32Array.from([4, 5, 6]),
    indices: Int32Array.from([20, 21, 22]),
    numClasses: 10,
  };
  const r = restrictToSplit(set, [1, 22, 20, 99], "valid");
  assert.deepEqual(Array.from(r.indices), [22, 20]);
  assert.deepEqual(Array.from(r.labels), [6, 4]);
  assert.equal(r.images[0], 2);
  assert.equal(r.split, "valid");
});

Deno.test("loadSearchData cifar10: official halves restricted to the first 10,000 images", async () => {
  const d = await loadSearchData(dir, "cifar10");
  assert.equal(d.train.count, 4978);
  assert.equal(d.valid.count, 5022);
  assert.deepEqual(Array.from(d.train.indices.subarray(0, 6)), [0, 5, 7, 11, 13, 15]);
  assert.deepEqual(Array.from(d.train.labels.subarray(0, 6)), [6, 1, 7, 7, 2, 9]);
  assert.equal(d.train.indices[d.train.count - 1], 9998);
  assert.deepEqual(Array.from(d.valid.indices.subarray(0, 6)), [1, 2, 3, 4, 6, 8]);
  assert.deepEqual(Array.from(d.valid.labels.subarray(0, 6)), [9, 9, 4, 1, 2, 8]);
  assert.equal(d.valid.indices[d.valid.count - 1], 9999);
  const hist = new Array(10).fill(0);
  for (const l of d.train.labels) hist[l]++;
  assert.deepEqual(hist, [498, 504, 521, 515, 509, 451, 510, 487, 513, 470]);
  assert.equal(d.train.split, "train");
  assert.equal(d.valid.split, "valid");
  assert.ok(d.notes.some((n) => n.includes("4,978 of the official 25,000 `train`")), d.notes[0]);
  assert.ok(d.notes.some((n) => n.includes("first 10,000 of the 50,000 training images")));
});

Deno.test("loadSearchData cifar100: all train images, xvalid of the test set", async () => {
  const d = await loadSearchData(dir, "cifar100");
  assert.equal(d.train.count, 1117);
  assert.equal(d.valid.count, 460);
  assert.deepEqual(Array.from(d.valid.indices.subarray(0, 5)), [1, 3, 4, 5, 8]);
  assert.deepEqual(Array.from(d.valid.labels.subarray(0, 5)), [33, 51, 71, 92, 23]);
  assert.equal(d.valid.indices[d.valid.count - 1], 915);
  assert.equal(d.valid.split, "xvalid");
  assert.ok(d.notes.some((n) => n.includes("1,117 of the official 50,000 `train`")));
  assert.ok(d.notes.some((n) => n.includes("460 of the official 5,000 `xvalid`")));
});

Deno.test("loadSearchData ImageNet16-120 without train.bin: val stand-in, loud notes", async () => {
  const d = await loadSearchData(dir, "ImageNet16-120");
  assert.equal(d.train.count, 120);
  assert.equal(d.valid.count, 67);
  assert.deepEqual(Array.from(d.valid.indices.subarray(0, 5)), [1, 2, 3, 6, 7]);
  assert.deepEqual(Array.from(d.valid.labels.subarray(0, 5)), [1, 2, 3, 6, 7]);
  assert.equal(d.notes.filter((n) => n.startsWith("WARNING")).length, 2);
  await assert.rejects(
    () => loadSearchData(dir, "ImageNet16-120", { requireTrain: true }),
    (e: Error) => e instanceof DataError && e.message.includes("imagenet16-120/train.bin"),
  );
});

Deno.test("loadSearchData limits take the first n in official order", async () => {
  const d = await loadSearchData(dir, "cifar10", { trainLimit: 3, validLimit: 2 });
  assert.deepEqual(Array.from(d.train.indices), [0, 5, 7]);
  assert.deepEqual(Array.from(d.valid.indices), [1, 2]);
  assert.ok(d.notes.some((n) => n.includes("first 3 of 4,978")));
  const big = await loadSearchData(dir, "cifar100", { validLimit: 100000 });
  assert.equal(big.valid.count, 460);
  assert.ok(big.notes.some((n) => n.includes("only 460 available")));
  for (const bad of [0, -1, 1.5]) {
    await assert.rejects(() => loadSearchData(dir, "cifar10", { trainLimit: bad }), RangeError);
  }
  await assert.rejects(() => loadSearchData(dir, "svhn" as "cifar10"), RangeError);
});
