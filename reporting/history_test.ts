import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import {
  appendRun,
  History,
  HISTORY_FILE,
  historyCacheDir,
  historyPath,
  latestRun,
  nightsOf,
  recordRow,
  recordsOf,
} from "./history.ts";

const _repo = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

function row(
  method: string,
  seed: number,
  runId: string,
  extra: Record<string, string | number> = {},
) {
  return {
    benchmark: "table2",
    paper_table: "Table 2",
    method,
    dataset: "cifar10",
    profile: "quick",
    seed,
    backend: "wasm",
    git_rev: "abc123",
    started_at: "2026-12-01T02:17:00.000Z",
    run_id: runId,
    metric: method === "A" || method === "C" ? "accuracy" : "angle",
    tau: 0.25,
    ...extra,
  };
}

Deno.test("historyPath: --history, then RLNAS_HISTORY, then <cache dir>/history.sqlite, never inside the SuperNet cache", () => {
  const env = (vars: Record<string, string>) => (n: string) => vars[n];
  assert.equal(historyPath("/x/h.sqlite", env({ RLNAS_HISTORY: "/y/h.sqlite" })), "/x/h.sqlite");
  assert.equal(historyPath(undefined, env({ RLNAS_HISTORY: "/y/h.sqlite" })), "/y/h.sqlite");
  assert.equal(historyPath(undefined, env({})), `${_repo}/.cache/${HISTORY_FILE}`);
  // RLNAS_CACHE_DIR is the SuperNet cache itself: the history goes next to it
  assert.equal(
    historyPath(undefined, env({ RLNAS_CACHE_DIR: "/data/rlnas/supernets/" })),
    "/data/rlnas/history.sqlite",
  );
  assert.equal(historyCacheDir(env({ RLNAS_CACHE_DIR: "/cache" })), "/");
  assert.equal(historyCacheDir(env({ RLNAS_CACHE_DIR: "" })), `${_repo}/.cache`);
  assert.equal(historyPath("", env({ RLNAS_HISTORY: "" })), `${_repo}/.cache/${HISTORY_FILE}`);
});

Deno.test("appendRun / recordsOf / nightsOf / latestRun: one record per row, values and provenance kept", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/sub/history.sqlite`; // the folder is created
  try {
    const r1 = appendRun(path, {
      runId: "r1",
      benchmark: "table2",
      profile: "quick",
      rows: ["A", "B", "C", "D"].map((m) => row(m, 0, "r1")),
      verdict: "PASS",
      source: "test",
    });
    assert.deepEqual(r1, { added: 4, skipped: 0 });
    const later = ["A", "B", "C", "D"].map((m) =>
      row(m, 0, "r2", { started_at: "2026-12-02T02:17:00.000Z", tau: 0.1 })
    );
    assert.deepEqual(
      appendRun(path, {
        runId: "r2",
        benchmark: "table2",
        profile: "quick",
        rows: later,
        verdict: "FAIL",
      }),
      { added: 4, skipped: 0 },
    );
    // the same run again (e.g. a folder imported twice): nothing added
    assert.deepEqual(
      appendRun(path, {
        runId: "r2",
        benchmark: "table2",
        profile: "quick",
        rows: later,
        verdict: "FAIL",
      }),
      { added: 0, skipped: 4 },
    );
    const recs = recordsOf(path, "r1");
    assert.equal(recs.length, 4);
    const d = recs.find((r) => r.method === "D")!;
    assert.equal(d.seed, "0");
    assert.equal(d.metric, "angle");
    assert.equal(d.verdict, "PASS");
    assert.equal(d.source, "test");
    assert.deepEqual(d.values, { metric: "angle", tau: "0.25" });
    assert.equal(d.provenance.git_rev, "abc123");
    assert.equal(d.provenance.run_id, "r1");
    assert.equal(recordRow(d).tau, "0.25");
    assert.equal(recordRow(d).benchmark, "table2");

    const nights = nightsOf(path, { benchmark: "table2", profile: "quick" });
    assert.deepEqual(nights.map((n) => [n.run_id, n.verdict, n.records]), [
      ["r1", "PASS", 4],
      ["r2", "FAIL", 4],
    ]);
    assert.equal(latestRun(path, "table2", "quick")?.run_id, "r2");
    assert.equal(latestRun(path, "table1", "quick"), null);
    assert.deepEqual(nightsOf(path, { profile: "smoke" }), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("history: key columns and the metric make records distinct; rows need method and dataset", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/history.sqlite`;
  try {
    const h = History.open(path);
    try {
      const rows = [10, 100, 200].map((classes) => ({ ...row("rlnas", 0, "f1"), classes }));
      assert.deepEqual(
        h.appendRun({
          runId: "f1",
          benchmark: "figure1",
          profile: "smoke",
          rows,
          keyColumns: ["classes"],
        }),
        { added: 3, skipped: 0 },
      );
      assert.deepEqual(h.recordsOf("f1").map((r) => r.key), [
        { classes: "10" },
        { classes: "100" },
        { classes: "200" },
      ]);
      assert.equal(h.recordsOf("f1")[0].verdict, null);
      const metrics = ["angle", "params"].map((metric) => ({ ...row(metric, 0, "c1"), metric }));
      assert.equal(
        h.appendRun({ runId: "c1", benchmark: "compare", profile: "smoke", rows: metrics }).added,
        2,
      );
      assert.throws(
        () =>
          h.appendRun({
            runId: "bad",
            benchmark: "x",
            profile: "smoke",
            rows: [{ dataset: "cifar10" }],
          }),
        /row 0 has no method or dataset/,
      );
      assert.equal(h.recordsOf("bad").length, 0);
      assert.equal(h.latestRuns().length, 2);
    } finally {
      h.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("history is append-only: updates and deletes are refused; a missing file is not created by readers", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/history.sqlite`;
  try {
    appendRun(path, {
      runId: "r1",
      benchmark: "table2",
      profile: "quick",
      rows: [row("D", 0, "r1")],
    });
    const db = new DatabaseSync(path);
    try {
      assert.throws(() => db.exec("UPDATE records SET verdict = 'PASS'"), /append-only/);
      assert.throws(() => db.exec("DELETE FROM records"), /append-only/);
      const mode = db.prepare("PRAGMA journal_mode").get() as { journal_mode: string };
      assert.equal(mode.journal_mode, "wal");
    } finally {
      db.close();
    }
    assert.equal(recordsOf(path, "r1").length, 1);
    assert.throws(() => nightsOf(`${dir}/none.sqlite`), /no run history at .*none\.sqlite/);
    assert.throws(() => Deno.statSync(`${dir}/none.sqlite`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const WRITER = new URL("./_history_writer.ts", import.meta.url).pathname;

Deno.test("two writer processes appending at once lose nothing (3 trials)", async () => {
  const count = 2;
  const n = 25;
  for (let trial = 0; trial < 3; trial++) {
    const dir = await Deno.makeTempDir();
    const path = `${dir}/history.sqlite`;
    try {
      const children = Array.from({ length: count }, (_, w) =>
        new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "--allow-read",
            "--allow-write",
            "--allow-env",
            WRITER,
            path,
            String(w),
            String(n),
            `${dir}/ready-${w}`,
            `${dir}/go`,
          ],
          stdout: "piped",
          stderr: "piped",
        }).spawn());
      for (let t = 0;; t++) {
        const ready = Array.from({ length: count }, (_, w) => `${dir}/ready-${w}`).filter((p) => {
          try {
            return Deno.statSync(p).isFile;
          } catch {
            return false;
          }
        });
        if (ready.length === count) break;
        if (t > 6000) throw new Error(`writers not ready after 60 s (${ready.length} of ${count})`);
        await new Promise((r) => setTimeout(r, 10));
      }
      await Deno.writeTextFile(`${dir}/go`, "");
      for (const [w, c] of children.entries()) {
        const out = await c.output();
        assert.equal(out.code, 0, `writer ${w}: ${new TextDecoder().decode(out.stderr)}`);
      }
      const nights = nightsOf(path, { benchmark: "table2", profile: "quick" });
      const want: string[] = [];
      for (let w = 0; w < count; w++) for (let k = 0; k < n; k++) want.push(`w${w}-${k}`);
      assert.deepEqual(nights.map((x) => x.run_id).sort(), want.sort(), `trial ${trial}`);
      for (const x of nights) assert.equal(x.records, 4, `trial ${trial}: ${x.run_id}`);
      const r = recordsOf(path, "w1-7");
      assert.deepEqual(r.map((x) => [x.method, x.seed, x.values.tau]), [
        ["A", "1", "1.07"],
        ["B", "1", "1.07"],
        ["C", "1", "1.07"],
        ["D", "1", "1.07"],
      ]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});
