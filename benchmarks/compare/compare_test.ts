import assert from "node:assert/strict";
import { UsageError } from "../../cli/args.ts";
import { readResults } from "../../reporting/results_file.ts";
import { kendallTau } from "../../stats/kendall.ts";
import { spearman } from "../../stats/correlation.ts";
import { formatArchs, parseArchs, selectArchs } from "./archs.ts";
import { resolveDataDir } from "../../datasets/data_dir.ts";
import { pluginProblem, resolveMetrics } from "./metrics.ts";
import { rankStats } from "./rank_stats.ts";
import { resolveBaseline, scoresFileMetric } from "./baseline.ts";
import type { ArchMetric } from "../../metrics/metric.ts";
import { metricNames } from "../../metrics/registry.ts";

const _repo = new URL("../..", import.meta.url).pathname;
const _example = `${_repo}examples/conv_ops_metric.ts`;

Deno.test("parseArchs: all, naslib, a count in [2, 15625]; anything else is a usage error", () => {
  assert.deepEqual(parseArchs("all"), { kind: "all" });
  assert.deepEqual(parseArchs("naslib"), { kind: "naslib" });
  assert.deepEqual(parseArchs("naslib:100"), { kind: "naslib", n: 100 });
  assert.deepEqual(parseArchs("50"), { kind: "sample", n: 50 });
  assert.deepEqual(parseArchs("15625"), { kind: "all" });
  for (const bad of ["0", "1", "15626", "-3", "ten", "", "naslib:1", "naslib:", "naslib:x"]) {
    assert.throws(() => parseArchs(bad), (e: Error) => {
      assert.ok(e instanceof UsageError);
      assert.match(
        e.message,
        /^--archs: expected all, naslib, naslib:N \(N >= 2\) or a count in \[2, 15625\]/,
      );
      return true;
    });
  }
});

Deno.test("selectArchs naslib:N: a seeded subset of the file's architectures, the same each call; too many is a usage error", async () => {
  const dir = resolveDataDir();
  const all = (await selectArchs({ kind: "naslib" }, "cifar10", dir)).indices;
  const a = await selectArchs({ kind: "naslib", n: 100 }, "cifar10", dir);
  const b = await selectArchs({ kind: "naslib", n: 100 }, "cifar10", dir);
  assert.equal(a.indices.length, 100);
  assert.deepEqual(a.indices, b.indices);
  const inFile = new Set(all);
  assert.ok(a.indices.every((i) => inFile.has(i)));
  assert.ok(a.indices.every((v, i) => i === 0 || a.indices[i - 1] < v), "ascending, distinct");
  assert.match(a.description, /100 of the 725 of NASLib/);
  assert.equal(formatArchs({ kind: "naslib", n: 100 }), "naslib:100");
  await assert.rejects(
    () => selectArchs({ kind: "naslib", n: all.length + 1 }, "cifar10", dir),
    (e: Error) => e instanceof UsageError && /holds 725 cifar10 architectures/.test(e.message),
  );
});

Deno.test("resolveMetrics: registered names, the example plug-in, one-line errors", async () => {
  const got = await resolveMetrics(["angle", "params", _example, "angle"]);
  assert.deepEqual(got.map((m) => m.metric.name), ["angle", "params", "conv_ops"]);
  assert.equal(got[2].plugin, _example);
  const scorer = await got[2].metric.create({});
  assert.deepEqual([...await scorer([[3, 3, 3, 3, 3, 3], [0, 1, 2, 4, 0, 2]])], [54, 2]);
  await assert.rejects(() => resolveMetrics(["synflowz"]), (e: Error) => {
    assert.ok(e instanceof UsageError);
    assert.equal(
      e.message,
      `--metric: unknown metric "synflowz" (valid: ${metricNames().join(", ")}, ` +
        "or the path of a plug-in .ts file)",
    );
    return true;
  });
  await assert.rejects(() => resolveMetrics(["./nope.ts"]), /--metric \.\/nope\.ts: no such file/);
  const dir = await Deno.makeTempDir();
  try {
    const write = async (name: string, text: string) => {
      await Deno.writeTextFile(`${dir}/${name}`, text);
      return `${dir}/${name}`;
    };
    const noDefault = await write("a.ts", "export const x = 1;\n");
    await assert.rejects(() => resolveMetrics([noDefault]), /default export is not an ArchMetric/);
    const broken = await write("b.ts", "export default {;\n");
    await assert.rejects(() => resolveMetrics([broken]), /the module failed to load/);
    const taken = await write(
      "c.ts",
      'export default { name: "angle", higherIsBetter: true, requires: [], create() {} };\n',
    );
    await assert.rejects(() => resolveMetrics([taken]), /"angle" is a registered metric's/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pluginProblem names the missing member", () => {
  assert.equal(
    pluginProblem({ name: "x", higherIsBetter: true, requires: [], create() {} }),
    null,
  );
  assert.match(pluginProblem({ name: "x y" })!, /needs a name/);
  assert.match(pluginProblem({ name: "x", requires: [] })!, /higherIsBetter/);
  assert.match(pluginProblem({ name: "x", higherIsBetter: false, requires: "w0" })!, /requires/);
  assert.match(pluginProblem({ name: "x", higherIsBetter: false, requires: [] })!, /create/);
});

Deno.test("rankStats: taus, rho and precision@k on a small hand-checked ranking", () => {
  // 20 architectures: indices 0..19, test accuracy = index; scores agree except two swaps
  const indices = Int32Array.from({ length: 20 }, (_, i) => i);
  const test = Float64Array.from(indices);
  const scores = Float64Array.from(indices);
  [scores[18], scores[19]] = [19, 18]; // the best two swapped
  [scores[0], scores[1]] = [1, 0];
  const s = rankStats(scores, indices, test, test);
  // 190 pairs, 2 discordant: (190 - 4) / 190
  assert.ok(Math.abs(s.tau - 186 / 190) < 1e-12, `${s.tau}`);
  assert.equal(s.tauB, kendallTau(scores, test));
  assert.equal(s.spearman, spearman(scores, test));
  assert.equal(s.tauValid, s.tau);
  assert.equal(s.pAt10, 1); // the top 10 sets agree
  assert.equal(s.pAt1pct, 0); // k = 1: the metric's best (18) is not the true best (19)
  assert.equal(s.pAt5pct, 0);
  assert.equal(s.top1, 18);
  assert.equal(rankStats(scores, indices, test, null).tauValid, null);
});

Deno.test("bench compare: a plug-in from a file end to end; bad plug-ins and flags write nothing", async () => {
  const out = await Deno.makeTempDir();
  const cache = await Deno.makeTempDir();
  const bench = async (...args: string[]) => {
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "cli/main.ts", ...args, "--out", out, "--quiet"],
      cwd: _repo,
      env: { RLNAS_CACHE_DIR: cache, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    return {
      code: r.code,
      out: new TextDecoder().decode(r.stdout),
      err: new TextDecoder().decode(r.stderr).trim(),
    };
  };
  try {
    // usage errors: nothing trained, nothing written
    for (
      const [args, message] of [
        [["compare", "--archs", "0"], /^error: --archs: expected all, naslib, naslib:N/],
        [["compare", "--metric", "nope"], /^error: --metric: unknown metric "nope"/],
        [["table1", "--metric", "params"], /^error: --metric is a flag of compare, not of table1$/],
      ] as const
    ) {
      const r = await bench(...args);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, message);
    }
    assert.deepEqual([...Deno.readDirSync(out)], []);
    const nan = `${out}/../nan_metric_${crypto.randomUUID()}.ts`;
    await Deno.writeTextFile(
      nan,
      `export default { name: "nan", higherIsBetter: false, requires: [],\n` +
        `  create: () => Promise.resolve(Object.assign((gs) => Promise.resolve(new Float64Array(gs.length).fill(NaN)), { dispose() {} })) };\n`,
    );
    try {
      const bad = await bench("compare", "--metric", nan, "--archs", "40");
      assert.equal(bad.code, 1, bad.err);
      assert.match(
        bad.err,
        /^error: --metric .*nan_metric_.*\.ts: metric "nan" gave NaN for architecture \d+/m,
      );
      assert.ok(!(await _exists(`${out}/compare`)), "nothing written");
    } finally {
      await Deno.remove(nan);
    }
    const ok = await bench("compare", "--metric", `params,${_example}`, "--archs", "40");
    assert.ok([0, 3, 4].includes(ok.code), ok.err);
    assert.match(ok.out, /angle \(RLNAS baseline\)/);
    const runs = (await readResults(`${out}/compare/smoke/runs.csv`)).records;
    assert.deepEqual(runs.map((r) => r.metric), ["angle", "params", "conv_ops"]);
    assert.equal(runs[2].plugin, _example);
    assert.ok(runs.every((r) => Number(r.n_archs) === 40 && r.archs === "40"));
    assert.equal(runs[1].supernet, "");
    assert.notEqual(runs[0].supernet, "");
    const scores = (await readResults(`${out}/compare/smoke/scores-cifar10-seed0.csv`)).records;
    assert.equal(scores.length, 40);
    for (const r of scores) {
      const g = String(r.arch).match(/[a-z_0-9]+(?=~)/g)!;
      const area = g.reduce(
        (s, op) => s + (op === "nor_conv_3x3" ? 9 : op === "nor_conv_1x1" ? 1 : 0),
        0,
      );
      assert.equal(Number(r.conv_ops), area, String(r.arch));
    }
  } finally {
    await Deno.remove(out, { recursive: true });
    await Deno.remove(cache, { recursive: true });
  }
});

async function _exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("angle baseline: a scores file, a SuperNet folder, and one-line errors", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/scores.csv`;
    await Deno.writeTextFile(
      file,
      "nb201_index,arch,angle\n" +
        "0,|none~0|+|none~0|none~1|+|none~0|none~1|none~2|,0\n" +
        "1,|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|,0.5\n",
    );
    const b = await resolveBaseline(undefined, file, ["cifar10"]);
    assert.equal(b.kind, "file");
    const m = (b as { metric: ArchMetric }).metric;
    assert.deepEqual(m.requires, []);
    const s = await m.create({});
    assert.deepEqual([...await s([[3, 3, 3, 3, 3, 3], [0, 0, 0, 0, 0, 0]])], [0.5, 0]);
    await assert.rejects(() => s([[1, 1, 1, 1, 1, 1]]), /scores\.csv has no angle for 1,1,1,1,1,1/);
    await assert.rejects(
      () => resolveBaseline("x", file, ["cifar10"]),
      /--supernet and --angle-scores exclude each other/,
    );
    await assert.rejects(
      () => resolveBaseline(undefined, file, ["cifar10", "cifar100"]),
      /--angle-scores: one dataset at a time/,
    );
    await assert.rejects(() => scoresFileMetric(`${dir}/none.csv`), /--angle-scores .*none\.csv: /);
    await Deno.writeTextFile(`${dir}/bad.csv`, "arch,tau\nx,1\n");
    await assert.rejects(
      () => scoresFileMetric(`${dir}/bad.csv`),
      /needs the columns arch and angle \(has arch, tau\)/,
    );
    await assert.rejects(
      () => resolveBaseline(dir, undefined, ["cifar10"]),
      /^UsageError: --supernet .*: not a SuperNet training folder \(no readable run\.json/,
    );
    await Deno.writeTextFile(`${dir}/run.json`, JSON.stringify({ epochs: 3, dataset: "cifar10" }));
    await assert.rejects(
      () => resolveBaseline(dir, undefined, ["cifar10"]),
      /the training is not complete \(latest checkpoint epoch none of 3\)/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
