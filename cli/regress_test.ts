import assert from "node:assert/strict";
import { capture, RESULTS_FIXTURE } from "./_test_capture.ts";
import { main } from "./regress.ts";
import { importFolder, main as historyMain } from "./history.ts";
import { fromCsv, toCsv } from "../reporting/csv.ts";
import { History } from "../reporting/history.ts";
import { EXIT_CODES } from "../reporting/verdict.ts";

const _root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const _fixture = RESULTS_FIXTURE;

/**
 * A candidate folder holding copies of the committed `table2/quick/runs.csv` and
 * `perf/cpu/perf.csv`, each passed through `edit` (records in, records out).
 */
async function candidate(
  edit: {
    table2?: (rs: Record<string, string>[]) => Record<string, string>[];
    perf?: (rs: Record<string, string>[]) => Record<string, string>[];
  } = {},
): Promise<string> {
  const dir = await Deno.makeTempDir();
  for (
    const [rel, fn] of [
      ["table2/quick/runs.csv", edit.table2],
      ["perf/cpu/perf.csv", edit.perf],
    ] as const
  ) {
    const { columns, records } = fromCsv(await Deno.readTextFile(`${_fixture}/${rel}`));
    await Deno.mkdir(`${dir}/${rel.slice(0, rel.lastIndexOf("/"))}`, { recursive: true });
    await Deno.writeTextFile(`${dir}/${rel}`, toCsv(columns, fn ? fn(records) : records));
  }
  return dir;
}

const lowerD = (rs: Record<string, string>[]) =>
  rs.map((r) => r.method === "D" ? { ...r, tau: (Number(r.tau) - 0.2).toFixed(6) } : r);

const slowerWasmStep = (rs: Record<string, string>[]) =>
  rs.map((r) =>
    r.method === "train_step" && r.backend === "wasm"
      ? { ...r, ms_median: (Number(r.ms_median) * 1.2).toFixed(4) }
      : r
  );

Deno.test("regress: an unchanged copy of committed results passes (exit 0)", async () => {
  const dir = await candidate();
  try {
    const r = await capture(() => main(["--baseline", _fixture, "--candidate", dir]));
    assert.equal(r.code, EXIT_CODES.pass, r.out + r.err);
    assert.match(
      r.out,
      /table2 +quick +D\/cifar10\/seed 0 +tau +0\.388258 +0\.388258 +0 +drop > 0\.05 +ok/,
    );
    assert.match(
      r.out,
      /perf +cpu +train_step\/cifar10\/seed 0 backend=wasm .* ms_median +1721\.122 +1721\.122/,
    );
    assert.match(r.out, /not compared: table1\/quick only in the baseline/);
    assert.match(
      r.out,
      /\nregress: OK: 2 benchmark\/profile pairs, 17 values compared, 0 regressed/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("regress: D's tau 0.2 lower and a perf row 20% slower are caught (exit 3), naming the values", async () => {
  const dir = await candidate({ table2: lowerD, perf: slowerWasmStep });
  try {
    const r = await capture(() => main(["--baseline", _fixture, dir])); // the positional form
    assert.equal(r.code, EXIT_CODES.fail, r.out + r.err);
    for (const seed of [0, 1]) {
      assert.match(
        r.out,
        new RegExp(
          `table2 +quick +D/cifar10/seed ${seed} +tau +\\S+ +\\S+ +-0\\.2 +drop > 0\\.05 +REGRESSED`,
        ),
      );
    }
    assert.match(r.out, /table2 +quick +C\/cifar10\/seed 0 +tau .* ok/);
    assert.match(
      r.out,
      /perf +cpu +train_step\/cifar10\/seed 0 backend=wasm .* ms_median +1721\.122 +2065\.3464 +\+344\.224 +slower\/higher > 7% \(120\.479\) +REGRESSED/,
    );
    assert.match(r.out, /\nregress: REGRESSED: .* 3 regressed, 0 improved, 0 missing rows/);
    // only the chosen benchmark
    const t = await capture(() =>
      main(["--baseline", _fixture, "--candidate", dir, "--benchmark", "perf"])
    );
    assert.equal(t.code, EXIT_CODES.fail);
    assert.doesNotMatch(t.out, /table2 +quick/);
    assert.match(t.out, /1 regressed/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("regress: an improvement is reported, not a regression", async () => {
  const dir = await candidate({
    table2: (rs) =>
      rs.map((r) => r.method === "B" ? { ...r, tau: String(Number(r.tau) + 0.1) } : r),
  });
  try {
    const r = await capture(() => main(["--baseline", _fixture, "--candidate", dir]));
    assert.equal(r.code, EXIT_CODES.pass, r.out);
    assert.match(r.out, /table2 +quick +B\/cifar10\/seed 0 +tau .* \+0\.1 +drop > 0\.05 +improved/);
    assert.match(r.out, /0 regressed, 2 improved/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("regress: a missing candidate row is listed and fails unless --allow-missing; a new row is listed", async () => {
  const dir = await candidate({
    table2: (rs) => [
      ...rs.filter((r) => !(r.method === "A" && r.seed === "1")),
      { ...rs[0], seed: "7" },
    ],
  });
  try {
    const r = await capture(() => main(["--baseline", _fixture, "--candidate", dir]));
    assert.equal(r.code, EXIT_CODES.fail, r.out);
    assert.match(
      r.out,
      /table2 +quick +A\/cifar10\/seed 1 +- +row +no row +- +every baseline row +MISSING/,
    );
    assert.match(r.out, /table2 +quick +A\/cifar10\/seed 7 +- +no row +row +- +- +new/);
    assert.match(r.out, /0 regressed, 0 improved, 1 missing rows, 1 new rows/);
    const a = await capture(() =>
      main(["--baseline", _fixture, "--candidate", dir, "--allow-missing"])
    );
    assert.equal(a.code, EXIT_CODES.pass, a.out);
    assert.match(a.out, /A\/cifar10\/seed 1 .* missing \(allowed\)/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("regress: candidate and baseline from the history (run id, latest)", async () => {
  const good = await candidate();
  const bad = await candidate({ table2: lowerD });
  const hdir = await Deno.makeTempDir();
  const path = `${hdir}/history.sqlite`;
  try {
    // the first night: the committed numbers; the second: D's tau 0.2 lower, a new run id
    const h = History.open(path);
    try {
      await importFolder(h, good);
    } finally {
      h.close();
    }
    const { columns, records } = fromCsv(await Deno.readTextFile(`${bad}/table2/quick/runs.csv`));
    await Deno.writeTextFile(
      `${bad}/table2/quick/runs.csv`,
      toCsv(
        columns,
        records.map((r) => ({ ...r, run_id: "night2", started_at: "2026-12-04T02:17:00.000Z" })),
      ),
    );
    await Deno.remove(`${bad}/perf`, { recursive: true });
    const imp = await capture(() => historyMain(["import", bad, "--history", path]));
    assert.equal(imp.code, 0, imp.err);
    assert.match(imp.out, /table2\/quick run night2: 8 records added/);

    const latest = await capture(() =>
      main([
        "--baseline",
        _fixture,
        "--candidate-run",
        "latest",
        "--history",
        path,
        "--benchmark",
        "table2",
      ])
    );
    assert.equal(latest.code, EXIT_CODES.fail, latest.out + latest.err);
    assert.match(latest.out, /D\/cifar10\/seed 1 +tau +0\.402202 +0\.202202 +-0\.2 .*REGRESSED/);
    // night2 against the first night's run of seed 0, from the history as well
    const vs = await capture(() =>
      main([
        "--candidate-run",
        "night2",
        "--baseline-run",
        "20261123T050307-37bc94",
        "--history",
        path,
      ])
    );
    assert.equal(vs.code, EXIT_CODES.fail, vs.out + vs.err);
    assert.match(vs.out, /D\/cifar10\/seed 0 .* REGRESSED/);
    assert.match(vs.out, /seed 1 +- +no row +row .* new/);

    const unknown = await capture(() => main(["--candidate-run", "nope", "--history", path]));
    assert.equal(unknown.code, EXIT_CODES.usage);
    assert.match(
      unknown.err,
      /^error: --candidate-run 'nope': no such run in the history .*night2/,
    );
    const absent = await capture(() =>
      main(["--candidate-run", "latest", "--history", `${hdir}/absent.sqlite`])
    );
    assert.equal(absent.code, EXIT_CODES.error);
    assert.match(absent.err, /^error: no run history at .*absent\.sqlite/);
  } finally {
    for (const d of [good, bad, hdir]) await Deno.remove(d, { recursive: true });
  }
});

Deno.test("regress: usage errors exit 2 with one line; a malformed CSV exits 1; nothing in common exits 4", async () => {
  const cases: [string[], RegExp][] = [
    [[], /^error: no candidate: give --candidate DIR or --candidate-run ID\|latest/],
    [
      ["--candidate", "/nonexistent/x"],
      /^error: --candidate '\/nonexistent\/x' is not a directory/,
    ],
    [["--candidate", "results", "--candidate-run", "latest"], /exclude each other/],
    [
      ["--candidate", "results", "--baseline", "/nonexistent"],
      /^error: --baseline '\/nonexistent' is not a directory/,
    ],
    [
      ["--candidate", "results", "--benchmark", "table9"],
      /^error: unknown value 'table9' for --benchmark \(valid: nb201-lookup, .*perf\)/,
    ],
    [["--candidate", "results", "--frobnicate"], /^error: unknown flag --frobnicate/],
    [["a", "b"], /^error: expected at most one candidate folder, got 2/],
  ];
  for (const [args, want] of cases) {
    const r = await capture(() => main(args));
    assert.equal(r.code, EXIT_CODES.usage, `${args.join(" ")}: ${r.err}`);
    assert.match(r.err, want);
    assert.equal(r.err.split("\n").length, 1, r.err);
  }
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/table2/quick`, { recursive: true });
    await Deno.writeTextFile(`${dir}/table2/quick/runs.csv`, 'method,dataset\n"D,cifar10\n');
    const bad = await capture(() => main(["--baseline", _fixture, "--candidate", dir]));
    assert.equal(bad.code, EXIT_CODES.error, bad.out + bad.err);
    assert.match(bad.err, /^error: malformed results file .*table2\/quick\/runs\.csv/);
    await Deno.remove(`${dir}/table2`, { recursive: true });
    const none = await capture(() => main(["--baseline", _fixture, "--candidate", dir]));
    assert.equal(none.code, EXIT_CODES.notChecked, none.out);
    assert.match(none.out, /regress: NOT CHECKED: 0 benchmark\/profile pairs/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
