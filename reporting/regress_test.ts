import assert from "node:assert/strict";
import {
  allowedWorsening,
  compareResults,
  formatRegressSummary,
  formatRegressTable,
  hasRegression,
  judge,
  type RegressionRule,
  type ResultKind,
  type ResultSet,
  spreadRule,
} from "./regress.ts";
import { REGRESSION_RULES as TABLE1_RULES, SMOKE_SPREAD } from "../benchmarks/table1/reference.ts";

const TAU: RegressionRule = { column: "tau", better: "higher", absolute: 0.05 };
const MS: RegressionRule = { column: "ms_median", better: "lower", relative: 0.07 };

Deno.test("judge: only a worsening beyond the rule regresses; a better value is an improvement", () => {
  assert.equal(judge(TAU, "D", "0.4", "0.34")?.verdict, "REGRESSED");
  assert.equal(judge(TAU, "D", "0.4", "0.36")?.verdict, "ok");
  assert.equal(judge(TAU, "D", "0.4", "0.35")?.verdict, "ok"); // exactly at the threshold
  assert.equal(judge(TAU, "D", "0.4", "0.4")?.verdict, "ok");
  assert.equal(judge(TAU, "D", "0.4", "0.9")?.verdict, "improved");
  assert.equal(judge(TAU, "D", "0.4", "")?.verdict, "REGRESSED"); // the value vanished
  assert.equal(judge(TAU, "D", "", "0.4"), null); // no baseline value: nothing to judge
  // lower is better: 7 % slower regresses, faster is an improvement
  assert.equal(judge(MS, "train_step", "100", "107.5")?.verdict, "REGRESSED");
  assert.equal(judge(MS, "train_step", "100", "106.9")?.verdict, "ok");
  assert.equal(judge(MS, "train_step", "100", "60")?.verdict, "improved");
  assert.match(judge(MS, "train_step", "100", "120")!.rule, /7% \(7\)/);
});

Deno.test("table1's rule: drop > max(2 x the method's smoke spread, 0.5)", () => {
  const [rule] = TABLE1_RULES;
  assert.equal(rule.column, "test_acc");
  assert.equal(allowedWorsening(rule, "D", 92), 2 * SMOKE_SPREAD.D);
  assert.equal(allowedWorsening(rule, "unknown-method", 92), 0.5);
  assert.deepEqual(spreadRule("test_acc", { A: 0.1 }, 2, 0.5).perMethod, { A: 0.2 });
  assert.equal(allowedWorsening(spreadRule("test_acc", { A: 0.1 }, 2, 0.5), "A", 90), 0.5);
});

function set(benchmark: string, profile: string, rows: Record<string, string>[]): ResultSet {
  return { benchmark, profile, rows, source: "test" };
}

const KINDS: ResultKind[] = [
  { benchmark: "table2", runsFile: "runs", keyColumns: [], rules: [TAU] },
  { benchmark: "figure1", runsFile: "runs", keyColumns: ["classes"], rules: [TAU] },
];

const r = (method: string, seed: string, tau: string, extra: Record<string, string> = {}) => ({
  method,
  dataset: "cifar10",
  seed,
  tau,
  ...extra,
});

Deno.test("compareResults: rows by key, missing and new rows listed, pairs on one side only listed", () => {
  const baseline = [
    set("table2", "quick", [r("C", "0", "0.04"), r("D", "0", "0.39"), r("D", "1", "0.40")]),
    set("figure1", "smoke", [
      r("rlnas", "0", "0.1", { classes: "10" }),
      r("rlnas", "0", "0.2", { classes: "100" }),
    ]),
    set("table2", "smoke", [r("D", "0", "0.1")]),
  ];
  const candidate = [
    set("table2", "quick", [r("C", "0", "0.10"), r("D", "0", "0.19"), r("D", "2", "0.41")]),
    set("figure1", "smoke", [
      r("rlnas", "0", "0.2", { classes: "100" }),
      r("rlnas", "0", "0.1", { classes: "10" }),
    ]),
    set("table6", "smoke", [r("x", "0", "1")]),
  ];
  const rep = compareResults(baseline, candidate, KINDS);
  assert.deepEqual(rep.compared, ["figure1/smoke", "table2/quick"]);
  assert.deepEqual(rep.onlyInBaseline, ["table2/smoke"]);
  assert.deepEqual(rep.onlyInCandidate, ["table6/smoke"]);
  assert.equal(rep.regressed, 1);
  assert.equal(rep.improved, 1);
  assert.equal(rep.missing, 1);
  assert.ok(hasRegression(rep));
  const d = rep.lines.find((l) => l.key === "D/cifar10/seed 0")!;
  assert.equal(d.verdict, "REGRESSED");
  assert.ok(Math.abs(d.delta + 0.2) < 1e-12);
  assert.equal(rep.lines.find((l) => l.key === "D/cifar10/seed 1")?.verdict, "MISSING");
  assert.equal(rep.lines.find((l) => l.key === "D/cifar10/seed 2")?.verdict, "new");
  assert.equal(rep.lines.find((l) => l.key === "C/cifar10/seed 0")?.verdict, "improved");
  // figure1 rows matched by classes, not by order
  assert.deepEqual(
    rep.lines.filter((l) => l.benchmark === "figure1").map((l) => [l.key, l.verdict]),
    [["rlnas/cifar10/seed 0 classes=10", "ok"], ["rlnas/cifar10/seed 0 classes=100", "ok"]],
  );
  const table = formatRegressTable(rep);
  assert.match(
    table,
    /^benchmark +profile +key +column +baseline +candidate +delta +rule +verdict/,
  );
  assert.match(
    table,
    /table2 +quick +D\/cifar10\/seed 0 +tau +0\.39 +0\.19 +-0\.2 +drop > 0\.05 +REGRESSED/,
  );
  assert.match(table, /not compared: table2\/smoke only in the baseline/);
  assert.match(table, /not compared: table6\/smoke only in the candidate/);
  assert.match(
    formatRegressSummary(rep),
    /^regress: REGRESSED: .*1 regressed, 1 improved, 1 missing rows, 1 new rows$/,
  );

  const allowed = compareResults(baseline, candidate, KINDS, { allowMissing: true });
  assert.equal(allowed.missing, 0);
  assert.equal(
    allowed.lines.find((l) => l.key === "D/cifar10/seed 1")?.verdict,
    "missing (allowed)",
  );
});

Deno.test("compareResults: identical sets pass; a benchmark without rules only matches rows", () => {
  const rows = [r("D", "0", "0.39")];
  const rep = compareResults([set("table2", "quick", rows)], [set("table2", "quick", rows)], KINDS);
  assert.equal(hasRegression(rep), false);
  assert.equal(rep.regressed + rep.improved + rep.missing, 0);
  assert.match(
    formatRegressSummary(rep),
    /^regress: OK: 1 benchmark\/profile pairs, 1 values compared/,
  );
  const none = compareResults([set("other", "smoke", rows)], [set("other", "smoke", [])], KINDS);
  assert.deepEqual(none.withoutRules, ["other/smoke"]);
  assert.equal(none.missing, 1);
  const nothing = compareResults([set("table2", "quick", rows)], [], KINDS);
  assert.match(formatRegressSummary(nothing), /^regress: NOT CHECKED: 0 benchmark\/profile pairs/);
});
