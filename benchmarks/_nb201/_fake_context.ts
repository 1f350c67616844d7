/**
 * A {@link BenchmarkContext} for tests: the CLI's own context ({@link createContext}) writing
 * under `outDir`, with fixed provenance, no progress output and the log lines collected.
 *
 * @module
 */
import { createContext } from "../../cli/context.ts";
import { resolveDataDir } from "../../datasets/data_dir.ts";
import type { Benchmark, BenchmarkContext, ProfileName } from "../types.ts";

/** A context writing to `outDir` as benchmark `benchmark`. */
export function fakeContext(
  benchmark: string,
  outDir: string,
  profile: ProfileName = "smoke",
  overrides: Partial<Parameters<typeof createContext>[0]> = {},
): BenchmarkContext & { lines: string[] } {
  const lines: string[] = [];
  const bench = {
    name: benchmark,
    paperTable: "test",
    profiles: { [profile]: { description: "test", hardware: "any" } },
  } as unknown as Benchmark;
  const ctx = createContext({
    bench,
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
    env: { git_rev: "test", deno_version: "test", tfjs_version: "test", cpu: "test", os: "test" },
    keepEvery: 50,
    quiet: true,
    log: (l: string) => void lines.push(l),
    ...overrides,
  });
  return Object.assign(ctx, { lines, log: (l: string) => void lines.push(l) });
}
