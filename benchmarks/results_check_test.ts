/**
 * Tolerance checks of the NB201 paper benchmarks' results (issue 5):
 *
 * - smoke: when `RLNAS_FRESH_RESULTS` names the `--out` directory of a fresh
 *   `deno task bench table1|table2 --profile smoke --dataset cifar10` run (CI sets it), each fresh
 *   row must match the committed baseline row (`results/<bench>/smoke/runs.csv`) of the same
 *   method, dataset and seed within `SMOKE_TOLERANCE_FACTOR` (1.5) times the spread measured over
 *   seeds 0-2 (the reference files' `SMOKE_SPREAD`, which must itself match the committed
 *   baseline);
 * - quick: every committed `results/table1|table2/quick/runs.csv` must show the paper's
 *   qualitative findings (D's test acc > C's on every dataset; tau(D) > tau(C) + 0.2; |tau(C)| < 0.2);
 * - paper: every committed `results/<bench>/paper/runs.csv` must be within 1.5 points test
 *   accuracy / 0.07 tau of the paper.
 *
 * A check without a CSV to read prints that it had nothing to check.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  type CheckResult,
  paperCheck,
  readRows,
  type Row,
  smokeCheck,
  spreadByMethod,
  table1Findings,
  table2Findings,
} from "./_nb201/checks.ts";
import * as t1 from "./table1/reference.ts";
import * as t2 from "./table2/reference.ts";
import * as t6 from "./table6/reference.ts";
import * as t7 from "./table7/reference.ts";
import type { DatasetName } from "./types.ts";

const _root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const _fresh = Deno.env.get("RLNAS_FRESH_RESULTS");

function _committed(bench: string, profile: string): string {
  return `${_root}/results/${bench}/${profile}/runs.csv`;
}

function _report(what: string, res: CheckResult): void {
  console.log(`${what}: ${res.checked.length} comparisons, ${res.failures.length} failed`);
  assert.deepEqual(res.failures, [], `${what} failed:\n${res.failures.join("\n")}`);
}

const _SMOKE = [
  {
    bench: "table1",
    column: "test_acc",
    spread: t1.SMOKE_SPREAD,
    factor: t1.SMOKE_TOLERANCE_FACTOR,
    floor: t1.SMOKE_MIN_TOLERANCE,
  },
  {
    bench: "table2",
    column: "tau",
    spread: t2.SMOKE_SPREAD,
    factor: t2.SMOKE_TOLERANCE_FACTOR,
    floor: t2.SMOKE_MIN_TOLERANCE,
  },
] as const;

for (const s of _SMOKE) {
  Deno.test(`smoke ${s.bench}: committed CIFAR-10 baseline has seeds 0-2 and the reference spread`, async () => {
    const rows = await readRows(_committed(s.bench, "smoke"));
    assert.ok(rows !== null, `no committed smoke baseline ${_committed(s.bench, "smoke")}`);
    const c10 = rows.filter((r) => r.dataset === "cifar10");
    for (const m of ["A", "B", "C", "D"]) {
      assert.deepEqual(
        c10.filter((r) => r.method === m).map((r) => r.seed).sort(),
        ["0", "1", "2"],
        `method ${m}`,
      );
    }
    const measured = spreadByMethod(c10, s.column);
    for (const [m, v] of Object.entries(s.spread)) {
      assert.ok(
        Math.abs(measured[m] - v) < 1e-3,
        `${s.bench} ${m}: reference spread ${v}, baseline ${measured[m]}`,
      );
    }
  });

  Deno.test(`smoke ${s.bench}: fresh run (RLNAS_FRESH_RESULTS) within the seed spread of the baseline`, async () => {
    if (_fresh === undefined || _fresh === "") {
      console.log(
        `no fresh smoke run for ${s.bench} (RLNAS_FRESH_RESULTS unset): nothing to compare`,
      );
      return;
    }
    const path = `${_fresh}/${s.bench}/smoke/runs.csv`;
    const fresh = await readRows(path);
    assert.ok(fresh !== null, `RLNAS_FRESH_RESULTS is set but ${path} does not exist`);
    const base = (await readRows(_committed(s.bench, "smoke"))) ?? [];
    const tol = (m: string) =>
      Math.max(s.factor * ((s.spread as Record<string, number>)[m] ?? 0), s.floor);
    _report(`smoke ${s.bench} vs committed baseline`, smokeCheck(fresh, base, s.column, tol));
  });
}

async function _quick(bench: string, check: (rows: Row[]) => CheckResult): Promise<void> {
  const rows = await readRows(_committed(bench, "quick"));
  if (rows === null) {
    console.log(`no quick CSV for ${bench}: nothing to check`);
    return;
  }
  _report(`quick ${bench} qualitative findings`, check(rows));
}

Deno.test("quick table1: committed CSV (if any) has D's test acc above C's on every dataset", async () => {
  await _quick("table1", table1Findings);
});

Deno.test("quick table2: committed CSV (if any) has tau(D) > tau(C) + 0.2 and |tau(C)| < 0.2", async () => {
  await _quick(
    "table2",
    (rows) => table2Findings(rows, t2.QUICK_MIN_TAU_GAP, t2.QUICK_MAX_ABS_TAU_C),
  );
});

const _PAPER = [
  {
    bench: "table1",
    column: "test_acc",
    tol: t1.PAPER_TEST_ACC_TOLERANCE,
    ref: (m: string, d: string) => t1.TABLE1[m as t1.MethodId]?.[d as DatasetName]?.[1] ?? null,
  },
  {
    bench: "table2",
    column: "tau",
    tol: t2.PAPER_TAU_TOLERANCE,
    ref: (m: string, d: string) => t2.TABLE2[m as t1.MethodId]?.[d as DatasetName] ?? null,
  },
  {
    bench: "table6",
    column: "test_acc",
    tol: t6.PAPER_TEST_ACC_TOLERANCE,
    ref: (m: string, d: string) => t6.TABLE6[m as t6.GeneratorId]?.[d as DatasetName]?.[0] ?? null,
  },
  {
    bench: "table7",
    column: "test_acc",
    tol: t7.PAPER_TEST_ACC_TOLERANCE,
    ref: (m: string, d: string) => t7.TABLE7[m as t7.RowId]?.[d as DatasetName]?.[0] ?? null,
  },
] as const;

for (const p of _PAPER) {
  Deno.test(`paper ${p.bench}: committed CSV (if any) within ${p.tol} of the paper's ${p.column}`, async () => {
    const rows = await readRows(_committed(p.bench, "paper"));
    if (rows === null) {
      console.log(`no paper CSV for ${p.bench}: nothing to check`);
      return;
    }
    _report(`paper ${p.bench} vs the paper`, paperCheck(rows, p.column, p.ref, p.tol));
  });
}

Deno.test("paper figure1: the paper gives no numbers for Figure 1, nothing to compare", async () => {
  const rows = await readRows(_committed("figure1", "paper"));
  console.log(
    rows === null
      ? "no paper CSV for figure1: nothing to check"
      : `paper figure1: ${rows.length} rows; the paper shows Figure 1 as a plot only, no numeric check`,
  );
});
