/**
 * Checking an output directory before any work starts: it, or its nearest existing ancestor, must
 * be a directory the process can write in, and the path must fit the file system's limits. A bad
 * path is a {@link UsageError} naming the flag and the path, so a run never fails on it after
 * minutes of work.
 *
 * @example
 * ```ts
 * import { checkOutputDir } from "./out_dir.ts";
 * const dir = await Deno.makeTempDir();
 * checkOutputDir(`${dir}/new/results`, "--out"); // fine: it will be created
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import { UsageError } from "./args.ts";

/** Longest path and path component (bytes) accepted (Linux: PATH_MAX 4096, NAME_MAX 255). */
export const PATH_LIMITS = { path: 4095, component: 255 } as const;

/**
 * Throw a {@link UsageError} unless `out` can be (or is) a writable directory: not an existing
 * file, not under one, not too long, and its nearest existing ancestor writable. Writes nothing
 * that stays (a probe file is created and removed).
 */
export function checkOutputDir(out: string, flag = "--out"): void {
  const full = resolve(out);
  const bytes = (s: string) => new TextEncoder().encode(s).length;
  const long = full.split("/").find((c) => bytes(c) > PATH_LIMITS.component);
  if (bytes(full) > PATH_LIMITS.path || long !== undefined) {
    throw new UsageError(
      `${flag} path is too long, got '${out.length > 80 ? `${out.slice(0, 77)}...` : out}' ` +
        (long !== undefined
          ? `(a component of ${bytes(long)} bytes; at most ${PATH_LIMITS.component})`
          : `(${bytes(full)} bytes; at most ${PATH_LIMITS.path})`),
    );
  }
  let p = full;
  for (;;) {
    let info: Deno.FileInfo | undefined;
    try {
      info = Deno.statSync(p);
    } catch (e) {
      // a missing path, or one under a file: look at the parent
      if (!(e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory)) {
        throw new UsageError(
          `${flag} is not writable, got '${out}' (cannot inspect '${p}': ` +
            `${(e as Error).message.split("\n")[0]})`,
        );
      }
    }
    if (info !== undefined) {
      if (!info.isDirectory) {
        const what = info.isFile ? "an existing file" : "not a directory";
        throw new UsageError(
          `${flag} must be a new or existing directory, got '${out}' ` +
            (p === full ? `(${what})` : `('${p}' is ${what})`),
        );
      }
      _probeWritable(p, out, flag);
      return;
    }
    const up = dirname(p);
    if (up === p) return;
    p = up;
  }
}

function _probeWritable(dir: string, out: string, flag: string): void {
  let probe: string;
  try {
    probe = Deno.makeTempFileSync({ dir, prefix: ".rlnas-write-probe-" });
  } catch (e) {
    throw new UsageError(
      `${flag} is not writable, got '${out}' (cannot create files in '${dir}': ` +
        `${(e as Error).message.split("\n")[0]})`,
    );
  }
  Deno.removeSync(probe);
}
