/**
 * Optional loading of the native `tensorflow` backend (`@tensorflow/tfjs-node-gpu` or
 * `@tensorflow/tfjs-node`). Neither is a dependency of this project: their install scripts
 * download libtensorflow. They are looked for on disk first and imported only when present, with
 * a non-static specifier, so that nothing is resolved, fetched or downloaded otherwise.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** Packages tried, in order, for the `tensorflow` backend. */
export const TFJS_NODE_PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"] as const;

/** The tfjs version the native package must match (the project's `@tensorflow/tfjs`). */
export const TFJS_NODE_VERSION = "4.22.0";

/** Text telling the user how to install the native backend. */
export const TFJS_NODE_INSTALL_HINT =
  `install it (this downloads libtensorflow from the internet, so it needs network access): ` +
  `\`deno install --allow-scripts=npm:@tensorflow/tfjs-node-gpu ` +
  `npm:@tensorflow/tfjs-node-gpu@${TFJS_NODE_VERSION}\` for NVIDIA GPUs (requires CUDA 11.2 and ` +
  `cuDNN 8.1), or \`deno install --allow-scripts=npm:@tensorflow/tfjs-node ` +
  `npm:@tensorflow/tfjs-node@${TFJS_NODE_VERSION}\` for the CPU build ` +
  `(npm equivalent: npm install @tensorflow/tfjs-node-gpu@${TFJS_NODE_VERSION}). ` +
  `The version must match @tensorflow/tfjs ${TFJS_NODE_VERSION}.`;

/** `node_modules` folders searched: the one beside this repository's root, then the cwd's. */
export function nodeModulesDirs(): string[] {
  const dirs = [fileURLToPath(new URL("../node_modules/", import.meta.url))];
  try {
    const cwd = Deno.cwd().replace(/[\\/]+$/, "") + "/node_modules/";
    if (!dirs.includes(cwd)) dirs.push(cwd);
  } catch {
    // cwd unreadable without --allow-read; the repository folder is enough.
  }
  return dirs;
}

/**
 * The first of {@link TFJS_NODE_PACKAGES} present in one of `dirs` (its `package.json`
 * exists), or `undefined`. Only the file system is consulted.
 *
 * @param dirs `node_modules` folders to search (default {@link nodeModulesDirs})
 */
export function findTfjsNodePackage(dirs: string[] = nodeModulesDirs()): string | undefined {
  for (const pkg of TFJS_NODE_PACKAGES) {
    for (const dir of dirs) {
      try {
        if (Deno.statSync(`${dir}${pkg}/package.json`).isFile) return pkg;
      } catch {
        // Absent (or unreadable): try the next location.
      }
    }
  }
  return undefined;
}

/**
 * Imports the installed native tfjs package, which registers the `tensorflow` backend.
 *
 * @param dirs `node_modules` folders to search (default {@link nodeModulesDirs})
 * @returns the package name that was loaded
 * @throws Error with install instructions when neither package is installed or loading fails
 */
export async function loadTfjsNode(dirs?: string[]): Promise<string> {
  const pkg = findTfjsNodePackage(dirs);
  if (pkg === undefined) {
    throw new Error(
      `tensorflow backend unavailable: neither ${TFJS_NODE_PACKAGES.join(" nor ")} is installed ` +
        `(looked in ${
          (dirs ?? nodeModulesDirs()).join(", ")
        }). To use it, ${TFJS_NODE_INSTALL_HINT}`,
    );
  }
  // A computed specifier keeps Deno from resolving (and fetching) it ahead of time.
  const specifier = [pkg].join("");
  try {
    await import(specifier);
  } catch (e) {
    throw new Error(
      `tensorflow backend unavailable: ${pkg} is on disk but failed to load ` +
        `(${(e as Error).message}). It must be declared in deno.json and built; ` +
        TFJS_NODE_INSTALL_HINT,
    );
  }
  return pkg;
}
