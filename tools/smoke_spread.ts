/**
 * Prints, per registered benchmark with a smoke tolerance and per method, the spread (max - min
 * over seeds) of the checked column of its smoke baseline on CIFAR-10: the numbers its
 * `reference.ts` states as `SMOKE_SPREAD`. Run it after regenerating a committed smoke baseline
 * (seeds 0-2) and copy the values it prints; `benchmarks/results_check_test.ts` fails until they
 * agree.
 *
 * ```
 * deno run -A tools/smoke_spread.ts [RESULTS_DIR]
 * ```
 *
 * @module
 */
import { readRows, spreadByMethod } from "../benchmarks/_nb201/checks.ts";
import { listBenchmarks } from "../benchmarks/registry.ts";

const dir = Deno.args[0] ?? new URL("../results", import.meta.url).pathname;
for (const b of listBenchmarks()) {
  if (b.smoke === undefined) continue;
  const file = `${dir}/${b.name}/smoke/${b.runsFile}.csv`;
  const rows = await readRows(file);
  if (rows === null) {
    console.log(`${b.name}: no ${file}`);
    continue;
  }
  const spread = spreadByMethod(rows.filter((r) => r.dataset === "cifar10"), b.smoke.column);
  for (const [method, v] of Object.entries(spread)) {
    console.log(
      `${b.name} ${method}: ${b.smoke.column} spread ${v.toFixed(4)} ` +
        `(reference.ts: ${b.smoke.spread[method] ?? "none"})`,
    );
  }
}
