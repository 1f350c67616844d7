/**
 * The network interface the zero-cost proxies are written against (definitions in
 * `../shared/spec/zero-cost-proxies.md`), so that a proxy works on the standalone network of any
 * search space that provides a {@link ProxyNetworkFactory} (NB201:
 * `search_spaces/nb201/network.ts`).
 *
 * What each proxy uses:
 *
 * | proxy | members |
 * | --- | --- |
 * | `grad_norm`, `snip`, `plain` | `forward` (train), `layers`, {@link paramGrads}, {@link crossEntropy} |
 * | `grasp` | as above + `forward` with `onReluInput` and `relu` (frozen masks): see "Second order" below |
 * | `fisher` | `forward` with `onLayerOutput` (probe + record), `layers` |
 * | `jacov`, `epe_nas` | `forward` (train), differentiable in the input: `tf.grad(x => tf.sum(net.forward(x, o)))` |
 * | `nwot` | `forward` with `onReluInput` |
 * | `synflow` | `forward` with `batchNorm: false`, `params` (`|W|` via `assign`), {@link snapshotParams} / {@link restoreParams}, `inputShape` |
 * | `zen` | `forward` with `onFeatures` and `onBatchNorm`, `params` (N(0, 1) redraw, BN gamma 1 / beta 0), snapshot / restore |
 * | `l2_norm` | `layers` |
 * | `params`, `flops` | {@link countParams}, `flopsM` |
 *
 * Second order (`grasp`): TensorFlow.js 4.22 cannot take `tf.grads` of a function that itself
 * calls `tf.grads` through these networks: `Conv2DBackpropFilter` (the conv weight gradient) has no
 * registered gradient ("gradient function not found for Conv2DBackpropFilter"), and ops built with
 * `tf.customGrad` (the project's batch norm and pools, `tf.losses.softmaxCrossEntropy`,
 * `tf.logSoftmax`) are opaque to a second differentiation. Plain central differences of
 * first-order gradients do not work either (measured against PyTorch on the tiny fixture
 * networks: 100 % to 48,000 % off for steps 3e-1..1e-4, where the steps cross ReLU kinks). With
 * the ReLU masks of the unperturbed pass frozen ({@link ProxyForwardOptions.relu}) the network is
 * smooth and the differences converge to autograd's Hessian, which differentiates ReLU as that
 * same mask: `zc_grasp.ts` takes a fourth-order stencil.

 * `Variable.assign(t)` copies `t`: dispose `t` afterwards.
 *
 * Precision: TensorFlow.js computes in float32 only (no float64 kernels on wasm / webgpu), so
 * `synflow`'s float64 product of absolute weights must be kept in range by the proxy.
 *
 * @module
 */
import { tf } from "../backends/tf.ts";
import type { Tensor, Tensor1D, Tensor2D, Tensor4D, Variable } from "../backends/tf.ts";

/**
 * What a parameter is: a conv or Linear weight (the proxies' "layers"), the Linear bias, or a
 * BatchNorm scale (gamma, PyTorch `weight`) / shift (beta, PyTorch `bias`).
 */
export type ProxyParamKind = "conv" | "linear" | "linear_bias" | "bn_weight" | "bn_bias";

/** One trainable parameter. */
export interface ProxyParam {
  /** PyTorch state-dict name, e.g. `stem.0.weight`. */
  readonly name: string;
  /** PyTorch module that owns it, e.g. `stem.0` (the name {@link ProxyForwardOptions} hooks use). */
  readonly module: string;
  readonly kind: ProxyParamKind;
  /**
   * The value, in TensorFlow.js layout (conv `[kh, kw, in, out]`, Linear weight `[in, out]`,
   * vectors `[n]`); a proxy may `assign` new values (restore them with {@link restoreParams}).
   */
  readonly variable: Variable;
}

/** A conv or Linear weight: the "layers" every proxy sums over. */
export interface ProxyLayer extends ProxyParam {
  readonly kind: "conv" | "linear";
}

/** BatchNorm batch statistics of one train-mode forward ({@link ProxyForwardOptions.onBatchNorm}). */
export interface BatchStats {
  /** Batch mean per channel `[C]`. */
  readonly mean: Tensor1D;
  /** Unbiased batch variance per channel `[C]` (what PyTorch folds into `running_var`). */
  readonly varUnbiased: Tensor1D;
}

/**
 * Options of one {@link ProxyNetwork.forward}. Tensors handed to the hooks belong to the forward's
 * `tf.tidy` and are disposed when it returns: `tf.keep` what you keep (and dispose it yourself).
 * Hooks run in forward order; they may be called inside `tf.grad(s)` / `tf.variableGrads`.
 */
export interface ProxyForwardOptions {
  /**
   * `"train"`: BatchNorm normalises with the batch statistics (the running statistics are NOT
   * updated; all proxies); `"eval"`: with the running statistics.
   */
  mode: "train" | "eval";
  /** `false`: every BatchNorm is the identity (`synflow`). Default `true`. */
  batchNorm?: boolean;
  /**
   * `nwot`: called with the input of every ReLU module (name: the PyTorch module, e.g.
   * `cells.0.layers.3.op.0`, `lastact.1`); the binary code is `input > 0`.
   */
  onReluInput?: (module: string, input: Tensor4D) => void;
  /**
   * `grasp`: computes every ReLU module's output from its input instead of `max(input, 0)`
   * (same names as {@link ProxyForwardOptions.onReluInput}), e.g. `input * mask` with the masks of
   * an earlier pass, which freezes the network's piecewise-linear pattern. Called after
   * `onReluInput`; ReLU modules that read the same tensor may share one call.
   */
  relu?: (module: string, input: Tensor4D) => Tensor4D;
  /**
   * `fisher`: called with the output of every layer (a {@link ProxyLayer}'s `module`: a conv's output
   * before its BN, the classifier's logits); returns the tensor the network continues with (e.g.
   * `output + probe` with a zero probe whose gradient `tf.grads` takes = dL/d(output)), or nothing
   * to continue with `output`.
   */
  onLayerOutput?: (module: string, output: Tensor) => Tensor | void;
  /** `zen`: called with the feature map just before the global average pool `[N, h, w, C]`. */
  onFeatures?: (features: Tensor4D) => void;
  /**
   * `zen`: called (train mode, BatchNorm on) with the batch statistics of every BatchNorm module
   * (e.g. to fold them into running variances with PyTorch's momentum 0.1).
   */
  onBatchNorm?: (module: string, stats: BatchStats) => void;
}

/** A freshly initialised standalone network of one architecture, as the proxies see it. */
export interface ProxyNetwork {
  /** What was built (record it with every score), e.g. `nb201 TinyNetwork C=16 N=5 affine-BN`. */
  readonly variant: string;
  /** Input `[height, width, channels]` of one NHWC sample. */
  readonly inputShape: readonly [number, number, number];
  /** Classifier width. */
  readonly numClasses: number;
  /** Every trainable parameter, state-dict order. */
  readonly params: readonly ProxyParam[];
  /** The conv and Linear weights (stem, cells, reduction blocks, classifier), state-dict order. */
  readonly layers: readonly ProxyLayer[];
  /** FLOPs in millions of one sample as the benchmark file counts them, when known (`flops`). */
  readonly flopsM: number | undefined;
  /**
   * Logits `[N, numClasses]` of an NHWC float32 batch `[N, ...inputShape]`; differentiable in
   * `x` and in every parameter. Changes no state.
   */
  forward(x: Tensor4D, opts: ProxyForwardOptions): Tensor2D;
  /** Frees every variable. */
  dispose(): void;
}

/** Configuration a search space's {@link ProxyNetworkFactory} takes. */
export interface ProxyNetworkOptions {
  /** Classifier width (10 / 100 / 120). */
  numClasses: number;
  /** Input side in pixels (32 for CIFAR, 16 for ImageNet16-120). */
  inputSize: number;
  /** Channels of the first stage (search-space default, NB201: 16). */
  channels?: number;
  /** Cells per stage (search-space default, NB201: 5). */
  cellsPerStage?: number;
  /** Seed of the numpy-compatible `RandomState` drawing the PyTorch-default initial weights. */
  seed: number;
}

/** Builds the standalone network of `genotype` (a search space provides one). */
export type ProxyNetworkFactory<G> = (genotype: G, opts: ProxyNetworkOptions) => ProxyNetwork;

/** Number of trainable values (`params` proxy: divide by 1e6). */
export function countParams(net: ProxyNetwork): number {
  let n = 0;
  for (const p of net.params) n += p.variable.size;
  return n;
}

/** Copies of the current parameter values by name (for {@link restoreParams}). */
export function snapshotParams(net: ProxyNetwork): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const p of net.params) out.set(p.name, tf.clone(p.variable));
  return out;
}

/**
 * Assigns the values of a {@link snapshotParams} back (every parameter must be present) and
 * disposes the snapshot.
 */
export function restoreParams(net: ProxyNetwork, snapshot: Map<string, Tensor>): void {
  const missing = net.params.find((p) => !snapshot.has(p.name));
  if (missing !== undefined) {
    throw new RangeError(`restoreParams: the snapshot has no "${missing.name}"`);
  }
  for (const p of net.params) p.variable.assign(snapshot.get(p.name)!);
  for (const t of snapshot.values()) t.dispose();
  snapshot.clear();
}

/**
 * `tf.variableGrads` of the scalar `f` with respect to `of` (default: the network's layers),
 * by parameter name, with an all-zero gradient for a parameter `f` does not reach (PyTorch gives
 * those zeros: e.g. an op whose output only feeds `none` edges; tfjs omits them). The caller owns
 * the returned tensors.
 */
export function paramGrads(
  f: () => tf.Scalar,
  of: readonly ProxyParam[],
): { value: tf.Scalar; grads: Map<string, Tensor> } {
  const { value, grads } = tf.variableGrads(f, of.map((p) => p.variable));
  const out = new Map<string, Tensor>();
  for (const p of of) out.set(p.name, grads[p.variable.name] ?? tf.zerosLike(p.variable));
  return { value, grads: out };
}

/** Mean softmax cross-entropy of logits `[N, K]` against integer labels (PyTorch's default). */
export function crossEntropy(logits: Tensor2D, labels: ArrayLike<number>): tf.Scalar {
  if (labels.length !== logits.shape[0]) {
    throw new RangeError(
      `crossEntropy: ${labels.length} labels for ${logits.shape[0]} rows of logits`,
    );
  }
  return tf.tidy(() =>
    tf.losses.softmaxCrossEntropy(
      tf.oneHot(tf.tensor1d(Array.from(labels), "int32"), logits.shape[1]),
      logits,
    ) as tf.Scalar
  );
}
