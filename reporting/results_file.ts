/**
 * Result files: `<outDir>/<benchmark>/<profile>/<name>.csv` with a JSON sidecar `<name>.json`
 * holding the full resolved configuration of every run whose rows are in the CSV.
 *
 * Rows are upserted by a key (provenance columns `method`, `dataset`, `seed` plus the benchmark's
 * own key columns): running a benchmark twice replaces its rows instead of appending them twice.
 * Both files are written atomically (temp file + rename), CSV first; an interrupted run leaves the
 * previous files intact.
 *
 * Several processes may write into the same folder at once (two runs with the same `--out`): every
 * read-modify-write of a CSV and its sidecar ({@link writeResults}, {@link mergeResults},
 * {@link annotateSidecar}) holds an exclusive advisory lock on `<folder>/.lock`
 * ({@link RESULTS_LOCK_FILE}, `Deno.FsFile.lock(true)`, released in `finally`), so no writer's
 * rows are lost. The lock file stays (removing it would let two writers lock different files);
 * under the lock, temp files left by killed writers are removed (`removeStaleTempFiles`).
 * Readers ({@link readResults}) take no lock: renames make every file they see complete.
 *
 * @module
 */
import { type CsvRecord, fromCsv, toCsv } from "./csv.ts";
import { removeStaleTempFiles, writeFileAtomic } from "./atomic.ts";
import { PROVENANCE_COLUMNS } from "./provenance.ts";

/** Name of the lock file in a result folder (`<outDir>/<benchmark>/<profile>/.lock`). */
export const RESULTS_LOCK_FILE = ".lock";

/** Top-level keys of a sidecar that the writers own (not settable by extras / annotations). */
const _RESERVED = ["csv", "runs", "provenance"];

/** Where a result file lives. */
export interface ResultLocation {
  outDir: string;
  benchmark: string;
  profile: string;
  /** File stem, e.g. the dataset name. */
  name: string;
}

/** Paths of the CSV and its sidecar. */
export function resultPaths(loc: ResultLocation): { csv: string; sidecar: string } {
  const base = `${_folder(loc)}/${loc.name}`;
  return { csv: `${base}.csv`, sidecar: `${base}.json` };
}

function _folder(loc: ResultLocation): string {
  return `${loc.outDir}/${loc.benchmark}/${loc.profile}`;
}

/**
 * Run `fn` holding the exclusive lock of the result folder of `loc` (created as needed), after
 * removing the temp files of writers that are gone. Not re-entrant: `fn` must not lock again.
 */
async function _locked<T>(loc: ResultLocation, fn: () => Promise<T>): Promise<T> {
  const dir = _folder(loc);
  await Deno.mkdir(dir, { recursive: true });
  const file = await Deno.open(`${dir}/${RESULTS_LOCK_FILE}`, {
    read: true,
    write: true,
    create: true,
  });
  try {
    await file.lock(true);
    await removeStaleTempFiles(dir);
    return await fn();
  } finally {
    await file.unlock().catch(() => {}); // fails only when lock() did
    file.close();
  }
}

function _checkExtraKeys(keys: readonly string[], where: string): void {
  const bad = keys.filter((k) => _RESERVED.includes(k));
  if (bad.length > 0) {
    throw new RangeError(
      `${where}: sidecar key ${JSON.stringify(bad[0])} is reserved (${_RESERVED.join(", ")})`,
    );
  }
}

function _sidecarText(csv: string, runs: Record<string, unknown>, extra?: object): string {
  return JSON.stringify({ csv: csv.split("/").pop(), runs, ...extra }, null, 2) + "\n";
}

/** What one write adds. */
export interface ResultWrite extends ResultLocation {
  /** Columns after the provenance columns, in order. */
  columns: readonly string[];
  /** Columns (besides method, dataset, seed) that identify a row. */
  keyColumns?: readonly string[];
  rows: readonly CsvRecord[];
  /**
   * Replace all rows of the file by `rows` instead of upserting into them (e.g. a summary rebuilt
   * from scratch); the file's other columns and the configs of the runs it held are dropped.
   */
  replace?: boolean;
  /** Run id (also in every row's `run_id`) and the resolved config stored in the sidecar. */
  runId: string;
  config: unknown;
  /**
   * Extra top-level keys of the sidecar JSON (besides `csv` and `runs`, which are reserved). A
   * write replaces the extras of earlier writes (they described the file before it).
   */
  sidecarExtra?: Record<string, unknown>;
  /**
   * Where the provenance columns go: `"rows"` (default, every row carries them) or `"sidecar"`
   * (large per-architecture files of one run, dataset and seed: the CSV holds only `columns`,
   * the sidecar's `provenance` holds the values, identical for all rows). `"sidecar"` needs
   * `replace`.
   */
  provenance?: "rows" | "sidecar";
}

/** Read a result CSV; an absent file gives no rows. A malformed file throws naming the path. */
export async function readResults(
  path: string,
): Promise<{ columns: string[]; records: Record<string, string>[] }> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { columns: [], records: [] };
    throw e;
  }
  try {
    return fromCsv(text);
  } catch (e) {
    throw new Error(`malformed results file ${path}: ${(e as Error).message}`);
  }
}

function _key(r: Record<string, string | number>, keys: readonly string[]): string {
  return keys.map((k) => String(r[k] ?? "")).join("\u0000");
}

/**
 * Upsert rows into the result CSV and record the run's config (and {@link ResultWrite.sidecarExtra})
 * in the sidecar, under the folder's lock. Returns the CSV path.
 */
export async function writeResults(w: ResultWrite): Promise<string> {
  if (w.sidecarExtra !== undefined) _checkExtraKeys(Object.keys(w.sidecarExtra), "writeResults");
  return await _locked(w, () => _writeResults(w));
}

async function _writeResults(w: ResultWrite): Promise<string> {
  const { csv, sidecar } = resultPaths(w);
  if (w.provenance === "sidecar") {
    if (!w.replace) throw new RangeError("writeResults: provenance in the sidecar needs replace");
    const provenance: Record<string, unknown> = {};
    for (const c of PROVENANCE_COLUMNS) {
      const values = new Set(w.rows.map((r) => r[c]));
      if (values.size > 1) {
        throw new RangeError(`writeResults: provenance in the sidecar, but rows differ in ${c}`);
      }
      provenance[c] = c === "run_id" ? w.runId : w.rows[0]?.[c] ?? "";
    }
    await writeFileAtomic(csv, toCsv(w.columns, w.rows));
    await writeFileAtomic(
      sidecar,
      _sidecarText(csv, { [w.runId]: w.config }, { provenance, ...w.sidecarExtra }),
    );
    return csv;
  }
  const columns = [
    ...PROVENANCE_COLUMNS,
    ...w.columns.filter((c) => !PROVENANCE_COLUMNS.includes(c as never)),
  ];
  const keys = ["method", "dataset", "seed", ...(w.keyColumns ?? [])];
  const old = w.replace ? { columns: [], records: [] } : await readResults(csv);
  const fresh = new Set(w.rows.map((r) => _key(r, keys)));
  const kept = old.records.filter((r) => !fresh.has(_key(r, keys)));
  for (const c of old.columns) if (!columns.includes(c)) columns.push(c);
  const rows: CsvRecord[] = [...kept, ...w.rows.map((r) => ({ ...r, run_id: w.runId }))];
  await writeFileAtomic(csv, toCsv(columns, rows));

  const live = new Set(rows.map((r) => String(r.run_id)));
  const runs = await _sidecarRuns(sidecar);
  runs[w.runId] = w.config;
  for (const id of Object.keys(runs)) if (!live.has(id)) delete runs[id];
  await writeFileAtomic(sidecar, _sidecarText(csv, runs, w.sidecarExtra));
  return csv;
}

/**
 * Upsert the rows of the result file `src` (e.g. from another machine) into `dst`, keeping each
 * row's own provenance and run id, and copy the configs of their runs into `dst`'s sidecar.
 * Rows are identified by method, dataset, seed and `keyColumns`. Returns the destination path and
 * the number of rows taken over. Throws when `src` has no rows (naming the path). Holds `dst`'s
 * folder lock; the destination sidecar keeps only `csv` and `runs` (extras described the file
 * before the merge).
 */
export async function mergeResults(
  src: ResultLocation,
  dst: ResultLocation,
  keyColumns: readonly string[] = [],
): Promise<{ csv: string; merged: number }> {
  const from = resultPaths(src);
  const incoming = await readResults(from.csv);
  if (incoming.records.length === 0) throw new Error(`no result rows in ${from.csv}`);
  return await _locked(dst, () => _mergeResults(from, incoming, dst, keyColumns));
}

async function _mergeResults(
  from: { csv: string; sidecar: string },
  incoming: { columns: string[]; records: Record<string, string>[] },
  dst: ResultLocation,
  keyColumns: readonly string[],
): Promise<{ csv: string; merged: number }> {
  const to = resultPaths(dst);
  const keys = ["method", "dataset", "seed", ...keyColumns];
  const old = await readResults(to.csv);
  const fresh = new Set(incoming.records.map((r) => _key(r, keys)));
  const columns = [...(old.columns.length > 0 ? old.columns : incoming.columns)];
  for (const c of incoming.columns) if (!columns.includes(c)) columns.push(c);
  const rows = [...old.records.filter((r) => !fresh.has(_key(r, keys))), ...incoming.records];
  await writeFileAtomic(to.csv, toCsv(columns, rows));

  const runs: Record<string, unknown> = { ...await _sidecarRuns(to.sidecar) };
  Object.assign(runs, await _sidecarRuns(from.sidecar));
  const live = new Set(rows.map((r) => String(r.run_id)));
  for (const id of Object.keys(runs)) if (!live.has(id)) delete runs[id];
  await writeFileAtomic(to.sidecar, _sidecarText(to.csv, runs));
  return { csv: to.csv, merged: incoming.records.length };
}

/**
 * Set one top-level key of the existing sidecar of `loc` (e.g. the run's verdict) under the
 * folder's lock, keeping everything else; `value` `undefined` removes the key. Throws a
 * `RangeError` for the reserved keys `csv` and `runs`, and an `Error` naming the path when the
 * sidecar is missing or not a JSON object.
 */
export async function annotateSidecar(
  loc: ResultLocation,
  key: string,
  value: unknown,
): Promise<void> {
  _checkExtraKeys([key], "annotateSidecar");
  await _locked(loc, async () => {
    const { sidecar } = resultPaths(loc);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await Deno.readTextFile(sidecar));
    } catch (e) {
      const why = e instanceof Deno.errors.NotFound ? "missing" : (e as Error).message;
      throw new Error(`cannot annotate result sidecar ${sidecar}: ${why}`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new Error(`cannot annotate result sidecar ${sidecar}: not a JSON object`);
    }
    const obj = parsed as Record<string, unknown>;
    if (value === undefined) delete obj[key];
    else obj[key] = value;
    await writeFileAtomic(sidecar, JSON.stringify(obj, null, 2) + "\n");
  });
}

async function _sidecarRuns(path: string): Promise<Record<string, unknown>> {
  try {
    const parsed = JSON.parse(await Deno.readTextFile(path));
    return parsed && typeof parsed === "object" && parsed.runs ? parsed.runs : {};
  } catch {
    return {}; // absent or unreadable sidecar: the CSV is the source of truth
  }
}
