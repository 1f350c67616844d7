/**
 * ImageNet16-120 reader.
 *
 * Format (data README): per record 1 label byte (`0..119`) + 256 R + 256 G + 256 B bytes
 * (16x16 planes, row-major). Files in the data directory:
 *
 * - `imagenet16-120/train.bin`: the 151,700 training images of classes 1..120 in official order
 *   (the order `ImageNet16-120-split.txt` indexes), labels shifted to `0..119`. Not in the shared
 *   data; convert the official pickles as described by `manualInstructions()` in `download.ts`.
 * - `imagenet16-120/val.bin`: the official 6,000 val images in official order, or (shared data)
 *   a 120-image stand-in with one downsampled photo per class, which is NOT the official val set
 *   ({@link isOfficialImageNet16Val} tells them apart).
 *
 * @module
 */
import { type DataDir, dataFile } from "./data_dir.ts";
import { DataError } from "./errors.ts";
import { DATASET_INFO, decodeRecords, type ImageSet, type RecordFormat } from "./image_set.ts";

/** The two ImageNet16-120 splits. */
export type ImageNet16Split = "train" | "val";

/** ImageNet16-120 record: 1 label byte (0..119) + 768 pixel bytes. */
export const IMAGENET16_FORMAT: RecordFormat = { headerBytes: 1, labelByte: 0, numClasses: 120 };

/** Path of an ImageNet16-120 split file inside the data directory. */
export const IMAGENET16_FILES: Readonly<Record<ImageNet16Split, string>> = {
  train: "imagenet16-120/train.bin",
  val: "imagenet16-120/val.bin",
};

function _checkSplit(split: string): void {
  if (split !== "train" && split !== "val") {
    throw new RangeError(`Unknown ImageNet16-120 split "${split}": expected "train" or "val"`);
  }
}

/**
 * Decode the bytes of an ImageNet16-120 file. Throws a {@link DataError} naming `path` for a bad
 * length or a label outside `0..119`.
 */
export function parseImageNet16(
  bytes: Uint8Array,
  path: string,
  split: ImageNet16Split,
  firstIndex = 0,
): ImageSet {
  _checkSplit(split);
  return decodeRecords(bytes, path, IMAGENET16_FORMAT, {
    dataset: "ImageNet16-120",
    split,
    firstIndex,
  });
}

/** Whether the split's file exists in the data directory. */
export function hasImageNet16(dataDir: DataDir | string, split: ImageNet16Split): boolean {
  _checkSplit(split);
  const root = typeof dataDir === "string" ? dataDir : dataDir.path;
  try {
    return Deno.statSync(`${root}/${IMAGENET16_FILES[split]}`).isFile;
  } catch {
    return false;
  }
}

/** Read an ImageNet16-120 split; throws a {@link DataError} naming the file if it is missing. */
export async function loadImageNet16(
  dataDir: DataDir | string,
  split: ImageNet16Split,
): Promise<ImageSet> {
  _checkSplit(split);
  const path = dataFile(dataDir, IMAGENET16_FILES[split]);
  const set = parseImageNet16(await Deno.readFile(path), path, split);
  const info = DATASET_INFO["ImageNet16-120"];
  const full = split === "train" ? info.trainSize : info.testSize;
  if (set.count > full) {
    throw new DataError(path, `${set.count} images exceed the official ${split} set of ${full}`);
  }
  return set;
}

/**
 * Whether a val set is the complete official one (6,000 images). Anything smaller is treated as
 * a stand-in whose positions are not official val indices.
 */
export function isOfficialImageNet16Val(set: ImageSet): boolean {
  return set.dataset === "ImageNet16-120" && set.count === DATASET_INFO["ImageNet16-120"].testSize;
}
