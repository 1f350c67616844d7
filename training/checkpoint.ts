/**
 * SuperNet training checkpoints: layout of the checkpoint directory and the (de)serialisation of
 * the weights and of everything a resumed run needs to continue bit-identically.
 *
 * ## Directory layout
 *
 * ```text
 * <dir>/run.json                  the run's configuration (written once; `resume` refuses a
 *                                 different configuration)
 * <dir>/epoch-000.safetensors     W0: the weights BEFORE the first step (the angle's W0)
 * <dir>/state-000.safetensors     optimizer + RNG state at that point
 * <dir>/epoch-001.safetensors     weights after epoch 1
 * <dir>/state-001.safetensors     optimizer + RNG state after epoch 1
 * ...                             (three digits, more when the epoch number needs them)
 * ```
 *
 * - `epoch-KKK.safetensors` holds the SuperNet weights under the official PyTorch
 *   `TinyNetworkSPOS` state-dict names, in PyTorch layout (`[out, in, kh, kw]` convolutions),
 *   float32: the trainable parameters and the BatchNorm running statistics (`running_mean`,
 *   `running_var`). PyTorch loads it with `safetensors.torch.load_file` +
 *   `model.load_state_dict(..., strict=False)` (`num_batches_tracked` is not stored). Its
 *   `__metadata__` holds `format` ({@link CHECKPOINT_FORMAT}), `epoch`, `dataset`,
 *   `num_classes`, `input_size`, `labels`, `seed` and the full `config` as JSON.
 * - `state-KKK.safetensors` holds the optimizer's momentum buffers as tensors named
 *   `momentum/<parameter name>` in the trainer's internal (TensorFlow.js) layout of that
 *   parameter, the current labels as `labels/current` (float32, only for label schemes that change
 *   labels during training), and in `__metadata__.state` a JSON {@link TrainState}: epoch, global
 *   step, the optimizer's step count and the set of parameters that have ever received a gradient
 *   (first-touch order), the snapshots of every random stream, and the per-epoch history.
 *
 * A checkpoint `K` is *complete* when both files exist; the state file is written first and both
 * are written atomically (temporary file + rename), so a run killed at any point leaves only
 * complete checkpoints and at most one orphan state file, which the next save overwrites.
 * {@link latestCheckpoint} returns the highest complete epoch.
 *
 * @module
 */
import { type NamedTensor, readSafetensors, writeSafetensors } from "./safetensors.ts";
import type { SgdState } from "./sgd.ts";

/** Value of the `format` metadata key of every weights file. */
export const CHECKPOINT_FORMAT = "rlnas-bench/spos-supernet@1";
/** Value of the `format` metadata key of every state file. */
export const STATE_FORMAT = "rlnas-bench/spos-train-state@1";

const _MOMENTUM = "momentum/";
const _LABELS = "labels/current";

/** Per-epoch training summary (also the progress record). */
export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  /** Learning rate used during the epoch. */
  lr: number;
  /** Mean training loss over the epoch's images. */
  loss: number;
  /** Accuracy on the training labels (the scheme's labels, random or true), in `[0, 1]`. */
  accuracy: number;
  /** Number of images seen in the epoch. */
  images: number;
  /** Number of optimizer steps in the epoch. */
  steps: number;
  /** Wall-clock seconds of the epoch (not part of any determinism guarantee). */
  seconds: number;
}

/** Everything besides the weights that a resumed run needs. */
export interface TrainState {
  /** Completed epochs (0 = before the first step). */
  epoch: number;
  /** Optimizer steps taken so far. */
  globalStep: number;
  /** Optimizer state (momentum buffers are stored as tensors, not in the JSON). */
  sgd: SgdState;
  /** JSON snapshot of every random stream, by stream name. */
  rng: Record<string, unknown>;
  /** Current labels of every official training index, for schemes that change them. */
  labels?: Int32Array;
  /** Records of the completed epochs. */
  history: EpochRecord[];
}

/** Metadata of a weights file (all values are strings in the file). */
export interface CheckpointMeta {
  /** Dataset the SuperNet is trained on. */
  dataset: string;
  /** Classifier width. */
  numClasses: number;
  /** Input side in pixels. */
  inputSize: number;
  /** Label scheme name. */
  labels: string;
  /** Run seed. */
  seed: number;
  /** The full run configuration (JSON-serialisable). */
  config: unknown;
}

/** A loaded checkpoint. */
export interface LoadedCheckpoint {
  /** Weights in PyTorch layout (parameters and BN buffers). */
  weights: Map<string, NamedTensor>;
  /** Training state. */
  state: TrainState;
  /** Raw `__metadata__` of the weights file. */
  metadata: Record<string, string>;
}

function _pad(epoch: number): string {
  if (!Number.isInteger(epoch) || epoch < 0) {
    throw new RangeError(`checkpoint epoch must be an integer >= 0, got ${epoch}`);
  }
  return String(epoch).padStart(3, "0");
}

/** Path of the weights file of `epoch` (`<dir>/epoch-KKK.safetensors`). */
export function epochFile(dir: string, epoch: number): string {
  return `${dir}/epoch-${_pad(epoch)}.safetensors`;
}

/** Path of the state file of `epoch` (`<dir>/state-KKK.safetensors`). */
export function stateFile(dir: string, epoch: number): string {
  return `${dir}/state-${_pad(epoch)}.safetensors`;
}

/** Path of the run configuration (`<dir>/run.json`). */
export function runFile(dir: string): string {
  return `${dir}/run.json`;
}

/** The complete checkpoints (both files present) in `dir`, ascending; `[]` if `dir` is missing. */
export async function listCheckpoints(dir: string): Promise<number[]> {
  const weights = new Set<number>();
  const states = new Set<number>();
  try {
    for await (const e of Deno.readDir(dir)) {
      if (!e.isFile) continue;
      const m = /^(epoch|state)-(\d{3,})\.safetensors$/.exec(e.name);
      if (m === null) continue;
      (m[1] === "epoch" ? weights : states).add(Number(m[2]));
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  return [...weights].filter((k) => states.has(k)).sort((a, b) => a - b);
}

/** The highest complete checkpoint epoch in `dir`, or `null` when there is none. */
export async function latestCheckpoint(dir: string): Promise<number | null> {
  const all = await listCheckpoints(dir);
  return all.length === 0 ? null : all[all.length - 1];
}

/**
 * Write checkpoint `state.epoch`: first the state file, then the weights file (both atomic).
 * Creates `dir` if needed.
 */
export async function saveCheckpoint(
  dir: string,
  weights: ReadonlyMap<string, NamedTensor>,
  state: TrainState,
  meta: CheckpointMeta,
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const tensors = new Map<string, NamedTensor>();
  for (const [name, t] of state.sgd.momentum) tensors.set(_MOMENTUM + name, t);
  if (state.labels !== undefined) {
    tensors.set(_LABELS, { shape: [state.labels.length], data: Float32Array.from(state.labels) });
  }
  const json = {
    epoch: state.epoch,
    globalStep: state.globalStep,
    sgd: { touched: state.sgd.touched, steps: state.sgd.steps },
    rng: state.rng,
    history: state.history,
  };
  await writeSafetensors(stateFile(dir, state.epoch), tensors, {
    format: STATE_FORMAT,
    epoch: String(state.epoch),
    momentum_layout: "tfjs",
    state: JSON.stringify(json),
  });
  await writeSafetensors(epochFile(dir, state.epoch), weights, {
    format: CHECKPOINT_FORMAT,
    epoch: String(state.epoch),
    dataset: meta.dataset,
    num_classes: String(meta.numClasses),
    input_size: String(meta.inputSize),
    labels: meta.labels,
    seed: String(meta.seed),
    config: JSON.stringify(meta.config),
  });
}

/** Read the weights file of `epoch` (PyTorch layout) and its metadata. */
export async function loadWeights(
  dir: string,
  epoch: number,
): Promise<{ weights: Map<string, NamedTensor>; metadata: Record<string, string> }> {
  const path = epochFile(dir, epoch);
  const { tensors, metadata } = await readSafetensors(path);
  if (metadata.format !== CHECKPOINT_FORMAT) {
    throw new Error(
      `${path} is not a SuperNet checkpoint (format ${JSON.stringify(metadata.format)}, ` +
        `expected ${CHECKPOINT_FORMAT})`,
    );
  }
  return { weights: tensors, metadata };
}

/** Read checkpoint `epoch` (weights + state) from `dir`. */
export async function loadCheckpoint(dir: string, epoch: number): Promise<LoadedCheckpoint> {
  const { weights, metadata } = await loadWeights(dir, epoch);
  const path = stateFile(dir, epoch);
  const { tensors, metadata: sm } = await readSafetensors(path);
  if (sm.format !== STATE_FORMAT || sm.state === undefined) {
    throw new Error(
      `${path} is not a training-state file (format ${JSON.stringify(sm.format)}, ` +
        `expected ${STATE_FORMAT})`,
    );
  }
  const json = JSON.parse(sm.state) as Omit<TrainState, "sgd" | "labels"> & {
    sgd: { touched: string[]; steps: number };
  };
  if (json.epoch !== epoch) {
    throw new Error(`${path} holds the state of epoch ${json.epoch}, expected ${epoch}`);
  }
  const momentum = new Map<string, NamedTensor>();
  let labels: Int32Array | undefined;
  for (const [name, t] of tensors) {
    if (name.startsWith(_MOMENTUM)) momentum.set(name.slice(_MOMENTUM.length), t);
    else if (name === _LABELS) labels = Int32Array.from(t.data);
    else throw new Error(`${path}: unexpected tensor ${JSON.stringify(name)}`);
  }
  const state: TrainState = {
    epoch: json.epoch,
    globalStep: json.globalStep,
    sgd: { momentum, touched: json.sgd.touched, steps: json.sgd.steps },
    rng: json.rng,
    history: json.history,
  };
  if (labels !== undefined) state.labels = labels;
  return { weights, state, metadata };
}
