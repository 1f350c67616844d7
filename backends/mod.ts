/**
 * TensorFlow.js backends for rlnas-bench: backend selection (`wasm` default, `cpu`, `webgpu`,
 * `tensorflow`), fast conv-gradient kernels for wasm, and a hand-written batch norm.
 *
 * Import TensorFlow.js itself only from `./tf.ts` (re-exported here as `tf`).
 *
 * @module
 */
export { tf } from "./tf.ts";
export type { Tensor, Tensor1D, Tensor2D, Tensor4D, Variable } from "./tf.ts";
export {
  type BackendInfo,
  type BackendName,
  BACKENDS,
  DEFAULT_BACKEND,
  defaultWasmThreads,
  initBackend,
  type InitBackendOptions,
  isBackendName,
  parseBackendName,
  WEBGPU_SUBMIT_BATCH,
} from "./backend.ts";
export { batchNormEval, batchNormTrain, type BatchNormTrainResult } from "./batch_norm.ts";
export {
  conv2dBackpropFilterIm2col,
  conv2dBackpropFilterViaConv,
  conv2dBackpropInputViaConv,
  CONV_GRAD_CHOICES,
  type ConvGradChoice,
  type ConvPad,
  type DimRoundingMode,
  type FilterGradImpl,
  hasConvGradKernels,
  registerConvGradKernels,
  registerWasmConvGradKernels,
  WASM_CONV_GRAD_KERNELS,
} from "./conv_grad.ts";
export {
  type AdapterInfoLike,
  describeAdapter,
  requestWebgpuAdapter,
  webgpuUnavailableReason,
} from "./webgpu_adapter.ts";
export {
  findTfjsNodePackage,
  loadTfjsNode,
  nodeModulesDirs,
  TFJS_NODE_INSTALL_HINT,
  TFJS_NODE_PACKAGES,
  TFJS_NODE_VERSION,
} from "./tensorflow_node.ts";
export { cpuModel, parseCpuinfoModel } from "./cpu_model.ts";
export {
  MAX_WASM_THREADS,
  parseWasmThreads,
  type ThreadedWasmStatus,
  threadedWasmStatus,
  WASM_THREADS_ENV,
} from "./wasm_threads.ts";
export { gpuUploadView, useWriteBufferUploads } from "./webgpu_upload.ts";
export { WASM_BINARIES, wasmBinaryDir } from "./wasm_files.ts";
