/**
 * CIFAR-10 / CIFAR-100 binary readers.
 *
 * Two layouts are accepted inside the data directory, the official one first:
 *
 * | dataset | official (from the Toronto tarballs) | subset (shared data) |
 * |---|---|---|
 * | CIFAR-10 train | `cifar10/cifar-10-batches-bin/data_batch_{1..5}.bin` (or `cifar-10-batches-bin/...`) | `cifar10/train_10k.bin` |
 * | CIFAR-10 test | `cifar10/cifar-10-batches-bin/test_batch.bin` | `cifar10/test_2k.bin` |
 * | CIFAR-100 train | `cifar100/cifar-100-binary/train.bin` (or `cifar-100-binary/...`) | `cifar100/train.bin` |
 * | CIFAR-100 test | `cifar100/cifar-100-binary/test.bin` | `cifar100/test.bin` |
 *
 * Official CIFAR-10 batches may be present only in part: `data_batch_k.bin` holds the official
 * training indices `(k-1)*10000 .. k*10000-1`. Subset files hold the first N images in official
 * order (indices `0 .. N-1`).
 *
 * @module
 */
import { type DataDir, dataFile } from "./data_dir.ts";
import { DataError } from "./errors.ts";
import {
  concatImageSets,
  DATASET_INFO,
  decodeRecords,
  type ImageSet,
  type RecordFormat,
} from "./image_set.ts";

/** The two CIFAR datasets. */
export type CifarName = "cifar10" | "cifar100";

/** The two CIFAR splits. */
export type CifarSplit = "train" | "test";

/** CIFAR-10 binary record: 1 label byte + 3072 pixel bytes. */
export const CIFAR10_FORMAT: RecordFormat = { headerBytes: 1, labelByte: 0, numClasses: 10 };

/** CIFAR-100 binary record: coarse label byte + fine label byte + 3072 pixel bytes (fine kept). */
export const CIFAR100_FORMAT: RecordFormat = {
  headerBytes: 2,
  labelByte: 1,
  numClasses: 100,
  checks: [{ byte: 0, max: 20, what: "coarse label" }],
};

/** One file of a CIFAR split. */
export interface CifarFileRef {
  /** Absolute path. */
  path: string;
  /** Official index of its first image. */
  firstIndex: number;
  /** Number of images the file must hold (official files), or `undefined` (subset files). */
  expectedCount?: number;
}

/** The files that make up a split, as found in the data directory. */
export interface CifarFiles {
  /** `official`: the Toronto binary layout; `subset`: the shared-data prefix files. */
  layout: "official" | "subset";
  /** Files in official order. */
  files: CifarFileRef[];
}

const _OFFICIAL_DIRS: Record<CifarName, string[]> = {
  cifar10: ["cifar10/cifar-10-batches-bin", "cifar-10-batches-bin"],
  cifar100: ["cifar100/cifar-100-binary", "cifar-100-binary"],
};

const _SUBSET_FILES: Record<CifarName, Record<CifarSplit, string>> = {
  cifar10: { train: "cifar10/train_10k.bin", test: "cifar10/test_2k.bin" },
  cifar100: { train: "cifar100/train.bin", test: "cifar100/test.bin" },
};

interface _OfficialFile {
  name: string;
  firstIndex: number;
  expectedCount: number;
}

function _officialFiles(dataset: CifarName, split: CifarSplit): _OfficialFile[] {
  if (dataset === "cifar10") {
    if (split === "test") return [{ name: "test_batch.bin", firstIndex: 0, expectedCount: 10000 }];
    return [1, 2, 3, 4, 5].map((k) => ({
      name: `data_batch_${k}.bin`,
      firstIndex: (k - 1) * 10000,
      expectedCount: 10000,
    }));
  }
  return [{
    name: `${split}.bin`,
    firstIndex: 0,
    expectedCount: split === "train" ? 50000 : 10000,
  }];
}

function _isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

function _checkArgs(dataset: string, split: string): void {
  if (dataset !== "cifar10" && dataset !== "cifar100") {
    throw new RangeError(`Unknown CIFAR dataset "${dataset}": expected "cifar10" or "cifar100"`);
  }
  if (split !== "train" && split !== "test") {
    throw new RangeError(`Unknown CIFAR split "${split}": expected "train" or "test"`);
  }
}

/**
 * Find the files of a CIFAR split in the data directory: the official layout if any of its
 * files is present, else the subset file. Throws a {@link DataError} if neither is there.
 */
export function locateCifar(
  dataDir: DataDir | string,
  dataset: CifarName,
  split: CifarSplit,
): CifarFiles {
  _checkArgs(dataset, split);
  const root = typeof dataDir === "string" ? dataDir : dataDir.path;
  for (const dir of _OFFICIAL_DIRS[dataset]) {
    const files = _officialFiles(dataset, split)
      .map(({ name, firstIndex, expectedCount }) => ({
        path: `${root}/${dir}/${name}`,
        firstIndex,
        expectedCount,
      }))
      .filter((f) => _isFile(f.path));
    if (files.length > 0) return { layout: "official", files };
  }
  const rel = _SUBSET_FILES[dataset][split];
  try {
    return { layout: "subset", files: [{ path: dataFile(root, rel), firstIndex: 0 }] };
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    const names = _officialFiles(dataset, split).map((f) => f.name).join(", ");
    throw new DataError(
      `${root}/${rel}`,
      `missing ${dataset} ${split} data (also looked for the official ${names} in ${
        _OFFICIAL_DIRS[dataset].map((d) => `${root}/${d}`).join(" and ")
      })`,
    );
  }
}

/**
 * Decode the bytes of a CIFAR binary file. `firstIndex` is the official index of its first
 * record. Throws a {@link DataError} naming `path` for a bad length or an out-of-range label.
 */
export function parseCifar(
  bytes: Uint8Array,
  path: string,
  dataset: CifarName,
  split: CifarSplit,
  firstIndex = 0,
): ImageSet {
  _checkArgs(dataset, split);
  const format = dataset === "cifar10" ? CIFAR10_FORMAT : CIFAR100_FORMAT;
  return decodeRecords(bytes, path, format, { dataset, split, firstIndex });
}

/**
 * Read a CIFAR split from the data directory (see the module doc for the accepted layouts).
 * Images are in official order; `indices` are their official indices.
 */
export async function loadCifar(
  dataDir: DataDir | string,
  dataset: CifarName,
  split: CifarSplit,
): Promise<ImageSet> {
  const located = locateCifar(dataDir, dataset, split);
  const info = DATASET_INFO[dataset];
  const full = split === "train" ? info.trainSize : info.testSize;
  const parts: ImageSet[] = [];
  for (const f of located.files) {
    const set = parseCifar(await Deno.readFile(f.path), f.path, dataset, split, f.firstIndex);
    if (f.expectedCount !== undefined && set.count !== f.expectedCount) {
      throw new DataError(
        f.path,
        `official file holds ${set.count} images, expected ${f.expectedCount} (truncated?)`,
      );
    }
    if (f.firstIndex + set.count > full) {
      throw new DataError(
        f.path,
        `${set.count} images exceed the official ${dataset} ${split} set of ${full}`,
      );
    }
    parts.push(set);
  }
  return concatImageSets(parts, split);
}
