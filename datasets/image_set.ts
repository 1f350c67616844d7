/**
 * Shared types and per-dataset constants for the NAS-Bench-201 image datasets (spec §1.5), and
 * the decoder of the fixed-length binary record files used by CIFAR and ImageNet16-120.
 *
 * @module
 */
import { DataError } from "./errors.ts";

/** The three NAS-Bench-201 datasets. */
export type DatasetName = "cifar10" | "cifar100" | "ImageNet16-120";

/** All dataset names, in NAS-Bench-201 order. */
export const DATASET_NAMES: readonly DatasetName[] = ["cifar10", "cifar100", "ImageNet16-120"];

/**
 * A set of images held as raw bytes in the file layout: per image the R plane, then the G plane,
 * then the B plane, each `size * size` bytes, row-major.
 */
export interface ImageSet {
  /** Which dataset the images come from. */
  dataset: DatasetName;
  /** Which split they are (e.g. `train`, `test`, `val`, `valid`, `xvalid`). */
  split: string;
  /** Image side in pixels (32 for CIFAR, 16 for ImageNet16-120). */
  size: number;
  /** Number of images. */
  count: number;
  /** `count * 3 * size * size` bytes: per image R plane, G plane, B plane. */
  images: Uint8Array;
  /** True label of each image (`0 .. numClasses - 1`). */
  labels: Int32Array;
  /** Index of each image in its full official set (e.g. `0 .. 49999` for the CIFAR train set). */
  indices: Int32Array;
  /** Number of classes of the dataset. */
  numClasses: number;
}

/** Per-dataset constants. */
export interface DatasetInfo {
  /** Dataset name. */
  name: DatasetName;
  /** Input side in pixels. */
  size: number;
  /** Zero padding of the training RandomCrop (4 for 32x32, 2 for 16x16). */
  padding: number;
  /** Number of classes. */
  numClasses: number;
  /** Size of the full official training set (ImageNet16-120: images of classes 1..120). */
  trainSize: number;
  /** Size of the full official test set (ImageNet16-120: the val set). */
  testSize: number;
  /** Per-channel (R, G, B) mean on the `[0, 1]` scale (spec §1.5 values x 1/255). */
  mean: readonly [number, number, number];
  /** Per-channel (R, G, B) standard deviation on the `[0, 1]` scale (spec §1.5 values x 1/255). */
  std: readonly [number, number, number];
}

/** Constants of each dataset (spec §1.5; sizes of the official sets). */
export const DATASET_INFO: Readonly<Record<DatasetName, DatasetInfo>> = {
  "cifar10": {
    name: "cifar10",
    size: 32,
    padding: 4,
    numClasses: 10,
    trainSize: 50000,
    testSize: 10000,
    mean: [125.3 / 255, 123.0 / 255, 113.9 / 255],
    std: [63.0 / 255, 62.1 / 255, 66.7 / 255],
  },
  "cifar100": {
    name: "cifar100",
    size: 32,
    padding: 4,
    numClasses: 100,
    trainSize: 50000,
    testSize: 10000,
    mean: [129.3 / 255, 124.1 / 255, 112.4 / 255],
    std: [68.2 / 255, 65.4 / 255, 70.4 / 255],
  },
  "ImageNet16-120": {
    name: "ImageNet16-120",
    size: 16,
    padding: 2,
    numClasses: 120,
    trainSize: 151700,
    testSize: 6000,
    mean: [122.68 / 255, 116.66 / 255, 104.01 / 255],
    std: [63.22 / 255, 61.26 / 255, 65.09 / 255],
  },
};

/** Check that `name` is a dataset name; throws a `RangeError` listing the valid names. */
export function parseDatasetName(name: string): DatasetName {
  if ((DATASET_NAMES as readonly string[]).includes(name)) return name as DatasetName;
  throw new RangeError(
    `Unknown dataset "${name}": expected one of ${DATASET_NAMES.map((n) => `"${n}"`).join(", ")}`,
  );
}

/** Constants of the dataset `name` (validated with {@link parseDatasetName}). */
export function datasetInfo(name: string): DatasetInfo {
  return DATASET_INFO[parseDatasetName(name)];
}

/** Bytes per image (`3 * size * size`). */
export function imageBytes(set: Pick<ImageSet, "size">): number {
  return 3 * set.size * set.size;
}

/**
 * A new set holding the images at `positions` of `set` (positions into `set`, not official
 * indices), in that order, relabelled as `split`.
 */
export function selectImages(
  set: ImageSet,
  positions: ArrayLike<number>,
  split: string = set.split,
): ImageSet {
  const n = positions.length;
  const bytes = imageBytes(set);
  const images = new Uint8Array(n * bytes);
  const labels = new Int32Array(n);
  const indices = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const p = positions[k];
    if (!Number.isInteger(p) || p < 0 || p >= set.count) {
      throw new RangeError(`Position ${p} is outside the set (0..${set.count - 1})`);
    }
    images.set(set.images.subarray(p * bytes, (p + 1) * bytes), k * bytes);
    labels[k] = set.labels[p];
    indices[k] = set.indices[p];
  }
  return { ...set, split, count: n, images, labels, indices };
}

/** A new set with the images of `sets` one after the other (all of the same dataset and size). */
export function concatImageSets(sets: readonly ImageSet[], split?: string): ImageSet {
  if (sets.length === 0) throw new RangeError("concatImageSets needs at least one set");
  const first = sets[0];
  for (const s of sets) {
    if (s.dataset !== first.dataset || s.size !== first.size) {
      throw new RangeError(
        `Cannot concatenate ${s.dataset} (${s.size}px) with ${first.dataset} (${first.size}px)`,
      );
    }
  }
  if (sets.length === 1) return { ...first, split: split ?? first.split };
  const count = sets.reduce((a, s) => a + s.count, 0);
  const bytes = imageBytes(first);
  const images = new Uint8Array(count * bytes);
  const labels = new Int32Array(count);
  const indices = new Int32Array(count);
  let at = 0;
  for (const s of sets) {
    images.set(s.images.subarray(0, s.count * bytes), at * bytes);
    labels.set(s.labels.subarray(0, s.count), at);
    indices.set(s.indices.subarray(0, s.count), at);
    at += s.count;
  }
  return { ...first, split: split ?? first.split, count, images, labels, indices };
}

/** Layout of one record of a fixed-length binary image file. */
export interface RecordFormat {
  /** Bytes before the pixels (label bytes). */
  headerBytes: number;
  /** Offset in the header of the byte holding the label that is kept. */
  labelByte: number;
  /** Labels must be `< numClasses`. */
  numClasses: number;
  /** Other header bytes that must be `< max` (e.g. the CIFAR-100 coarse label). */
  checks?: readonly { byte: number; max: number; what: string }[];
}

/** What a decoded file is: dataset, split, and the official index of its first record. */
export interface RecordMeta {
  /** Dataset of the file. */
  dataset: DatasetName;
  /** Split name given to the decoded set. */
  split: string;
  /** Official index of the first record (e.g. 10000 for CIFAR-10 `data_batch_2.bin`). */
  firstIndex: number;
}

/**
 * Decode a fixed-length record file (`header bytes + R plane + G plane + B plane` per image).
 * Throws a {@link DataError} naming `path` if the length is not a multiple of the record length,
 * the file is empty, or a label is out of range.
 */
export function decodeRecords(
  bytes: Uint8Array,
  path: string,
  format: RecordFormat,
  meta: RecordMeta,
): ImageSet {
  const info = DATASET_INFO[meta.dataset];
  const pixels = 3 * info.size * info.size;
  const record = format.headerBytes + pixels;
  if (bytes.length === 0) throw new DataError(path, "empty data file");
  if (bytes.length % record !== 0) {
    throw new DataError(
      path,
      `file size ${bytes.length} is not a multiple of the ${meta.dataset} record length ${record}`,
    );
  }
  const count = bytes.length / record;
  const images = new Uint8Array(count * pixels);
  const labels = new Int32Array(count);
  const indices = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const at = i * record;
    const label = bytes[at + format.labelByte];
    if (label >= format.numClasses) {
      throw new DataError(
        path,
        `record ${i}: label ${label} is out of range 0..${format.numClasses - 1}`,
      );
    }
    for (const c of format.checks ?? []) {
      const v = bytes[at + c.byte];
      if (v >= c.max) {
        throw new DataError(path, `record ${i}: ${c.what} ${v} is out of range 0..${c.max - 1}`);
      }
    }
    labels[i] = label;
    indices[i] = meta.firstIndex + i;
    images.set(bytes.subarray(at + format.headerBytes, at + record), i * pixels);
  }
  return {
    dataset: meta.dataset,
    split: meta.split,
    size: info.size,
    count,
    images,
    labels,
    indices,
    numClasses: info.numClasses,
  };
}

/** FNV-1a (32 bit) over the images and labels of `set` (first `count` images), as hex. */
export function imageFingerprint(set: ImageSet, count = set.count): string {
  const per = set.images.length / set.count;
  let h = 0x811c9dc5;
  const bytes = set.images.subarray(0, count * per);
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  for (let i = 0; i < count; i++) {
    h ^= set.labels[i] & 0xff;
    h = Math.imul(h, 0x01000193);
    h ^= set.indices[i] & 0xffff;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** What results record of an image set: which images, how many, and their fingerprint. */
export function describeImages(set: ImageSet): Record<string, string | number> {
  return {
    dataset: set.dataset,
    split: set.split,
    count: set.count,
    first_index: set.count > 0 ? set.indices[0] : "",
    last_index: set.count > 0 ? set.indices[set.count - 1] : "",
    fingerprint: imageFingerprint(set),
  };
}
