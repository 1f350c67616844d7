/**
 * TensorFlow.js backend selection: `wasm` (default), `cpu`, `webgpu`, `tensorflow`.
 *
 * Backend packages are imported only when selected, so importing this module has no side effect
 * on which backend tfjs picks.
 *
 * @example
 * ```ts
 * import { initBackend } from "./backend.ts";
 * const info = await initBackend("wasm");
 * console.log(info.name, info.device, info.simd);
 * ```
 *
 * @module
 */
import { tf } from "./tf.ts";
import { cpuModel } from "./cpu_model.ts";
import { describeAdapter, isSoftwareAdapter, requestWebgpuAdapter } from "./webgpu_adapter.ts";
import { loadTfjsNode } from "./tensorflow_node.ts";
import {
  CONV_GRAD_CHOICES,
  registerConvGradKernels,
  registerWasmConvGradKernels,
  WASM_CONV_GRAD_KERNELS,
} from "./conv_grad.ts";
import { wasmBinaryDir } from "./wasm_files.ts";
import {
  installThreadedWasm,
  MAX_WASM_THREADS,
  parseWasmThreads,
  WASM_THREADS_ENV,
} from "./wasm_threads.ts";
import { useWriteBufferUploads } from "./webgpu_upload.ts";

/** Names of the supported backends. */
export type BackendName = "wasm" | "cpu" | "webgpu" | "tensorflow";

/** All supported backends, default first. */
export const BACKENDS: readonly BackendName[] = ["wasm", "cpu", "webgpu", "tensorflow"];

/** The backend used when none is requested. */
export const DEFAULT_BACKEND: BackendName = "wasm";

/** What {@link initBackend} set up. */
export interface BackendInfo {
  /** The active tfjs backend (`tf.getBackend()`). */
  name: BackendName;
  /**
   * webgpu only: the adapter is a software rasteriser (llvmpipe, SwiftShader, the fallback
   * adapter), i.e. the GPU backend runs on the CPU.
   */
  software?: boolean;
  /** GPU adapter description (webgpu) or CPU model and core count. */
  device: string;
  /** Version of `@tensorflow/tfjs`. */
  tfjsVersion: string;
  /** Version of the backend package (wasm / webgpu / tfjs-node), when it has its own. */
  backendVersion?: string;
  /** Threads used by the backend's kernels (wasm: XNNPACK's thread count). */
  threads?: number;
  /** wasm only: whether the SIMD binary is in use. */
  simd?: boolean;
  /** Native package loaded for `tensorflow` (`@tensorflow/tfjs-node-gpu` or `-node`). */
  package?: string;
  /** Kernels this project registered on the backend, replacing or adding to tfjs' own. */
  customKernels: string[];
}

/** True when `name` is one of {@link BACKENDS}. */
export function isBackendName(name: string): name is BackendName {
  return (BACKENDS as readonly string[]).includes(name);
}

/**
 * Validates a backend name.
 *
 * @throws RangeError naming the bad value and the valid choices
 */
export function parseBackendName(name: string): BackendName {
  if (!isBackendName(name)) {
    throw new RangeError(
      `unknown backend '${name}'; valid backends: ${BACKENDS.join(", ")}`,
    );
  }
  return name;
}

let _wasmPathsSet = false;

async function _setBackend(name: BackendName): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) {
    throw new Error(
      `tf.setBackend('${name}') failed to initialise the ${name} backend ` +
        `(registered backends: ${Object.keys(tf.engine().registryFactory).join(", ")})`,
    );
  }
  await tf.ready();
  if (tf.getBackend() !== name) {
    throw new Error(`backend is '${tf.getBackend()}' after selecting '${name}'`);
  }
}

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /**
   * wasm only: threads for XNNPACK (1 = tfjs' single-threaded build; more = the threaded build,
   * see `wasm_threads.ts`); default: the environment variable `RLNAS_WASM_THREADS` (a count or
   * `auto`), else {@link defaultWasmThreads}. Takes effect when the wasm backend is first
   * initialised in the process (or worker); `BackendInfo.threads` says what is in use.
   */
  wasmThreads?: number;
}

/**
 * The wasm thread count when neither {@link InitBackendOptions.wasmThreads} nor
 * `RLNAS_WASM_THREADS` chooses one: 1 (the single-threaded build).
 */
export function defaultWasmThreads(): number {
  return 1;
}

function _wasmThreads(opts: InitBackendOptions): number {
  const n = opts.wasmThreads ?? parseWasmThreads(_env(WASM_THREADS_ENV)) ?? defaultWasmThreads();
  if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS) {
    throw new RangeError(
      `wasm threads must be an integer in [1, ${MAX_WASM_THREADS}] ` +
        `(option wasmThreads or ${WASM_THREADS_ENV}), got ${n}`,
    );
  }
  return n;
}

async function _initWasm(
  opts: InitBackendOptions,
): Promise<Omit<BackendInfo, "name" | "tfjsVersion">> {
  const threads = _wasmThreads(opts);
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  if (!_wasmPathsSet) {
    const dir = wasmBinaryDir();
    // Without a file-system dir (no node_modules), tfjs finds the binaries beside its module.
    if (dir !== undefined) wasm.setWasmPaths(dir);
    _wasmPathsSet = true;
  }
  // Before the backend exists; falls back (announced) to the single-threaded build on failure.
  if (threads > 1) installThreadedWasm(wasm, threads);
  // After the package import (which registers its own kernels), so ours win.
  registerWasmConvGradKernels("wasm");
  await _setBackend("wasm");
  return {
    device: await cpuModel(),
    backendVersion: wasm.version_wasm,
    threads: wasm.getThreadsCount(),
    simd: await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT") as boolean,
    customKernels: [...WASM_CONV_GRAD_KERNELS],
  };
}

/** Kernels recorded per WebGPU command buffer (tfjs' default: 15). */
export const WEBGPU_SUBMIT_BATCH = 256;

function _env(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/**
 * Registers the webgpu conv-gradient kernels ({@link CONV_GRAD_CHOICES}); the environment
 * variable `RLNAS_WEBGPU_FILTER_GRAD` = `im2col` (default) | `via-conv` | `native` (tfjs' own
 * kernel) exists to compare them in `deno task perf` (as `RLNAS_WEBGPU_UPLOAD=mapped` turns off
 * {@link useWriteBufferUploads}).
 */
function _webgpuConvGradKernels(): string[] {
  const mode = _env("RLNAS_WEBGPU_FILTER_GRAD") || CONV_GRAD_CHOICES.webgpu.filter;
  if (mode === "native") return [];
  if (mode !== "im2col" && mode !== "via-conv") {
    throw new RangeError(
      `RLNAS_WEBGPU_FILTER_GRAD must be im2col, via-conv or native, got ${JSON.stringify(mode)}`,
    );
  }
  const names = registerConvGradKernels("webgpu", { ...CONV_GRAD_CHOICES.webgpu, filter: mode });
  return names.map((n) => `${n}(${mode})`);
}

async function _initWebgpu(): Promise<Omit<BackendInfo, "name" | "tfjsVersion">> {
  const { info } = await requestWebgpuAdapter();
  await import("@tensorflow/tfjs-backend-webgpu");
  if (tf.findBackendFactory("webgpu") === null) {
    throw new Error("webgpu backend unavailable: tfjs-backend-webgpu did not register itself");
  }
  const customKernels = _webgpuConvGradKernels();
  await _setBackend("webgpu");
  if (_env("RLNAS_WEBGPU_UPLOAD") !== "mapped" && useWriteBufferUploads(tf.backend())) {
    customKernels.push("upload(writeBuffer)");
  }
  // Submit the recorded commands every 256 kernels instead of tfjs' 15: each submit costs a
  // command-encoder finish + queue submit in Deno (~12 % of a training step's CPU time on an H100
  // at 15); 256 took a step from ~207-285 ms to ~168 ms there. `perf --tf-flag` overrides it.
  tf.env().set("WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE", WEBGPU_SUBMIT_BATCH);
  return { device: describeAdapter(info), software: isSoftwareAdapter(info), customKernels };
}

async function _initTensorflow(): Promise<Omit<BackendInfo, "name" | "tfjsVersion">> {
  const pkg = await loadTfjsNode();
  await _setBackend("tensorflow");
  return {
    device: `libtensorflow via ${pkg} on ${await cpuModel()}`,
    package: pkg,
    customKernels: [],
  };
}

/**
 * Selects and initialises a tfjs backend; resolves after `tf.ready()` with
 * `tf.getBackend() === name`.
 *
 * - `wasm`: tfjs-backend-wasm with its binaries located on disk (works from any cwd and without
 *   `--allow-net`), plus fast conv-gradient kernels ({@link registerWasmConvGradKernels});
 *   single-threaded, or on `opts.wasmThreads` / `RLNAS_WASM_THREADS` threads.
 * - `cpu`: pure JavaScript.
 * - `webgpu`: tfjs-backend-webgpu on `navigator.gpu`, plus an im2col + MatMul filter gradient
 *   and uploads through `queue.writeBuffer` ({@link useWriteBufferUploads}); throws when no
 *   adapter exists.
 * - `tensorflow`: `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` when installed; throws
 *   with install instructions otherwise.
 *
 * @param name backend name (default {@link DEFAULT_BACKEND})
 * @param opts options ({@link InitBackendOptions})
 * @throws RangeError for an unknown name (listing the valid ones), Error when unavailable
 */
export async function initBackend(
  name: string = DEFAULT_BACKEND,
  opts: InitBackendOptions = {},
): Promise<BackendInfo> {
  const backend = parseBackendName(name);
  tf.enableProdMode(); // also silences tfjs' "install tfjs-node" banner (see tf.ts)
  let rest: Omit<BackendInfo, "name" | "tfjsVersion">;
  switch (backend) {
    case "wasm":
      rest = await _initWasm(opts);
      break;
    case "cpu":
      await _setBackend("cpu");
      rest = { device: await cpuModel(), customKernels: [] };
      break;
    case "webgpu":
      rest = await _initWebgpu();
      break;
    case "tensorflow":
      rest = await _initTensorflow();
      break;
  }
  return { name: backend, tfjsVersion: tf.version.tfjs, ...rest };
}
