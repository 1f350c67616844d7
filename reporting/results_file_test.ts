import assert from "node:assert/strict";
import { mergeResults, readResults, resultPaths, writeResults } from "./results_file.ts";
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
  for (const d of [here, there, empty]) await Deno.remove(d, { recursive: true });
});
