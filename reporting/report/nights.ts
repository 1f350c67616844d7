/**
 * Each value's history over nights, from the run history (`reporting/history.ts`): one series per
 * benchmark, profile, method, dataset, seed (and metric or key columns) of the headline column
 * (`test_acc`, else `tau`, else `ms_median`), in the order the runs started.
 *
 * @module
 */
import { History, type HistoryRecord } from "../history.ts";

/** Columns a series follows, first present wins. */
export const NIGHT_COLUMNS: readonly string[] = ["test_acc", "tau", "ms_median"];

/** One value over nights. */
export interface NightSeries {
  /** e.g. "table1 quick D cifar10 seed 0". */
  label: string;
  benchmark: string;
  profile: string;
  column: string;
  points: { startedAt: string; runId: string; gitRev: string; value: number }[];
}

/** The series of `records` (any order); points sorted by start time. */
export function nightSeries(records: readonly HistoryRecord[]): NightSeries[] {
  const by = new Map<string, NightSeries>();
  for (const r of records) {
    const column = NIGHT_COLUMNS.find((c) => r.values[c] !== undefined && r.values[c] !== "");
    if (column === undefined) continue;
    const value = Number(r.values[column]);
    if (!Number.isFinite(value)) continue;
    const key = Object.entries(r.key).map(([k, v]) => `${k}=${v}`).join(" ");
    const label = [
      r.benchmark,
      r.profile,
      r.method,
      r.metric !== "" && r.metric !== r.method ? r.metric : "",
      r.dataset,
      `seed ${r.seed}`,
      key,
    ].filter((s) => s !== "").join(" ");
    const s = by.get(`${label}\0${column}`) ??
      { label, benchmark: r.benchmark, profile: r.profile, column, points: [] };
    by.set(`${label}\0${column}`, s);
    s.points.push({
      startedAt: r.started_at,
      runId: r.run_id,
      gitRev: r.provenance.git_rev ?? "",
      value,
    });
  }
  const out = [...by.values()];
  for (const s of out) s.points.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return out.sort((a, b) => a.label.localeCompare(b.label));
}

/** The series of every run of the history file at `path` (which must exist). */
export function loadNights(path: string): NightSeries[] {
  const h = History.open(path, { create: false });
  try {
    return nightSeries(
      h.nightsOf().flatMap((run) =>
        h.recordsOf(run.run_id, { benchmark: run.benchmark, profile: run.profile })
      ),
    );
  } finally {
    h.close();
  }
}
