import assert from "node:assert/strict";
import {
  annotateSidecar,
  mergeResults,
  readResults,
  resultPaths,
  RESULTS_LOCK_FILE,
  writeResults,
} from "./results_file.ts";
import { PROVENANCE_COLUMNS } from "./provenance.ts";

const loc = (outDir: string) => ({ outDir, benchmark: "b", profile: "smoke", name: "cifar10" });

Deno.test("writeResults upserts by (method, dataset, seed): a rerun appends nothing twice", async () => {
  const dir = await Deno.makeTempDir();
  const row = (method: string, seed: number, v: number) => ({
    method,
    dataset: "cifar10",
    seed,
    v,
  });
  await writeResults({
    ...loc(dir),
    columns: ["v"],
    rows: [row("A", 0, 1), row("A", 1, 2)],
    runId: "r1",
    config: { x: 1 },
  });
  await writeResults({
    ...loc(dir),
    columns: ["v"],
    rows: [row("A", 1, 3), row("B", 0, 4)],
    runId: "r2",
    config: { x: 2 },
  });
  const { csv, sidecar } = resultPaths(loc(dir));
  const { columns, records } = await readResults(csv);
  assert.deepEqual(columns, [...PROVENANCE_COLUMNS, "v"]);
  assert.deepEqual(
    records.map((r) => [r.method, r.seed, r.v, r.run_id]),
    [["A", "0", "1", "r1"], ["A", "1", "3", "r2"], ["B", "0", "4", "r2"]],
  );
  const side = JSON.parse(await Deno.readTextFile(sidecar));
  assert.deepEqual(side.runs, { r1: { x: 1 }, r2: { x: 2 } });

  // A third run replacing every row drops the configs no row refers to.
  await writeResults({
    ...loc(dir),
    columns: ["v"],
    rows: [row("A", 0, 5), row("A", 1, 6), row("B", 0, 7)],
    runId: "r3",
    config: { x: 3 },
  });
  const side3 = JSON.parse(await Deno.readTextFile(sidecar));
  assert.deepEqual(Object.keys(side3.runs), ["r3"]);
  assert.equal((await readResults(csv)).records.length, 3);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("keyColumns distinguish rows that share method, dataset and seed", async () => {
  const dir = await Deno.makeTempDir();
  const rows = [10, 20].map((k) => ({ method: "D", dataset: "cifar10", seed: 0, classes: k }));
  await writeResults({
    ...loc(dir),
    columns: ["classes"],
    keyColumns: ["classes"],
    rows,
    runId: "r",
    config: {},
  });
  const { records } = await readResults(resultPaths(loc(dir)).csv);
  assert.deepEqual(records.map((r) => r.classes), ["10", "20"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("readResults: absent file is empty, malformed file names its path", async () => {
  const dir = await Deno.makeTempDir();
  assert.deepEqual(await readResults(`${dir}/none.csv`), { columns: [], records: [] });
  await Deno.writeTextFile(`${dir}/bad.csv`, 'a,b\n1,"unterminated\n');
  await assert.rejects(() => readResults(`${dir}/bad.csv`), new RegExp(`${dir}/bad.csv`));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("mergeResults: upserts another machine's rows with their own provenance and configs", async () => {
  const here = await Deno.makeTempDir();
  const there = await Deno.makeTempDir();
  const row = (seed: number, v: number, backend: string) => ({
    method: "D",
    dataset: "cifar10",
    seed,
    backend,
    v,
  });
  await writeResults({
    ...loc(here),
    columns: ["v"],
    rows: [row(0, 1, "wasm"), row(1, 2, "wasm")],
    runId: "cpu",
    config: { where: "cpu" },
  });
  await writeResults({
    ...loc(there),
    columns: ["v", "extra"],
    rows: [{ ...row(1, 3, "webgpu"), extra: "x" }, row(2, 4, "webgpu")],
    runId: "gpu",
    config: { where: "gpu" },
  });
  const m = await mergeResults(loc(there), loc(here));
  assert.equal(m.merged, 2);
  assert.equal(m.csv, resultPaths(loc(here)).csv);
  const { columns, records } = await readResults(m.csv);
  assert.deepEqual(columns, [...PROVENANCE_COLUMNS, "v", "extra"]);
  assert.deepEqual(
    records.map((r) => [r.seed, r.v, r.backend, r.run_id, r.extra]),
    [["0", "1", "wasm", "cpu", ""], ["1", "3", "webgpu", "gpu", "x"], [
      "2",
      "4",
      "webgpu",
      "gpu",
      "",
    ]],
  );
  const side = JSON.parse(await Deno.readTextFile(resultPaths(loc(here)).sidecar));
  assert.deepEqual(side.runs, { cpu: { where: "cpu" }, gpu: { where: "gpu" } });
  // merging again changes nothing
  await mergeResults(loc(there), loc(here));
  assert.equal((await readResults(m.csv)).records.length, 3);
  // a source without rows is an error naming it; the destination is untouched
  const empty = await Deno.makeTempDir();
  await assert.rejects(
    () => mergeResults(loc(empty), loc(here)),
    /no result rows in .*cifar10\.csv/,
  );
  assert.equal((await readResults(m.csv)).records.length, 3);
  const nowhere = `${empty}/not-created`;
  await assert.rejects(() => mergeResults(loc(empty), loc(nowhere)), /no result rows/);
  await assert.rejects(() => Deno.stat(nowhere), Deno.errors.NotFound);
  for (const d of [here, there, empty]) await Deno.remove(d, { recursive: true });
});

Deno.test("replace: the file's rows, extra columns and old runs' configs give way to the new rows", async () => {
  const dir = await Deno.makeTempDir();
  const row = (seed: number, v: number) => ({ method: "A", dataset: "cifar10", seed, v });
  await writeResults({
    ...loc(dir),
    columns: ["v", "old"],
    rows: [{ ...row(0, 1), old: "x" }, row(1, 2)],
    runId: "r1",
    config: { x: 1 },
  });
  await writeResults({
    ...loc(dir),
    columns: ["v"],
    rows: [row(2, 3)],
    runId: "r2",
    config: { x: 2 },
    replace: true,
  });
  const { columns, records } = await readResults(resultPaths(loc(dir)).csv);
  assert.deepEqual(columns, [...PROVENANCE_COLUMNS, "v"]);
  assert.deepEqual(records.map((r) => [r.seed, r.v, r.run_id]), [["2", "3", "r2"]]);
  const side = JSON.parse(await Deno.readTextFile(resultPaths(loc(dir)).sidecar));
  assert.deepEqual(side.runs, { r2: { x: 2 } });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("sidecarExtra: merged into the sidecar's top level; reserved keys rejected", async () => {
  const dir = await Deno.makeTempDir();
  const w = {
    ...loc(dir),
    columns: ["v"],
    rows: [{ method: "A", dataset: "cifar10", seed: 0, v: 1 }],
    runId: "r1",
    config: { x: 1 },
  };
  await writeResults({ ...w, sidecarExtra: { verdict: { overall: "PASS" }, note: "n" } });
  const { sidecar } = resultPaths(loc(dir));
  assert.deepEqual(JSON.parse(await Deno.readTextFile(sidecar)), {
    csv: "cifar10.csv",
    runs: { r1: { x: 1 } },
    verdict: { overall: "PASS" },
    note: "n",
  });
  // a later write replaces the extras of earlier ones
  await writeResults({ ...w, runId: "r2", sidecarExtra: { note: "m" } });
  assert.deepEqual(JSON.parse(await Deno.readTextFile(sidecar)), {
    csv: "cifar10.csv",
    runs: { r2: { x: 1 } },
    note: "m",
  });
  for (const key of ["csv", "runs"]) {
    await assert.rejects(
      () => writeResults({ ...w, sidecarExtra: { [key]: 1 } }),
      new RegExp(`RangeError: writeResults: sidecar key "${key}" is reserved`),
    );
  }
  assert.equal((await readResults(resultPaths(loc(dir)).csv)).records[0].run_id, "r2");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("annotateSidecar sets / removes one top-level key and keeps the rest", async () => {
  const dir = await Deno.makeTempDir();
  await assert.rejects(
    () => annotateSidecar(loc(dir), "verdict", "PASS"),
    /cannot annotate result sidecar .*\/b\/smoke\/cifar10\.json: missing/,
  );
  await writeResults({
    ...loc(dir),
    columns: ["v"],
    rows: [{ method: "A", dataset: "cifar10", seed: 0, v: 1 }],
    runId: "r1",
    config: { x: 1 },
    sidecarExtra: { note: "n" },
  });
  await annotateSidecar(loc(dir), "verdict", { overall: "FAIL", checks: [] });
  const { sidecar } = resultPaths(loc(dir));
  assert.deepEqual(JSON.parse(await Deno.readTextFile(sidecar)), {
    csv: "cifar10.csv",
    runs: { r1: { x: 1 } },
    note: "n",
    verdict: { overall: "FAIL", checks: [] },
  });
  await annotateSidecar(loc(dir), "verdict", "PASS");
  await annotateSidecar(loc(dir), "note", undefined);
  assert.deepEqual(JSON.parse(await Deno.readTextFile(sidecar)), {
    csv: "cifar10.csv",
    runs: { r1: { x: 1 } },
    verdict: "PASS",
  });
  await assert.rejects(() => annotateSidecar(loc(dir), "runs", {}), RangeError);
  await Deno.writeTextFile(sidecar, "[1]");
  await assert.rejects(() => annotateSidecar(loc(dir), "v", 1), /not a JSON object/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("writes remove temp files of dead writers, keep live ones, and leave only .lock", async () => {
  const dir = await Deno.makeTempDir();
  const folder = `${dir}/b/smoke`;
  await Deno.mkdir(folder, { recursive: true });
  // pid 2^22 + 1 is above Linux's pid_max limit: never a running process
  const dead = `cifar10.csv.${2 ** 22 + 1}.0badc0de.tmp`;
  const live = `cifar10.csv.${Deno.pid}.0badc0de.tmp`;
  await Deno.writeTextFile(`${folder}/${dead}`, "partial");
  await Deno.writeTextFile(`${folder}/${live}`, "partial");
  await writeResults({
    ...loc(dir),
    columns: ["v"],
    rows: [{ method: "A", dataset: "cifar10", seed: 0, v: 1 }],
    runId: "r1",
    config: {},
  });
  const names = [...Deno.readDirSync(folder)].map((e) => e.name).sort();
  const expected = [RESULTS_LOCK_FILE, "cifar10.csv", "cifar10.json"];
  if (Deno.build.os === "linux") assert.deepEqual(names, [...expected, live].sort());
  await Deno.remove(dir, { recursive: true });
});

Deno.test("concurrent writes in one process lose no row", async () => {
  const dir = await Deno.makeTempDir();
  await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      writeResults({
        ...loc(dir),
        columns: ["v"],
        rows: [{ method: "A", dataset: "cifar10", seed: i, v: i }],
        runId: `r${i}`,
        config: { i },
      })),
  );
  const { records } = await readResults(resultPaths(loc(dir)).csv);
  assert.deepEqual(records.map((r) => Number(r.seed)).sort((a, b) => a - b), [
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
  ]);
  const side = JSON.parse(await Deno.readTextFile(resultPaths(loc(dir)).sidecar));
  assert.equal(Object.keys(side.runs).length, 8);
  await Deno.remove(dir, { recursive: true });
});

const WRITER = new URL("./_concurrent_writer.ts", import.meta.url).pathname;

/** Start `count` writer processes together (barrier files) and wait for all of them. */
async function runWriters(mode: "write" | "annotate", dir: string, count: number, n: number) {
  const children = Array.from({ length: count }, (_, w) =>
    new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        WRITER,
        mode,
        dir,
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
}

Deno.test("6 writer processes upserting the same file at once lose no row (3 trials)", async () => {
  const count = 6;
  const n = 6;
  for (let trial = 0; trial < 3; trial++) {
    const dir = await Deno.makeTempDir();
    try {
      await runWriters("write", dir, count, n);
      const dst = { outDir: dir, benchmark: "b", profile: "smoke", name: "res" };
      const { records } = await readResults(resultPaths(dst).csv);
      const want: string[] = [];
      for (let w = 0; w < count; w++) for (let k = 0; k < n; k++) want.push(`w${w}-${k}`);
      assert.deepEqual(records.map((r) => r.run_id).sort(), want.sort(), `trial ${trial}`);
      for (const r of records) assert.equal(Number(r.seed), Number(r.writer) * 1000 + Number(r.k));
      const side = JSON.parse(await Deno.readTextFile(resultPaths(dst).sidecar));
      assert.deepEqual(Object.keys(side.runs).sort(), want, `trial ${trial}: sidecar runs`);
      const names = [...Deno.readDirSync(`${dir}/b/smoke`)].map((e) => e.name).sort();
      assert.deepEqual(names, [RESULTS_LOCK_FILE, "res.csv", "res.json"], "no temp file left");

      if (trial === 0) {
        // concurrent annotations of the same sidecar: every key lands, the runs stay
        await runWriters("annotate", `${dir}`, count, 4);
        const after = JSON.parse(await Deno.readTextFile(resultPaths(dst).sidecar));
        assert.deepEqual(after.runs, side.runs);
        for (let w = 0; w < count; w++) {
          for (let k = 0; k < 4; k++) assert.deepEqual(after[`w${w}_${k}`], { writer: w, k });
        }
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("provenance in the sidecar: the CSV holds only the columns; rows must agree; needs replace", async () => {
  const dir = await Deno.makeTempDir();
  const row = (arch: string, v: number) => ({ method: "", dataset: "cifar10", seed: 0, arch, v });
  const w = {
    ...loc(dir),
    columns: ["arch", "v"],
    rows: [row("a", 1), row("b", 2)],
    runId: "r1",
    config: { x: 1 },
    replace: true,
    provenance: "sidecar" as const,
  };
  await writeResults(w);
  const { columns, records } = await readResults(resultPaths(loc(dir)).csv);
  assert.deepEqual(columns, ["arch", "v"]);
  assert.deepEqual(records, [{ arch: "a", v: "1" }, { arch: "b", v: "2" }]);
  const side = JSON.parse(await Deno.readTextFile(resultPaths(loc(dir)).sidecar));
  assert.deepEqual(side.runs, { r1: { x: 1 } });
  assert.deepEqual(Object.keys(side.provenance), [...PROVENANCE_COLUMNS]);
  assert.equal(side.provenance.dataset, "cifar10");
  assert.equal(side.provenance.run_id, "r1");
  await assert.rejects(
    () => writeResults({ ...w, rows: [row("a", 1), { ...row("b", 2), seed: 1 }] }),
    /rows differ in seed/,
  );
  await assert.rejects(() => writeResults({ ...w, replace: false }), /needs replace/);
  await Deno.remove(dir, { recursive: true });
});
