/**
 * Multi-threaded tfjs-backend-wasm under Deno (XNNPACK's thread pool on Emscripten pthreads).
 *
 * tfjs-backend-wasm 4.22 never runs its threaded build under Deno, for three reasons:
 *
 * 1. its `WASM_HAS_MULTITHREAD_SUPPORT` flag is `false` whenever tfjs' `IS_NODE` is true, which it
 *    is under Deno (tfjs issue 3830);
 * 2. forcing the flag on, its `init()` hands Emscripten the pthread script as a `blob:` URL
 *    (`locateFile` → `URL.createObjectURL`), and Emscripten, seeing `process`, starts it with
 *    `node:worker_threads`, whose `Worker` rejects that URL: `ERR_WORKER_PATH` (`new NodeWorker`,
 *    `ext:deno_node/worker_threads.ts`, from `PThread.allocateUnusedWorker`);
 * 3. even from a file, the stock pthread script's Node.js path fails under Deno
 *    (`ReferenceError: self is not defined`: its `Object.assign(global, { self })` does not make
 *    `self` a global), and a Deno Web Worker (module workers only) cannot be unref'ed, so one
 *    blocked in `Atomics.wait` keeps the process from exiting.
 *
 * {@link instantiateThreadedWasm} therefore runs the package's own threaded build itself: it
 * evaluates `wasm-out/tfjs-backend-wasm-threaded-simd.js` with `process` hidden (Emscripten's
 * "shell" environment on the main thread, the `.wasm` bytes given as `wasmBinary`), and gives it
 * a `Worker` class that starts each pthread as a `node:worker_threads` Worker running
 * `_wasm_pthread_worker.ts` (which evaluates the factory and the package's pthread script as in a
 * web worker). The workers are unref'ed once loaded, so they never keep the process alive;
 * {@link installThreadedWasm} registers the result as the `wasm` backend, falling back, with a
 * one-line warning, to tfjs' single-threaded build when anything fails.
 *
 * @module
 */
import { Worker as NodeWorker } from "node:worker_threads";
import type * as TfjsWasm from "@tensorflow/tfjs-backend-wasm";
import { tf } from "./tf.ts";
import { evalEmscriptenScript } from "./_emscripten_eval.ts";
import { type ThreadedWasmFiles, threadedWasmFiles } from "./wasm_files.ts";

/** Environment variable choosing the wasm backend's thread count (`1`: single-threaded build). */
export const WASM_THREADS_ENV = "RLNAS_WASM_THREADS";

/** How long the pthread workers may take to load before the threaded build is given up. */
export const PTHREAD_START_TIMEOUT_MS = 60_000;

/** tfjs-backend-wasm's priority for its backend factory (kept when re-registering). */
const WASM_PRIORITY = 2;

/**
 * Parses a thread count: a positive integer, or `auto` (= `cores`).
 *
 * @param value the text (e.g. of {@link WASM_THREADS_ENV}); empty or undefined gives undefined
 * @param cores the core count `auto` stands for, up to {@link MAX_WASM_THREADS} (default
 *   `navigator.hardwareConcurrency`)
 * @throws RangeError naming the variable and the bad value
 */
export function parseWasmThreads(
  value: string | undefined,
  cores: number = navigator.hardwareConcurrency || 1,
): number | undefined {
  const v = value?.trim() ?? "";
  if (v === "") return undefined;
  if (v === "auto") return Math.min(MAX_WASM_THREADS, Math.max(1, cores));
  if (!/^[1-9][0-9]*$/.test(v)) {
    throw new RangeError(
      `${WASM_THREADS_ENV} must be a positive integer or "auto", got ${JSON.stringify(value)}`,
    );
  }
  return Number(v);
}

/**
 * Why this runtime cannot run wasm pthreads (no `SharedArrayBuffer`, no shared wasm memory or
 * atomics), or undefined when it can.
 */
export function wasmThreadsUnavailableReason(): string | undefined {
  if (typeof SharedArrayBuffer !== "function") return "SharedArrayBuffer is not available";
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch (e) {
    return `shared WebAssembly.Memory is not available (${(e as Error).message})`;
  }
  // The threads feature test of tfjs (wasm-feature-detect): a module using atomic instructions.
  const atomics = new Uint8Array([
    0,
    97,
    115,
    109,
    1,
    0,
    0,
    0,
    1,
    4,
    1,
    96,
    0,
    0,
    3,
    2,
    1,
    0,
    5,
    4,
    1,
    3,
    1,
    1,
    10,
    11,
    1,
    9,
    0,
    65,
    0,
    254,
    16,
    2,
    0,
    26,
    11,
  ]);
  if (!WebAssembly.validate(atomics)) return "WebAssembly atomics are not supported";
  return undefined;
}

/** The parts of the Emscripten module used here (the rest is what tfjs' `BackendWasm` uses). */
interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...args: number[]) => unknown;
  PThread: {
    unusedWorkers: { terminate(): void }[];
    runningWorkers: unknown[];
    terminateAllThreads(): void;
  };
  tfjs?: Record<string, unknown>;
}

type EmscriptenFactory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;

/**
 * Most threads the threaded build can use: tfjs caps XNNPACK's pool at 8, the pthread workers
 * Emscripten starts up front.
 */
export const MAX_WASM_THREADS = 8;

/** Options of {@link instantiateThreadedWasm}. */
export interface ThreadedWasmOptions {
  /**
   * Threads XNNPACK's pool may use (the calling thread included), at most
   * {@link MAX_WASM_THREADS}. tfjs also caps the count at half of what the module is told are
   * the logical cores (`emscripten_num_logical_cores() / 2`, to skip hyper-threads), so a 2-core
   * machine would get 1 thread; the module is told `2 * threads` cores instead.
   */
  threads: number;
  /** Files of the threaded build (default: {@link threadedWasmFiles}). */
  files?: ThreadedWasmFiles;
  /** Give up when the pthread workers have not loaded after this long (ms). */
  timeoutMs?: number;
}

/** A started threaded build: the Emscripten module and how to stop its workers. */
export interface ThreadedWasm {
  /** The Emscripten module with tfjs' `tfjs` bridge, ready for `new BackendWasm(module)`. */
  module: EmscriptenModule;
  /** pthread workers alive now. */
  liveWorkers(): number;
  /** Terminates the workers not running a pthread (call after the thread pool exists). */
  trimIdleWorkers(): void;
  /** Terminates every worker (the module is unusable afterwards). */
  terminate(): void;
}

const _sources = new Map<string, string>();

async function _readText(path: string): Promise<string> {
  let text = _sources.get(path);
  if (text === undefined) {
    text = await Deno.readTextFile(path);
    _sources.set(path, text);
  }
  return text;
}

/**
 * The pthread worker script from the text of the package's `.worker.js` file, which is a
 * CommonJS module exporting it as a template literal (`module.exports.wasmWorkerContents`);
 * newlines are escaped back as tfjs' own `init()` does before making its `blob:` URL (the
 * template literal turned the script's `"\n"` escapes into real newlines).
 *
 * @throws Error when the file does not have that shape
 */
export function pthreadWorkerScript(fileText: string): string {
  const mod = { exports: {} as Record<string, unknown> };
  evalEmscriptenScript(fileText, { module: mod, exports: mod.exports }, "undefined");
  const script = mod.exports.wasmWorkerContents;
  if (typeof script !== "string" || !script.includes("onmessage")) {
    throw new Error("the pthread worker file does not export wasmWorkerContents");
  }
  return script.replace(/\n/g, "\\n");
}

function _oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : typeof e === "object" && e !== null &&
      "message" in e
    ? String((e as { message: unknown }).message)
    : String(e);
  return msg.split("\n")[0].trim() || String(e);
}

/**
 * Starts the threaded SIMD build of tfjs-backend-wasm: compiles it, starts Emscripten's pool of
 * pthread workers (8, as the build fixes) and resolves when they have all loaded the module.
 *
 * @throws Error with a one-line message when the files are missing, a worker fails or exits while
 *   loading, Emscripten aborts, or loading takes longer than `timeoutMs`; the workers started so
 *   far are terminated first
 */
export async function instantiateThreadedWasm(opts: ThreadedWasmOptions): Promise<ThreadedWasm> {
  if (!Number.isInteger(opts.threads) || opts.threads < 1 || opts.threads > MAX_WASM_THREADS) {
    throw new RangeError(
      `wasm threads must be an integer in [1, ${MAX_WASM_THREADS}], got ${opts.threads}`,
    );
  }
  const files = opts.files ?? threadedWasmFiles();
  if (files === undefined) {
    throw new Error("tfjs-backend-wasm is not on the local file system (no node_modules)");
  }
  const [glue, pthreadScript, binary] = await Promise.all([
    _readText(files.glue),
    _readText(files.worker),
    Deno.readFile(files.binary),
  ]);
  const workerSource = `${glue}\n;\n${pthreadWorkerScript(pthreadScript)}`;
  const workers = new Set<PthreadWorker>();
  let starting = true;
  let fail: (reason: string) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = (reason) => reject(new Error(reason));
  });
  const workerUrl = new URL("./_wasm_pthread_worker.ts", import.meta.url);

  /** What Emscripten's `new Worker(url)` gets: a web-Worker face on a node:worker_threads one. */
  class PthreadWorker {
    onmessage: ((e: { data: unknown }) => void) | null = null;
    onerror: ((e: { filename?: string; lineno?: number; message: string }) => void) | null = null;
    #worker: NodeWorker;
    #ended = false;
    #loaded = false;

    constructor(_url: string) {
      this.#worker = new NodeWorker(workerUrl, { workerData: { source: workerSource } });
      workers.add(this);
      this.#worker.on("message", (data: { cmd?: string } | undefined) => {
        if (!this.#loaded && data?.cmd === "loaded") {
          this.#loaded = true;
          // From now on the worker only runs while the main thread waits for it synchronously.
          this.#worker.unref();
        }
        this.onmessage?.({ data });
      });
      this.#worker.on("error", (e: Error) => {
        if (starting) fail(`a pthread worker failed while loading: ${_oneLine(e)}`);
        else if (this.onerror) this.onerror({ message: _oneLine(e) });
        else console.error(`tfjs-backend-wasm pthread worker failed: ${_oneLine(e)}`);
      });
      this.#worker.on("exit", (code: number) => {
        workers.delete(this);
        if (this.#ended) return;
        this.#ended = true;
        if (starting) fail(`a pthread worker exited while loading (exit code ${code})`);
        else console.error(`tfjs-backend-wasm pthread worker exited unexpectedly (code ${code})`);
      });
    }

    postMessage(msg: unknown, transfer?: Transferable[]): void {
      // deno-lint-ignore no-explicit-any
      this.#worker.postMessage(msg, transfer as any);
    }

    terminate(): void {
      if (this.#ended) return;
      this.#ended = true;
      workers.delete(this);
      void this.#worker.terminate();
    }
  }

  const stopAll = () => {
    for (const w of [...workers]) w.terminate();
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const factory = evalEmscriptenScript(
      glue,
      // Only `emscripten_num_logical_cores` reads navigator (see ThreadedWasmOptions.threads).
      { Worker: PthreadWorker, navigator: { hardwareConcurrency: 2 * opts.threads } },
      "WasmBackendModuleThreadedSimd",
    ) as EmscriptenFactory;
    const timeoutMs = opts.timeoutMs ?? PTHREAD_START_TIMEOUT_MS;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the pthread workers did not load within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    const module = await Promise.race([
      factory({
        wasmBinary: binary,
        // Only asked for the pthread script, which PthreadWorker starts itself.
        locateFile: (path: string) => path,
        mainScriptUrlOrBlob: files.glue,
        onAbort: (what: unknown) => {
          if (starting) fail(`Emscripten aborted: ${_oneLine(what)}`);
          else console.error(`tfjs-backend-wasm (threaded) aborted: ${_oneLine(what)}`);
        },
      }),
      failed,
      timeout,
    ]);
    starting = false;
    // The bridge tfjs' own init() adds (tf-backend-wasm.node.js, `module.tfjs = {...}`).
    module.tfjs = {
      init: module.cwrap("init", null, []),
      initWithThreadsCount: module.cwrap("init_with_threads_count", null, ["number"]),
      getThreadsCount: module.cwrap("get_threads_count", "number", []),
      registerTensor: module.cwrap("register_tensor", null, ["number", "number", "number"]),
      disposeData: module.cwrap("dispose_data", null, ["number"]),
      dispose: module.cwrap("dispose", null, []),
    };
    return {
      module,
      liveWorkers: () => workers.size,
      trimIdleWorkers: () => {
        for (const w of module.PThread.unusedWorkers) w.terminate();
        module.PThread.unusedWorkers.length = 0;
      },
      terminate: () => {
        module.PThread.terminateAllThreads();
        stopAll();
      },
    };
  } catch (e) {
    starting = false;
    stopAll();
    throw new Error(_oneLine(e));
  } finally {
    clearTimeout(timer);
    failed.catch(() => {});
  }
}

/** What {@link installThreadedWasm} did, read after the backend has initialised. */
export interface ThreadedWasmStatus {
  /** Threads asked for. */
  requested: number;
  /** Why the single-threaded build is in use instead (undefined: the threaded one is). */
  fallbackReason?: string;
}

let _status: ThreadedWasmStatus | undefined;

/** The state of the last {@link installThreadedWasm}, or undefined when it was never called. */
export function threadedWasmStatus(): ThreadedWasmStatus | undefined {
  return _status;
}

/**
 * Replaces tfjs' `wasm` backend factory by one that starts the threaded build with `threads`
 * threads ({@link instantiateThreadedWasm}); on any failure it warns once, on one line, and
 * returns tfjs' own single-threaded backend. Call after importing tfjs-backend-wasm (and after
 * `setWasmPaths`) and before the `wasm` backend is first initialised; later calls do nothing.
 *
 * @param wasm the `@tensorflow/tfjs-backend-wasm` module
 * @param threads thread count (2 to {@link MAX_WASM_THREADS}; XNNPACK's pool, the calling thread
 *   included)
 * @param opts files and start timeout ({@link ThreadedWasmOptions}), and `warn`: where the
 *   fallback is announced (default `console.warn`)
 * @returns false when the backend already exists or the factory is already installed
 */
export function installThreadedWasm(
  wasm: typeof TfjsWasm,
  threads: number,
  opts: Omit<ThreadedWasmOptions, "threads"> & { warn?: (line: string) => void } = {},
): boolean {
  const warn = opts.warn ?? console.warn;
  if (_status !== undefined || "wasm" in tf.engine().registry) return false;
  if (!Number.isInteger(threads) || threads < 2 || threads > MAX_WASM_THREADS) {
    throw new RangeError(`threads must be an integer in [2, ${MAX_WASM_THREADS}], got ${threads}`);
  }
  const singleThreaded = tf.findBackendFactory("wasm");
  if (singleThreaded === null) throw new Error("tfjs-backend-wasm did not register its backend");
  const status: ThreadedWasmStatus = { requested: threads };
  _status = status;
  tf.removeBackend("wasm");
  tf.registerBackend("wasm", async () => {
    let reason = wasmThreadsUnavailableReason();
    if (reason === undefined) {
      let started: ThreadedWasm | undefined;
      try {
        started = await instantiateThreadedWasm({
          threads,
          files: opts.files,
          timeoutMs: opts.timeoutMs,
        });
        wasm.setThreadsCount(threads);
        const backend = new wasm.BackendWasm(
          started.module as unknown as ConstructorParameters<typeof wasm.BackendWasm>[0],
        );
        // XNNPACK's pool now has its threads - 1 workers; the other idle ones only cost memory.
        started.trimIdleWorkers();
        return backend;
      } catch (e) {
        started?.terminate();
        reason = _oneLine(e);
      }
    }
    status.fallbackReason = reason;
    warn(
      `tfjs-backend-wasm: ${threads} threads unavailable (${reason}); ` +
        `using the single-threaded build`,
    );
    wasm.setThreadsCount(1);
    return await singleThreaded();
  }, WASM_PRIORITY);
  return true;
}
