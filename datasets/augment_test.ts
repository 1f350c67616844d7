import assert from "node:assert/strict";
import { resolveDataDir } from "./data_dir.ts";
import { drawAugment, makeBatch, normalizationTable } from "./augment.ts";
import { loadCifar } from "./cifar.ts";
import { DATASET_INFO, type ImageSet } from "./image_set.ts";

/** A generator returning the scripted values in order (fails when exhausted). */
function scripted(values: number[]): () => number {
  let i = 0;
  return () => {
    assert.ok(i < values.length, "rng called more often than scripted");
    return values[i++];
  };
}

Deno.test("normalizationTable matches torchvision float32 ToTensor+Normalize (numpy)", () => {
  // numpy: (float32(b) / float32(255) - float32(m / 255)) / float32(s / 255), b = 0, 128, 255.
  const golden = {
    "cifar10": [
      [-1.9888888597488403, 0.04285723716020584, 2.058730125427246],
      [-1.9806764125823975, 0.08051541447639465, 2.125603675842285],
      [-1.707646131515503, 0.21139444410800934, 2.1154422760009766],
    ],
    "cifar100": [
      [-1.8958942890167236, -0.019061380997300148, 1.8431085348129272],
      [-1.897553563117981, 0.05963309481739998, 2.0015289783477783],
      [-1.5965908765792847, 0.2215910404920578, 2.0255680084228516],
    ],
    "ImageNet16-120": [
      [-1.9405250549316406, 0.0841507539153099, 2.093008518218994],
      [-1.9043421745300293, 0.18511271476745605, 2.2582435607910156],
      [-1.5979413986206055, 0.36856669187545776, 2.319711208343506],
    ],
  } as const;
  for (const [name, rows] of Object.entries(golden)) {
    const t = normalizationTable(name as keyof typeof golden);
    for (let c = 0; c < 3; c++) {
      assert.deepEqual([t[c * 256], t[c * 256 + 128], t[c * 256 + 255]], rows[c], `${name} c${c}`);
    }
  }
});

Deno.test("drawAugment: flip coin, then top, then left", () => {
  assert.deepEqual(drawAugment(scripted([0.49, 0.0, 0.999]), 4), { flip: true, top: 0, left: 8 });
  assert.deepEqual(drawAugment(scripted([0.5, 0.35, 0.8]), 4), { flip: false, top: 3, left: 7 });
  assert.deepEqual(drawAugment(scripted([0.9, 0.5, 0.19]), 2), { flip: false, top: 2, left: 0 });
});

/** A 4x4 "cifar10" image: R(y, x) = 10y + x + 1, G = R + 100, B = R + 200. */
function tinySet(): ImageSet {
  const images = new Uint8Array(3 * 16);
  for (let y = 0; y < 4; y++) {
    for (let x = 0; x < 4; x++) {
      const r = 10 * y + x + 1;
      images[y * 4 + x] = r;
      images[16 + y * 4 + x] = r + 100;
      images[32 + y * 4 + x] = r + 200;
    }
  }
  return {
    dataset: "cifar10",
    split: "train",
    size: 4,
    count: 1,
    images,
    labels: Int32Array.from([0]),
    indices: Int32Array.from([0]),
    numClasses: 10,
  };
}

/** Expected NHWC values of a 4x4 output from a hand-derived byte map (null = zero padding). */
function expected(rMap: (number | null)[][]): number[] {
  const { mean, std } = DATASET_INFO.cifar10;
  const out: number[] = [];
  for (let y = 0; y < 4; y++) {
    for (let x = 0; x < 4; x++) {
      const r = rMap[y][x];
      for (let c = 0; c < 3; c++) {
        const b = r === null ? 0 : r + 100 * c;
        out.push((b / 255 - mean[c]) / std[c]);
      }
    }
  }
  return out;
}

function assertClose(actual: ArrayLike<number>, want: number[], tol = 1e-5): void {
  assert.equal(actual.length, want.length);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(actual[i] - want[i]) <= tol, `index ${i}: ${actual[i]} vs ${want[i]}`);
  }
}

Deno.test("makeBatch augment on a 4x4 image, padding 2: flip then crop, by hand", () => {
  const set = tinySet();
  // Image 1: flip (0.3 < 0.5), top = floor(0 * 5) = 0, left = floor(0.99 * 5) = 4.
  // out(y, x) = flipped-padded(y, x + 4): source row y - 2, flipped column x + 2, i.e. original
  // column 3 - (x + 2) = 1 - x; only y in {2, 3}, x in {0, 1} fall inside the image.
  // Image 2 (same image again): no flip (0.7), top = floor(0.9 * 5) = 4, left = floor(0.5 * 5) = 2:
  // out(y, x) = original(y + 2, x) for y in {0, 1}; rows 2, 3 are padding.
  const batch = makeBatch(set, [0, 0], {
    augment: true,
    padding: 2,
    rng: scripted([0.3, 0.0, 0.99, 0.7, 0.9, 0.5]),
  });
  assert.equal(batch.length, 2 * 4 * 4 * 3);
  const _ = null;
  assertClose(
    batch.subarray(0, 48),
    expected([[_, _, _, _], [_, _, _, _], [2, 1, _, _], [12, 11, _, _]]),
  );
  assertClose(
    batch.subarray(48),
    expected([[21, 22, 23, 24], [31, 32, 33, 34], [_, _, _, _], [_, _, _, _]]),
  );
});

Deno.test("makeBatch eval transform on a 4x4 image is ToTensor + Normalize only", () => {
  const batch = makeBatch(tinySet(), [0], { augment: false });
  assertClose(
    batch,
    expected([[1, 2, 3, 4], [11, 12, 13, 14], [21, 22, 23, 24], [31, 32, 33, 34]]),
  );
});

Deno.test("makeBatch on CIFAR-10 image 0 matches a numpy pad/flip/crop reference", async () => {
  const c10 = await loadCifar(resolveDataDir(), "cifar10", "train");
  // rng: flip (0.2 < 0.5), top = floor(0.35 * 9) = 3, left = floor(0.8 * 9) = 7.
  // numpy: hwc = img.reshape(3,32,32).transpose(1,2,0); fl = hwc[:, ::-1]; pad = np.pad(fl,
  // ((4,4),(4,4),(0,0))); crop = pad[3:35, 7:39]; out = (crop/255 - mean) / std in float32.
  const aug = makeBatch(c10, [0], { augment: true, rng: scripted([0.2, 0.35, 0.8]) });
  const at = (y: number, x: number, c: number) => aug[(y * 32 + x) * 3 + c];
  assert.equal(at(0, 0, 0), -1.9888888597488403); // padding row
  assert.equal(at(0, 5, 1), -1.9806764125823975);
  assert.equal(at(1, 0, 2), -0.2983507513999939);
  assert.equal(at(5, 10, 0), -0.1793650984764099);
  assert.equal(at(31, 24, 1), 0.4186796545982361);
  assert.equal(at(31, 23, 1), 0.5314010381698608);
  assert.equal(at(12, 30, 2), -1.707646131515503); // padding column
  assert.ok(Math.abs(aug.reduce((a, b) => a + b, 0) - -1376.7726361666573) < 1e-2);
  const ev = makeBatch(c10, [0], { augment: false });
  assert.equal(ev[0], -1.0206348896026611);
  assert.equal(ev[32 * 32 * 3 - 1], -0.7031483054161072);
  assert.ok(Math.abs(ev.reduce((a, b) => a + b, 0) - -796.6385428665671) < 1e-2);
});

Deno.test("makeBatch: argument checks and buffer reuse", () => {
  const set = tinySet();
  assert.throws(() => makeBatch(set, [0], { augment: true }), RangeError);
  assert.throws(() => makeBatch(set, [1], { augment: false }), RangeError);
  assert.throws(
    () => makeBatch(set, [0], { augment: false, out: new Float32Array(3) }),
    RangeError,
  );
  const out = new Float32Array(100).fill(7);
  const got = makeBatch(set, [0], { augment: false, out });
  assert.equal(got, out);
  assert.equal(out[48], 7);
  assert.equal(out[0], normalizationTable("cifar10")[1]);
});
