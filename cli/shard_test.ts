/**
 * `bench --shard i/n` and `bench --merge DIR --merge DIR`: the shards of a smoke benchmark, merged,
 * give the rows and the verdict of the unsharded run (each shard training its own SuperNets in a
 * fresh cache); usage errors; the blocks of a shard run as one run.
 */
import assert from "node:assert/strict";
import { combinePlans, main, runShard } from "./main.ts";
import { capture } from "./_test_capture.ts";
import { createContext } from "./context.ts";
import { fromCsv } from "../reporting/csv.ts";
import { PROVENANCE_COLUMNS } from "../reporting/provenance.ts";
import { recordsOf } from "../reporting/history.ts";
import { check } from "../reporting/verdict.ts";
import { planShard } from "../benchmarks/shard.ts";
import type { Benchmark, BenchmarkRow, ProfileInfo, RunPlan } from "../benchmarks/types.ts";
import { resolveDataDir } from "../datasets/data_dir.ts";

const _repo = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("bench --shard: bad values, unshardable benchmarks, too many shards, with --merge: one line, exit 2", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["table2", "--shard", "3/2"],
      /^error: --shard must be i\/n with integers 1 <= i <= n .*got '3\/2'$/,
    ],
    [["table2", "--shard", "0/1"], /^error: --shard must be i\/n .*got '0\/1'$/],
    [["table2", "--shard", "x"], /^error: --shard must be i\/n .*got 'x'$/],
    [["table2", "--shard", ""], /^error: --shard must be a non-empty value, got ''$/],
    [
      ["table2", "--seed", "0,1", "--shard", "1/3"],
      /^error: --shard 1\/3: table2 has 2 units \(cifar10 seed 0, cifar10 seed 1\), .*valid: n <= 2/,
    ],
    [
      ["nb201-lookup", "--shard", "2/2"],
      /^error: --shard 2\/2: benchmark nb201-lookup cannot shard/,
    ],
    [["compare", "--shard", "1/2"], /^error: --shard 1\/2: benchmark compare cannot shard/],
    [
      ["table2", "--shard", "1/1", "--merge", "/tmp"],
      /^error: --shard and --merge exclude each other/,
    ],
    [["table2", "--merge", ""], /^error: --merge must be a non-empty value, got ''$/],
    [
      ["table2", "--merge", `${_repo}/runs`, "--out", `${_repo}/runs`],
      /^error: --merge '.*\/runs' is the output folder itself/,
    ],
  ];
  for (const [args, want] of cases) {
    const r = await capture(() => main(args));
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
    assert.equal(r.err.split("\n").length, 1, r.err);
    assert.match(r.err, want);
  }
});

/** The SuperNet keys of a `--dry-run` plan. */
function _planKeys(out: string): string[] {
  return [...out.matchAll(/^ {2}([0-9a-f]{20}) {2}/gm)].map((m) => m[1]);
}

Deno.test("bench --shard --dry-run: the shards' SuperNets are disjoint and together the unsharded run's", async () => {
  const args = ["table2", "--dataset", "cifar10,cifar100", "--seed", "0,1", "--dry-run"];
  const whole = await capture(() => main(args));
  assert.equal(whole.code, 0, whole.err);
  const all = _planKeys(whole.out);
  assert.equal(all.length, 8); // 4 units x (ground truth, random labels)
  const parts: string[][] = [];
  for (const i of [1, 2, 3]) {
    const r = await capture(() => main([...args, "--shard", `${i}/3`]));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`^shard ${i}/3: \\d of 4 units \\(`, "m"));
    parts.push(_planKeys(r.out));
  }
  assert.deepEqual(parts.map((p) => p.length), [4, 2, 2]); // units 0 and 3, 1, 2
  assert.deepEqual(parts.flat().sort(), [...all].sort());
});

const _profile: ProfileInfo = { description: "test", hardware: "any" };

/** A benchmark without tensors that writes one row per dataset and seed and records sections. */
const _fake: Benchmark = {
  name: "fake-shard",
  paperTable: "-",
  description: "test",
  profiles: { smoke: _profile, quick: _profile, paper: _profile },
  datasets: ["cifar10", "cifar100", "ImageNet16-120"],
  defaultDatasets: { smoke: ["cifar10"], quick: ["cifar10"], paper: ["cifar10"] },
  defaultSeeds: { smoke: [0], quick: [0], paper: [0] },
  usesTensors: false,
  async run(ctx) {
    ctx.record("data", Object.fromEntries(ctx.datasets.map((d) => [d, { seeds: ctx.seeds }])));
    ctx.record("settings", { epochs: 1 });
    const rows: BenchmarkRow[] = ctx.datasets.flatMap((dataset) =>
      ctx.seeds.map((seed) => ({ method: "m", dataset, seed, value: seed * 10 }))
    );
    const file = await ctx.write("runs", ["value"], rows);
    const { records } = await import("../reporting/results_file.ts").then((m) =>
      m.readResults(file)
    );
    const mine = records.filter((r) => r.run_id === ctx.runId);
    return {
      files: [file],
      comparisons: [],
      checks: [check("rows of this run", mine.length > 0, `${mine.length}`)],
      notes: [`ran ${ctx.datasets.join(",")}`, `summary of ${mine.length} rows`],
    };
  },
  summarize: () => Promise.reject(new Error("not used")),
  plan: () => Promise.reject(new Error("not used")),
  runsFile: "runs",
  checks: () => [],
};

Deno.test("runShard: a shard of several blocks is one run: one run id, combined sidecar sections, the last summary", async () => {
  const out = await Deno.makeTempDir();
  try {
    const plan = planShard(_fake, ["cifar10", "cifar100"], [0, 1, 2], { index: 1, count: 4 });
    assert.equal(plan.blocks.length, 2); // cifar10 seed 0, cifar100 seed 1
    const ctx = createContext({
      bench: _fake,
      profile: "smoke",
      backend: "none",
      device: "test",
      datasets: ["cifar10", "cifar100"],
      seeds: [0, 1],
      dataDir: resolveDataDir(_repo),
      jobs: 1,
      outDir: out,
      runId: "shard-run",
      startedAt: new Date(),
      env: { git_rev: "x", deno_version: "x", tfjs_version: "x", cpu: "x", os: "x" },
      keepEvery: 1,
      quiet: true,
      config: { shard: "1/4" },
    });
    const outcome = await runShard(_fake, ctx, plan);
    const csv = `${out}/fake-shard/smoke/runs.csv`;
    const rows = fromCsv(await Deno.readTextFile(csv)).records;
    assert.deepEqual(rows.map((r) => `${r.dataset}:${r.seed}:${r.run_id}`), [
      "cifar10:0:shard-run",
      "cifar100:1:shard-run",
    ]);
    assert.deepEqual(outcome.files, [csv]);
    assert.deepEqual(outcome.notes, [
      "ran cifar10",
      "ran cifar100",
      "summary of 2 rows", // the first block's "summary of 1 rows" is dropped
      "shard 1/4: this verdict judges this shard's rows only (cifar10 seed 0, cifar100 seed 1); " +
      "merge the 4 shards' folders (bench fake-shard --merge DIR --merge DIR ...) for the " +
      "benchmark's verdict",
    ]);
    const side = JSON.parse(await Deno.readTextFile(`${out}/fake-shard/smoke/runs.json`));
    const config = side.runs["shard-run"];
    assert.equal(config.shard, "1/4");
    assert.deepEqual(config.resolved.data, { cifar10: { seeds: [0] }, cifar100: { seeds: [1] } });
    assert.deepEqual(config.resolved.settings, { epochs: 1 });
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("combinePlans: one plan unchanged; several listed together, times added", () => {
  const p = (key: string, seconds: number): RunPlan => ({
    supernets: [{ key, description: key, cached: false, steps: 4, seconds, diskBytes: 1 }],
    other: [{ description: `search ${key}`, seconds: 1 }],
    seconds: seconds + 1,
    estimateSource: "perf",
  });
  const one = p("a", 2);
  assert.equal(combinePlans([one]), one);
  const both = combinePlans([p("a", 2), p("b", 3)]);
  assert.deepEqual(both.supernets.map((s) => s.key), ["a", "b"]);
  assert.equal(both.other.length, 2);
  assert.equal(both.seconds, 7);
});

/** Run `bench` in its own process, with its own SuperNet cache and no history. */
async function _bench(
  args: string[],
  cache: string,
): Promise<{ code: number; out: string; err: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      "--allow-run=git",
      "--allow-net",
      "cli/main.ts",
      ...args,
    ],
    cwd: _repo,
    env: { RLNAS_CACHE_DIR: cache, RLNAS_HISTORY: "", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, out: dec.decode(r.stdout), err: dec.decode(r.stderr) };
}

/** The verdict block of a run's stdout (the check lines and the overall line). */
function _verdict(out: string): string[] {
  const lines = out.split("\n");
  const start = lines.findIndex((l) => l.startsWith("verdict ("));
  const end = lines.findIndex((l) => l.startsWith("overall: "));
  assert.ok(start >= 0 && end > start, out);
  return lines.slice(start, end + 1);
}

/** Columns that may differ between two runs of the same work: when and as what it ran, timings. */
function _isProvenanceOrTiming(column: string): boolean {
  return ["run_id", "started_at", "duration_s"].includes(column) || column.endsWith("_s");
}

async function _rows(dir: string, file = "runs"): Promise<Map<string, Record<string, string>>> {
  const { records } = fromCsv(await Deno.readTextFile(`${dir}/figure1/smoke/${file}.csv`));
  return new Map(records.map((r) => [`${r.method}|${r.dataset}|${r.seed}|${r.classes ?? ""}`, r]));
}

Deno.test("bench --shard 1/2 and 2/2, merged: the rows and the verdict of the unsharded run (figure1 smoke, 2 seeds)", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "rlnas-shard-" });
  try {
    const sel = ["figure1", "--profile", "smoke", "--dataset", "cifar10", "--seed", "0,1"];
    const common = [...sel, "--jobs", "1", "--quiet"];
    const whole = await _bench([...common, "--out", `${tmp}/whole`], `${tmp}/cache-whole`);
    assert.equal(whole.code, 0, whole.err);
    const shards = [];
    for (const i of [1, 2]) {
      const r = await _bench(
        [...common, "--shard", `${i}/2`, "--out", `${tmp}/shard-${i}`],
        `${tmp}/cache-${i}`, // a fresh cache: the shard trains its own SuperNets
      );
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, new RegExp(`note: shard ${i}/2: this verdict judges this shard's rows`));
      shards.push(r);
    }
    const history = `${tmp}/history.sqlite`;
    const merged = await _bench(
      [
        ...sel,
        "--merge",
        `${tmp}/shard-1`,
        "--merge",
        `${tmp}/shard-2`,
        "--out",
        `${tmp}/merged`,
        "--history",
        history,
      ],
      `${tmp}/cache-merge`,
    );
    assert.equal(merged.code, whole.code, merged.err);
    assert.match(merged.out, /^note: merged all 2 shards of datasets cifar10 seeds 0,1$/m);
    assert.deepEqual(_verdict(merged.out), _verdict(whole.out));

    // each shard ran its own unit (seed), trained its SuperNets, recorded the shard
    for (const i of [1, 2]) {
      const rows = [...(await _rows(`${tmp}/shard-${i}`)).values()];
      assert.equal(rows.length, 3); // K = 10, 100, 200
      assert.ok(rows.every((r) => r.seed === String(i - 1)), `shard ${i}`);
      assert.ok(rows.every((r) => Number(r.train_s) > 0), `shard ${i} trained nothing`);
      const side = JSON.parse(await Deno.readTextFile(`${tmp}/shard-${i}/figure1/smoke/runs.json`));
      const runs = Object.values(side.runs) as Record<string, unknown>[];
      assert.equal(runs.length, 1);
      assert.equal(runs[0].shard, `${i}/2`);
      assert.deepEqual(runs[0].shard_units, [`cifar10 seed ${i - 1}`]);
      assert.deepEqual(runs[0].shard_of, { datasets: ["cifar10"], seeds: [0, 1], units: 2 });
    }

    // the merged rows are the unsharded run's: every result column equal
    const a = await _rows(`${tmp}/whole`);
    const b = await _rows(`${tmp}/merged`);
    assert.equal(a.size, 6);
    assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
    for (const [key, ra] of a) {
      const rb = b.get(key)!;
      assert.deepEqual(Object.keys(rb).sort(), Object.keys(ra).sort());
      for (const c of Object.keys(ra).filter((c) => !_isProvenanceOrTiming(c))) {
        assert.equal(rb[c], ra[c], `${key} ${c}`);
      }
    }
    const sa = await _rows(`${tmp}/whole`, "summary");
    const sb = await _rows(`${tmp}/merged`, "summary");
    assert.equal(sa.size, 3);
    for (const [key, ra] of sa) {
      for (const c of Object.keys(ra).filter((c) => !_isProvenanceOrTiming(c))) {
        // the summary's provenance is the merge's (backend none) and the runs it names differ
        if (c === "source_runs" || (PROVENANCE_COLUMNS as readonly string[]).includes(c)) continue;
        assert.equal(sb.get(key)![c], ra[c], `summary ${key} ${c}`);
      }
    }
    const va = JSON.parse(await Deno.readTextFile(`${tmp}/whole/figure1/smoke/summary.json`));
    const vb = JSON.parse(await Deno.readTextFile(`${tmp}/merged/figure1/smoke/summary.json`));
    assert.equal(vb.verdict.overall, va.verdict.overall);
    assert.deepEqual(vb.verdict.checks, va.verdict.checks);
    const ms = JSON.parse(await Deno.readTextFile(`${tmp}/merged/figure1/smoke/runs.json`));
    assert.deepEqual(Object.values(ms.runs).map((c) => (c as { shard: string }).shard).sort(), [
      "1/2",
      "2/2",
    ]);

    // the merge recorded the night in the history as one run: every row, the merged verdict
    const recs = recordsOf(history, vb.verdict.run_id);
    assert.equal(recs.length, 6);
    assert.ok(recs.every((r) => r.verdict === vb.verdict.overall && r.source === "bench --merge"));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
