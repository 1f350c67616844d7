/**
 * The standalone NAS-Bench-201 network of one genotype (D-X-Y's `TinyNetwork` of
 * NAS-Bench-201 / AutoDL-Projects, `xautodl/models/cell_infers/tiny_network.py`), in
 * TensorFlow.js (NHWC), for the zero-cost proxies ({@link ProxyNetwork}):
 *
 * ```text
 * stem:    Conv3x3(3->C, pad 1, no bias) -> BN(C)
 * cells:   N InferCells (C) | ResNetBasicblock s2 (C->2C) | N InferCells (2C) |
 *          ResNetBasicblock s2 (2C->4C) | N InferCells (4C)
 * lastact: BN(4C) -> ReLU;  head: global average pool -> Linear(4C -> numClasses)
 * ```
 *
 * An `InferCell` holds one op per edge (node_i = sum_j op_{j->i}(node_j), output node 3):
 * `none` is omitted (it contributes zeros; PyTorch's `Zero` is `x * 0`), `skip_connect` is the
 * identity, `nor_conv_1x1` / `nor_conv_3x3` are ReLU -> Conv (no bias) -> BN, `avg_pool_3x3` is
 * `AvgPool2d(3, 1, 1, count_include_pad=False)`. Variant: every BatchNorm is **affine** (as in
 * NAS-Bench-201's `TinyNetwork` and NASLib's NB201 graph; zero-cost-nas builds its cells with
 * `affine=False, track_running_stats=False`). The ResNet block is `ReLUConvBN(3x3, s2)`,
 * `ReLUConvBN(3x3)` plus the shortcut `AvgPool2d(2, 2) -> Conv1x1 (no bias)`.
 *
 * Parameter names are the state-dict names of `TinyNetwork`: `InferCell` keeps its ops in
 * `layers`, one per edge in genotype order (`none` edges included, as parameterless `Zero`
 * modules), so edge `e` of cell `k` is `cells.k.layers.e` (e.g. `cells.0.layers.3.op.1.weight`,
 * the conv of edge 3<-0; `.op.2.weight` / `.op.2.bias` its BN); the blocks are
 * `cells.N.conv_a.op.1.weight`, `cells.N.conv_b.op.2.bias`, `cells.N.downsample.1.weight`.
 *
 * Initialisation: PyTorch's default (`reset_parameters`: kaiming-uniform with a = sqrt(5), i.e.
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for conv and Linear weights and the Linear bias; BN gamma 1,
 * beta 0, running mean 0, variance 1), drawn from one numpy-compatible `RandomState(seed)` stream
 * parameter by parameter in state-dict order, as the SuperNet does (`tools/pytorch_nb201_network.py`
 * rebuilds the same weights with numpy).
 *
 * @module
 */
import { tf } from "../../backends/tf.ts";
import type { Tensor, Tensor1D, Tensor2D, Tensor4D, Variable } from "../../backends/tf.ts";
import { batchNormEval, batchNormTrain } from "../../backends/batch_norm.ts";
import { RandomState } from "../../labels/random_state.ts";
import type {
  ProxyForwardOptions,
  ProxyLayer,
  ProxyNetwork,
  ProxyNetworkOptions,
  ProxyParam,
  ProxyParamKind,
} from "../../metrics/proxy_network.ts";
import { type Genotype, NB201_OPS, toGenotype } from "./encoding.ts";
import { NB201_CELLS_PER_STAGE, NB201_CHANNELS, nb201FlopsM } from "./cost.ts";
import { type BnFn, conv3x3, type OpHooks, resnetBlock, searchCell, uniformDraws } from "./_ops.ts";

const _EPS = 1e-5;
const _CONV1 = 2;
const _CONV3 = 3;

let _instances = 0;

/** Index into `InferCell.layers` (= the genotype's edge index) of an `"i<-j"` edge name. */
function _edgeIndex(edge: string): number {
  const [i, j] = edge.split("<-").map(Number);
  return ((i - 1) * i) / 2 + j;
}

/** The standalone NB201 network of one genotype (see the module documentation). */
export class Nb201Network implements ProxyNetwork {
  readonly variant: string;
  readonly inputShape: readonly [number, number, number];
  readonly numClasses: number;
  /** The cell genotype (the same in every cell). */
  readonly genotype: Genotype;
  /** The configuration with defaults filled in. */
  readonly config: Readonly<Required<ProxyNetworkOptions>>;
  readonly params: readonly ProxyParam[];
  readonly layers: readonly ProxyLayer[];
  /** BN `running_mean` / `running_var` by PyTorch name (eval mode; never updated). */
  readonly buffers: ReadonlyMap<string, Variable>;
  readonly flopsM: number | undefined;

  #params: ProxyParam[] = [];
  #byName = new Map<string, Variable>();
  #buffers = new Map<string, Variable>();
  #rs: RandomState;
  #id = _instances++;
  #disposed = false;

  /** Builds and initialises the network; `RangeError` / `TypeError` for invalid arguments. */
  constructor(genotype: ArrayLike<number>, opts: ProxyNetworkOptions) {
    this.genotype = toGenotype(genotype);
    const config = {
      numClasses: opts.numClasses,
      inputSize: opts.inputSize,
      channels: opts.channels ?? NB201_CHANNELS,
      cellsPerStage: opts.cellsPerStage ?? NB201_CELLS_PER_STAGE,
      seed: opts.seed,
    };
    const posInt = (v: number) => Number.isInteger(v) && v >= 1;
    if (!posInt(config.numClasses)) {
      throw new RangeError(
        `Nb201Network: numClasses must be a positive integer, got ${opts.numClasses}`,
      );
    }
    if (!posInt(config.inputSize) || config.inputSize % 4 !== 0) {
      throw new RangeError(
        `Nb201Network: inputSize must be a positive multiple of 4 (32 CIFAR, 16 ImageNet16), got ${opts.inputSize}`,
      );
    }
    if (!posInt(config.channels)) {
      throw new RangeError(
        `Nb201Network: channels must be a positive integer, got ${opts.channels}`,
      );
    }
    if (!posInt(config.cellsPerStage)) {
      throw new RangeError(
        `Nb201Network: cellsPerStage must be a positive integer, got ${opts.cellsPerStage}`,
      );
    }
    this.#rs = new RandomState(config.seed); // validates the seed
    this.config = config;
    this.numClasses = config.numClasses;
    this.inputShape = [config.inputSize, config.inputSize, 3];
    const arch = this.genotype.map((op) => NB201_OPS[op]).join(",");
    this.variant =
      `nb201 TinyNetwork C=${config.channels} N=${config.cellsPerStage} affine-BN [${arch}]`;
    this.flopsM =
      config.channels === NB201_CHANNELS && config.cellsPerStage === NB201_CELLS_PER_STAGE
        ? nb201FlopsM(this.genotype, config)
        : undefined;
    this.params = this.#params;
    this.buffers = this.#buffers;
    try {
      this.#build();
    } catch (e) {
      this.dispose();
      throw e;
    }
    this.layers = this.#params.filter((p): p is ProxyLayer =>
      p.kind === "conv" || p.kind === "linear"
    );
  }

  /** Indices (into `cells.*`) of the two ResNet blocks. */
  get #resnetCells(): [number, number] {
    const n = this.config.cellsPerStage;
    return [n, 2 * n + 1];
  }

  #build(): void {
    const c0 = this.config.channels;
    this.#conv("stem.0", c0, 3, 3);
    this.#bn("stem.1", c0);
    let c = c0;
    for (let k = 0; k < 3 * this.config.cellsPerStage + 2; k++) {
      if (this.#resnetCells.includes(k)) {
        this.#conv(`cells.${k}.conv_a.op.1`, 2 * c, c, 3);
        this.#bn(`cells.${k}.conv_a.op.2`, 2 * c);
        this.#conv(`cells.${k}.conv_b.op.1`, 2 * c, 2 * c, 3);
        this.#bn(`cells.${k}.conv_b.op.2`, 2 * c);
        this.#conv(`cells.${k}.downsample.1`, 2 * c, c, 1);
        c *= 2;
      } else {
        this.genotype.forEach((op, e) => {
          if (op !== _CONV1 && op !== _CONV3) return;
          this.#conv(`cells.${k}.layers.${e}.op.1`, c, c, op === _CONV1 ? 1 : 3);
          this.#bn(`cells.${k}.layers.${e}.op.2`, c);
        });
      }
    }
    this.#bn("lastact.0", c);
    const nc = this.config.numClasses;
    const b = 1 / Math.sqrt(c);
    this.#add("classifier", "weight", "linear", uniformDraws(this.#rs, nc * c, b), [nc, c]);
    this.#add("classifier", "bias", "linear_bias", uniformDraws(this.#rs, nc, b), [nc]);
  }

  #conv(module: string, o: number, i: number, k: number): void {
    const w = uniformDraws(this.#rs, o * i * k * k, 1 / Math.sqrt(i * k * k));
    this.#add(module, "weight", "conv", w, [o, i, k, k]);
  }

  #bn(module: string, c: number): void {
    this.#add(module, "weight", "bn_weight", new Float32Array(c).fill(1), [c]);
    this.#add(module, "bias", "bn_bias", new Float32Array(c), [c]);
    for (const [stat, v] of [["running_mean", 0], ["running_var", 1]] as const) {
      const name = `${module}.${stat}`;
      const t = tf.fill([c], v);
      this.#buffers.set(name, tf.variable(t, false, `nb${this.#id}:${name}`));
      t.dispose();
    }
  }

  /** Adds a parameter from values in PyTorch layout `torchShape` (stored in tfjs layout). */
  #add(
    module: string,
    suffix: string,
    kind: ProxyParamKind,
    data: Float32Array,
    torchShape: number[],
  ): void {
    const name = `${module}.${suffix}`;
    const init = tf.tidy(() => {
      const t = tf.tensor(data, torchShape, "float32");
      // PyTorch [out, in, kh, kw] -> [kh, kw, in, out]; Linear [out, in] -> [in, out]
      return kind === "conv"
        ? tf.transpose(t, [2, 3, 1, 0])
        : kind === "linear"
        ? t.transpose()
        : t;
    });
    const variable = tf.variable(init, true, `nb${this.#id}:${name}`);
    init.dispose();
    this.#params.push({ name, module, kind, variable });
    this.#byName.set(name, variable);
  }

  #v<T extends Tensor = Tensor4D>(name: string): T {
    return this.#byName.get(name)! as unknown as T;
  }

  /** Total number of trainable values. */
  get numParams(): number {
    let n = 0;
    for (const p of this.#params) n += p.variable.size;
    return n;
  }

  forward(x: Tensor4D, opts: ProxyForwardOptions): Tensor2D {
    if (this.#disposed) throw new Error("Nb201Network.forward: the network has been disposed");
    if (opts?.mode !== "train" && opts?.mode !== "eval") {
      throw new RangeError(
        `Nb201Network.forward: mode must be "train" or "eval", got ${String(opts?.mode)}`,
      );
    }
    const s = this.config.inputSize;
    if (x.rank !== 4 || x.shape[1] !== s || x.shape[2] !== s || x.shape[3] !== 3) {
      throw new RangeError(
        `Nb201Network.forward: x must have shape [N, ${s}, ${s}, 3], got [${x.shape}]`,
      );
    }
    const train = opts.mode === "train";
    const useBn = opts.batchNorm ?? true;
    const layerOut = <T extends Tensor>(module: string, y: T): T =>
      opts.onLayerOutput === undefined ? y : (opts.onLayerOutput(module, y) ?? y) as T;
    const bn = (y: Tensor4D, module: string): Tensor4D => {
      if (!useBn) return y;
      const gamma = this.#v<Tensor1D>(`${module}.weight`);
      const beta = this.#v<Tensor1D>(`${module}.bias`);
      if (!train) {
        const mean = this.#buffers.get(`${module}.running_mean`)! as unknown as Tensor1D;
        const variance = this.#buffers.get(`${module}.running_var`)! as unknown as Tensor1D;
        return batchNormEval(y, mean, variance, gamma, beta, _EPS);
      }
      const r = batchNormTrain(y, gamma, beta, _EPS);
      opts.onBatchNorm?.(module, { mean: r.mean, varUnbiased: r.varUnbiased });
      return r.y;
    };
    /** Hooks of one block whose ops are named `${prefix}.${local}` in PyTorch. */
    const hooks = (conv: (local: string) => string, relu: (local: string) => string): OpHooks => ({
      relu: opts.onReluInput === undefined
        ? undefined
        : (t, local) => opts.onReluInput!(relu(local), t),
      activation: opts.relu === undefined ? undefined : (t, local) => opts.relu!(relu(local), t),
      conv: opts.onLayerOutput === undefined ? undefined : (t, local) => layerOut(conv(local), t),
    });
    return tf.tidy(() => {
      let h = layerOut("stem.0", conv3x3(x, this.#v("stem.0.weight")));
      h = bn(h, "stem.1");
      for (let k = 0; k < 3 * this.config.cellsPerStage + 2; k++) {
        const p = `cells.${k}`;
        if (this.#resnetCells.includes(k)) {
          const block: BnFn = (y, which) => bn(y, `${p}.${which}.op.2`);
          h = resnetBlock(
            h,
            this.#v(`${p}.conv_a.op.1.weight`),
            this.#v(`${p}.conv_b.op.1.weight`),
            this.#v(`${p}.downsample.1.weight`),
            block,
            hooks(
              (l) => l === "downsample" ? `${p}.downsample.1` : `${p}.${l}.op.1`,
              (l) => `${p}.${l}.op.0`,
            ),
          );
        } else {
          // searchCell names an op "i<-j.op"; InferCell's module is layers.<edge index>
          const mod = (local: string) => `${p}.layers.${_edgeIndex(local.split(".")[0])}.op`;
          h = searchCell(
            h,
            this.genotype,
            (edge) => this.#v(`${p}.layers.${_edgeIndex(edge)}.op.1.weight`),
            (y, local) => bn(y, `${mod(local)}.2`),
            hooks((l) => `${mod(l)}.1`, (l) => `${mod(l)}.0`),
          );
        }
      }
      h = bn(h, "lastact.0");
      opts.onReluInput?.("lastact.1", h);
      h = opts.relu === undefined ? tf.relu(h) : opts.relu("lastact.1", h);
      opts.onFeatures?.(h);
      const feat = tf.mean(h, [1, 2]) as Tensor2D;
      const logits = tf.add(
        tf.matMul(feat, this.#v<Tensor2D>("classifier.weight")),
        this.#v("classifier.bias"),
      ) as Tensor2D;
      return layerOut("classifier", logits);
    });
  }

  dispose(): void {
    for (const p of this.#params) p.variable.dispose();
    for (const v of this.#buffers.values()) v.dispose();
    this.#params.length = 0;
    this.#byName.clear();
    this.#buffers.clear();
    this.#disposed = true;
  }
}

/**
 * The NB201 {@link ProxyNetworkFactory} (`ProxyNetworkFactory<ArrayLike<number>>`): a fresh
 * {@link Nb201Network} of `genotype` (6 op indices, or a `Genotype`).
 */
export function createNb201Network(
  genotype: ArrayLike<number>,
  opts: ProxyNetworkOptions,
): Nb201Network {
  return new Nb201Network(genotype, opts);
}
