/**
 * The official NAS-Bench-201 split files and the search data of spec §1.5.
 *
 * Split files live in `nb201/splits/` of the data directory. They are JSON despite the `.txt`
 * extension: `{"train": ["int", ["0", "5", ...]], "valid": ["int", [...]]}`.
 *
 * | dataset | supernet training images | "valid" set (true labels) |
 * |---|---|---|
 * | CIFAR-10 | `train` half of `cifar-split.txt` (indices into the 50k train set) | `valid` half |
 * | CIFAR-100 | all train images | `xvalid` of `cifar100-test-split.txt` (indices into the test set) |
 * | ImageNet16-120 | all train images | `xvalid` of `imagenet-16-120-test-split.txt` (into val) |
 *
 * Only the images present in the data directory are used (the shared data holds prefixes of the
 * official sets); {@link SearchData.notes} says how many of the official images are there.
 *
 * ImageNet16-120 without `imagenet16-120/train.bin` (the shared data has none): by default the
 * val file is used as the training set too, with a loud note (smoke/shape runs only; the train and
 * valid sets then overlap). Pass `requireTrain: true` to get a {@link DataError} instead.
 *
 * @module
 */
import { type DataDir, dataFile } from "./data_dir.ts";
import { DataError } from "./errors.ts";
import { loadCifar } from "./cifar.ts";
import {
  hasImageNet16,
  IMAGENET16_FILES,
  isOfficialImageNet16Val,
  loadImageNet16,
} from "./imagenet16.ts";
import {
  DATASET_INFO,
  type DatasetName,
  type ImageSet,
  parseDatasetName,
  selectImages,
} from "./image_set.ts";

/** The official split files. */
export type SplitFileName =
  | "cifar-split"
  | "cifar100-test-split"
  | "imagenet-16-120-test-split"
  | "ImageNet16-120-split";

/** What each split file holds: its path in the data directory, keys, and the indexed set size. */
export const SPLIT_FILES: Readonly<
  Record<SplitFileName, { path: string; keys: readonly [string, string]; setSize: number }>
> = {
  "cifar-split": { path: "nb201/splits/cifar-split.txt", keys: ["train", "valid"], setSize: 50000 },
  "cifar100-test-split": {
    path: "nb201/splits/cifar100-test-split.txt",
    keys: ["xvalid", "xtest"],
    setSize: 10000,
  },
  "imagenet-16-120-test-split": {
    path: "nb201/splits/imagenet-16-120-test-split.txt",
    keys: ["xvalid", "xtest"],
    setSize: 6000,
  },
  "ImageNet16-120-split": {
    path: "nb201/splits/ImageNet16-120-split.txt",
    keys: ["train", "valid"],
    setSize: 151700,
  },
};

/** A parsed split file: key (e.g. `train`, `xvalid`) -> official indices in file order. */
export type SplitIndices = Record<string, Int32Array>;

/**
 * Parse the text of a split file. Each value must be `["int", [<decimal strings>]]` with indices
 * in `0 .. setSize - 1`; otherwise a {@link DataError} naming `path` is thrown.
 */
export function parseSplitText(text: string, path: string, setSize?: number): SplitIndices {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DataError(path, `split file is not valid JSON (${(e as Error).message})`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new DataError(path, "split file must hold a JSON object");
  }
  const out: SplitIndices = {};
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (
      !Array.isArray(value) || value.length !== 2 || value[0] !== "int" || !Array.isArray(value[1])
    ) {
      throw new DataError(path, `split "${key}" is not of the form ["int", [...]]`);
    }
    const list = value[1] as unknown[];
    const idx = new Int32Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const v = Number(list[i]);
      if (!Number.isInteger(v) || v < 0 || (setSize !== undefined && v >= setSize)) {
        throw new DataError(
          path,
          `split "${key}" entry ${i} = ${JSON.stringify(list[i])} is not an index in 0..${
            setSize === undefined ? "" : setSize - 1
          }`,
        );
      }
      idx[i] = v;
    }
    out[key] = idx;
  }
  return out;
}

/** Read and parse an official split file; checks that its two keys are present. */
export async function loadSplitFile(
  dataDir: DataDir | string,
  name: SplitFileName,
): Promise<SplitIndices> {
  const spec = SPLIT_FILES[name];
  if (spec === undefined) {
    throw new RangeError(
      `Unknown split file "${name}": expected one of ${Object.keys(SPLIT_FILES).join(", ")}`,
    );
  }
  const path = dataFile(dataDir, spec.path);
  const split = parseSplitText(await Deno.readTextFile(path), path, spec.setSize);
  for (const key of spec.keys) {
    if (!(key in split)) throw new DataError(path, `split file has no "${key}" list`);
  }
  return split;
}

/**
 * The images of `set` whose official index is in `officialIndices`, in the order of
 * `officialIndices` (ascending in the official files). Indices not present in `set` are skipped.
 */
export function restrictToSplit(
  set: ImageSet,
  officialIndices: ArrayLike<number>,
  split: string,
): ImageSet {
  const where = new Map<number, number>();
  for (let k = 0; k < set.count; k++) where.set(set.indices[k], k);
  const positions: number[] = [];
  for (let i = 0; i < officialIndices.length; i++) {
    const p = where.get(officialIndices[i]);
    if (p !== undefined) positions.push(p);
  }
  return selectImages(set, positions, split);
}

/** Options of {@link loadSearchData}. */
export interface SearchDataOptions {
  /** Keep only the first n training images (official order); for smoke profiles. */
  trainLimit?: number;
  /** Keep only the first n valid images (official order); for smoke profiles. */
  validLimit?: number;
  /**
   * ImageNet16-120 only: throw a {@link DataError} when `imagenet16-120/train.bin` is missing
   * instead of training on the val file (default false).
   */
  requireTrain?: boolean;
}

/** The data of one supernet search run (spec §1.5). */
export interface SearchData {
  /** Images that train the SuperNet (true labels; replace them by random labels via `indices`). */
  train: ImageSet;
  /** The "valid" set of the NB201 loaders, true labels, eval transform. */
  valid: ImageSet;
  /** What is used and how it differs from the official setup; print these with any result. */
  notes: string[];
}

const _NAMES: Record<DatasetName, string> = {
  "cifar10": "CIFAR-10",
  "cifar100": "CIFAR-100",
  "ImageNet16-120": "ImageNet16-120",
};

function _fmt(n: number): string {
  return n.toLocaleString("en-US");
}

function _checkLimit(name: string, v: number | undefined): void {
  if (v === undefined) return;
  if (!Number.isInteger(v) || v < 1) {
    throw new RangeError(`${name} must be a positive integer or undefined, got ${v}`);
  }
}

function _limit(set: ImageSet, n: number | undefined, what: string, notes: string[]): ImageSet {
  if (n === undefined) return set;
  if (n >= set.count) {
    if (n > set.count) {
      notes.push(`${what}: limit ${_fmt(n)} requested, only ${_fmt(set.count)} available.`);
    }
    return set;
  }
  notes.push(`${what}: limited to the first ${_fmt(n)} of ${_fmt(set.count)} (official order).`);
  return selectImages(set, Array.from({ length: n }, (_, i) => i));
}

function _presence(
  name: string,
  split: string,
  got: number,
  official: number,
  source: string,
): string {
  return got === official
    ? `${name}: all ${_fmt(official)} official \`${split}\` images present.`
    : `${name}: ${_fmt(got)} of the official ${
      _fmt(official)
    } \`${split}\` images present (${source}).`;
}

function _describe(set: ImageSet, full: number, what: string): string {
  if (set.count === full) return `all ${_fmt(full)} ${what}`;
  const contiguous = set.indices[0] === 0 && set.indices[set.count - 1] === set.count - 1;
  return contiguous
    ? `data dir has the first ${_fmt(set.count)} of the ${_fmt(full)} ${what}`
    : `data dir has ${_fmt(set.count)} of the ${_fmt(full)} ${what}`;
}

/**
 * Load the SuperNet training set and the "valid" set of a dataset (spec §1.5), restricted to the
 * images present in the data directory, with notes describing any difference from the official
 * setup.
 */
export async function loadSearchData(
  dataDir: DataDir | string,
  dataset: DatasetName,
  opts: SearchDataOptions = {},
): Promise<SearchData> {
  parseDatasetName(dataset);
  _checkLimit("trainLimit", opts.trainLimit);
  _checkLimit("validLimit", opts.validLimit);
  const name = _NAMES[dataset];
  const info = DATASET_INFO[dataset];
  const notes: string[] = [];
  let train: ImageSet;
  let valid: ImageSet;
  if (dataset === "cifar10") {
    const all = await loadCifar(dataDir, "cifar10", "train");
    const split = await loadSplitFile(dataDir, "cifar-split");
    train = restrictToSplit(all, split.train, "train");
    valid = restrictToSplit(all, split.valid, "valid");
    const src = _describe(all, info.trainSize, "training images");
    notes.push(_presence(name, "train", train.count, split.train.length, src));
    notes.push(_presence(name, "valid", valid.count, split.valid.length, src));
  } else if (dataset === "cifar100") {
    train = await loadCifar(dataDir, "cifar100", "train");
    const test = await loadCifar(dataDir, "cifar100", "test");
    const split = await loadSplitFile(dataDir, "cifar100-test-split");
    valid = restrictToSplit(test, split.xvalid, "xvalid");
    notes.push(
      _presence(
        name,
        "train",
        train.count,
        info.trainSize,
        _describe(train, info.trainSize, "training images"),
      ),
    );
    notes.push(
      _presence(
        name,
        "xvalid",
        valid.count,
        split.xvalid.length,
        _describe(test, info.testSize, "test images"),
      ),
    );
  } else {
    const val = await loadImageNet16(dataDir, "val");
    const split = await loadSplitFile(dataDir, "imagenet-16-120-test-split");
    const official = isOfficialImageNet16Val(val);
    valid = restrictToSplit(val, split.xvalid, "xvalid");
    if (!official) {
      notes.push(
        `WARNING ${name}: val.bin holds ${_fmt(val.count)} images, not the official ` +
          `${
            _fmt(info.testSize)
          }: it is a stand-in (the shared data has one downsampled photo per ` +
          `class) whose positions are not official val indices; the \`xvalid\` list was applied to ` +
          `its positions (${_fmt(valid.count)} images). Not comparable with NAS-Bench-201.`,
      );
    } else {
      notes.push(_presence(name, "xvalid", valid.count, split.xvalid.length, "val.bin"));
    }
    if (hasImageNet16(dataDir, "train")) {
      train = await loadImageNet16(dataDir, "train");
      notes.push(
        _presence(
          name,
          "train",
          train.count,
          info.trainSize,
          _describe(train, info.trainSize, "training images"),
        ),
      );
    } else {
      const root = typeof dataDir === "string" ? dataDir : dataDir.path;
      const missing = `${root}/${IMAGENET16_FILES.train}`;
      if (opts.requireTrain) {
        throw new DataError(missing, "missing ImageNet16-120 training images");
      }
      train = { ...val, split: "train" };
      notes.push(
        `WARNING ${name}: no training images (${missing} is missing); the SuperNet trains on the ` +
          `${_fmt(val.count)} images of val.bin, which also contain the valid set. ` +
          `Smoke/shape runs only: results are NOT ImageNet16-120 results.`,
      );
    }
  }
  train = _limit(train, opts.trainLimit, `${name} train`, notes);
  valid = _limit(valid, opts.validLimit, `${name} ${valid.split}`, notes);
  return { train, valid, notes };
}
