import assert from "node:assert/strict";
import { resolveDataDir } from "../datasets/data_dir.ts";
import { loadNb201Table } from "../datasets/nb201_table.ts";
import { angleAll, precomputeAngleStats } from "../metrics/angle.ts";
import { readResults } from "../reporting/results_file.ts";
import { genotypeFromIndex, genotypeToString } from "../search_spaces/nb201/encoding.ts";
import { officialKendallTau } from "../stats/ranking.ts";
import { loadAnglePair, obtainSuperNet } from "../benchmarks/_nb201/supernet_cache.ts";
import { tinySpec } from "../benchmarks/_nb201/_tiny_spec.ts";

const _tool = new URL("./export_angle_scores.ts", import.meta.url).pathname;

async function _run(args: string[]) {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", _tool, ...args],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: r.code,
    out: new TextDecoder().decode(r.stdout),
    err: new TextDecoder().decode(r.stderr),
  };
}

Deno.test("export_angle_scores: all 15,625 angles of a SuperNet folder in both precisions, with tau", async () => {
  const root = await Deno.makeTempDir();
  try {
    const entry = await obtainSuperNet(tinySpec(), { root });
    const r = await _run(["--out", `${root}/out`, entry.dir]);
    assert.equal(r.code, 0, r.err);
    const stem = `${root}/out/cifar10-random-uniform-once-seed0`;
    const { columns, records } = await readResults(`${stem}.csv`);
    assert.deepEqual(columns, ["nb201_index", "arch", "angle", "angle_float32"]);
    assert.equal(records.length, 15625);
    const { w0, wt } = await loadAnglePair(entry);
    const a64 = angleAll(precomputeAngleStats(w0, wt, 10));
    const a32 = angleAll(precomputeAngleStats(w0, wt, 10, { precision: "float32" }));
    for (const i of [0, 1, 777, 15624]) {
      assert.equal(records[i].nb201_index, String(i));
      assert.equal(records[i].arch, genotypeToString(genotypeFromIndex(i)));
      assert.equal(Number(records[i].angle), a64[i]);
      assert.equal(Number(records[i].angle_float32), a32[i]);
    }
    const side = JSON.parse(await Deno.readTextFile(`${stem}.json`));
    assert.equal(side.supernet.key, entry.key);
    const table = await loadNb201Table(resolveDataDir());
    assert.equal(
      side.tau_vs_nb201_test.tau,
      officialKendallTau(a64, table.column("cifar10", "test")),
    );
    // an incomplete folder is refused, naming it
    await Deno.remove(`${entry.dir}/epoch-001.safetensors`);
    const bad = await _run(["--out", `${root}/out2`, entry.dir]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /training not complete/);
    assert.equal((await _run([])).code, 2);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
