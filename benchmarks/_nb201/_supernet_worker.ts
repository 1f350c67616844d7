/**
 * Worker entry of `supernet_pool.ts`: initialises the requested tfjs backend, trains (or finishes)
 * one cached SuperNet with {@link obtainSuperNet}, and reports progress lines, the result or the
 * error to the parent. One request per worker.
 *
 * @module
 */
import { type BackendName, initBackend } from "../../backends/backend.ts";
import { type CachedSuperNet, obtainSuperNet, type SuperNetSpec } from "./supernet_cache.ts";

/** What the parent sends. */
export interface WorkerRequest {
  spec: SuperNetSpec;
  /** Cache root. */
  root: string;
  backend: BackendName;
  /** Recorded in `run.json`. */
  info?: Record<string, string | number | boolean>;
  /** Checkpoint retention (`CacheOptions.keepEvery`). */
  keepEvery?: number;
}

/** What the worker sends back: progress lines, then the result or the error. */
export type WorkerReply =
  | { type: "log"; line: string }
  | { type: "steps"; steps: number; detail: string }
  | { type: "done"; result: CachedSuperNet }
  | { type: "error"; message: string };

const _self = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(m: WorkerReply): void;
};

_self.onmessage = async (e) => {
  const { spec, root, backend, info, keepEvery } = e.data;
  try {
    await initBackend(backend);
    const result = await obtainSuperNet(spec, {
      root,
      info,
      keepEvery,
      log: (line) => _self.postMessage({ type: "log", line }),
      onSteps: (_key, steps, detail) => _self.postMessage({ type: "steps", steps, detail }),
    });
    _self.postMessage({ type: "done", result });
  } catch (err) {
    _self.postMessage({ type: "error", message: (err as Error).message ?? String(err) });
  }
};
