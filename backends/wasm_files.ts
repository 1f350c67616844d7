/**
 * Locates the `.wasm` binaries of `@tensorflow/tfjs-backend-wasm` on disk, independently of the
 * process working directory.
 *
 * @module
 */
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
