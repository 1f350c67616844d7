/**
 * The one place that imports TensorFlow.js. Every module takes `tf` from here so that the
 * gradients are registered once, production mode is on, and the backend chosen by
 * {@link ./backend.ts} is the one all code sees.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";

// Production mode skips debug checks and silences tfjs' `backend_util.warn` messages, among them
// the cpu backend's "Hi, looks like you are running TensorFlow.js in Node.js ... install
// tfjs-node" banner printed on its first tensor (see backend_test.ts).
tf.enableProdMode();

export { tf };
export type { Tensor, Tensor1D, Tensor2D, Tensor4D, Variable } from "@tensorflow/tfjs";
