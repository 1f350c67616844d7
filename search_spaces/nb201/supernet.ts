/**
 * The NAS-Bench-201 SuperNet exactly as RLNAS trains it (`TinyNetworkSPOS`, spec §1.1-1.3), in
 * TensorFlow.js (NHWC):
 *
 * ```text
 * stem:    Conv3x3(3->C, pad 1, no bias) -> BN(C)
 * cells:   5 search cells (C) | ResNet block s2 (C->2C) | 5 search cells (2C) |
 *          ResNet block s2 (2C->4C) | 5 search cells (4C)
 * lastact: BN(4C) -> ReLU;  head: global average pool -> Linear(4C -> numClasses)
 * ```
 *
 * Every edge j->i of every search cell holds all 5 ops with separate weights (none, skip,
 * ReLU-Conv1x1-BN, ReLU-Conv3x3-BN, AvgPool3x3 with count_include_pad=False); the BNs inside the
 * cells have no affine parameters; node_i = sum_j op_{j->i}(node_j); the cell output is node 3.
 * Each forward takes one genotype per search cell ({@link CellPaths}) and executes only the chosen
 * ops. BatchNorm follows PyTorch (eps 1e-5, momentum 0.1 unless `forward`'s `bnMomentum` says
 * otherwise, running variance updated with the unbiased batch variance; eval mode uses the running
 * statistics).
 *
 * Weights are initialised like PyTorch's defaults (U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for conv
 * and Linear, BN gamma 1, beta 0), drawn from a numpy-compatible `RandomState(seed)`, so a seed
 * gives identical weights on every backend and numpy reproduces them (see {@link SuperNet}).
 *
 * @module
 */
import { tf } from "../../backends/tf.ts";
import type { Tensor1D, Tensor2D, Tensor4D, Variable } from "../../backends/tf.ts";
import { RandomState } from "../../labels/random_state.ts";
import { batchNormEval, batchNormTrain } from "../../backends/batch_norm.ts";
import type { NamedTensor } from "../../training/safetensors.ts";
import { type Genotype, NB201_EDGES } from "./encoding.ts";
import { conv3x3, resnetBlock, searchCell } from "./_ops.ts";

/** Weight initialisation schemes. */
export type SuperNetInit = "pytorch-uniform" | "normal";

/** The valid {@link SuperNetInit} values. */
export const SUPERNET_INITS: readonly SuperNetInit[] = ["pytorch-uniform", "normal"];

/** Configuration of a {@link SuperNet}. */
export interface SuperNetConfig {
  /** classifier width (10 / 100 / 120) */
  numClasses: number;
  /** input resolution: 32 (CIFAR) or 16 (ImageNet16-120) */
  inputSize: 32 | 16;
  /** channels of the first stage, C (default 16; stages use C, 2C, 4C) */
  channels?: number;
  /** search cells per stage, N (default 5) */
  cellsPerStage?: number;
  /** seed of the numpy-compatible `RandomState` that draws the initial weights */
  seed: number;
  /**
   * `"pytorch-uniform"` (default): PyTorch's default init. `"normal"` (the paper's Table 7 "normal
   * init", UNCONFIRMED details): conv kernels N(0, sqrt(2 / fan_in)) (kaiming-normal, fan_in,
   * ReLU gain), Linear weight N(0, 0.01), Linear bias 0, BN gamma 1, beta 0.
   */
  init?: SuperNetInit;
}

/** One genotype per search cell, in cell order (cells 0-4, 6-10, 12-16 for N = 5). */
export type CellPaths = readonly Genotype[];

/** Options of {@link SuperNet.forward}. */
export interface ForwardOptions {
  /**
   * Momentum `m` of the training-mode running-statistics update of every executed BatchNorm,
   * `running = (1 - m) * running + m * batch_stat` (PyTorch's `momentum`), in [0, 1]; default 0.1,
   * PyTorch's and the official code's. The BN recalibration's cumulative average (PyTorch
   * `momentum=None`) passes `1 / n` for the n-th calibration chunk (`metrics/accuracy.ts`).
   */
  bnMomentum?: number;
}

/** Op indices (the encoding order). */
const _NONE = 0;
const _CONV1 = 2;
const _CONV3 = 3;
const _MOMENTUM = 0.1;
const _EPS = 1e-5;

/** Indices (into `cells.*`) of the search cells for `cellsPerStage` = n. */
export function searchCellIndices(cellsPerStage = 5): number[] {
  const out: number[] = [];
  for (let k = 0; k < 3 * cellsPerStage + 2; k++) {
    if (k !== cellsPerStage && k !== 2 * cellsPerStage + 1) out.push(k);
  }
  return out;
}

/** Indices (into `cells.*`) of the two ResNet reduction blocks for `cellsPerStage` = n. */
export function resnetCellIndices(cellsPerStage = 5): [number, number] {
  return [cellsPerStage, 2 * cellsPerStage + 1];
}

/**
 * PyTorch name of the conv kernel of op `op` (2 = nor_conv_1x1, 3 = nor_conv_3x3) on edge
 * `from`->`to` of cell `cell`, e.g. `cells.0.edges.1<-0.3.op.1.weight`.
 */
export function edgeConvName(cell: number, to: number, from: number, op: number): string {
  if (op !== _CONV1 && op !== _CONV3) {
    throw new RangeError(
      `edgeConvName: op ${op} has no kernel (valid: 2 nor_conv_1x1, 3 nor_conv_3x3)`,
    );
  }
  return `cells.${cell}.edges.${to}<-${from}.${op}.op.1.weight`;
}

type _Layout = "conv" | "linear" | "vector";

interface _Entry {
  variable: Variable;
  /** PyTorch shape */
  torchShape: number[];
  layout: _Layout;
  buffer: boolean;
}

interface _Bn {
  gamma?: Variable<tf.Rank.R1>;
  beta?: Variable<tf.Rank.R1>;
  mean: Variable<tf.Rank.R1>;
  variance: Variable<tf.Rank.R1>;
}

let _instances = 0;

/** PyTorch [out, in, kh, kw] -> tfjs [kh, kw, in, out]. */
function _convToTf(
  src: Float32Array | Float64Array,
  o: number,
  i: number,
  k: number,
): Float32Array {
  const dst = new Float32Array(src.length);
  for (let a = 0; a < o; a++) {
    for (let b = 0; b < i; b++) {
      for (let y = 0; y < k; y++) {
        for (let x = 0; x < k; x++) {
          dst[((y * k + x) * i + b) * o + a] = src[((a * i + b) * k + y) * k + x];
        }
      }
    }
  }
  return dst;
}

/** tfjs [kh, kw, in, out] -> PyTorch [out, in, kh, kw]. */
function _convToTorch(src: Float32Array, o: number, i: number, k: number): Float32Array {
  const dst = new Float32Array(src.length);
  for (let a = 0; a < o; a++) {
    for (let b = 0; b < i; b++) {
      for (let y = 0; y < k; y++) {
        for (let x = 0; x < k; x++) {
          dst[((a * i + b) * k + y) * k + x] = src[((y * k + x) * i + b) * o + a];
        }
      }
    }
  }
  return dst;
}

/** 2-D transpose of a row-major [r, c] matrix. */
function _transpose2d(src: Float32Array, r: number, c: number): Float32Array {
  const dst = new Float32Array(src.length);
  for (let a = 0; a < r; a++) for (let b = 0; b < c; b++) dst[b * r + a] = src[a * c + b];
  return dst;
}

function _checkGenotype(g: unknown, where: string): void {
  if (g === null || typeof g !== "object" || typeof (g as ArrayLike<number>).length !== "number") {
    throw new TypeError(`${where}: genotype must be an array of 6 op indices, got ${String(g)}`);
  }
  const a = g as ArrayLike<number>;
  if (a.length !== 6) {
    throw new RangeError(`${where}: genotype must have 6 op indices, got ${a.length}`);
  }
  for (let e = 0; e < 6; e++) {
    const op = a[e];
    if (!Number.isInteger(op) || op < 0 || op > 4) {
      throw new RangeError(
        `${where}: op ${op} at edge ${e} is invalid (valid: 0 none, 1 skip_connect, 2 nor_conv_1x1, 3 nor_conv_3x3, 4 avg_pool_3x3)`,
      );
    }
  }
}

/**
 * The weight-sharing NB201 SuperNet. Parameters and buffers are `tf.Variable`s named (in the maps)
 * with the official PyTorch `TinyNetworkSPOS` state-dict names, in TensorFlow.js layout (conv
 * kernels `[kh, kw, in, out]`, `classifier.weight` `[in, numClasses]`).
 *
 * Initialisation (`"pytorch-uniform"`): a single `RandomState(seed)` stream is consumed parameter by
 * parameter in state-dict order; each conv / Linear weight (and the Linear bias) of PyTorch shape
 * `s` with bound `b = 1 / sqrt(fan_in)` gets `float32(rs.uniform(-b, b, prod(s)))` in PyTorch
 * (row-major `[out, in, kh, kw]`) order, i.e. `-b + 2b * rs.random()`; BN parameters take no draws.
 * `"normal"` draws `std * rs.standard_normal(prod(s))` instead (see {@link SuperNetConfig.init}).
 */
export class SuperNet {
  /** The configuration with defaults filled in. */
  readonly config: Required<SuperNetConfig>;
  /** Trainable parameters by PyTorch name (state-dict order), TensorFlow.js layout. */
  readonly params: ReadonlyMap<string, Variable>;
  /** BN `running_mean` / `running_var` by PyTorch name (not trainable). */
  readonly buffers: ReadonlyMap<string, Variable>;

  #entries = new Map<string, _Entry>();
  #params = new Map<string, Variable>();
  #buffers = new Map<string, Variable>();
  #id = _instances++;
  #rs: RandomState;
  #searchCells: number[];
  #resnetCells: [number, number];
  #disposed = false;

  /** Builds and initialises the SuperNet; throws `RangeError` for invalid configuration values. */
  constructor(cfg: SuperNetConfig) {
    const config: Required<SuperNetConfig> = {
      numClasses: cfg.numClasses,
      inputSize: cfg.inputSize,
      channels: cfg.channels ?? 16,
      cellsPerStage: cfg.cellsPerStage ?? 5,
      seed: cfg.seed,
      init: cfg.init ?? "pytorch-uniform",
    };
    if (!Number.isInteger(config.numClasses) || config.numClasses < 1) {
      throw new RangeError(
        `SuperNet: numClasses must be a positive integer, got ${cfg.numClasses}`,
      );
    }
    if (config.inputSize !== 32 && config.inputSize !== 16) {
      throw new RangeError(`SuperNet: inputSize must be 32 or 16, got ${cfg.inputSize}`);
    }
    if (!Number.isInteger(config.channels) || config.channels < 1) {
      throw new RangeError(`SuperNet: channels must be a positive integer, got ${cfg.channels}`);
    }
    if (!Number.isInteger(config.cellsPerStage) || config.cellsPerStage < 1) {
      throw new RangeError(
        `SuperNet: cellsPerStage must be a positive integer, got ${cfg.cellsPerStage}`,
      );
    }
    if (!SUPERNET_INITS.includes(config.init)) {
      throw new RangeError(
        `SuperNet: init must be one of ${SUPERNET_INITS.join(", ")}, got ${String(cfg.init)}`,
      );
    }
    this.config = config;
    this.#rs = new RandomState(config.seed); // validates the seed
    this.params = this.#params;
    this.buffers = this.#buffers;
    this.#searchCells = searchCellIndices(config.cellsPerStage);
    this.#resnetCells = resnetCellIndices(config.cellsPerStage);
    try {
      this.#build();
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  #build(): void {
    const c = this.config.channels;
    this.#conv("stem.0.weight", c, 3, 3);
    this.#bn("stem.1", c, true);
    let cPrev = c;
    for (let k = 0; k < 3 * this.config.cellsPerStage + 2; k++) {
      if (this.#resnetCells.includes(k)) {
        const cOut = cPrev * 2;
        this.#conv(`cells.${k}.conv_a.op.1.weight`, cOut, cPrev, 3);
        this.#bn(`cells.${k}.conv_a.op.2`, cOut, true);
        this.#conv(`cells.${k}.conv_b.op.1.weight`, cOut, cOut, 3);
        this.#bn(`cells.${k}.conv_b.op.2`, cOut, true);
        this.#conv(`cells.${k}.downsample.1.weight`, cOut, cPrev, 1);
        cPrev = cOut;
      } else {
        for (const [i, j] of NB201_EDGES) {
          for (const op of [_CONV1, _CONV3]) {
            const prefix = `cells.${k}.edges.${i}<-${j}.${op}.op`;
            this.#conv(`${prefix}.1.weight`, cPrev, cPrev, op === _CONV1 ? 1 : 3);
            this.#bn(`${prefix}.2`, cPrev, false);
          }
        }
      }
    }
    this.#bn("lastact.0", cPrev, true);
    const nc = this.config.numClasses;
    const b = 1 / Math.sqrt(cPrev);
    const w = this.config.init === "normal"
      ? this.#normal(nc * cPrev, 0.01)
      : this.#uniform(nc * cPrev, b);
    this.#add("classifier.weight", _transpose2d(w, nc, cPrev), [cPrev, nc], [nc, cPrev], "linear");
    const bias = this.config.init === "normal" ? new Float32Array(nc) : this.#uniform(nc, b);
    this.#add("classifier.bias", bias, [nc], [nc], "vector");
  }

  #uniform(n: number, bound: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = -bound + 2 * bound * this.#rs.random();
    return out;
  }

  #normal(n: number, std: number): Float32Array {
    const z = this.#rs.standardNormal(n);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = std * z[i];
    return out;
  }

  #conv(name: string, o: number, i: number, k: number): void {
    const fanIn = i * k * k;
    const w = this.config.init === "normal"
      ? this.#normal(o * fanIn, Math.sqrt(2 / fanIn))
      : this.#uniform(o * fanIn, 1 / Math.sqrt(fanIn));
    this.#add(name, _convToTf(w, o, i, k), [k, k, i, o], [o, i, k, k], "conv");
  }

  #bn(prefix: string, c: number, affine: boolean): void {
    if (affine) {
      this.#add(`${prefix}.weight`, new Float32Array(c).fill(1), [c], [c], "vector");
      this.#add(`${prefix}.bias`, new Float32Array(c), [c], [c], "vector");
    }
    this.#add(`${prefix}.running_mean`, new Float32Array(c), [c], [c], "vector", true);
    this.#add(`${prefix}.running_var`, new Float32Array(c).fill(1), [c], [c], "vector", true);
  }

  #add(
    name: string,
    data: Float32Array,
    tfShape: number[],
    torchShape: number[],
    layout: _Layout,
    buffer = false,
  ): void {
    const init = tf.tensor(data, tfShape, "float32");
    const variable = tf.variable(init, !buffer, `sn${this.#id}:${name}`);
    init.dispose(); // the variable holds its own reference to the data
    this.#entries.set(name, { variable, torchShape, layout, buffer });
    (buffer ? this.#buffers : this.#params).set(name, variable);
  }

  #v(name: string): Variable {
    return this.#entries.get(name)!.variable;
  }

  #bnVars(prefix: string): _Bn {
    const e = this.#entries;
    return {
      gamma: e.get(`${prefix}.weight`)?.variable as Variable<tf.Rank.R1> | undefined,
      beta: e.get(`${prefix}.bias`)?.variable as Variable<tf.Rank.R1> | undefined,
      mean: e.get(`${prefix}.running_mean`)!.variable as Variable<tf.Rank.R1>,
      variance: e.get(`${prefix}.running_var`)!.variable as Variable<tf.Rank.R1>,
    };
  }

  /** Number of search cells (= 3 * cellsPerStage). */
  get numSearchCells(): number {
    return this.#searchCells.length;
  }

  #checkPaths(paths: CellPaths, where: string): void {
    if (!Array.isArray(paths) || paths.length !== this.#searchCells.length) {
      throw new RangeError(
        `${where}: paths must hold one genotype per search cell (${this.#searchCells.length}), got ${
          Array.isArray(paths) ? paths.length : String(paths)
        }`,
      );
    }
    paths.forEach((g, c) => _checkGenotype(g, `${where}: cell ${c}`));
  }

  /** `momentum` null = eval mode (running statistics), else train mode with that momentum. */
  #batchNorm(x: Tensor4D, prefix: string, momentum: number | null): Tensor4D {
    const bn = this.#bnVars(prefix);
    if (momentum === null) return batchNormEval(x, bn.mean, bn.variance, bn.gamma, bn.beta, _EPS);
    const { y, mean, varUnbiased } = batchNormTrain(x, bn.gamma, bn.beta, _EPS);
    // PyTorch: running = (1 - momentum) * running + momentum * batch_stat (unbiased variance)
    bn.mean.assign(tf.add(tf.mul(bn.mean, 1 - momentum), tf.mul(mean, momentum)) as Tensor1D);
    bn.variance.assign(
      tf.add(tf.mul(bn.variance, 1 - momentum), tf.mul(varUnbiased, momentum)) as Tensor1D,
    );
    return y;
  }

  #resnet(x: Tensor4D, k: number, momentum: number | null): Tensor4D {
    const p = `cells.${k}`;
    return resnetBlock(
      x,
      this.#v(`${p}.conv_a.op.1.weight`) as Tensor4D,
      this.#v(`${p}.conv_b.op.1.weight`) as Tensor4D,
      this.#v(`${p}.downsample.1.weight`) as Tensor4D,
      (y, which) => this.#batchNorm(y, `${p}.${which}.op.2`, momentum),
    );
  }

  #cell(x: Tensor4D, k: number, g: Genotype, momentum: number | null): Tensor4D {
    const p = `cells.${k}.edges`;
    return searchCell(
      x,
      g,
      (edge, op) => this.#v(`${p}.${edge}.${op}.op.1.weight`) as Tensor4D,
      (y, name) => this.#batchNorm(y, `${p}.${name}.op.2`, momentum),
    );
  }

  /**
   * Logits `[N, numClasses]` for an NHWC float32 normalised batch `x` (`[N, inputSize,
   * inputSize, 3]`), with genotype `paths[c]` in search cell `c`. `training = true`: BatchNorm uses
   * batch statistics and the running statistics of the executed BNs are updated (variable
   * `assign`s inside this call: safe inside `tf.tidy` / `tf.variableGrads`) with momentum
   * `opts.bnMomentum` (default 0.1); `false`: running statistics, no state change. Only the
   * chosen ops run; an all-`none` node is a zero tensor.
   */
  forward(x: Tensor4D, paths: CellPaths, training: boolean, opts: ForwardOptions = {}): Tensor2D {
    this.#checkAlive("forward");
    const m = opts.bnMomentum ?? _MOMENTUM;
    if (typeof m !== "number" || !(m >= 0 && m <= 1)) {
      throw new RangeError(`SuperNet.forward: bnMomentum must be a number in [0, 1], got ${m}`);
    }
    const momentum = training ? m : null;
    const s = this.config.inputSize;
    if (x.rank !== 4 || x.shape[1] !== s || x.shape[2] !== s || x.shape[3] !== 3) {
      throw new RangeError(
        `SuperNet.forward: x must have shape [N, ${s}, ${s}, 3], got [${x.shape}]`,
      );
    }
    this.#checkPaths(paths, "SuperNet.forward");
    return tf.tidy(() => {
      let h = conv3x3(x, this.#v("stem.0.weight") as Tensor4D);
      h = this.#batchNorm(h, "stem.1", momentum);
      let c = 0;
      for (let k = 0; k < 3 * this.config.cellsPerStage + 2; k++) {
        h = this.#resnetCells.includes(k)
          ? this.#resnet(h, k, momentum)
          : this.#cell(h, k, paths[c++], momentum);
      }
      h = tf.relu(this.#batchNorm(h, "lastact.0", momentum));
      const feat = tf.mean(h, [1, 2]) as Tensor2D;
      return tf.add(
        tf.matMul(feat, this.#v("classifier.weight") as Tensor2D),
        this.#v("classifier.bias"),
      ) as Tensor2D;
    });
  }

  /**
   * Names (state-dict order) of the parameters that receive a gradient in PyTorch for a forward
   * with these paths: every fixed parameter and the kernel of every executed conv op. (PyTorch's
   * `none` op is `x * 0` and keeps its input in the graph, so an op whose output reaches the loss
   * only through `none` edges gets a zero gradient there; `tf.variableGrads` omits such a
   * parameter instead: treat a missing gradient of a listed parameter as zeros.)
   */
  usedParams(paths: CellPaths): string[] {
    this.#checkPaths(paths, "SuperNet.usedParams");
    const used = new Set<string>();
    this.#searchCells.forEach((k, c) => {
      NB201_EDGES.forEach(([i, j], e) => {
        const op = paths[c][e];
        if (op === _CONV1 || op === _CONV3) used.add(edgeConvName(k, i, j, op));
      });
    });
    const out: string[] = [];
    for (const name of this.#params.keys()) {
      if (!name.startsWith("cells.") || !name.includes(".edges.") || used.has(name)) out.push(name);
    }
    return out;
  }

  /**
   * Weights (and with `buffers: true`, the BN running statistics) in PyTorch layout
   * (`[out, in, kh, kw]`, `classifier.weight` `[numClasses, in]`), state-dict order.
   */
  async exportWeights(opts: { buffers?: boolean } = {}): Promise<Map<string, NamedTensor>> {
    this.#checkAlive("exportWeights");
    const out = new Map<string, NamedTensor>();
    for (const [name, e] of this.#entries) {
      if (e.buffer && !opts.buffers) continue;
      const raw = await e.variable.data() as Float32Array;
      const s = e.torchShape;
      const data = e.layout === "conv"
        ? _convToTorch(raw, s[0], s[1], s[2])
        : e.layout === "linear"
        ? _transpose2d(raw, s[1], s[0])
        : Float32Array.from(raw);
      out.set(name, { shape: [...s], data });
    }
    return out;
  }

  /**
   * Loads PyTorch-layout weights (the inverse of {@link exportWeights}). Every parameter must be
   * present; BN running statistics are loaded when present (all or none of them);
   * `*.num_batches_tracked` entries are ignored. Throws for unknown names, missing parameters and
   * shape mismatches (before changing anything).
   */
  importWeights(w: ReadonlyMap<string, NamedTensor>): void {
    this.#checkAlive("importWeights");
    const todo: [_Entry, NamedTensor][] = [];
    let nBuffers = 0;
    for (const [name, t] of w) {
      if (name.endsWith(".num_batches_tracked")) continue;
      const e = this.#entries.get(name);
      if (e === undefined) {
        throw new RangeError(`SuperNet.importWeights: unknown tensor "${name}"`);
      }
      const s = e.torchShape;
      if (t.shape.length !== s.length || t.shape.some((d, i) => d !== s[i])) {
        throw new RangeError(
          `SuperNet.importWeights: "${name}" has shape [${t.shape}], expected [${s}]`,
        );
      }
      const n = s.reduce((a, b) => a * b, 1);
      if (t.data.length !== n) {
        throw new RangeError(
          `SuperNet.importWeights: "${name}" holds ${t.data.length} values, expected ${n}`,
        );
      }
      if (e.buffer) nBuffers++;
      todo.push([e, t]);
    }
    const missing = [...this.#params.keys()].filter((n) => !w.has(n));
    if (missing.length > 0) {
      throw new RangeError(
        `SuperNet.importWeights: ${missing.length} parameters missing, e.g. "${missing[0]}"`,
      );
    }
    if (nBuffers !== 0 && nBuffers !== this.#buffers.size) {
      const miss = [...this.#buffers.keys()].find((n) => !w.has(n));
      throw new RangeError(
        `SuperNet.importWeights: give all ${this.#buffers.size} BN running statistics or none, got ${nBuffers} (missing e.g. "${miss}")`,
      );
    }
    for (const [e, t] of todo) {
      const s = e.torchShape;
      const data = e.layout === "conv"
        ? _convToTf(t.data, s[0], s[1], s[2])
        : e.layout === "linear"
        ? _transpose2d(t.data, s[0], s[1])
        : Float32Array.from(t.data);
      tf.tidy(() => e.variable.assign(tf.tensor(data, e.variable.shape, "float32")));
    }
  }

  /** Sets every BN `running_mean` to 0 and `running_var` to 1 (BN recalibration, spec §4). */
  resetRunningStats(): void {
    this.#checkAlive("resetRunningStats");
    tf.tidy(() => {
      for (const [name, v] of this.#buffers) {
        v.assign(name.endsWith(".running_var") ? tf.onesLike(v) : tf.zerosLike(v));
      }
    });
  }

  /** Total number of trainable values. */
  get numParams(): number {
    let n = 0;
    for (const v of this.#params.values()) n += v.size;
    return n;
  }

  /** Frees every variable; the SuperNet is unusable afterwards. */
  dispose(): void {
    for (const e of this.#entries.values()) e.variable.dispose();
    this.#entries.clear();
    this.#params.clear();
    this.#buffers.clear();
    this.#disposed = true;
  }

  #checkAlive(where: string): void {
    if (this.#disposed) throw new Error(`SuperNet.${where}: the SuperNet has been disposed`);
  }
}
