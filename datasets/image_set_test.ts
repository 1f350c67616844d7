import assert from "node:assert/strict";
import { DataError } from "./errors.ts";
import {
  concatImageSets,
  DATASET_INFO,
  DATASET_NAMES,
  datasetInfo,
  decodeRecords,
  imageBytes,
  type ImageSet,
  parseDatasetName,
  selectImages,
} from "./image_set.ts";

Deno.test("DATASET_INFO holds the spec §1.5 constants", () => {
  assert.deepEqual(DATASET_NAMES, ["cifar10", "cifar100", "ImageNet16-120"]);
  const c10 = DATASET_INFO.cifar10;
  assert.deepEqual(c10.mean, [125.3 / 255, 123.0 / 255, 113.9 / 255]);
  assert.deepEqual(c10.std, [63.0 / 255, 62.1 / 255, 66.7 / 255]);
  assert.deepEqual([c10.size, c10.padding, c10.numClasses, c10.trainSize], [32, 4, 10, 50000]);
  const c100 = DATASET_INFO.cifar100;
  assert.deepEqual(c100.mean, [129.3 / 255, 124.1 / 255, 112.4 / 255]);
  assert.deepEqual(c100.std, [68.2 / 255, 65.4 / 255, 70.4 / 255]);
  assert.deepEqual([c100.size, c100.padding, c100.numClasses, c100.trainSize], [32, 4, 100, 50000]);
  const in16 = DATASET_INFO["ImageNet16-120"];
  assert.deepEqual(in16.mean, [122.68 / 255, 116.66 / 255, 104.01 / 255]);
  assert.deepEqual(in16.std, [63.22 / 255, 61.26 / 255, 65.09 / 255]);
  assert.deepEqual([in16.size, in16.padding, in16.numClasses, in16.trainSize, in16.testSize], [
    16,
    2,
    120,
    151700,
    6000,
  ]);
});

Deno.test("parseDatasetName rejects unknown names and lists the valid ones", () => {
  assert.equal(parseDatasetName("cifar100"), "cifar100");
  assert.equal(datasetInfo("ImageNet16-120").numClasses, 120);
  assert.throws(
    () => parseDatasetName("imagenet"),
    (e: Error) =>
      e instanceof RangeError && e.message.includes('"imagenet"') &&
      e.message.includes('"ImageNet16-120"'),
  );
});

function _tiny(): ImageSet {
  // 3 ImageNet16-sized images whose bytes all equal their position.
  const bytes = 3 * 16 * 16;
  const images = new Uint8Array(3 * bytes);
  for (let i = 0; i < 3; i++) images.fill(i + 1, i * bytes, (i + 1) * bytes);
  return {
    dataset: "ImageNet16-120",
    split: "val",
    size: 16,
    count: 3,
    images,
    labels: Int32Array.from([7, 8, 9]),
    indices: Int32Array.from([10, 11, 12]),
    numClasses: 120,
  };
}

Deno.test("selectImages copies images, labels and indices in the given order", () => {
  const s = selectImages(_tiny(), [2, 0], "xvalid");
  assert.equal(imageBytes(s), 768);
  assert.equal(s.count, 2);
  assert.equal(s.split, "xvalid");
  assert.deepEqual(Array.from(s.labels), [9, 7]);
  assert.deepEqual(Array.from(s.indices), [12, 10]);
  assert.equal(s.images.length, 2 * 768);
  assert.equal(s.images[0], 3);
  assert.equal(s.images[767], 3);
  assert.equal(s.images[768], 1);
  assert.throws(() => selectImages(_tiny(), [3]), RangeError);
});

Deno.test("concatImageSets joins sets in order and rejects mixed datasets", () => {
  const a = _tiny();
  const c = concatImageSets([a, selectImages(a, [1])], "all");
  assert.equal(c.count, 4);
  assert.deepEqual(Array.from(c.indices), [10, 11, 12, 11]);
  assert.equal(c.images[3 * 768], 2);
  const other = { ...a, dataset: "cifar10" as const, size: 32 };
  assert.throws(() => concatImageSets([a, other]), RangeError);
});

Deno.test("decodeRecords: layout, indices and DataErrors naming the path", () => {
  const fmt = { headerBytes: 2, labelByte: 1, numClasses: 100 };
  const rec = 2 + 3072;
  const bytes = new Uint8Array(2 * rec);
  bytes[0] = 4; // coarse (ignored)
  bytes[1] = 42; // fine
  bytes[2] = 200; // first R pixel of image 0
  bytes[rec + 1] = 99;
  bytes[2 * rec - 1] = 17; // last B pixel of image 1
  const set = decodeRecords(bytes, "/x/a.bin", fmt, {
    dataset: "cifar100",
    split: "train",
    firstIndex: 5,
  });
  assert.deepEqual(Array.from(set.labels), [42, 99]);
  assert.deepEqual(Array.from(set.indices), [5, 6]);
  assert.equal(set.images[0], 200);
  assert.equal(set.images[2 * 3072 - 1], 17);
  assert.equal(set.numClasses, 100);

  const meta = { dataset: "cifar100" as const, split: "train", firstIndex: 0 };
  assert.throws(
    () => decodeRecords(bytes.subarray(0, rec + 5), "/x/short.bin", fmt, meta),
    (e: Error) => e instanceof DataError && e.message.includes("/x/short.bin"),
  );
  const bad = bytes.slice();
  bad[rec + 1] = 100;
  assert.throws(
    () => decodeRecords(bad, "/x/label.bin", fmt, meta),
    (e: Error) =>
      e instanceof DataError && e.message.includes("/x/label.bin") && e.message.includes("100"),
  );
  assert.throws(() => decodeRecords(new Uint8Array(0), "/x/empty.bin", fmt, meta), DataError);
});
