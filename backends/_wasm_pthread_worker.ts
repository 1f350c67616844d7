/**
 * Entry of one pthread of the threaded tfjs-backend-wasm build (started by `wasm_threads.ts` as
 * a `node:worker_threads` Worker, so that it can be unref'ed and never keeps the process alive).
 *
 * `workerData.source` is the package's Emscripten factory script followed by its pthread worker
 * script (`tfjs-backend-wasm-threaded-simd.js` + `.worker.js`). They run here as in a web worker:
 * `process` is hidden (else they take their Node.js path, which Deno's `node:worker_threads`
 * cannot run), `self` is a small stand-in whose `onmessage` receives the parent's messages, and
 * `importScripts` does nothing, since the factory is already in scope. The protocol (`load`,
 * `run`, `loaded`, ...) is Emscripten's own.
 *
 * @module
 */
import { parentPort, workerData } from "node:worker_threads";

type _TransferList = Parameters<NonNullable<typeof parentPort>["postMessage"]>[1];
import { evalEmscriptenScript } from "./_emscripten_eval.ts";

interface PthreadScope {
  location: { href: string };
  onmessage?: (e: { data: unknown }) => void;
  startWorker?: (module: unknown) => void;
}

const port = parentPort;
const source = (workerData as { source?: unknown } | null)?.source;
if (port === null || typeof source !== "string") {
  throw new Error("_wasm_pthread_worker.ts must be started by wasm_threads.ts");
}
const scope: PthreadScope = { location: { href: import.meta.url } };
evalEmscriptenScript(source, {
  self: scope,
  postMessage: (msg: unknown, transfer?: _TransferList) => port.postMessage(msg, transfer),
  importScripts: () => {},
  startWorker: (module: unknown) => scope.startWorker!(module),
}, "undefined");
if (scope.onmessage === undefined) {
  throw new Error("the Emscripten pthread script did not install its message handler");
}
const onmessage = scope.onmessage;
port.on("message", (data: unknown) => onmessage({ data }));
