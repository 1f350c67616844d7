/**
 * Parameter and FLOPs counts of the NAS-Bench-201 *ground-truth* network of a genotype
 * (D-X-Y's `TinyNetwork`, C=16, N=5, `InferCell`s whose conv ops are ReLU→Conv→BN with affine BN;
 * stem, ResNet blocks, `lastact` and classifier as in spec §1.1).
 *
 * Parameters: every parameter tensor (conv kernels without bias, BN γ/β, Linear weight + bias).
 * Every non-`none` edge of the genotype is instantiated and counted, whether or not it lies on an
 * input→output path (that is what `InferCell` does). This reproduces `params_M` of
 * `nb201/nb201.csv` exactly (except 204 rows that are means over trials, see the tests) and the
 * `params` scores of `zc/zc_nasbench201_725.json` on all three datasets.
 *
 * FLOPs: the convention of the `flops` scores of `zc/zc_nasbench201_725.json` (NASLib, which
 * profiles with tensorwatch/torchstat hooks, batch 1), reproduced exactly:
 * - Conv2d: `k² · C_in · C_out / groups · H_out · W_out` (no bias here);
 * - BatchNorm2d: `numel` of the input, ×2 when affine (all BNs here are affine);
 * - ReLU: `numel` of the input;
 * - AvgPool2d: `C · H_out · W_out · k²` (the 3×3 cell pool and the 2×2 shortcut pool);
 * - AdaptiveAvgPool2d to 1×1: `C · (H + 1) · (W + 1)`;
 * - Linear: `in · out` (bias not counted); element-wise sums and `skip`/`none` edges cost 0.
 * Note this is not D-X-Y's `get_model_infos` convention (which skips BN and ReLU), so the numbers
 * are not the FLOPs of the official NB201 benchmark file.
 *
 * @module
 */
import { DATASET_INFO, type DatasetName, parseDatasetName } from "../../datasets/image_set.ts";
import { toGenotype } from "./encoding.ts";

/** Input shape and head size a cost is computed for. */
export interface Nb201CostShape {
  /** Number of classes of the classifier (10, 100, 120). */
  numClasses: number;
  /** Input side in pixels (32 for CIFAR, 16 for ImageNet16-120); a multiple of 4. */
  inputSize: number;
}

/** Parameters and FLOPs of one network. */
export interface Nb201Cost {
  /** Number of parameters. */
  params: number;
  /** Number of FLOPs (see the module documentation for the convention). */
  flops: number;
  /** `params / 1e6`. */
  paramsM: number;
  /** `flops / 1e6`. */
  flopsM: number;
}

/** Channels of the first stage of the ground-truth network. */
export const NB201_CHANNELS = 16;

/** Search cells per stage of the ground-truth network. */
export const NB201_CELLS_PER_STAGE = 5;

/** Input size and class count of `dataset` (CIFAR: 32×32, 10/100; ImageNet16-120: 16×16, 120). */
export function nb201CostShape(dataset: DatasetName): Nb201CostShape {
  const info = DATASET_INFO[parseDatasetName(dataset)];
  return { numClasses: info.numClasses, inputSize: info.size };
}

function _shape(shape: Nb201CostShape | DatasetName): Nb201CostShape {
  const s = typeof shape === "string" ? nb201CostShape(shape) : shape;
  if (!Number.isInteger(s.numClasses) || s.numClasses < 1) {
    throw new RangeError(
      `numClasses must be a positive integer (10, 100, 120), got ${s.numClasses}`,
    );
  }
  if (!Number.isInteger(s.inputSize) || s.inputSize < 4 || s.inputSize % 4 !== 0) {
    throw new RangeError(
      `inputSize must be a positive multiple of 4 (32 for CIFAR, 16 for ImageNet16-120), got ${s.inputSize}`,
    );
  }
  return s;
}

/** Count of each op index in the genotype. */
function _opCounts(g: ArrayLike<number>): number[] {
  const t = toGenotype(g);
  const counts = [0, 0, 0, 0, 0];
  for (const op of t) counts[op]++;
  return counts;
}

/**
 * Exact parameter and FLOPs counts of the ground-truth network of `g` for a dataset (or an explicit
 * class count and input size).
 */
export function nb201Cost(g: ArrayLike<number>, shape: Nb201CostShape | DatasetName): Nb201Cost {
  const counts = _opCounts(g);
  const { numClasses, inputSize } = _shape(shape);
  const C = NB201_CHANNELS;
  const N = NB201_CELLS_PER_STAGE;
  let params = 0;
  let flops = 0;
  // stem: Conv3x3(3→C) + BN(C)
  let h = inputSize;
  params += 27 * C + 2 * C;
  flops += 27 * C * h * h + 2 * C * h * h;
  let cin = C;
  for (let stage = 0; stage < 3; stage++) {
    const c = C << stage;
    if (stage > 0) {
      // ResNet basic block, stride 2: ReLU-Conv3x3(s2)-BN, ReLU-Conv3x3-BN, AvgPool2 → Conv1x1.
      const ho = h / 2;
      params += 9 * cin * c + 2 * c + 9 * c * c + 2 * c + cin * c;
      flops += cin * h * h + 9 * cin * c * ho * ho + 2 * c * ho * ho; // conv_a
      flops += c * ho * ho + 9 * c * c * ho * ho + 2 * c * ho * ho; // conv_b
      flops += 4 * cin * ho * ho + cin * c * ho * ho; // downsample
      h = ho;
    }
    const hw = h * h;
    // per cell: conv1x1 / conv3x3 = ReLU + conv + affine BN; avg_pool_3x3 = 9 per output.
    const conv1 = { p: c * c + 2 * c, f: c * hw + c * c * hw + 2 * c * hw };
    const conv3 = { p: 9 * c * c + 2 * c, f: c * hw + 9 * c * c * hw + 2 * c * hw };
    params += N * (counts[2] * conv1.p + counts[3] * conv3.p);
    flops += N * (counts[2] * conv1.f + counts[3] * conv3.f + counts[4] * 9 * c * hw);
    cin = c;
  }
  // lastact BN + ReLU, global average pool, classifier.
  params += 2 * cin + cin * numClasses + numClasses;
  flops += 3 * cin * h * h + cin * (h + 1) * (h + 1) + cin * numClasses;
  return { params, flops, paramsM: params / 1e6, flopsM: flops / 1e6 };
}

/** Parameters in millions (default: the CIFAR-10 10-class head, like `params_M` of `nb201.csv`). */
export function nb201ParamsM(g: ArrayLike<number>, numClasses = 10): number {
  return nb201Cost(g, { numClasses, inputSize: 32 }).paramsM;
}

/** FLOPs in millions for a dataset (or an explicit class count and input size). */
export function nb201FlopsM(g: ArrayLike<number>, shape: Nb201CostShape | DatasetName): number {
  return nb201Cost(g, shape).flopsM;
}
