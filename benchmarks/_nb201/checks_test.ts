import assert from "node:assert/strict";
import {
  paperCheck,
  readRows,
  smokeCheck,
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

Deno.test("smokeCheck: same key within tolerance passes; outside, missing or NaN fails", () => {
  const base = [r("A", "cifar10", "0", { tau: "0.30" }), r("D", "cifar10", "0", { tau: "0.10" })];
  const ok = smokeCheck([r("A", "cifar10", "0", { tau: "0.35" })], base, "tau", () => 0.05);
  assert.deepEqual(ok.failures, []);
  assert.equal(ok.checked.length, 1);
  const bad = smokeCheck(
    [
      r("A", "cifar10", "0", { tau: "0.36" }),
      r("D", "cifar10", "1", { tau: "0.1" }),
      r("D", "cifar10", "0", { tau: "" }),
    ],
    base,
    "tau",
    (m) => (m === "A" ? 0.05 : 1),
  );
  assert.equal(bad.failures.length, 3);
  assert.match(bad.failures[1], /D\/cifar10\/seed 1: no committed baseline row/);
  assert.deepEqual(smokeCheck([], base, "tau", () => 1).failures, ["the fresh run has no rows"]);
});

Deno.test("table1Findings: D must beat C on every dataset (means over seeds)", () => {
  const rows = [
    r("C", "cifar10", "0", { test_acc: "80" }),
    r("D", "cifar10", "0", { test_acc: "93" }),
    r("C", "cifar100", "0", { test_acc: "60" }),
    r("C", "cifar100", "1", { test_acc: "70" }),
    r("D", "cifar100", "0", { test_acc: "64" }),
  ];
  const res = table1Findings(rows);
  assert.equal(res.checked.length, 2);
  assert.equal(res.failures.length, 1); // cifar100: D 64 vs C mean 65
  assert.match(res.failures[0], /^cifar100/);
  assert.deepEqual(table1Findings([]).failures, ["no rows"]);
});

Deno.test("table2Findings: tau(D) > tau(C) + 0.2 and |tau(C)| < 0.2", () => {
  const rows = [r("C", "cifar10", "0", { tau: "0.05" }), r("D", "cifar10", "0", { tau: "0.5" })];
  assert.deepEqual(table2Findings(rows, 0.2, 0.2).failures, []);
  const weak = [r("C", "cifar10", "0", { tau: "-0.25" }), r("D", "cifar10", "0", { tau: "-0.1" })];
  assert.equal(table2Findings(weak, 0.2, 0.2).failures.length, 2);
});

Deno.test("paperCheck: mean over seeds within the tolerance of the paper", () => {
  const rows = [
    r("D", "cifar10", "0", { test_acc: "92.0" }),
    r("D", "cifar10", "1", { test_acc: "93.0" }),
    r("A", "cifar10", "0", { test_acc: "89.0" }),
  ];
  const ref = (m: string) => (m === "D" ? 93.45 : m === "A" ? 92.11 : null);
  const res = paperCheck(rows, "test_acc", ref, 1.5);
  assert.equal(res.checked.length, 2);
  assert.equal(res.failures.length, 1); // A: 89.0 vs 92.11; D: 92.5 vs 93.45 passes
  assert.match(res.failures[0], /^A\/cifar10/);
  assert.deepEqual(paperCheck(rows, "test_acc", () => null, 1).failures, [
    "no row has a paper value to compare with",
  ]);
});

Deno.test("readRows: null for a missing file", async () => {
  assert.equal(await readRows("/nonexistent/rlnas/runs.csv"), null);
});
