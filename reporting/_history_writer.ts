/**
 * Test helper of `history_test.ts`: one writer process of the concurrency test. It writes
 * `<ready>`, waits for `<go>` to exist (so that all writers start together), then appends `n`
 * runs of 4 rows each (run ids `w<writer>-<k>`) to the history at `<path>`, opening the file anew
 * for every run as separate `bench` processes would.
 *
 * ```
 * deno run --allow-read --allow-write --allow-env reporting/_history_writer.ts PATH WRITER N READY GO
 * ```
 *
 * @module
 */
import { appendRun } from "./history.ts";

const [path, writerArg, nArg, ready, go] = Deno.args;
const writer = Number(writerArg);
const n = Number(nArg);

await Deno.writeTextFile(ready, "");
while (true) {
  try {
    await Deno.stat(go);
    break;
  } catch {
    await new Promise((r) => setTimeout(r, 2));
  }
}

for (let k = 0; k < n; k++) {
  const runId = `w${writer}-${k}`;
  const rows = ["A", "B", "C", "D"].map((method) => ({
    benchmark: "table2",
    method,
    dataset: "cifar10",
    profile: "quick",
    seed: writer,
    started_at: new Date(Date.UTC(2026, 0, 1, 0, 0, k)).toISOString(),
    run_id: runId,
    tau: writer + k / 100,
    writer,
    k,
  }));
  appendRun(path, { runId, benchmark: "table2", profile: "quick", rows, verdict: "PASS" });
}
