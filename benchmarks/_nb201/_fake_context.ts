/**
 * A {@link BenchmarkContext} for tests: writes results under a temporary directory through the
 * real results writer and collects log lines.
 *
 * @module
 */
import { resolveDataDir } from "../../datasets/data_dir.ts";
import { writeResults } from "../../reporting/results_file.ts";
import type { BenchmarkContext, ProfileName } from "../types.ts";

/** A context writing to `outDir` as benchmark `benchmark`. */
export function fakeContext(
  benchmark: string,
  outDir: string,
  profile: ProfileName = "smoke",
): BenchmarkContext & { lines: string[] } {
  const lines: string[] = [];
  const env = {
    git_rev: "test",
    deno_version: "test",
    tfjs_version: "test",
    cpu: "test",
    os: "test",
  };
  return {
    profile,
    backend: "wasm",
    device: "test",
    datasets: ["cifar10"],
    seeds: [0],
    dataDir: resolveDataDir(),
    jobs: 1,
    outDir,
    runId: "test-run",
    startedAt: new Date(0),
    env,
    lines,
    log: (l: string) => void lines.push(l),
    write(file, columns, rows, opts = {}) {
      return writeResults({
        outDir,
        benchmark,
        profile,
        name: file,
        columns,
        keyColumns: opts.keyColumns,
        runId: "test-run",
        config: {},
        rows: rows.map((r) => ({ benchmark, profile, ...r })),
      });
    },
  };
}
