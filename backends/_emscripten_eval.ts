/**
 * Evaluates an Emscripten script (a classic script, not a module) with chosen values for the
 * globals it probes, so that it sees the environment we decide instead of the one Deno has.
 *
 * Emscripten picks its environment from globals: `process` (Node.js: then it uses `require`,
 * `node:worker_threads` and replaces `globalThis.Worker`), `window` (browser), `importScripts`
 * (web worker). Deno defines `process`, so without this an Emscripten script takes its Node.js
 * path. Each name listed here, or given in `bindings`, is a parameter of the function the source
 * becomes; names not in `bindings` are `undefined` inside the script.
 *
 * Private helper of `wasm_threads.ts` and `_wasm_pthread_worker.ts` (kept free of tfjs imports,
 * since each pthread worker loads it).
 *
 * @module
 */

/** Globals hidden from the script unless bound: Node.js' and the browser's markers. */
export const HIDDEN_GLOBALS: readonly string[] = [
  "process",
  "global",
  "require",
  "module",
  "exports",
  "define",
  "__filename",
  "__dirname",
  "window",
  "document",
  "importScripts",
];

/**
 * Runs `source` as the body of a function whose parameters are {@link HIDDEN_GLOBALS} plus the
 * keys of `bindings`, and returns the value of the expression `result` evaluated after it.
 *
 * @param source script text (its top-level `var`s become locals of the function)
 * @param bindings values of globals the script should see (e.g. `Worker`, `self`)
 * @param result expression evaluated at the end of the script, e.g. the factory's name
 */
export function evalEmscriptenScript(
  source: string,
  bindings: Record<string, unknown>,
  result: string,
): unknown {
  const names = [...new Set([...HIDDEN_GLOBALS, ...Object.keys(bindings)])];
  // The script must run as plain (sloppy) script code, as a <script> or importScripts would.
  const fn = new Function(...names, `${source}\n;return (${result});`);
  return fn(...names.map((n) => bindings[n]));
}
