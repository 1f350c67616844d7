/**
 * SuperNet training checkpoints: layout of the checkpoint directory and the (de)serialisation of
 * the weights and of everything a resumed run needs to continue bit-identically.
 *
 * ## Directory layout
 *
 * ```text
 * <dir>/run.json                  the run's configuration (written once; `resume` refuses a
 *                                 different configuration)
 * <dir>/checksums.json            SHA-256 of every checkpoint file (see "Integrity")
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
 * are written atomically (temporary file `<file>.<pid>.<random>.tmp` + rename, see
 * `reporting/atomic.ts`), so a run killed at any point leaves only complete checkpoints and at most
 * one orphan state file, which the next save overwrites (and temporary files, which the trainer
 * removes when it starts on the directory). {@link latestCheckpoint} returns the highest complete
 * epoch. {@link saveCheckpoint} refuses weights, BN statistics or momentum that are not finite.
 *
 * ## Integrity
 *
 * `checksums.json` is `{"format": "rlnas-bench/checksums@1", "algorithm": "SHA-256", "files":
 * {"epoch-000.safetensors": "<64 hex digits>", ...}}`: the SHA-256 (`crypto.subtle.digest`, via
 * `sha256Hex` of `datasets/download.ts`) of every checkpoint file of the directory, by file name.
 * {@link saveCheckpoint} records the digests of the two new files (an atomic rewrite of
 * `checksums.json`) BEFORE it writes them, so every complete checkpoint always has its entries. Every read ({@link loadWeights},
 * {@link loadCheckpoint}, {@link verifyCheckpointFile}) hashes the file and compares: a mismatch,
 * a missing entry, a missing `checksums.json` or a missing file throws a
 * {@link CheckpointIntegrityError}, whose one-line message names the file and says to delete the
 * directory to retrain it; the file's content is never used. Files are rewritten only through
 * {@link saveCheckpoint} and {@link saveWeights}, which keep the manifest current.
 *
 * ## Retention
 *
 * {@link pruneCheckpoints} (called by the trainer after each new checkpoint is written, with the
 * run's `keepEvery`, default {@link DEFAULT_KEEP_EVERY}) keeps the weights of epoch 0 (W0, the
 * angle's reference), the latest complete checkpoint (weights + state: what a resume needs) and the
 * weights of every `keepEvery`-th epoch; it deletes the other weights files and every older state
 * file, then drops their entries from `checksums.json`. `keepEvery = 1` keeps the weights of every
 * epoch (and still only the latest state). {@link latestCheckpoint} is unaffected, since the
 * latest complete checkpoint is always kept; {@link listWeightEpochs} lists the kept weights.
 *
 * @module
 */
import { sha256Hex } from "../datasets/download.ts";
import { writeFileAtomic } from "../reporting/atomic.ts";
import {
  decodeSafetensors,
  encodeSafetensors,
  type NamedTensor,
  writeSafetensorsBytes,
} from "./safetensors.ts";
import type { SgdState } from "./sgd.ts";

/** Value of the `format` metadata key of every weights file. */
export const CHECKPOINT_FORMAT = "rlnas-bench/spos-supernet@1";
/** Value of the `format` metadata key of every state file. */
export const STATE_FORMAT = "rlnas-bench/spos-train-state@1";

/** Value of the `format` key of `checksums.json`. */
export const CHECKSUMS_FORMAT = "rlnas-bench/checksums@1";

/**
 * Default retention ({@link pruneCheckpoints}): the weights of every 50th epoch are kept.
 *
 * Measured on the paper's SuperNet (C = 16, N = 5, 10 classes: 1,686,106 parameters and 13,984
 * BN statistics), CIFAR-10, `random-uniform-once`, a real one-epoch `trainSuperNet` run on wasm
 * (256 images, batch 4: 64 steps, after which every parameter had a momentum buffer):
 * `epoch-001.safetensors` is 6,859,528 bytes and `state-001.safetensors` 6,801,648 bytes, 13.66 MB
 * per epoch (the state grows by about 165 bytes of history per epoch: 6.84 MB at epoch 250).
 * Keeping every file of a 250-epoch run, as before the retention, takes 251 x 13.66 MB = 3.43 GB;
 * `keepEvery = 1` keeps 1.73 GB (251 weights files, 1 state file). With `keepEvery = 50` it keeps
 * W0, the weights of epochs 50, 100, 150, 200, 250 and the state of epoch 250: 6 weights files + 1
 * state file = 48.0 MB (61.7 MB at most, while a checkpoint is written before the old one is
 * pruned); `keepEvery = 25` would keep 82.3 MB. `estimateCheckpointDisk` (`trainer.ts`) computes
 * these numbers from the parameter count.
 */
export const DEFAULT_KEEP_EVERY = 50;

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

/** Path of the checksum manifest (`<dir>/checksums.json`). */
export function checksumsFile(dir: string): string {
  return `${dir}/checksums.json`;
}

/**
 * A checkpoint file that cannot be trusted: its SHA-256 differs from the one recorded in
 * `checksums.json`, none is recorded, the manifest is missing or unreadable, or the file is
 * missing. The message is one line naming the file and the directory to delete.
 */
export class CheckpointIntegrityError extends Error {
  /** The checkpoint file (or the manifest) that failed. */
  readonly path: string;
  /** The checkpoint directory, which should be deleted to retrain. */
  readonly dir: string;
  constructor(path: string, dir: string, why: string, options?: ErrorOptions) {
    super(`${why}; delete ${dir} to retrain it`, options);
    this.name = "CheckpointIntegrityError";
    this.path = path;
    this.dir = dir;
  }
}

function _split(path: string): [string, string] {
  const slash = path.lastIndexOf("/");
  return slash >= 0 ? [path.slice(0, slash), path.slice(slash + 1)] : [".", path];
}

/** The recorded digests by file name; `null` when `checksums.json` does not exist. */
async function _readManifest(dir: string): Promise<Record<string, string> | null> {
  const path = checksumsFile(dir);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  let json: { format?: unknown; files?: unknown };
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CheckpointIntegrityError(
      path,
      dir,
      `corrupt checksum manifest ${path} (not JSON: ${(e as Error).message})`,
      { cause: e },
    );
  }
  const files = json?.files;
  if (
    json?.format !== CHECKSUMS_FORMAT || files === null || typeof files !== "object" ||
    Array.isArray(files) ||
    !Object.values(files).every((v) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v))
  ) {
    throw new CheckpointIntegrityError(
      path,
      dir,
      `corrupt checksum manifest ${path} (expected format ${CHECKSUMS_FORMAT})`,
    );
  }
  return { ...(files as Record<string, string>) };
}

async function _writeManifest(dir: string, files: Record<string, string>): Promise<void> {
  const sorted = Object.fromEntries(Object.keys(files).sort().map((k) => [k, files[k]]));
  const json = { format: CHECKSUMS_FORMAT, algorithm: "SHA-256", files: sorted };
  await writeFileAtomic(checksumsFile(dir), JSON.stringify(json, null, 2) + "\n");
}

/** Record the digests of `entries` (file name -> hex) in the manifest of `dir`. */
async function _record(dir: string, entries: Record<string, string>): Promise<void> {
  const files = (await _readManifest(dir)) ?? {};
  await _writeManifest(dir, { ...files, ...entries });
}

/**
 * Read a checkpoint file and check its SHA-256 against `checksums.json` in its directory. Returns
 * the bytes; throws {@link CheckpointIntegrityError} (nothing of the file is used) on a mismatch,
 * a missing entry, manifest or file.
 */
export async function verifyCheckpointFile(path: string): Promise<Uint8Array> {
  const [dir, name] = _split(path);
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new CheckpointIntegrityError(path, dir, `missing SuperNet checkpoint ${path}`, {
        cause: e,
      });
    }
    throw new Error(`cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  const files = await _readManifest(dir);
  if (files === null) {
    throw new CheckpointIntegrityError(
      path,
      dir,
      `unverifiable SuperNet checkpoint ${path} (${checksumsFile(dir)} is missing)`,
    );
  }
  const want = files[name];
  if (want === undefined) {
    throw new CheckpointIntegrityError(
      path,
      dir,
      `unverifiable SuperNet checkpoint ${path} (no SHA-256 recorded in ${checksumsFile(dir)})`,
    );
  }
  const got = await sha256Hex(bytes);
  if (got !== want) {
    throw new CheckpointIntegrityError(
      path,
      dir,
      `corrupt SuperNet checkpoint ${path} (SHA-256 mismatch: recorded ${want.slice(0, 12)}..., ` +
        `file ${got.slice(0, 12)}...)`,
    );
  }
  return bytes;
}

const _NAME = /^(epoch|state)-(\d{3,})\.safetensors$/;

async function _scan(dir: string): Promise<{ weights: Set<number>; states: Set<number> }> {
  const weights = new Set<number>();
  const states = new Set<number>();
  try {
    for await (const e of Deno.readDir(dir)) {
      if (!e.isFile) continue;
      const m = _NAME.exec(e.name);
      if (m === null) continue;
      (m[1] === "epoch" ? weights : states).add(Number(m[2]));
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { weights, states };
    throw e;
  }
  return { weights, states };
}

/** The complete checkpoints (both files present) in `dir`, ascending; `[]` if `dir` is missing. */
export async function listCheckpoints(dir: string): Promise<number[]> {
  const { weights, states } = await _scan(dir);
  return [...weights].filter((k) => states.has(k)).sort((a, b) => a - b);
}

/**
 * The epochs whose weights file exists in `dir` (complete checkpoints and weights kept by the
 * retention), ascending; `[]` if `dir` is missing.
 */
export async function listWeightEpochs(dir: string): Promise<number[]> {
  return [...(await _scan(dir)).weights].sort((a, b) => a - b);
}

/** The highest complete checkpoint epoch in `dir`, or `null` when there is none. */
export async function latestCheckpoint(dir: string): Promise<number | null> {
  const all = await listCheckpoints(dir);
  return all.length === 0 ? null : all[all.length - 1];
}

/** Where a map of tensors holds values that are not finite (NaN or +-Infinity). */
export interface NonFiniteReport {
  /** Number of non-finite values. */
  values: number;
  /** Names of the tensors holding them, in map order. */
  tensors: string[];
}

/** The non-finite values of `tensors`; `null` when every value is finite. */
export function findNonFinite(tensors: ReadonlyMap<string, NamedTensor>): NonFiniteReport | null {
  let values = 0;
  const names: string[] = [];
  for (const [name, t] of tensors) {
    const d = t.data;
    let n = 0;
    for (let i = 0; i < d.length; i++) {
      const v = d[i];
      if (v - v !== 0) n++; // NaN and +-Infinity
    }
    if (n > 0) {
      values += n;
      names.push(name);
    }
  }
  return values === 0 ? null : { values, tensors: names };
}

function _refuseNonFinite(what: string, tensors: ReadonlyMap<string, NamedTensor>): void {
  const bad = findNonFinite(tensors);
  if (bad !== null) {
    throw new RangeError(
      `refusing to write a checkpoint with non-finite ${what}: ${bad.values} values in ` +
        `${bad.tensors.length} tensors (first ${bad.tensors[0]})`,
    );
  }
}

/** The `__metadata__` of the weights file of `epoch`. */
export function weightsFileMetadata(epoch: number, meta: CheckpointMeta): Record<string, string> {
  return {
    format: CHECKPOINT_FORMAT,
    epoch: String(epoch),
    dataset: meta.dataset,
    num_classes: String(meta.numClasses),
    input_size: String(meta.inputSize),
    labels: meta.labels,
    seed: String(meta.seed),
    config: JSON.stringify(meta.config),
  };
}

/** The `__metadata__` of the state file of `state` (the momentum tensors are not read). */
export function stateFileMetadata(state: TrainState): Record<string, string> {
  const json = {
    epoch: state.epoch,
    globalStep: state.globalStep,
    sgd: { touched: state.sgd.touched, steps: state.sgd.steps },
    rng: state.rng,
    history: state.history,
  };
  return {
    format: STATE_FORMAT,
    epoch: String(state.epoch),
    momentum_layout: "tfjs",
    state: JSON.stringify(json),
  };
}

function _stateTensors(state: TrainState): Map<string, NamedTensor> {
  const tensors = new Map<string, NamedTensor>();
  for (const [name, t] of state.sgd.momentum) tensors.set(_MOMENTUM + name, t);
  if (state.labels !== undefined) {
    tensors.set(_LABELS, { shape: [state.labels.length], data: Float32Array.from(state.labels) });
  }
  return tensors;
}

/** Name of the state-file tensor of the momentum of parameter `name`. */
export function momentumTensorName(name: string): string {
  return _MOMENTUM + name;
}

/** Name of the state-file tensor of the current labels. */
export const LABELS_TENSOR = _LABELS;

/**
 * Write checkpoint `state.epoch`: record the SHA-256 of both files in `checksums.json`, then
 * write the state file, then the weights file (all three atomic). Creates `dir` if needed.
 * Throws a `RangeError` (and writes nothing) when a weight, BN statistic or momentum value is
 * not finite.
 */
export async function saveCheckpoint(
  dir: string,
  weights: ReadonlyMap<string, NamedTensor>,
  state: TrainState,
  meta: CheckpointMeta,
): Promise<void> {
  _refuseNonFinite("weights or BN statistics", weights);
  _refuseNonFinite("momentum", state.sgd.momentum);
  await Deno.mkdir(dir, { recursive: true });
  const stateBytes = encodeSafetensors(_stateTensors(state), stateFileMetadata(state));
  const weightBytes = encodeSafetensors(weights, weightsFileMetadata(state.epoch, meta));
  const statePath = stateFile(dir, state.epoch);
  const weightPath = epochFile(dir, state.epoch);
  await _record(dir, {
    [_split(statePath)[1]]: await sha256Hex(stateBytes),
    [_split(weightPath)[1]]: await sha256Hex(weightBytes),
  });
  await writeSafetensorsBytes(statePath, stateBytes);
  await writeSafetensorsBytes(weightPath, weightBytes);
}

/**
 * Write (or replace) only the weights file of `epoch` with these tensors and `__metadata__`
 * (e.g. a tool or test that edits W0) and record its SHA-256, so that later reads accept it.
 */
export async function saveWeights(
  dir: string,
  epoch: number,
  weights: ReadonlyMap<string, NamedTensor>,
  metadata: Record<string, string>,
): Promise<void> {
  const path = epochFile(dir, epoch);
  const bytes = encodeSafetensors(weights, metadata);
  await Deno.mkdir(dir, { recursive: true });
  await _record(dir, { [_split(path)[1]]: await sha256Hex(bytes) });
  await writeSafetensorsBytes(path, bytes);
}

/**
 * Whether the retention keeps the weights of `epoch` once `latest` is the latest complete
 * checkpoint: epoch 0, `latest` and every multiple of `keepEvery`. (Only the state of `latest` is
 * kept.)
 */
export function keepsWeights(epoch: number, latest: number, keepEvery: number): boolean {
  return epoch === 0 || epoch === latest || epoch % keepEvery === 0;
}

/**
 * Apply the retention (see the module documentation) once checkpoint `latest` is complete:
 * delete the weights files of older epochs that {@link keepsWeights} does not keep and every
 * state file older than `latest`, then drop their entries (and those of files that no longer
 * exist) from `checksums.json`. Files of epochs after `latest` are left alone. Returns the names
 * removed, ascending.
 */
export async function pruneCheckpoints(
  dir: string,
  latest: number,
  keepEvery: number = DEFAULT_KEEP_EVERY,
): Promise<string[]> {
  if (!Number.isInteger(keepEvery) || keepEvery < 1) {
    throw new RangeError(`keepEvery must be an integer >= 1, got ${keepEvery}`);
  }
  const { weights, states } = await _scan(dir);
  if (!weights.has(latest) || !states.has(latest)) {
    throw new Error(`pruneCheckpoints: checkpoint ${latest} in ${dir} is not complete`);
  }
  const doomed: string[] = [];
  for (const k of weights) {
    if (k < latest && !keepsWeights(k, latest, keepEvery)) doomed.push(epochFile(dir, k));
  }
  for (const k of states) if (k < latest) doomed.push(stateFile(dir, k));
  doomed.sort();
  for (const path of doomed) {
    await Deno.remove(path).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
  }
  const files = await _readManifest(dir);
  if (files !== null) {
    const left = await _scan(dir);
    const exists = (name: string): boolean => {
      const m = _NAME.exec(name);
      return m !== null && (m[1] === "epoch" ? left.weights : left.states).has(Number(m[2]));
    };
    const kept = Object.fromEntries(Object.entries(files).filter(([n]) => exists(n)));
    if (Object.keys(kept).length !== Object.keys(files).length) await _writeManifest(dir, kept);
  }
  return doomed.map((p) => _split(p)[1]);
}

/** Read the weights file of `epoch` (PyTorch layout) and its metadata, checking its SHA-256. */
export async function loadWeights(
  dir: string,
  epoch: number,
): Promise<{ weights: Map<string, NamedTensor>; metadata: Record<string, string> }> {
  const path = epochFile(dir, epoch);
  const { tensors, metadata } = decodeSafetensors(await verifyCheckpointFile(path), path);
  if (metadata.format !== CHECKPOINT_FORMAT) {
    throw new Error(
      `${path} is not a SuperNet checkpoint (format ${JSON.stringify(metadata.format)}, ` +
        `expected ${CHECKPOINT_FORMAT})`,
    );
  }
  return { weights: tensors, metadata };
}

/** Read checkpoint `epoch` (weights + state) from `dir`, checking the SHA-256 of both files. */
export async function loadCheckpoint(dir: string, epoch: number): Promise<LoadedCheckpoint> {
  const { weights, metadata } = await loadWeights(dir, epoch);
  const path = stateFile(dir, epoch);
  const { tensors, metadata: sm } = decodeSafetensors(await verifyCheckpointFile(path), path);
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
