/**
 * The run history: every benchmark run can be appended to one SQLite file, outside the committed
 * baselines, so that a nightly job keeps every night's numbers and `deno task regress` can compare
 * any two of them.
 *
 * - **One record per row**: benchmark × profile × method × dataset × seed (× the row's `metric`,
 *   where it has one, × the benchmark's own key columns, e.g. figure1's `classes`) of one run id,
 *   holding the row's values (`values`), its provenance columns (`provenance`), the run id and the
 *   run's verdict (PASS / FAIL / NOT CHECKED, or null where none was recorded).
 * - **Append-only**: records are never updated or deleted (triggers refuse it); appending a record
 *   that is already there (same run id and key, e.g. importing one folder twice) is skipped and
 *   counted as such.
 * - **Several writers at once**: WAL journal, a busy timeout, and every append in one
 *   `BEGIN IMMEDIATE` transaction, so concurrent processes wait for each other instead of losing
 *   rows or failing with "database is locked".
 * - **Where**: `--history PATH`, else `$RLNAS_HISTORY`, else `<cache dir>/history.sqlite`
 *   ({@link historyPath}): the cache dir is `<repo>/.cache`, or, when `$RLNAS_CACHE_DIR` names the
 *   SuperNet cache, the folder that holds it: never inside the SuperNet cache itself, so deleting
 *   the cache (or one entry) keeps the history.
 *
 * Uses Deno's built-in `node:sqlite` (no dependency).
 *
 * @example
 * ```ts
 * import { History } from "./history.ts";
 * const h = History.open("/tmp/history.sqlite");
 * h.appendRun({ runId: "r1", benchmark: "table2", profile: "quick", verdict: "PASS", rows: [
 *   { method: "D", dataset: "cifar10", seed: 0, tau: 0.39, run_id: "r1" },
 * ] });
 * console.log(h.latestRun("table2", "quick")?.run_id); // "r1"
 * h.close();
 * ```
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { PROVENANCE_COLUMNS } from "./provenance.ts";
import type { CheckStatus } from "./verdict.ts";

/** File name of the history in the cache dir. */
export const HISTORY_FILE = "history.sqlite";

/** How long a writer waits for another one's transaction, ms. */
export const HISTORY_BUSY_TIMEOUT_MS = 30_000;

/** Reads an environment variable (undefined when unset or not permitted). */
export type EnvReader = (name: string) => string | undefined;

const _repoRoot = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

function _denoEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/**
 * The cache dir the history lives in: `<repo>/.cache` (which holds the SuperNet cache
 * `supernets/`), or, when `$RLNAS_CACHE_DIR` (the SuperNet cache itself, see `cacheRoot` in
 * `benchmarks/_nb201/supernet_cache.ts`) is set, the folder that holds it.
 */
export function historyCacheDir(env: EnvReader = _denoEnv): string {
  const v = env("RLNAS_CACHE_DIR");
  if (v === undefined || v === "") return `${_repoRoot}/.cache`;
  const root = v.replace(/\/+$/, "");
  const cut = root.lastIndexOf("/");
  if (cut > 0) return root.slice(0, cut);
  return cut === 0 ? "/" : "."; // `/x` -> `/`; a relative `x` -> `.`
}

/** The history file: `flag` (`--history`), else `$RLNAS_HISTORY`, else `<cache dir>/history.sqlite`. */
export function historyPath(flag?: string, env: EnvReader = _denoEnv): string {
  if (flag !== undefined && flag !== "") return flag;
  const v = env("RLNAS_HISTORY");
  if (v !== undefined && v !== "") return v;
  return `${historyCacheDir(env).replace(/\/$/, "")}/${HISTORY_FILE}`;
}

/** One run to append: its rows as written to (or read from) its runs file. */
export interface RunToAppend {
  runId: string;
  benchmark: string;
  profile: string;
  /** Rows of the run (values and provenance columns; `method`, `dataset`, `seed` at least). */
  rows: readonly Record<string, string | number>[];
  /** Columns besides method, dataset, seed (and `metric`) that identify a row. */
  keyColumns?: readonly string[];
  /** The run's overall verdict, null when unknown. */
  verdict?: CheckStatus | null;
  /** Where the records come from (e.g. `bench`, or the imported folder). */
  source?: string;
}

/** What one append did. */
export interface AppendResult {
  added: number;
  /** Records that were already there (same run id and key). */
  skipped: number;
}

/** One record of the history. */
export interface HistoryRecord {
  id: number;
  run_id: string;
  benchmark: string;
  profile: string;
  method: string;
  dataset: string;
  seed: string;
  /** The row's `metric` column, "" when it has none. */
  metric: string;
  /** Values of the benchmark's key columns besides method, dataset, seed. */
  key: Record<string, string>;
  /** The row's own columns (everything but the provenance columns). */
  values: Record<string, string>;
  /** The row's provenance columns. */
  provenance: Record<string, string>;
  verdict: CheckStatus | null;
  started_at: string;
  recorded_at: string;
  source: string;
}

/** One run of the history (one run id, benchmark and profile). */
export interface HistoryRun {
  run_id: string;
  benchmark: string;
  profile: string;
  verdict: CheckStatus | null;
  /** Earliest `started_at` of its rows. */
  started_at: string;
  recorded_at: string;
  records: number;
  git_rev: string;
  backend: string;
}

const _SCHEMA = `
CREATE TABLE IF NOT EXISTS records (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL,
  benchmark TEXT NOT NULL,
  profile TEXT NOT NULL,
  method TEXT NOT NULL,
  dataset TEXT NOT NULL,
  seed TEXT NOT NULL,
  metric TEXT NOT NULL,
  key_json TEXT NOT NULL,
  values_json TEXT NOT NULL,
  provenance_json TEXT NOT NULL,
  verdict TEXT,
  started_at TEXT NOT NULL,
  git_rev TEXT NOT NULL,
  backend TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  source TEXT NOT NULL,
  UNIQUE (run_id, benchmark, profile, method, dataset, seed, metric, key_json)
);
CREATE INDEX IF NOT EXISTS records_by_bench ON records (benchmark, profile, started_at);
CREATE TRIGGER IF NOT EXISTS records_no_update BEFORE UPDATE ON records
  BEGIN SELECT RAISE(ABORT, 'the run history is append-only'); END;
CREATE TRIGGER IF NOT EXISTS records_no_delete BEFORE DELETE ON records
  BEGIN SELECT RAISE(ABORT, 'the run history is append-only'); END;
`;

const _PROV = new Set<string>(PROVENANCE_COLUMNS);

function _s(v: unknown): string {
  return v === undefined || v === null ? "" : String(v);
}

type _Row = Record<string, unknown>;

function _record(r: _Row): HistoryRecord {
  return {
    id: Number(r.id),
    run_id: _s(r.run_id),
    benchmark: _s(r.benchmark),
    profile: _s(r.profile),
    method: _s(r.method),
    dataset: _s(r.dataset),
    seed: _s(r.seed),
    metric: _s(r.metric),
    key: JSON.parse(_s(r.key_json)),
    values: JSON.parse(_s(r.values_json)),
    provenance: JSON.parse(_s(r.provenance_json)),
    verdict: (r.verdict ?? null) as CheckStatus | null,
    started_at: _s(r.started_at),
    recorded_at: _s(r.recorded_at),
    source: _s(r.source),
  };
}

function _run(r: _Row): HistoryRun {
  return {
    run_id: _s(r.run_id),
    benchmark: _s(r.benchmark),
    profile: _s(r.profile),
    verdict: (r.verdict ?? null) as CheckStatus | null,
    started_at: _s(r.started_at),
    recorded_at: _s(r.recorded_at),
    records: Number(r.records),
    git_rev: _s(r.git_rev),
    backend: _s(r.backend),
  };
}

const _RUNS_SELECT = `SELECT run_id, benchmark, profile, MAX(verdict) AS verdict,
  MIN(started_at) AS started_at, MAX(recorded_at) AS recorded_at, COUNT(*) AS records,
  MAX(git_rev) AS git_rev, MAX(backend) AS backend, MAX(id) AS last_id FROM records`;

/** A record as a result row again: provenance columns, then the row's own columns. */
export function recordRow(r: HistoryRecord): Record<string, string> {
  return { ...r.provenance, ...r.values };
}

/** An open history file. Close it with {@link History.close}. */
export class History {
  readonly path: string;
  #db: DatabaseSync;

  private constructor(path: string, db: DatabaseSync) {
    this.path = path;
    this.#db = db;
  }

  /**
   * Open (creating it and its folder if needed) the history at `path`. With `create: false` a
   * missing file throws an Error naming the path.
   */
  static open(path: string, opts: { create?: boolean } = {}): History {
    const create = opts.create ?? true;
    let exists = true;
    try {
      Deno.statSync(path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      exists = false;
    }
    if (!exists && !create) {
      throw new Error(
        `no run history at ${path} (record runs with \`deno task history import <results dir>\`, ` +
          `or choose the file with --history / RLNAS_HISTORY)`,
      );
    }
    if (!exists) {
      const cut = path.lastIndexOf("/");
      if (cut > 0) Deno.mkdirSync(path.slice(0, cut), { recursive: true });
    }
    const db = new DatabaseSync(path);
    try {
      db.exec(`PRAGMA busy_timeout = ${HISTORY_BUSY_TIMEOUT_MS}`);
      // Switching a new file to WAL does not wait through the busy handler: retry it.
      _retryBusy(() => {
        const mode = db.prepare("PRAGMA journal_mode").get() as { journal_mode?: string };
        if (mode?.journal_mode !== "wal") db.exec("PRAGMA journal_mode = WAL");
      });
      _transaction(db, () => db.exec(_SCHEMA));
    } catch (e) {
      db.close();
      throw new Error(`cannot open the run history ${path}: ${(e as Error).message}`);
    }
    return new History(path, db);
  }

  /** Close the file. */
  close(): void {
    this.#db.close();
  }

  /**
   * Append the records of one run, in one transaction (all or nothing). Records already there
   * (same run id and key) are skipped. Throws a RangeError for a row without method or dataset.
   */
  appendRun(run: RunToAppend): AppendResult {
    const keyColumns = run.keyColumns ?? [];
    const now = new Date().toISOString();
    const stmt = this.#db.prepare(
      `INSERT OR IGNORE INTO records (run_id, benchmark, profile, method, dataset, seed, metric,
        key_json, values_json, provenance_json, verdict, started_at, git_rev, backend,
        recorded_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const params = run.rows.map((row, i) => {
      if (_s(row.method) === "" || row.dataset === undefined) {
        throw new RangeError(`appendRun ${run.runId}: row ${i} has no method or dataset`);
      }
      const values: Record<string, string> = {};
      const provenance: Record<string, string> = {};
      for (const [k, v] of Object.entries(row)) (_PROV.has(k) ? provenance : values)[k] = _s(v);
      provenance.run_id = run.runId;
      const key = Object.fromEntries(keyColumns.map((k) => [k, _s(row[k])]));
      return [
        run.runId,
        run.benchmark,
        run.profile,
        _s(row.method),
        _s(row.dataset),
        _s(row.seed),
        _s(row.metric),
        JSON.stringify(key),
        JSON.stringify(values),
        JSON.stringify(provenance),
        run.verdict ?? null,
        _s(row.started_at),
        _s(row.git_rev),
        _s(row.backend),
        now,
        run.source ?? "",
      ] as const;
    });
    let added = 0;
    _transaction(this.#db, () => {
      added = 0;
      for (const p of params) added += Number(stmt.run(...p).changes);
    });
    return { added, skipped: params.length - added };
  }

  /** The records of run `runId` (optionally of one benchmark / profile), in insertion order. */
  recordsOf(runId: string, where: { benchmark?: string; profile?: string } = {}): HistoryRecord[] {
    const [cond, args] = _where({ run_id: runId, ...where });
    return this.#db.prepare(`SELECT * FROM records ${cond} ORDER BY id`).all(...args).map(_record);
  }

  /**
   * The runs of the history (one entry per run id, benchmark and profile), oldest first by start
   * time, optionally of one benchmark / profile: the nights of a nightly job.
   */
  nightsOf(where: { benchmark?: string; profile?: string } = {}): HistoryRun[] {
    const [cond, args] = _where(where);
    return this.#db.prepare(
      `${_RUNS_SELECT} ${cond} GROUP BY run_id, benchmark, profile ORDER BY started_at, last_id`,
    ).all(...args).map(_run);
  }

  /** The latest run (by start time, then by recording order) of a benchmark and profile. */
  latestRun(benchmark: string, profile: string): HistoryRun | null {
    const runs = this.nightsOf({ benchmark, profile });
    return runs.length === 0 ? null : runs[runs.length - 1];
  }

  /** The latest run of every benchmark and profile in the history. */
  latestRuns(): HistoryRun[] {
    const latest = new Map<string, HistoryRun>();
    for (const r of this.nightsOf()) latest.set(`${r.benchmark}\u0000${r.profile}`, r);
    return [...latest.values()];
  }
}

function _isBusy(e: unknown): boolean {
  return /database is locked|SQLITE_BUSY/i.test((e as Error)?.message ?? "");
}

function _sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Run `fn`, retrying while the database is busy (up to the busy timeout). */
function _retryBusy(fn: () => void): void {
  const deadline = Date.now() + HISTORY_BUSY_TIMEOUT_MS;
  for (let attempt = 0;; attempt++) {
    try {
      fn();
      return;
    } catch (e) {
      if (!_isBusy(e) || Date.now() > deadline) throw e;
      _sleepSync(Math.min(50, 2 + attempt * 2) * (0.5 + Math.random()));
    }
  }
}

/** `fn` in one `BEGIN IMMEDIATE` transaction (the write lock taken up front), retried while busy. */
function _transaction(db: DatabaseSync, fn: () => void): void {
  _retryBusy(() => {
    db.exec("BEGIN IMMEDIATE");
    try {
      fn();
      db.exec("COMMIT");
    } catch (e) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw e;
    }
  });
}

function _where(
  w: Record<string, string | undefined>,
): [string, string[]] {
  const parts: string[] = [];
  const args: string[] = [];
  for (const [k, v] of Object.entries(w)) {
    if (v === undefined) continue;
    parts.push(`${k} = ?`);
    args.push(v);
  }
  return [parts.length === 0 ? "" : `WHERE ${parts.join(" AND ")}`, args];
}

/** Open the history at `path`, run `fn`, close it. */
export function withHistory<T>(
  path: string,
  fn: (h: History) => T,
  opts: { create?: boolean } = {},
): T {
  const h = History.open(path, opts);
  try {
    return fn(h);
  } finally {
    h.close();
  }
}

/** Append one run to the history at `path` (see {@link History.appendRun}). */
export function appendRun(path: string, run: RunToAppend): AppendResult {
  return withHistory(path, (h) => h.appendRun(run));
}

/** The records of run `runId` in the history at `path` (which must exist). */
export function recordsOf(path: string, runId: string): HistoryRecord[] {
  return withHistory(path, (h) => h.recordsOf(runId), { create: false });
}

/** The runs in the history at `path` (which must exist), oldest first. */
export function nightsOf(
  path: string,
  where: { benchmark?: string; profile?: string } = {},
): HistoryRun[] {
  return withHistory(path, (h) => h.nightsOf(where), { create: false });
}

/** The latest run of `benchmark` / `profile` in the history at `path` (which must exist). */
export function latestRun(path: string, benchmark: string, profile: string): HistoryRun | null {
  return withHistory(path, (h) => h.latestRun(benchmark, profile), { create: false });
}
