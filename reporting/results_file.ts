/**
 * Result files: `<outDir>/<benchmark>/<profile>/<name>.csv` with a JSON sidecar `<name>.json`
 * holding the full resolved configuration of every run whose rows are in the CSV.
 *
 * Rows are upserted by a key (provenance columns `method`, `dataset`, `seed` plus the benchmark's
 * own key columns): running a benchmark twice replaces its rows instead of appending them twice.
 * Both files are written atomically (temp file + rename), CSV first; an interrupted run leaves the
 * previous files intact.
 *
 * @module
 */
import { type CsvRecord, fromCsv, toCsv } from "./csv.ts";
import { writeFileAtomic } from "./atomic.ts";
import { PROVENANCE_COLUMNS } from "./provenance.ts";

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
  const base = `${loc.outDir}/${loc.benchmark}/${loc.profile}/${loc.name}`;
  return { csv: `${base}.csv`, sidecar: `${base}.json` };
}

/** What one write adds. */
export interface ResultWrite extends ResultLocation {
  /** Columns after the provenance columns, in order. */
  columns: readonly string[];
  /** Columns (besides method, dataset, seed) that identify a row. */
  keyColumns?: readonly string[];
  rows: readonly CsvRecord[];
  /** Run id (also in every row's `run_id`) and the resolved config stored in the sidecar. */
  runId: string;
  config: unknown;
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
 * Upsert rows into the result CSV and record the run's config in the sidecar. Returns the CSV path.
 */
export async function writeResults(w: ResultWrite): Promise<string> {
  const { csv, sidecar } = resultPaths(w);
  const columns = [
    ...PROVENANCE_COLUMNS,
    ...w.columns.filter((c) => !PROVENANCE_COLUMNS.includes(c as never)),
  ];
  const keys = ["method", "dataset", "seed", ...(w.keyColumns ?? [])];
  const old = await readResults(csv);
  const fresh = new Set(w.rows.map((r) => _key(r, keys)));
  const kept = old.records.filter((r) => !fresh.has(_key(r, keys)));
  for (const c of old.columns) if (!columns.includes(c)) columns.push(c);
  const rows: CsvRecord[] = [...kept, ...w.rows.map((r) => ({ ...r, run_id: w.runId }))];
  await writeFileAtomic(csv, toCsv(columns, rows));

  const live = new Set(rows.map((r) => String(r.run_id)));
  const runs = await _sidecarRuns(sidecar);
  runs[w.runId] = w.config;
  for (const id of Object.keys(runs)) if (!live.has(id)) delete runs[id];
  await writeFileAtomic(
    sidecar,
    JSON.stringify({ csv: csv.split("/").pop(), runs }, null, 2) + "\n",
  );
  return csv;
}

/**
 * Upsert the rows of the result file `src` (e.g. from another machine) into `dst`, keeping each
 * row's own provenance and run id, and copy the configs of their runs into `dst`'s sidecar.
 * Rows are identified by method, dataset, seed and `keyColumns`. Returns the destination path and
 * the number of rows taken over. Throws when `src` has no rows (naming the path).
 */
export async function mergeResults(
  src: ResultLocation,
  dst: ResultLocation,
  keyColumns: readonly string[] = [],
): Promise<{ csv: string; merged: number }> {
  const from = resultPaths(src);
  const to = resultPaths(dst);
  const incoming = await readResults(from.csv);
  if (incoming.records.length === 0) throw new Error(`no result rows in ${from.csv}`);
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
  await writeFileAtomic(
    to.sidecar,
    JSON.stringify({ csv: to.csv.split("/").pop(), runs }, null, 2) + "\n",
  );
  return { csv: to.csv, merged: incoming.records.length };
}

async function _sidecarRuns(path: string): Promise<Record<string, unknown>> {
  try {
    const parsed = JSON.parse(await Deno.readTextFile(path));
    return parsed && typeof parsed === "object" && parsed.runs ? parsed.runs : {};
  } catch {
    return {}; // absent or unreadable sidecar: the CSV is the source of truth
  }
}
