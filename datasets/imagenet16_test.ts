import assert from "node:assert/strict";
import { resolveDataDir } from "./data_dir.ts";
import { DataError } from "./errors.ts";
import {
  hasImageNet16,
  isOfficialImageNet16Val,
  loadImageNet16,
  parseImageNet16,
} from "./imagenet16.ts";

const dir = resolveDataDir();

Deno.test("ImageNet16-120 val.bin stand-in: 120 images, one per class, 16x16", async () => {
  const set = await loadImageNet16(dir, "val");
  assert.equal(set.count, 120);
  assert.equal(set.size, 16);
  assert.equal(set.numClasses, 120);
  assert.equal(set.images.length, 120 * 768);
  // README: one photo per class; classes.csv lists labels 0..119 in file order.
  assert.deepEqual(Array.from(set.labels), Array.from({ length: 120 }, (_, i) => i));
  assert.equal(isOfficialImageNet16Val(set), false);
});

Deno.test("missing ImageNet16-120 train file raises a DataError naming it", async () => {
  const root = await Deno.makeTempDir();
  try {
    assert.equal(hasImageNet16(root, "train"), false);
    await assert.rejects(
      () => loadImageNet16(root, "train"),
      (e: Error) =>
        e instanceof DataError && e.message.includes(`${root}/imagenet16-120/train.bin`),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("parseImageNet16: record layout and corrupt files", () => {
  const bytes = new Uint8Array(2 * 769);
  bytes[0] = 119;
  bytes[1] = 5; // R[0] of image 0
  bytes[1 + 256] = 6; // G[0]
  bytes[769] = 3;
  const set = parseImageNet16(bytes, "/d/in16.bin", "train", 100);
  assert.deepEqual(Array.from(set.labels), [119, 3]);
  assert.deepEqual(Array.from(set.indices), [100, 101]);
  assert.deepEqual([set.images[0], set.images[256]], [5, 6]);
  bytes[769] = 120;
  assert.throws(
    () => parseImageNet16(bytes, "/d/in16.bin", "train"),
    (e: Error) =>
      e instanceof DataError && e.message.includes("/d/in16.bin") && e.message.includes("120"),
  );
  assert.throws(() => parseImageNet16(bytes.subarray(0, 800), "/d/s.bin", "val"), DataError);
  assert.throws(() => parseImageNet16(bytes, "/d/s.bin", "test" as "val"), RangeError);
});
