import assert from "node:assert/strict";
import { reportHtml } from "./html.ts";
import type { ReportData } from "./load.ts";

const _data: ReportData = {
  resultsDir: "r",
  benchmarks: [],
  scores: [{
    title: "angle",
    source: "s.csv",
    metric: "angle",
    points: [{ x: 90, y: 0.1 }, { x: 91, y: 0.2 }],
  }],
  perf: [],
};

Deno.test("reportHtml: a page with the scatter plot, escapes text, says when no history is given", () => {
  const html = reportHtml({ ..._data, resultsDir: "<r>" }, null, "now");
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /data-chart="scatter"/);
  assert.match(html, /&lt;r&gt;/);
  assert.match(html, /No history database given/);
  assert.doesNotMatch(html, /<script/);
});

Deno.test("reportHtml charts a history series with several nights", () => {
  const html = reportHtml(_data, [{
    label: "table1 quick D",
    benchmark: "table1",
    profile: "quick",
    column: "test_acc",
    points: [{ startedAt: "1", runId: "a", gitRev: "g", value: 90 }, {
      startedAt: "2",
      runId: "b",
      gitRev: "g",
      value: 91,
    }],
  }], "now");
  assert.match(html, /data-chart="night"/);
  assert.match(html, /90, 91/);
});
