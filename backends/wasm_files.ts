/**
 * Locates the `.wasm` binaries of `@tensorflow/tfjs-backend-wasm` on disk, independently of the
 * process working directory, and the Emscripten scripts of its threaded build.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The binaries tfjs-backend-wasm may load (vanilla, SIMD, threaded SIMD). */
export const WASM_BINARIES = [
  "tfjs-backend-wasm.wasm",
  "tfjs-backend-wasm-simd.wasm",
  "tfjs-backend-wasm-threaded-simd.wasm",
] as const;

/**
 * Absolute directory (with a trailing separator, as `setWasmPaths` expects) holding the wasm
 * binaries, found from the resolved module URL of `@tensorflow/tfjs-backend-wasm` (its `dist/`
 * folder; with `nodeModulesDir: "auto"` that is under `node_modules/.deno/...`).
 *
 * @param resolvedModuleUrl URL of the package's entry module (default: resolved from the import
 *   map, i.e. `import.meta.resolve("@tensorflow/tfjs-backend-wasm")`)
 * @returns the directory, or `undefined` when the package is not on the local file system (e.g.
 *   an `npm:` URL without a `node_modules` folder; tfjs then locates the files itself)
 * @throws Error naming the directory when it is on disk but a binary is missing
 */
export function wasmBinaryDir(resolvedModuleUrl?: string): string | undefined {
  const url = resolvedModuleUrl ?? import.meta.resolve("@tensorflow/tfjs-backend-wasm");
  if (!url.startsWith("file:")) return undefined;
  const dir = fileURLToPath(new URL("./", url));
  const missing = WASM_BINARIES.filter((f) => {
    try {
      return !Deno.statSync(dir + f).isFile;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return true;
      throw e;
    }
  });
  if (missing.length > 0) {
    throw new Error(
      `tfjs-backend-wasm binaries missing in ${dir}: ${missing.join(", ")} ` +
        `(reinstall the package: npx deno install)`,
    );
  }
  return dir;
}

/** Emscripten scripts of the threaded build, in the package's `wasm-out/` folder. */
export const WASM_THREADED_SCRIPTS = {
  /** The module factory (`var WasmBackendModuleThreadedSimd = ...`). */
  glue: "tfjs-backend-wasm-threaded-simd.js",
  /** The pthread worker's message loop (the script Emscripten starts each pthread with). */
  worker: "tfjs-backend-wasm-threaded-simd.worker.js",
} as const;

/** Absolute paths of the threaded build's files ({@link threadedWasmFiles}). */
export interface ThreadedWasmFiles {
  /** `tfjs-backend-wasm-threaded-simd.wasm` (in `dist/`). */
  binary: string;
  /** The Emscripten module factory script ({@link WASM_THREADED_SCRIPTS}.glue). */
  glue: string;
  /** The Emscripten pthread worker script ({@link WASM_THREADED_SCRIPTS}.worker). */
  worker: string;
}

/**
 * The files the threaded SIMD build needs: its binary beside the others ({@link wasmBinaryDir})
 * and its two Emscripten scripts in the sibling `wasm-out/` folder of the package.
 *
 * @param resolvedModuleUrl as for {@link wasmBinaryDir}
 * @returns the paths, or `undefined` when the package is not on the local file system
 * @throws Error naming the missing file (as {@link wasmBinaryDir} does for binaries)
 */
export function threadedWasmFiles(resolvedModuleUrl?: string): ThreadedWasmFiles | undefined {
  const dir = wasmBinaryDir(resolvedModuleUrl);
  if (dir === undefined) return undefined;
  const out = join(dir, "..", "wasm-out");
  const files: ThreadedWasmFiles = {
    binary: dir + "tfjs-backend-wasm-threaded-simd.wasm",
    glue: join(out, WASM_THREADED_SCRIPTS.glue),
    worker: join(out, WASM_THREADED_SCRIPTS.worker),
  };
  for (const f of [files.glue, files.worker]) {
    let ok = false;
    try {
      ok = Deno.statSync(f).isFile;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    if (!ok) {
      throw new Error(
        `tfjs-backend-wasm threaded build script missing: ${f} (reinstall the package: npx deno install)`,
      );
    }
  }
  return files;
}
