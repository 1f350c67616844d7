import assert from "node:assert/strict";
import { formatComparisons, withinTolerance } from "./comparison.ts";

Deno.test("withinTolerance judges |ours - reference| <= tolerance, null when not judgeable", () => {
  assert.equal(withinTolerance({ label: "", ours: 93.0, reference: 93.45, tolerance: 1.5 }), true);
  assert.equal(withinTolerance({ label: "", ours: 91.0, reference: 93.45, tolerance: 1.5 }), false);
  assert.equal(withinTolerance({ label: "", ours: NaN, reference: 1, tolerance: 1 }), false);
  assert.equal(withinTolerance({ label: "", ours: null, reference: 1, tolerance: 1 }), null);
  assert.equal(withinTolerance({ label: "", ours: 1, reference: 1, tolerance: null }), null);
});

Deno.test("formatComparisons prints ours, reference, signed diff and verdict", () => {
  const text = formatComparisons("T", [
    { label: "D c10", ours: 93.0, oursStd: 0.5, reference: 93.45, tolerance: 1.5 },
    { label: "C c10", ours: 70, reference: 80.6, tolerance: 1.5 },
  ]);
  const lines = text.split("\n");
  assert.equal(lines[0], "T");
  assert.match(lines[1], /ours\s+paper\s+diff\s+tol\s+ok$/);
  assert.match(lines[3], /^D c10\s+93\.00 ± 0\.50\s+93\.45\s+-0\.45\s+1\.50\s+yes$/);
  assert.match(lines[4], /^C c10\s+70\.00\s+80\.60\s+-10\.60\s+1\.50\s+NO$/);
});
