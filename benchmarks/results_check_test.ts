/**
 * The committed results of every registered benchmark, judged by the benchmark's own verdict
 * checks (`Benchmark.checks`, the same code that ends every run):
 *
 * - `quick` and `paper`: a committed `results/<bench>/<profile>/<runsFile>.csv` must get the
 *   verdict PASS (the paper's findings at quick; the paper's numbers at paper); without a file
 *   the verdict is NOT CHECKED, never PASS;
 * - `smoke`: the committed baseline holds seeds 0-2 and the spread its reference file states;
 *   when `RLNAS_FRESH_RESULTS` names the `--out` folder of fresh smoke runs (CI sets it), each
 *   fresh file gets the verdict PASS against the committed baseline.
 *
 * @module
 */
import assert from "node:assert/strict";
import { formatVerdict, verdictOf } from "../reporting/verdict.ts";
import { readRows, spreadByMethod } from "./_nb201/checks.ts";
import { listBenchmarks } from "./registry.ts";
import { PROFILES } from "./types.ts";

const _root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const _fresh = Deno.env.get("RLNAS_FRESH_RESULTS");

function _file(dir: string, bench: string, profile: string, stem: string): string {
  return `${dir}/${bench}/${profile}/${stem}.csv`;
}

for (const b of listBenchmarks()) {
  for (const profile of PROFILES.filter((p) => p !== "smoke")) {
    Deno.test(`${b.name} ${profile}: committed results pass their verdict, or are NOT CHECKED`, async () => {
      const rows = await readRows(_file(`${_root}/results`, b.name, profile, b.runsFile));
      const v = verdictOf(b.checks(profile, rows ?? [], null));
      console.log(
        rows === null ? `no committed ${profile} file for ${b.name}` : formatVerdict(v),
      );
      if (rows === null) assert.equal(v.overall, "NOT CHECKED");
      else assert.equal(v.overall, "PASS", formatVerdict(v));
    });
  }

  Deno.test(`${b.name} smoke: fresh run (RLNAS_FRESH_RESULTS) passes against the committed baseline`, async () => {
    if (_fresh === undefined || _fresh === "") {
      console.log(`RLNAS_FRESH_RESULTS unset: no fresh smoke run of ${b.name} to judge`);
      return;
    }
    const fresh = await readRows(_file(_fresh, b.name, "smoke", b.runsFile));
    if (fresh === null) {
      console.log(`no fresh smoke run of ${b.name} in ${_fresh}`);
      return;
    }
    const base = await readRows(_file(`${_root}/results`, b.name, "smoke", b.runsFile));
    assert.ok(base !== null, `no committed smoke baseline of ${b.name}`);
    const v = verdictOf(b.checks("smoke", fresh, base));
    console.log(formatVerdict(v));
    assert.equal(v.overall, "PASS", formatVerdict(v));
  });
}

for (const b of listBenchmarks()) {
  const spec = b.smoke;
  if (spec === undefined) continue;
  const bench = b.name;
  Deno.test(`${bench} smoke: committed CIFAR-10 baseline has seeds 0-2 and the reference spread`, async () => {
    const rows = await readRows(_file(`${_root}/results`, bench, "smoke", b.runsFile));
    assert.ok(rows !== null, `no committed smoke baseline of ${bench}`);
    const c10 = rows.filter((r) => r.dataset === "cifar10");
    for (const m of Object.keys(spec.spread)) {
      const seeds = [...new Set(c10.filter((r) => r.method === m).map((r) => String(r.seed)))];
      assert.deepEqual(seeds.sort(), ["0", "1", "2"], `${bench} method ${m}`);
    }
    const measured = spreadByMethod(c10, spec.column);
    for (const [m, v] of Object.entries(spec.spread)) {
      assert.ok(
        Math.abs(measured[m] - v) < 1e-3,
        `${bench} ${m}: reference spread ${v}, committed baseline ${measured[m]}`,
      );
    }
  });
}
