/**
 * One SPOS training step of the NB201 SuperNet, as the trainer (`trainer.ts`) takes it: a
 * train-mode forward with one genotype per search cell, the mean softmax cross-entropy, the
 * gradients of the executed parameters only, and one {@link Sgd} step. Exposed on its own so that
 * `deno task perf` times exactly the work of a training step.
 *
 * @example
 * ```ts
 * const stepper = new SposStepper(net, sgd);
 * const { loss, correct } = stepper.step(x, y, paths, 0.025); // kept tensors
 * console.log((await loss.data())[0]);
 * loss.dispose();
 * correct.dispose();
 * ```
 *
 * @module
 */
import { tf } from "../backends/tf.ts";
import type { Tensor, Tensor1D, Tensor2D, Tensor4D, Variable } from "../backends/tf.ts";
import type { CellPaths, SuperNet } from "../search_spaces/nb201/supernet.ts";
import type { Sgd } from "./sgd.ts";

/**
 * Mean softmax cross-entropy of `logits` `[B, K]` against int32 labels `[B]` (PyTorch's
 * `F.cross_entropy` with the default `reduction="mean"`).
 */
export function softmaxCrossEntropy(logits: Tensor2D, labels: Tensor1D): tf.Scalar {
  if (logits.rank !== 2 || labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new RangeError(
      `softmaxCrossEntropy: logits must be [B, K] and labels [B], got [${logits.shape}] and ` +
        `[${labels.shape}]`,
    );
  }
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits);
    const k = logits.shape[1];
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(labels, k), logp), 1))) as tf.Scalar;
  });
}

/** What {@link SposStepper.step} returns: kept scalars the caller disposes. */
export interface SposStepResult {
  /** Mean cross-entropy of the batch (before the update). */
  loss: tf.Scalar;
  /** Number of images whose arg-max logit equals the label (float32). */
  correct: tf.Scalar;
}

/**
 * Takes SPOS steps on a SuperNet with an optimizer; caches the per-path variable lists (the
 * trainer's cache) so repeated paths cost no name lookups.
 */
export class SposStepper {
  readonly net: SuperNet;
  readonly sgd: Sgd;
  #varToParam = new Map<string, string>();
  #usedVars = new Map<string, { used: string[]; vars: Variable[] }>();

  /** `net` and `sgd` stay owned by the caller. */
  constructor(net: SuperNet, sgd: Sgd) {
    this.net = net;
    this.sgd = sgd;
    for (const [name, v] of net.params) this.#varToParam.set(v.name, name);
  }

  #vars(paths: CellPaths): { used: string[]; vars: Variable[] } {
    const key = paths.map((g) => g.join("")).join("|");
    let hit = this.#usedVars.get(key);
    if (hit === undefined) {
      const used = this.net.usedParams(paths);
      hit = { used, vars: used.map((n) => this.net.params.get(n)!) };
      if (this.#usedVars.size > 64) this.#usedVars.clear();
      this.#usedVars.set(key, hit);
    }
    return hit;
  }

  /**
   * One step on images `x` (`[B, S, S, 3]`, normalised) with int32 labels `y` (`[B]`, in
   * `[0, numClasses)`), genotype `paths[c]` in search cell `c`, learning rate `lr`. Updates the
   * weights, the BN running statistics of the executed BNs and the optimizer state. Nothing is
   * read back from the device.
   */
  step(x: Tensor4D, y: Tensor1D, paths: CellPaths, lr: number): SposStepResult {
    const { used, vars } = this.#vars(paths);
    return tf.tidy(() => {
      let correct: Tensor | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const logits = this.net.forward(x, paths, true);
        correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), y), "float32")));
        return softmaxCrossEntropy(logits, y);
      }, vars);
      const byParam = new Map<string, Tensor>();
      for (const [vn, g] of Object.entries(grads)) byParam.set(this.#varToParam.get(vn)!, g);
      this.sgd.step(lr, byParam, used);
      return { loss: value, correct: correct as tf.Scalar };
    });
  }
}
