/**
 * SGD with (Nesterov) momentum and weight decay, update-for-update identical to PyTorch's
 * `torch.optim.SGD` (dampening 0), with a choice of the `zero_grad()` semantics that decides what
 * happens to parameters that were not sampled in a step (spec §1.6, §9.13):
 *
 * ```text
 * g   = grad + weightDecay * w
 * buf = g                         (first update of that parameter)
 * buf = momentum * buf + g        (later updates)
 * g   = g + momentum * buf        (nesterov)   |   g = buf   (classical momentum)
 * w   = w - lr * g
 * ```
 *
 * - `"pytorch1"` (default, what the official runs did with PyTorch <= 1.x): `zero_grad()` zeroes the
 *   gradients instead of deleting them, so a parameter that has received a gradient once is updated
 *   on every later step with `grad = 0` (weight decay + momentum keep acting on it).
 * - `"set-to-none"` (PyTorch >= 2.0 default): parameters without a gradient in this step are skipped
 *   entirely (no decay, no momentum).
 *
 * In both modes a parameter that has never been sampled is never touched.
 *
 * @module
 */
import { tf } from "../backends/tf.ts";
import type { Tensor, Variable } from "../backends/tf.ts";
import type { NamedTensor } from "./safetensors.ts";

/** Backends whose tensors live in host memory (a read-back is a copy, not a device sync). */
const _HOST_MEMORY_BACKENDS: ReadonlySet<string> = new Set(["wasm", "cpu"]);

/** What `zero_grad()` does between steps; see the module documentation. */
export type ZeroGradSemantics = "pytorch1" | "set-to-none";

/** The valid {@link ZeroGradSemantics} values. */
export const ZERO_GRAD_SEMANTICS: readonly ZeroGradSemantics[] = ["pytorch1", "set-to-none"];

/** Hyper-parameters of {@link Sgd} (defaults: the official `SPOS.config`). */
export interface SgdOptions {
  /** Momentum factor (default 0.9). 0 disables the momentum buffers. */
  momentum?: number;
  /** L2 weight decay added to every gradient (default 5e-4). */
  weightDecay?: number;
  /** Nesterov momentum (default true). */
  nesterov?: boolean;
  /** `zero_grad()` semantics (default `"pytorch1"`). */
  zeroGrad?: ZeroGradSemantics;
}

/** Serialisable optimizer state: momentum buffers (in the parameters' own layout) and history. */
export interface SgdState {
  /** Momentum buffer per parameter name, for the parameters that have one. */
  momentum: Map<string, NamedTensor>;
  /** Names of the parameters that have ever received a gradient, in first-touch order. */
  touched: string[];
  /** Number of `step` calls so far. */
  steps: number;
}

/**
 * SGD optimizer over a fixed, named set of `tf.Variable`s. The momentum buffers live on the device
 * as one non-trainable variable (all parameters concatenated), allocated up front, so the tensor
 * count does not grow when a parameter is sampled for the first time; call {@link Sgd.dispose}
 * when done.
 */
export class Sgd {
  readonly momentum: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  readonly zeroGrad: ZeroGradSemantics;
  #params: ReadonlyMap<string, Variable>;
  /** Parameter names in the fixed concatenation order, their sizes and the total. */
  #names: string[];
  #sizes: number[];
  /** Start of each parameter in the concatenated layout. */
  #offsets: number[];
  #total: number;
  /** All momentum buffers, concatenated in {@link Sgd.#names} order (undefined: momentum 0). */
  #flatBuf: Variable | undefined;
  /** A zero gradient per parameter (used parameters without a gradient, pytorch1 decay). */
  #zeros = new Map<string, Tensor>();
  /** Index of the parameter of each element of the concatenated layout (int32). */
  #segment: Tensor;
  /** The mask of the last active set (a variable, so the tensor count stays flat). */
  #mask: { key: string; t: Variable };
  #hasBuf = new Set<string>();
  #touched = new Set<string>();
  #steps = 0;

  constructor(params: ReadonlyMap<string, Variable>, opts: SgdOptions = {}) {
    const { momentum = 0.9, weightDecay = 5e-4, nesterov = true, zeroGrad = "pytorch1" } = opts;
    if (!Number.isFinite(momentum) || momentum < 0) {
      throw new RangeError(`momentum must be a finite number >= 0, got ${momentum}`);
    }
    if (!Number.isFinite(weightDecay) || weightDecay < 0) {
      throw new RangeError(`weightDecay must be a finite number >= 0, got ${weightDecay}`);
    }
    if (nesterov && momentum === 0) {
      throw new RangeError("nesterov momentum requires momentum > 0, got momentum 0");
    }
    if (!ZERO_GRAD_SEMANTICS.includes(zeroGrad)) {
      throw new RangeError(
        `zeroGrad must be one of ${ZERO_GRAD_SEMANTICS.join(", ")}, got ${String(zeroGrad)}`,
      );
    }
    this.momentum = momentum;
    this.weightDecay = weightDecay;
    this.nesterov = nesterov;
    this.zeroGrad = zeroGrad;
    this.#params = params;
    this.#names = [...params.keys()];
    this.#sizes = this.#names.map((n) => params.get(n)!.size);
    this.#offsets = [];
    this.#total = 0;
    for (const size of this.#sizes) {
      this.#offsets.push(this.#total);
      this.#total += size;
    }
    if (momentum > 0) {
      this.#flatBuf = tf.tidy(() => tf.variable(tf.zeros([this.#total]), false));
    }
    for (const [name, w] of params) this.#zeros.set(name, tf.zeros([w.size]));
    const segment = new Int32Array(this.#total);
    this.#sizes.forEach((size, i) => segment.fill(i, this.#offsets[i], this.#offsets[i] + size));
    this.#segment = tf.tensor1d(segment, "int32");
    this.#mask = { key: "", t: tf.tidy(() => tf.variable(tf.zeros([this.#total], "bool"), false)) };
  }

  /** Names of the parameters that have ever received a gradient. */
  get touched(): ReadonlySet<string> {
    return this.#touched;
  }

  /** Number of steps taken. */
  get steps(): number {
    return this.#steps;
  }

  /**
   * One optimizer step with learning rate `lr`.
   *
   * @param grads gradient per parameter name (a `Map` or the `NamedTensorMap` of
   *   `tf.variableGrads` already re-keyed by parameter name). Not disposed here.
   * @param used names of the parameters that took part in the forward pass (default: the keys of
   *   `grads`). A used parameter without an entry in `grads` gets a zero gradient, as PyTorch gives
   *   a zero gradient to a parameter whose output was multiplied by zero.
   */
  step(
    lr: number,
    grads: ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>,
    used?: Iterable<string>,
  ): void {
    if (!Number.isFinite(lr) || lr < 0) {
      throw new RangeError(`lr must be a finite number >= 0, got ${lr}`);
    }
    const g: ReadonlyMap<string, Tensor> = grads instanceof Map
      ? grads
      : new Map(Object.entries(grads as Record<string, Tensor>));
    const usedNames = used === undefined ? [...g.keys()] : [...used];
    for (const name of [...usedNames, ...g.keys()]) {
      if (!this.#params.has(name)) {
        throw new RangeError(`unknown parameter ${JSON.stringify(name)} given to Sgd.step`);
      }
    }
    for (const name of usedNames) this.#touched.add(name);
    const active = this.zeroGrad === "pytorch1" ? this.#touched : new Set(usedNames);
    for (const name of active) if (this.momentum > 0) this.#hasBuf.add(name);
    this.#update(lr, g, active);
    this.#steps++;
  }

  /**
   * The update of every parameter in `active` as ONE set of element-wise ops on the parameters
   * concatenated in a fixed order (a few kernels per step instead of ~8 per parameter, which
   * dominated the step on webgpu). Element for element it is the per-parameter formula of the
   * module doc with the same float32 operations in the same order: a buffer that was never
   * updated is zero, and `momentum * 0 + g` is exactly `g`. Inactive parameters and their
   * buffers are kept bit for bit (selected with a mask, not recomputed).
   */
  #update(lr: number, g: ReadonlyMap<string, Tensor>, active: ReadonlySet<string>): void {
    if (active.size === 0) return;
    const names = this.#names;
    const all = active.size === names.length;
    tf.tidy(() => {
      const flat = (t: Tensor) => tf.reshape(t, [-1]);
      const w = tf.concat(names.map((n) => flat(this.#params.get(n)!)));
      const grad = tf.concat(names.map((n) => flat(g.get(n) ?? this.#zeros.get(n)!)));
      let d: Tensor = this.weightDecay === 0 ? grad : grad.add(w.mul(tf.scalar(this.weightDecay)));
      const mask = all ? undefined : this.#maskOf(active);
      if (this.momentum > 0) {
        const mT = tf.scalar(this.momentum);
        const old = this.#flatBuf!;
        const buf = old.mul(mT).add(d);
        old.assign(mask === undefined ? buf : tf.where(mask, buf, old));
        d = this.nesterov ? d.add(buf.mul(mT)) : buf;
      }
      const next = w.sub(d.mul(tf.scalar(lr)));
      if (_HOST_MEMORY_BACKENDS.has(tf.getBackend())) {
        // tfjs' Slice copies its whole input on wasm and cpu (~1 ms per slice of 4 MB here):
        // split on the host instead, where the data already is.
        const data = next.dataSync() as Float32Array;
        names.forEach((n, i) => {
          if (!active.has(n)) return;
          const v = this.#params.get(n)!;
          const at = this.#offsets[i];
          v.assign(tf.tensor(data.subarray(at, at + this.#sizes[i]), v.shape));
        });
      } else {
        const parts = tf.split(next, this.#sizes);
        names.forEach((n, i) => {
          const v = this.#params.get(n)!;
          if (active.has(n)) v.assign(tf.reshape(parts[i], v.shape));
        });
      }
    });
  }

  /**
   * The boolean mask of the elements of `active` in the concatenated layout, cached until the
   * active set changes. Built on the device from one flag per parameter (a gather by the
   * element-to-parameter map), so a change uploads a few hundred numbers, not a million.
   */
  #maskOf(active: ReadonlySet<string>): Tensor {
    const flags = Int32Array.from(this.#names, (n) => (active.has(n) ? 1 : 0));
    const key = flags.join("");
    if (this.#mask.key !== key) {
      const segment = this.#segment;
      const mask = this.#mask.t;
      tf.tidy(() => mask.assign(tf.cast(tf.gather(tf.tensor1d(flags, "int32"), segment), "bool")));
      this.#mask.key = key;
    }
    return this.#mask.t;
  }

  /** Copy the optimizer state to the host (for checkpoints). */
  async exportState(): Promise<SgdState> {
    const momentum = new Map<string, NamedTensor>();
    if (this.#flatBuf !== undefined && this.#hasBuf.size > 0) {
      const all = await this.#flatBuf.data() as Float32Array;
      this.#names.forEach((name, i) => {
        if (!this.#hasBuf.has(name)) return;
        const shape = [...this.#params.get(name)!.shape];
        const at = this.#offsets[i];
        momentum.set(name, { shape, data: all.slice(at, at + this.#sizes[i]) });
      });
    }
    return { momentum, touched: [...this.#touched], steps: this.#steps };
  }

  /**
   * Replace the optimizer state by `state` (from {@link Sgd.exportState}). Shapes are checked
   * against the parameters.
   */
  importState(state: SgdState): void {
    for (const name of [...state.touched, ...state.momentum.keys()]) {
      if (!this.#params.has(name)) {
        throw new RangeError(`optimizer state names unknown parameter ${JSON.stringify(name)}`);
      }
    }
    if (this.momentum === 0 && state.momentum.size > 0) {
      throw new RangeError(
        `optimizer state has ${state.momentum.size} momentum buffers but momentum is 0`,
      );
    }
    for (const [name, t] of state.momentum) {
      const shape = this.#params.get(name)!.shape;
      const size = shape.reduce((a, b) => a * b, 1);
      if (t.shape.join(",") !== shape.join(",") || t.data.length !== size) {
        throw new RangeError(
          `momentum buffer of ${name} has shape [${t.shape}], parameter has [${shape}]`,
        );
      }
    }
    if (this.#flatBuf !== undefined) {
      const all = new Float32Array(this.#total);
      this.#names.forEach((name, i) => {
        const t = state.momentum.get(name);
        if (t !== undefined) all.set(t.data, this.#offsets[i]);
      });
      const flatBuf = this.#flatBuf;
      tf.tidy(() => flatBuf.assign(tf.tensor1d(all, "float32")));
    }
    this.#hasBuf = new Set(state.momentum.keys());
    this.#touched = new Set(state.touched);
    this.#steps = state.steps;
  }

  /** Dispose the momentum buffers and the constants. */
  dispose(): void {
    this.#flatBuf?.dispose();
    this.#flatBuf = undefined;
    for (const z of this.#zeros.values()) z.dispose();
    this.#zeros.clear();
    this.#mask.t.dispose();
    this.#segment.dispose();
    this.#hasBuf.clear();
  }
}
