/**
 * Resolution of the data directory: `--data-dir`, else `RLNAS_DATA_DIR`, else `../shared/data`
 * (relative to the repository root) when it exists, else `~/.cache/rlnas-bench`.
 *
 * Empty values: `--data-dir ""` is an error, and so is `RLNAS_DATA_DIR` set to the empty string
 * (`RLNAS_DATA_DIR= deno task bench ...`). An explicit choice of data is never silently replaced
 * by a fallback (which could make a run use other data than the one asked for); to use the
 * default, unset the variable. No documented convention says otherwise for `RLNAS_DATA_DIR`. The
 * XDG variables follow their own specification instead: an empty `XDG_CACHE_HOME` is treated as
 * unset (XDG Base Directory Specification: "If $XDG_CACHE_HOME is either not set or empty, a
 * default equal to $HOME/.cache should be used"), as is an empty `HOME`.
 *
 * @module
 */
import { DataError } from "./errors.ts";

/** Where the data directory came from. */
export type DataDirSource = "flag" | "env" | "shared" | "cache";

/** A resolved data directory. */
export interface DataDir {
  /** Absolute path of the directory. */
  path: string;
  /** Which rule chose it. */
  source: DataDirSource;
}

const _repoRoot = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

function _isDir(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

function _abs(path: string): string {
  return path.startsWith("/") ? path : `${Deno.cwd()}/${path}`;
}

/** Reads an environment variable (injectable for tests). */
export type EnvGetter = (name: string) => string | undefined;

const _denoEnv: EnvGetter = (name) => Deno.env.get(name);

/**
 * The default cache directory (`$XDG_CACHE_HOME/rlnas-bench` or `~/.cache/rlnas-bench`); an
 * empty `XDG_CACHE_HOME` or `HOME` counts as unset.
 */
export function cacheDir(env: EnvGetter = _denoEnv): string {
  const xdg = env("XDG_CACHE_HOME") || undefined;
  const home = env("HOME") || ".";
  return `${xdg ?? `${home}/.cache`}/rlnas-bench`;
}

/**
 * Resolve the data directory. An explicit flag or environment variable that does not name a
 * directory is an error (it is never silently replaced by a fallback); so is an empty one:
 * `--data-dir ""` or `RLNAS_DATA_DIR=""` throws a {@link DataError} saying that it is empty.
 */
export function resolveDataDir(flag?: string, env: EnvGetter = _denoEnv): DataDir {
  if (flag !== undefined) {
    if (flag === "") {
      throw new DataError('""', "--data-dir is empty (give a directory, or leave the flag out)");
    }
    const path = _abs(flag);
    if (!_isDir(path)) throw new DataError(path, "--data-dir is not a directory");
    return { path, source: "flag" };
  }
  const fromEnv = env("RLNAS_DATA_DIR");
  if (fromEnv === "") {
    throw new DataError(
      '""',
      "RLNAS_DATA_DIR is set but empty (point it at a directory, or unset it for the default)",
    );
  }
  if (fromEnv !== undefined) {
    const path = _abs(fromEnv);
    if (!_isDir(path)) throw new DataError(path, "RLNAS_DATA_DIR is not a directory");
    return { path, source: "env" };
  }
  const shared = `${_repoRoot}/../shared/data`;
  if (_isDir(shared)) return { path: Deno.realPathSync(shared), source: "shared" };
  return { path: cacheDir(env), source: "cache" };
}

/** Path of `relative` inside the data directory; throws a {@link DataError} if it is missing. */
export function dataFile(dir: DataDir | string, relative: string): string {
  const root = typeof dir === "string" ? dir : dir.path;
  const path = `${root}/${relative}`;
  try {
    if (!Deno.statSync(path).isFile) throw new DataError(path, "not a file");
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(path, "missing data file");
  }
  return path;
}
