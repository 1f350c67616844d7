import assert from "node:assert/strict";
import type { HistoryRecord } from "../history.ts";
import { nightSeries } from "./nights.ts";

function _rec(run: string, at: string, values: Record<string, string>): HistoryRecord {
  return {
    id: 0,
    run_id: run,
    benchmark: "table1",
    profile: "quick",
    method: "D",
    dataset: "cifar10",
    seed: "0",
    metric: "",
    key: {},
    values,
    provenance: { git_rev: "abc" },
    verdict: "PASS",
    started_at: at,
    recorded_at: at,
    source: "x",
  };
}

Deno.test("nightSeries groups a value over nights in start order, test_acc first", () => {
  const s = nightSeries([
    _rec("r2", "2026-12-02", { test_acc: "91", tau: "0.3" }),
    _rec("r1", "2026-12-01", { test_acc: "90" }),
    _rec("r3", "2026-12-03", { other: "1" }),
  ]);
  assert.equal(s.length, 1);
  assert.equal(s[0].column, "test_acc");
  assert.deepEqual(s[0].points.map((p) => p.value), [90, 91]);
  assert.equal(s[0].label, "table1 quick D cifar10 seed 0");
});
