import assert from "node:assert/strict";
import type { Check } from "../../reporting/verdict.ts";
import {
  comparableChecks,
  type Nb201CheckSpec,
  paperChecks,
  profileChecks,
  readRows,
  smokeChecks,
  spreadByMethod,
  table1Findings,
  table2Findings,
} from "./checks.ts";

const r = (method: string, dataset: string, seed: string, v: Record<string, string>) => ({
  method,
  dataset,
  seed,
  ...v,
});

const _status = (cs: readonly Check[]) => cs.map((c) => c.status);

Deno.test("spreadByMethod: max - min per method over seeds and datasets", () => {
  const rows = [
    r("A", "cifar10", "0", { test_acc: "90" }),
    r("A", "cifar10", "1", { test_acc: "93.5" }),
    r("A", "cifar10", "2", { test_acc: "91" }),
    r("D", "cifar10", "0", { test_acc: "92" }),
    r("D", "cifar10", "1", { test_acc: "" }),
  ];
  assert.deepEqual(spreadByMethod(rows, "test_acc"), { A: 3.5, D: 0 });
});

Deno.test("smokeChecks: within tolerance PASS; outside or NaN FAIL; no baseline row NOT CHECKED", () => {
  const base = [r("A", "cifar10", "0", { tau: "0.30" }), r("D", "cifar10", "0", { tau: "0.10" })];
  const tol = { column: "tau", spread: { A: 0.05, D: 1 }, factor: 1, floor: 0 };
  const ok = smokeChecks([r("A", "cifar10", "0", { tau: "0.35" })], base, tol);
  assert.deepEqual(_status(ok), ["PASS"]);
  assert.match(ok[0].detail, /^0\.35 vs 0\.3 \(\|diff\| 0\.05 <= 0\.05\)$/);
  const bad = smokeChecks(
    [
      r("A", "cifar10", "0", { tau: "0.36" }),
      r("D", "cifar10", "1", { tau: "0.1" }),
      r("D", "cifar10", "0", { tau: "" }),
    ],
    base,
    tol,
  );
  assert.deepEqual(_status(bad), ["FAIL", "NOT CHECKED", "FAIL"]);
  assert.match(bad[1].name, /^D\/cifar10\/seed 1 tau/);
  assert.equal(bad[1].detail, "no committed baseline row with this key");
  assert.deepEqual(_status(smokeChecks([], base, tol)), ["NOT CHECKED"]);
  assert.deepEqual(_status(smokeChecks(base, null, tol)), ["NOT CHECKED"]);
  // key columns (Figure 1's K) take part in the match
  const k = smokeChecks(
    [{ ...r("x", "c", "0", { t: "1" }), classes: "20" }],
    [{ ...r("x", "c", "0", { t: "1" }), classes: "10" }],
    { column: "t", spread: {}, factor: 1, floor: 0.5 },
    ["classes"],
  );
  assert.deepEqual(_status(k), ["NOT CHECKED"]);
});

Deno.test("table1Findings: D must beat C on every dataset (means over seeds)", () => {
  const rows = [
    r("C", "cifar10", "0", { test_acc: "80" }),
    r("D", "cifar10", "0", { test_acc: "93" }),
    r("C", "cifar100", "0", { test_acc: "60" }),
    r("C", "cifar100", "1", { test_acc: "70" }),
    r("D", "cifar100", "0", { test_acc: "64" }),
    r("C", "ImageNet16-120", "0", { test_acc: "30" }),
  ];
  const res = table1Findings(rows);
  assert.deepEqual(_status(res), ["PASS", "FAIL", "NOT CHECKED"]); // cifar100: D 64 vs C mean 65
  assert.equal(res[1].detail, "64 vs 65");
  assert.deepEqual(_status(table1Findings([])), ["NOT CHECKED"]);
});

Deno.test("table2Findings: tau(D) > tau(C) + 0.2 and |tau(C)| < 0.2", () => {
  const rows = [r("C", "cifar10", "0", { tau: "0.05" }), r("D", "cifar10", "0", { tau: "0.5" })];
  assert.deepEqual(_status(table2Findings(rows, 0.2, 0.2)), ["PASS", "PASS"]);
  const weak = [r("C", "cifar10", "0", { tau: "0.3" }), r("D", "cifar10", "0", { tau: "0.4" })];
  assert.deepEqual(_status(table2Findings(weak, 0.2, 0.2)), ["FAIL", "FAIL"]);
});

Deno.test("comparableChecks: |mean difference| within the bound", () => {
  const rows = [r("a", "c", "0", { v: "93.0" }), r("b", "c", "0", { v: "94.6" })];
  const a = { id: "a", name: "A" };
  const b = { id: "b", name: "B" };
  assert.deepEqual(_status(comparableChecks(rows, "v", a, b, 1.5)), ["FAIL"]);
  assert.deepEqual(_status(comparableChecks(rows, "v", a, b, 1.6)), ["PASS"]);
});

Deno.test("paperChecks: mean over seeds within the tolerance; no paper value NOT CHECKED", () => {
  const rows = [
    r("A", "cifar10", "0", { test_acc: "91" }),
    r("A", "cifar10", "1", { test_acc: "93" }),
    r("B", "cifar10", "0", { test_acc: "80" }),
  ];
  const ref = (m: string) => (m === "A" ? 92.11 : 93.76);
  assert.deepEqual(_status(paperChecks(rows, "test_acc", ref, 1.5)), ["PASS", "FAIL"]);
  assert.deepEqual(_status(paperChecks(rows, "test_acc", () => null, 1)), [
    "NOT CHECKED",
    "NOT CHECKED",
  ]);
  assert.deepEqual(_status(paperChecks([], "test_acc", ref, 1)), ["NOT CHECKED"]);
});

Deno.test("profileChecks: smoke = baseline + findings NOT CHECKED; quick = findings; paper = both", () => {
  const spec: Nb201CheckSpec = {
    smoke: { column: "test_acc", spread: {}, factor: 1, floor: 0.5 },
    findings: table1Findings,
    paper: { column: "test_acc", reference: () => 93, tolerance: 1.5 },
  };
  const rows = [
    r("C", "cifar10", "0", { test_acc: "91" }),
    r("D", "cifar10", "0", { test_acc: "92" }),
  ];
  const smoke = profileChecks(spec, "smoke", rows, rows);
  assert.deepEqual(_status(smoke), ["PASS", "PASS", "NOT CHECKED"]);
  assert.match(smoke[2].detail, /^92 vs 91, PASS; not judged at smoke size/);
  assert.deepEqual(_status(profileChecks(spec, "quick", rows, null)), ["PASS"]);
  assert.deepEqual(_status(profileChecks(spec, "paper", rows, null)), ["FAIL", "PASS", "PASS"]);
  const none = profileChecks({ ...spec, paper: null }, "paper", [], null);
  assert.deepEqual(_status(none), ["NOT CHECKED", "NOT CHECKED"]);
});

Deno.test("readRows: null for a missing file", async () => {
  assert.equal(await readRows("/nonexistent/runs.csv"), null);
});
