/**
 * Test helper of `results_file_test.ts`: one writer process of the concurrency test. It writes
 * `<ready>`, waits for `<go>` to exist (so that all writers start together), then, in `write`
 * mode, upserts `n` distinct rows into `<outDir>/b/smoke/res.csv` one at a time (even rows with
 * `writeResults`, odd rows by `mergeResults` from a private folder), or in `annotate` mode sets `n`
 * distinct sidecar keys with `annotateSidecar`.
 *
 * ```
 * deno run --allow-read --allow-write reporting/_concurrent_writer.ts MODE OUT WRITER N READY GO
 * ```
 *
 * @module
 */
import {
  annotateSidecar,
  mergeResults,
  type ResultLocation,
  writeResults,
} from "./results_file.ts";

const [mode, outDir, writerArg, nArg, ready, go] = Deno.args;
const writer = Number(writerArg);
const n = Number(nArg);
const dst: ResultLocation = { outDir, benchmark: "b", profile: "smoke", name: "res" };

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
  const seed = writer * 1000 + k;
  if (mode === "annotate") {
    await annotateSidecar(dst, `w${writer}_${k}`, { writer, k });
    continue;
  }
  const w = {
    columns: ["writer", "k"],
    rows: [{ method: "D", dataset: "cifar10", seed, writer, k }],
    runId: `w${writer}-${k}`,
    config: { writer, k },
  };
  if (k % 2 === 0) {
    await writeResults({ ...dst, ...w });
  } else {
    const src: ResultLocation = { ...dst, outDir: `${outDir}/src-${writer}-${k}` };
    await writeResults({ ...src, ...w });
    await mergeResults(src, dst);
  }
}
