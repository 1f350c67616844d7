import assert from "node:assert/strict";
import { listing, main, MAX_DEFAULT_JOBS, resolveJobs } from "./main.ts";
import { fromCsv } from "../reporting/csv.ts";
import { PROVENANCE_COLUMNS } from "../reporting/provenance.ts";

/** Run main() capturing stdout and stderr lines. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  try {
    const code = await main(args);
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

Deno.test("bench: unknown benchmark, backend, profile and flag exit 2 with the valid choices", async () => {
  const r1 = await run(["nope"]);
  assert.equal(r1.code, 2);
  assert.match(r1.err, /^error: unknown benchmark 'nope' \(valid: nb201-lookup.*\)$/);
  const r2 = await run(["nb201-lookup", "--backend", "nope"]);
  assert.equal(r2.code, 2);
  assert.equal(
    r2.err,
    "error: unknown value 'nope' for --backend (valid: wasm, cpu, webgpu, tensorflow)",
  );
  const r3 = await run(["nb201-lookup", "--profile", "nope"]);
  assert.equal(r3.code, 2);
  assert.equal(r3.err, "error: unknown value 'nope' for --profile (valid: smoke, quick, paper)");
  const r4 = await run(["nb201-lookup", "--frobnicate"]);
  assert.equal(r4.code, 2);
  assert.match(r4.err, /^error: unknown flag --frobnicate \(valid flags: --profile, /);
  const r5 = await run([]);
  assert.equal(r5.code, 2);
  assert.match(r5.err, /^error: missing benchmark name \(valid: /);
  for (const r of [r1, r2, r3, r4, r5]) assert.equal(r.err.split("\n").length, 1);
});

Deno.test("bench: a data directory that does not exist is one clear line and exit 1", async () => {
  const r = await run(["nb201-lookup", "--data-dir", "/nonexistent"]);
  assert.equal(r.code, 1);
  assert.equal(r.err.split("\n").length, 1);
  assert.match(r.err, /^error: --data-dir is not a directory: \/nonexistent\. /);
});

Deno.test("bench: a corrupt ground-truth file is one clear line naming it, nothing written", async () => {
  const data = await Deno.makeTempDir();
  const out = await Deno.makeTempDir();
  await Deno.mkdir(`${data}/nb201`);
  await Deno.writeTextFile(`${data}/nb201/nb201.csv`, "index,arch\n0,garbage\n");
  const r = await run(["nb201-lookup", "--data-dir", data, "--out", out]);
  assert.equal(r.code, 1);
  const errors = r.err.split("\n").filter((l) => l.startsWith("error:"));
  assert.equal(errors.length, 1);
  assert.match(errors[0], new RegExp(`^error: wrong header .*: ${data}/nb201/nb201\\.csv\\. `));
  assert.deepEqual([...Deno.readDirSync(out)], []);
  await Deno.remove(data, { recursive: true });
  await Deno.remove(out, { recursive: true });
});

Deno.test("bench --jobs: one per core on CPU backends, 1 on GPU backends; bad values exit 2", async () => {
  assert.equal(resolveJobs(undefined, "wasm", 2), 2);
  assert.equal(resolveJobs(undefined, "cpu", 64), MAX_DEFAULT_JOBS);
  assert.equal(resolveJobs(undefined, "webgpu", 16), 1);
  assert.equal(resolveJobs("3", "wasm", 2), 3);
  assert.equal(resolveJobs("1", "webgpu", 2), 1);
  assert.throws(() => resolveJobs("2", "webgpu", 2), /--jobs 2 needs a CPU backend/);
  for (const bad of ["0", "-1", "1.5", "x", ""]) {
    assert.throws(() => resolveJobs(bad, "wasm", 2), /--jobs must be a positive integer/);
  }
  const r = await run(["nb201-lookup", "--jobs", "zero"]);
  assert.equal(r.code, 2);
  assert.equal(r.err, 'error: --jobs must be a positive integer, got "zero"');
});

Deno.test("bench --list and --help", async () => {
  const l = await run(["--list"]);
  assert.equal(l.code, 0);
  assert.equal(l.out, listing());
  assert.match(l.out, /^nb201-lookup\s+NB201 optima\s+best NAS-Bench-201/m);
  assert.match(l.out, /^\s+smoke\s+\[any\]/m);
  const h = await run(["--help"]);
  assert.equal(h.code, 0);
  assert.match(h.out, /^Usage: deno task bench <benchmark> \[flags\]/);
  assert.match(h.out, /--data-dir <DIR>/);
});

Deno.test("bench nb201-lookup writes the three known optima with provenance; reruns upsert", async () => {
  const out = await Deno.makeTempDir();
  const r = await run(["nb201-lookup", "--out", out]);
  assert.equal(r.code, 0, r.err);
  const path = `${out}/nb201-lookup/smoke/optima.csv`;
  const first = await Deno.readTextFile(path);
  const { columns, records } = fromCsv(first);
  for (const c of PROVENANCE_COLUMNS) assert.ok(columns.includes(c), c);
  const best = (d: string) => records.find((x) => x.dataset === d && x.method === "best-by-test")!;
  // Known optima (NAS-Bench-201 paper, Table 5; data README).
  assert.equal(best("cifar10").nb201_index, "6111");
  assert.equal(Number(best("cifar10").test_acc).toFixed(2), "94.37");
  assert.equal(best("cifar100").nb201_index, "9930");
  assert.equal(Number(best("cifar100").test_acc).toFixed(2), "73.51");
  assert.equal(best("ImageNet16-120").nb201_index, "857");
  assert.equal(Number(best("ImageNet16-120").test_acc).toFixed(2), "47.31");
  for (const rec of records) {
    assert.equal(rec.benchmark, "nb201-lookup");
    assert.equal(rec.profile, "smoke");
    assert.notEqual(rec.git_rev, "");
    assert.equal(rec.tfjs_version, "4.22.0");
    assert.ok(!Number.isNaN(Date.parse(rec.started_at)));
  }
  const again = await run(["nb201-lookup", "--out", out]);
  assert.equal(again.code, 0);
  const second = fromCsv(await Deno.readTextFile(path));
  assert.equal(second.records.length, records.length);
  const strip = (x: Record<string, string>[]) =>
    x.map(({ run_id: _r, started_at: _s, duration_s: _d, ...rest }) => rest);
  assert.deepEqual(strip(second.records), strip(records));
  const sidecar = JSON.parse(await Deno.readTextFile(`${out}/nb201-lookup/smoke/optima.json`));
  assert.deepEqual(Object.keys(sidecar.runs), [second.records[0].run_id]);
  await Deno.remove(out, { recursive: true });
});

Deno.test("bench --merge imports another results directory's runs and rebuilds the summary", async () => {
  const src = await Deno.makeTempDir();
  const out = await Deno.makeTempDir();
  const prov = Object.fromEntries(PROVENANCE_COLUMNS.map((c) => [c, ""]));
  const rows = [0, 1].flatMap((seed) =>
    ["A", "B", "C", "D"].map((method, i) => ({
      ...prov,
      benchmark: "table1",
      method,
      dataset: "cifar10",
      seed: String(seed),
      backend: "webgpu",
      run_id: "gpu-run",
      valid_acc: String(80 + i + seed),
      test_acc: String(85 + i + seed),
    }))
  );
  const cols = Object.keys(rows[0]);
  const { toCsv } = await import("../reporting/csv.ts");
  await Deno.mkdir(`${src}/table1/quick`, { recursive: true });
  await Deno.writeTextFile(`${src}/table1/quick/runs.csv`, toCsv(cols, rows));
  const r = await run(["table1", "--profile", "quick", "--merge", src, "--out", out]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /merged 8 rows from .*table1\/quick\/runs\.csv/);
  assert.match(r.out, /summary of 2 seeds \(0 1\) on cifar10 in runs\.csv/);
  assert.match(r.out, /D \(RLNAS\) test acc 88\.50 vs C 87\.50: D beats C/);
  const merged = fromCsv(await Deno.readTextFile(`${out}/table1/quick/runs.csv`));
  assert.equal(merged.records.length, 8);
  assert.ok(merged.records.every((x) => x.backend === "webgpu" && x.run_id === "gpu-run"));
  const summary = fromCsv(await Deno.readTextFile(`${out}/table1/quick/summary.csv`));
  const d = summary.records.find((x) => x.method === "D")!;
  assert.deepEqual([d.n_seeds, d.seeds, d.test_acc_mean, d.paper_test_acc], [
    "2",
    "0 1",
    "88.5",
    "93.45",
  ]);

  // a benchmark without a summary cannot merge (usage error); a missing source is one line, exit 1
  const fig = await run(["figure1", "--profile", "quick", "--merge", src, "--out", out]);
  assert.equal(fig.code, 2);
  assert.match(fig.err, /figure1 has no runs to merge/);
  const none = await run(["table2", "--profile", "quick", "--merge", src, "--out", out]);
  assert.equal(none.code, 1);
  assert.match(none.err, /no result rows in .*table2\/quick\/runs\.csv/);
  for (const d of [src, out]) await Deno.remove(d, { recursive: true });
});
