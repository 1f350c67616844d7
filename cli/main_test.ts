import assert from "node:assert/strict";
import { DEFAULT_OUT_DIR, listing, main, MAX_DEFAULT_JOBS, resolveJobs } from "./main.ts";
import { fromCsv } from "../reporting/csv.ts";
import { PROVENANCE_COLUMNS } from "../reporting/provenance.ts";
import { nightsOf, recordsOf } from "../reporting/history.ts";

const _repo = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

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
  for (const bad of ["0", "-1", "1.5", "x"]) {
    assert.throws(() => resolveJobs(bad, "wasm", 2), /--jobs must be an integer >= 1, got/);
  }
  const r = await run(["nb201-lookup", "--jobs", "zero"]);
  assert.equal(r.code, 2);
  assert.equal(r.err, "error: --jobs must be an integer >= 1, got 'zero'");
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

Deno.test("bench nb201-lookup writes the three known optima with provenance; ends with a PASS verdict", async () => {
  const out = await Deno.makeTempDir();
  const r = await run(["nb201-lookup", "--out", out]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^verdict \(against NB201's published optima\):$/m);
  assert.match(
    r.out,
    /^ {2}PASS {2}cifar10: best test acc is NB201's optimum: 94\.373333 vs 94\.37 /m,
  );
  assert.match(r.out, /^overall: PASS \(6 pass, 0 fail, 0 not checked\)$/m);
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
  const text = await Deno.readTextFile(`${out}/nb201-lookup/smoke/optima.json`);
  const sidecar = JSON.parse(text);
  assert.deepEqual(Object.keys(sidecar.runs), [second.records[0].run_id]);
  // the verdict is stored; no absolute machine paths are recorded
  assert.equal(sidecar.verdict.overall, "PASS");
  assert.equal(sidecar.verdict.run_id, second.records[0].run_id);
  assert.ok(!text.includes(out) && !text.includes(_repo), "absolute paths in the sidecar");
  assert.equal(sidecar.runs[second.records[0].run_id].data_dir.path, "../shared/data");
  await Deno.remove(out, { recursive: true });
});

Deno.test("bench: the default output folder is runs/, which git ignores", async () => {
  assert.equal(DEFAULT_OUT_DIR, `${_repo}/runs`);
  const ignored = await new Deno.Command("git", {
    args: ["check-ignore", "-q", "runs/table1/smoke/runs.csv"],
    cwd: _repo,
  }).output();
  assert.equal(ignored.code, 0, "runs/ is not git-ignored");
});

/** A quick table1 runs file of two seeds, A-D, with the given test accuracies of C and D. */
async function _quickRuns(dir: string, c: number, d: number): Promise<void> {
  const prov = Object.fromEntries(PROVENANCE_COLUMNS.map((col) => [col, ""]));
  const rows = [0, 1].flatMap((seed) =>
    ["A", "B", "C", "D"].map((method, i) => ({
      ...prov,
      benchmark: "table1",
      method,
      dataset: "cifar10",
      seed: String(seed),
      backend: "webgpu",
      device: "GPU",
      git_rev: "abc",
      run_id: "gpu-run",
      valid_acc: String(80 + i + seed),
      test_acc: String(method === "C" ? c + seed : method === "D" ? d + seed : 85 + i + seed),
    }))
  );
  const { toCsv } = await import("../reporting/csv.ts");
  await Deno.mkdir(`${dir}/table1/quick`, { recursive: true });
  await Deno.writeTextFile(`${dir}/table1/quick/runs.csv`, toCsv(Object.keys(rows[0]), rows));
}

Deno.test("bench --merge imports another results directory's runs, summarises them, ends with the verdict", async () => {
  const src = await Deno.makeTempDir();
  const out = await Deno.makeTempDir();
  await _quickRuns(src, 87, 88);
  const r = await run(["table1", "--profile", "quick", "--merge", src, "--out", out]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /merged 8 rows from .*table1\/quick\/runs\.csv/);
  assert.match(r.out, /summary of 2 seeds \(0 1\) on cifar10 from run gpu-run/);
  assert.match(r.out, /^ {2}PASS {2}cifar10: D \(RLNAS\) test_acc > C: 88\.5 vs 87\.5$/m);
  assert.match(r.out, /^overall: PASS/m);
  const merged = fromCsv(await Deno.readTextFile(`${out}/table1/quick/runs.csv`));
  assert.equal(merged.records.length, 8);
  assert.ok(merged.records.every((x) => x.backend === "webgpu" && x.run_id === "gpu-run"));
  const summary = fromCsv(await Deno.readTextFile(`${out}/table1/quick/summary.csv`));
  const d = summary.records.find((x) => x.method === "D")!;
  assert.deepEqual([d.n_seeds, d.seeds, d.test_acc_mean, d.paper_test_acc, d.source_runs], [
    "2",
    "0 1",
    "88.5",
    "93.45",
    "gpu-run",
  ]);
  const side = JSON.parse(await Deno.readTextFile(`${out}/table1/quick/summary.json`));
  assert.equal(side.verdict.overall, "PASS");

  // a benchmark without a summary cannot merge (usage error); a missing source is one line, exit 1
  const lookup = await run(["nb201-lookup", "--merge", src, "--out", out]);
  assert.equal(lookup.code, 2);
  assert.match(lookup.err, /nb201-lookup has no runs to merge/);
  const none = await run(["table2", "--profile", "quick", "--merge", src, "--out", out]);
  assert.equal(none.code, 1);
  assert.match(none.err, /no result rows in .*table2\/quick\/runs\.csv/);
  for (const dir of [src, out]) await Deno.remove(dir, { recursive: true });
});

Deno.test("bench: a doctored quick runs.csv where D loses to C gets FAIL and exit code 3", async () => {
  const src = await Deno.makeTempDir();
  const out = await Deno.makeTempDir();
  await _quickRuns(src, 91, 89.5);
  const r = await run(["table1", "--profile", "quick", "--merge", src, "--out", out]);
  assert.equal(r.code, 3, r.err);
  assert.match(r.out, /^ {2}FAIL {2}cifar10: D \(RLNAS\) test_acc > C: 90 vs 91\.5$/m);
  assert.match(r.out, /^overall: FAIL \(0 pass, 1 fail, 0 not checked\)$/m);
  const side = JSON.parse(await Deno.readTextFile(`${out}/table1/quick/summary.json`));
  assert.equal(side.verdict.overall, "FAIL");
  for (const dir of [src, out]) await Deno.remove(dir, { recursive: true });
});

Deno.test("bench: empty and negative values, --out as a file: exit 2 before any work", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/results`;
  await Deno.writeTextFile(file, "x");
  const cases: [string[], string][] = [
    [["nb201-lookup", "--out", ""], "error: --out must be a non-empty value, got ''"],
    [["nb201-lookup", "--data-dir", ""], "error: --data-dir must be a non-empty value, got ''"],
    [["nb201-lookup", "--seed", ""], "error: --seed must be a non-empty value, got ''"],
    [
      ["table1", "--seed", "-1"],
      "error: --seed must be an integer in [0, 4294967295], got '-1' (negative values are invalid)",
    ],
    [["table1", "--keep-every", "0"], "error: --keep-every must be an integer >= 1, got '0'"],
    [
      ["table1", "--out", file],
      `error: --out must be a new or existing directory, got '${file}' (an existing file)`,
    ],
  ];
  for (const [args, msg] of cases) {
    const r = await run(args);
    assert.deepEqual([r.code, r.err], [2, msg], args.join(" "));
  }
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["results"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("bench: a malformed existing runs.csv is reported before any work (exit 1)", async () => {
  const out = await Deno.makeTempDir();
  await Deno.mkdir(`${out}/table1/smoke`, { recursive: true });
  await Deno.writeTextFile(`${out}/table1/smoke/runs.csv`, 'a,b\n1,"2\n');
  const t0 = performance.now();
  const r = await run(["table1", "--out", out]);
  assert.equal(r.code, 1);
  assert.match(
    r.err,
    new RegExp(`^error: malformed results file ${out}/table1/smoke/runs\\.csv: `),
  );
  assert.ok(performance.now() - t0 < 20_000, "the check happens before training");
  await Deno.remove(out, { recursive: true });
});

Deno.test("bench table1 --profile paper --dry-run prints the plan with time and disk", async () => {
  const r = await run(["table1", "--profile", "paper", "--dry-run", "--jobs", "2"]);
  assert.equal(r.code, 0, r.err);
  // 3 datasets x 3 seeds x 2 SuperNets; 250 epochs of 25,000 / 50,000 / 151,700 images at batch 64:
  // 6 x (97,750 + 195,500 + 592,750) = 5,316,000 steps
  assert.match(r.out, /^SuperNets: 18 \(18 to train, 0 cached\)$/m);
  assert.match(r.out, /cifar10, ground-truth, seed 0, 25000 images, 250 epochs: 97750 steps/);
  assert.match(r.out, /cifar100, .*50000 images, 250 epochs: 195500 steps/);
  assert.match(r.out, /ImageNet16-120, .*151700 images, 250 epochs: 592750 steps/);
  assert.match(
    r.out,
    /^total: 5316000 training steps, estimated [\d.]+ days \(2 at a time\); disk [\d.]+ MB/m,
  );
  assert.match(r.out, /the run would stop: profile paper needs a GPU backend/);
  assert.match(r.out, /^estimates from results\/perf\/cpu\/perf\.csv \(wasm on /m);
});

Deno.test("bench: a software WebGPU adapter is refused at quick unless --allow-software-gpu", async () => {
  const { isSoftwareAdapter, requestWebgpuAdapter } = await import("../backends/webgpu_adapter.ts");
  let software = false;
  try {
    software = isSoftwareAdapter((await requestWebgpuAdapter()).info);
  } catch {
    // no adapter at all
  }
  if (!software) {
    console.log("no software WebGPU adapter on this machine: nothing to refuse");
    return;
  }
  const out = await Deno.makeTempDir();
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli/main.ts", "table1", "--profile", "quick", "--backend", "webgpu"]
      .concat(["--out", out]),
    cwd: _repo,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(r.stderr).trim();
  assert.equal(r.code, 2, err);
  assert.match(
    err,
    /^error: --backend webgpu found only a software adapter \(.*\): the quick profile would run on the CPU .* or --allow-software-gpu to run anyway$/,
  );
  assert.deepEqual([...Deno.readDirSync(out)], []);
  await Deno.remove(out, { recursive: true });
});

Deno.test("bench --history appends the run's rows and verdict to the history database", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/history.sqlite`;
    const code = await main(["nb201-lookup", "--out", `${dir}/out`, "--history", file, "--quiet"]);
    assert.equal(code, 0);
    const runs = nightsOf(file);
    assert.equal(runs.length, 1);
    assert.equal(runs[0].benchmark, "nb201-lookup");
    assert.equal(runs[0].verdict, "PASS");
    assert.equal(recordsOf(file, runs[0].run_id).length, 4);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
