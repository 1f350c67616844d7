/**
 * Batch assembly with the NAS-Bench-201 transforms (spec §1.5), on typed arrays.
 *
 * Train: `RandomHorizontalFlip(0.5)` -> `RandomCrop(size, padding)` (zero padding 4 for 32x32,
 * 2 for 16x16) -> `ToTensor` -> `Normalize(mean, std)`. Eval: `ToTensor` -> `Normalize`.
 * The zero padding is applied to the raw image before normalisation (torchvision pads the PIL
 * image with 0), so padded pixels become `(0 - mean) / std`.
 *
 * Random draws per image, in this order (each `rng()` is uniform in `[0, 1)`):
 * 1. flip coin: flip when `rng() < 0.5` (torchvision: `torch.rand(1) < p`);
 * 2. crop top offset `floor(rng() * (2 * padding + 1))` (row, in the padded image);
 * 3. crop left offset `floor(rng() * (2 * padding + 1))` (column).
 * (torchvision's `RandomCrop.get_params` also draws the top offset before the left one.)
 *
 * Normalisation reproduces torchvision's float32 arithmetic: `fround(fround(b / 255) - mean32) /
 * std32` rounded to float32, with `mean32 = fround(m / 255)` as NB201's `[x / 255 for x in ...]`.
 *
 * @module
 */
import { DATASET_INFO, type DatasetName, type ImageSet } from "./image_set.ts";

/** Options of {@link makeBatch}. */
export interface BatchOptions {
  /** Apply the training augmentation (flip + padded random crop). */
  augment: boolean;
  /** Uniform `[0, 1)` generator; required when `augment` is true. */
  rng?: () => number;
  /** Crop padding; defaults to the dataset's (4 for CIFAR, 2 for ImageNet16-120). */
  padding?: number;
  /** Output buffer to reuse (at least `n * size * size * 3` long); a new one is made otherwise. */
  out?: Float32Array;
}

/** The random choices of the training augmentation for one image. */
export interface AugmentDraw {
  /** Mirror left-right. */
  flip: boolean;
  /** Crop row offset in the padded image (`0 .. 2 * padding`). */
  top: number;
  /** Crop column offset in the padded image (`0 .. 2 * padding`). */
  left: number;
}

const _tables = new Map<DatasetName, Float32Array>();

/**
 * Normalised value of every byte per channel: entry `c * 256 + b` is
 * `(b / 255 - mean[c]) / std[c]` in torchvision's float32 arithmetic.
 */
export function normalizationTable(dataset: DatasetName): Float32Array {
  const cached = _tables.get(dataset);
  if (cached) return cached;
  const info = DATASET_INFO[dataset];
  if (info === undefined) {
    throw new RangeError(
      `Unknown dataset "${dataset}": expected one of ${Object.keys(DATASET_INFO).join(", ")}`,
    );
  }
  const table = new Float32Array(3 * 256);
  const f = Math.fround;
  for (let c = 0; c < 3; c++) {
    const m = f(info.mean[c]);
    const s = f(info.std[c]);
    for (let b = 0; b < 256; b++) table[c * 256 + b] = f(f(f(b) / 255) - m) / s;
  }
  _tables.set(dataset, table);
  return table;
}

/** Draw the augmentation of one image from `rng` (flip coin, then top, then left). */
export function drawAugment(rng: () => number, padding: number): AugmentDraw {
  const span = 2 * padding + 1;
  const flip = rng() < 0.5;
  const top = Math.min(span - 1, Math.floor(rng() * span));
  const left = Math.min(span - 1, Math.floor(rng() * span));
  return { flip, top, left };
}

/**
 * Write one image, transformed, into `out` at `offset` (NHWC, channels last). `draw` null means
 * the eval transform.
 */
export function writeImage(
  set: ImageSet,
  position: number,
  draw: AugmentDraw | null,
  padding: number,
  out: Float32Array,
  offset: number,
): void {
  const size = set.size;
  const plane = size * size;
  const base = position * 3 * plane;
  const img = set.images;
  const lut = normalizationTable(set.dataset);
  if (draw === null) {
    for (let i = 0, o = offset; i < plane; i++, o += 3) {
      out[o] = lut[img[base + i]];
      out[o + 1] = lut[256 + img[base + plane + i]];
      out[o + 2] = lut[512 + img[base + 2 * plane + i]];
    }
    return;
  }
  const pad0 = lut[0], pad1 = lut[256], pad2 = lut[512];
  const dy = draw.top - padding;
  const dx = draw.left - padding;
  let o = offset;
  for (let y = 0; y < size; y++) {
    const sy = y + dy;
    if (sy < 0 || sy >= size) {
      for (let x = 0; x < size; x++, o += 3) {
        out[o] = pad0;
        out[o + 1] = pad1;
        out[o + 2] = pad2;
      }
      continue;
    }
    const row = base + sy * size;
    for (let x = 0; x < size; x++, o += 3) {
      const sx = x + dx;
      if (sx < 0 || sx >= size) {
        out[o] = pad0;
        out[o + 1] = pad1;
        out[o + 2] = pad2;
        continue;
      }
      const i = row + (draw.flip ? size - 1 - sx : sx);
      out[o] = lut[img[i]];
      out[o + 1] = lut[256 + img[i + plane]];
      out[o + 2] = lut[512 + img[i + 2 * plane]];
    }
  }
}

/**
 * Assemble a batch of the images at `positions` (positions into `set`) as NHWC float32
 * (`n * size * size * 3`), normalised with the dataset's mean/std, augmented when
 * `opts.augment` (draw order in the module doc).
 */
export function makeBatch(
  set: ImageSet,
  positions: ArrayLike<number>,
  opts: BatchOptions,
): Float32Array {
  const n = positions.length;
  const stride = set.size * set.size * 3;
  const padding = opts.padding ?? DATASET_INFO[set.dataset].padding;
  if (!Number.isInteger(padding) || padding < 0) {
    throw new RangeError(`padding must be a non-negative integer, got ${padding}`);
  }
  if (opts.augment && opts.rng === undefined) {
    throw new RangeError("makeBatch: augment: true needs opts.rng (a uniform [0, 1) generator)");
  }
  let out = opts.out;
  if (out === undefined) out = new Float32Array(n * stride);
  else if (out.length < n * stride) {
    throw new RangeError(`out has ${out.length} floats, the batch needs ${n * stride}`);
  }
  for (let k = 0; k < n; k++) {
    const p = positions[k];
    if (!Number.isInteger(p) || p < 0 || p >= set.count) {
      throw new RangeError(`Position ${p} is outside the set (0..${set.count - 1})`);
    }
    const draw = opts.augment ? drawAugment(opts.rng!, padding) : null;
    writeImage(set, p, draw, padding, out, k * stride);
  }
  return out;
}
