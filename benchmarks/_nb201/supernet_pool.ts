/**
 * Train several cached SuperNets at the same time, each in its own Web Worker.
 *
 * tfjs-backend-wasm runs single-threaded under Deno (its threaded build cannot start its workers
 * here), so one training uses one core. A benchmark that needs several SuperNets (table1 and
 * table2: ground truth and random labels; table6: four label generators; figure1: one per K)
 * gets the machine's cores by training them side by side: measured on the 2-core machine, two
 * concurrent training processes each kept the single-process step time (1.72 s vs 1.71 s per
 * batch-64 step, `deno task perf --backend wasm`), so two SuperNets train in the time of one.
 *
 * Each worker initialises the same tfjs backend and runs {@link obtainSuperNet} (with the same
 * `keepEvery` retention), so a SuperNet trained in a worker is bit-identical to one trained in the
 * main thread (tested). Every spec's `backend` must be the pool's backend. SuperNets already in
 * the cache (their files verified) are not retrained; a spec listed twice is trained once.
 *
 * @module
 */
import type { BackendName } from "../../backends/backend.ts";
import {
  type CachedSuperNet,
  type CacheOptions,
  cacheRoot,
  describeSpec,
  findCachedSuperNet,
  obtainSuperNet,
  supernetKey,
  type SuperNetSpec,
} from "./supernet_cache.ts";
import type { WorkerReply, WorkerRequest } from "./_supernet_worker.ts";

/** Options of {@link obtainSuperNets}. */
export interface PoolOptions extends CacheOptions {
  /** SuperNets trained at the same time (1 = one after the other, in this thread). */
  jobs: number;
  /** The tfjs backend each worker initialises (the caller's backend; every spec's `backend`). */
  backend: BackendName;
}

/**
 * The cached SuperNets of `specs`, in order: the ones the cache lacks are trained, up to
 * `opts.jobs` at the same time in workers. On the first failure the other trainings are stopped
 * (their completed epochs stay checkpointed and resume on the next run) and the returned promise
 * rejects with an `Error` naming the SuperNet.
 */
export async function obtainSuperNets(
  specs: readonly SuperNetSpec[],
  opts: PoolOptions,
): Promise<CachedSuperNet[]> {
  if (!Number.isInteger(opts.jobs) || opts.jobs < 1) {
    throw new RangeError(`jobs must be a positive integer, got ${opts.jobs}`);
  }
  for (const s of specs) {
    if (s.backend !== opts.backend) {
      throw new RangeError(
        `SuperNet (${describeSpec(s)}) is keyed to backend ${s.backend}, but the pool trains on ` +
          `${opts.backend}`,
      );
    }
  }
  const keys = await Promise.all(specs.map(supernetKey));
  const unique = new Map<string, SuperNetSpec>();
  specs.forEach((s, i) => unique.set(keys[i], s));
  const root = opts.root ?? cacheRoot();
  const cacheOpts: CacheOptions = { ...opts, root };
  const done = new Map<string, CachedSuperNet>();
  const pending: [string, SuperNetSpec][] = [];
  for (const [key, spec] of unique) {
    const hit = await findCachedSuperNet(spec, cacheOpts);
    if (hit !== null) done.set(key, hit);
    else pending.push([key, spec]);
  }
  if (opts.jobs === 1 || pending.length <= 1) {
    for (const [key, spec] of pending) done.set(key, await obtainSuperNet(spec, cacheOpts));
  } else {
    const log = opts.log ?? (() => {});
    log(
      `training ${pending.length} SuperNets, ${Math.min(opts.jobs, pending.length)} at a time ` +
        `(one worker each)`,
    );
    const workers = new Set<Worker>();
    let failed = false;
    const trainOne = (key: string, spec: SuperNetSpec) =>
      new Promise<CachedSuperNet>((resolve, reject) => {
        const w = new Worker(new URL("./_supernet_worker.ts", import.meta.url).href, {
          type: "module",
        });
        workers.add(w);
        const finish = () => {
          workers.delete(w);
          w.terminate();
        };
        const fail = (message: string) => {
          finish();
          reject(new Error(`SuperNet ${key} (${describeSpec(spec)}): ${message}`));
        };
        w.onmessage = (e: MessageEvent<WorkerReply>) => {
          const m = e.data;
          // epoch lines are indented; tag them with the SuperNet they belong to
          if (m.type === "log") {
            log(m.line.startsWith("  ") ? `  [${key.slice(0, 8)}]${m.line}` : m.line);
          } else if (m.type === "steps") {
            opts.onSteps?.(key, m.steps, m.detail);
          } else if (m.type === "done") {
            finish();
            resolve(m.result);
          } else fail(m.message);
        };
        w.onerror = (e: ErrorEvent) => {
          e.preventDefault();
          fail(e.message);
        };
        const req: WorkerRequest = {
          spec,
          root,
          backend: opts.backend,
          info: opts.info,
          keepEvery: opts.keepEvery,
        };
        w.postMessage(req);
      });
    const queue = [...pending];
    const lane = async () => {
      while (!failed && queue.length > 0) {
        const [key, spec] = queue.shift()!;
        done.set(key, await trainOne(key, spec));
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(opts.jobs, pending.length) }, lane));
    } catch (e) {
      failed = true;
      for (const w of workers) w.terminate();
      workers.clear();
      throw e;
    }
  }
  return keys.map((k) => done.get(k)!);
}
