/**
 * Atomic file writes: write a temporary file in the same directory, then rename it over the target,
 * so readers see either the old or the new file, never a half-written one.
 *
 * Temporary files are named `<target>.<pid>.<random>.tmp`. A process killed between the write and
 * the rename leaves one behind; {@link removeStaleTempFiles} deletes those whose writer is gone.
 *
 * @example
 * ```ts
 * import { removeStaleTempFiles, writeFileAtomic } from "./atomic.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic(`${dir}/out.txt`, "hello");
 * console.log(await removeStaleTempFiles(dir)); // [] (nothing was left behind)
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */

const _TMP = /^(.+)\.(\d+)\.[0-9a-f-]+\.tmp$/;

/** The temporary path of one atomic write of `path` by this process. */
export function tempPathFor(path: string): string {
  return `${path}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`;
}

/** Write `data` to `path` atomically, creating parent directories. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const slash = path.lastIndexOf("/");
  const dir = slash >= 0 ? path.slice(0, slash) : ".";
  await Deno.mkdir(dir, { recursive: true });
  const tmp = tempPathFor(path);
  try {
    if (typeof data === "string") await Deno.writeTextFile(tmp, data);
    else await Deno.writeFile(tmp, data);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/**
 * Whether process `pid` is running. On Linux this reads `/proc`; elsewhere it cannot tell and
 * answers `null`.
 */
export function processAlive(pid: number): boolean | null {
  if (Deno.build.os !== "linux") return null;
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

/** Temp files younger than this are kept when the writer's liveness cannot be checked. */
const _UNKNOWN_PID_MIN_AGE_MS = 24 * 3600 * 1000;

/**
 * Delete the temporary files of atomic writes in `dir` (not recursive) whose writing process is
 * gone: a write killed before its rename. Files of running processes are kept (another run may be
 * writing into the same folder). Returns the names removed; a missing `dir` gives `[]`.
 */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  const removed: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  for (const e of entries) {
    const m = e.isFile ? _TMP.exec(e.name) : null;
    if (m === null) continue;
    const pid = Number(m[2]);
    if (pid === Deno.pid) continue;
    const alive = processAlive(pid);
    const path = `${dir}/${e.name}`;
    if (alive === true) continue;
    if (alive === null) {
      const mtime = (await Deno.stat(path)).mtime?.getTime() ?? Date.now();
      if (Date.now() - mtime < _UNKNOWN_PID_MIN_AGE_MS) continue;
    }
    await Deno.remove(path).catch(() => {});
    removed.push(e.name);
  }
  return removed;
}
