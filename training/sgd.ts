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
 * SGD optimizer over a fixed, named set of `tf.Variable`s. Momentum buffers live on the device as
 * non-trainable variables, one per parameter, allocated up front (so the tensor count does not
 * grow when a parameter is sampled for the first time); call {@link Sgd.dispose} when done.
 */
export class Sgd {
  readonly momentum: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  readonly zeroGrad: ZeroGradSemantics;
  #params: ReadonlyMap<string, Variable>;
  #buffers = new Map<string, Variable>();
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
    if (momentum > 0) {
      for (const [name, w] of params) {
        this.#buffers.set(name, tf.tidy(() => tf.variable(tf.zerosLike(w), false)));
      }
    }
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
    const active = this.zeroGrad === "pytorch1" ? [...this.#touched] : [...new Set(usedNames)];
    const fresh = new Set(active.filter((n) => !this.#hasBuf.has(n)));
    tf.tidy(() => {
      const lrT = tf.scalar(lr);
      const wdT = tf.scalar(this.weightDecay);
      const mT = tf.scalar(this.momentum);
      for (const name of active) {
        const w = this.#params.get(name)!;
        const grad = g.get(name);
        let d: Tensor = this.weightDecay === 0
          ? (grad ?? tf.zerosLike(w))
          : (grad === undefined ? w.mul(wdT) : grad.add(w.mul(wdT)));
        if (this.momentum > 0) {
          const bv = this.#buffers.get(name)!;
          const buf = fresh.has(name) ? d : bv.mul(mT).add(d);
          bv.assign(buf);
          d = this.nesterov ? d.add(buf.mul(mT)) : buf;
        }
        w.assign(w.sub(d.mul(lrT)));
      }
    });
    if (this.momentum > 0) { for (const name of fresh) this.#hasBuf.add(name); }
    this.#steps++;
  }

  /** Copy the optimizer state to the host (for checkpoints). */
  async exportState(): Promise<SgdState> {
    const momentum = new Map<string, NamedTensor>();
    for (const name of this.#hasBuf) {
      const v = this.#buffers.get(name)!;
      momentum.set(name, { shape: [...v.shape], data: new Float32Array(await v.data()) });
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
    tf.tidy(() => {
      for (const [name, v] of this.#buffers) {
        const t = state.momentum.get(name);
        v.assign(t === undefined ? tf.zerosLike(v) : tf.tensor(t.data, v.shape, "float32"));
      }
    });
    this.#hasBuf = new Set(state.momentum.keys());
    this.#touched = new Set(state.touched);
    this.#steps = state.steps;
  }

  /** Dispose the momentum buffers. */
  dispose(): void {
    for (const v of this.#buffers.values()) v.dispose();
    this.#buffers.clear();
    this.#hasBuf.clear();
  }
}
