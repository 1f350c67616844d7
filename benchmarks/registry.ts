/**
 * The benchmark registry: adding a benchmark is one folder plus one line here.
 *
 * @module
 */
import { UsageError } from "../cli/args.ts";
import type { Benchmark } from "./types.ts";
import { nb201Lookup } from "./nb201_lookup/mod.ts";
import { table1 } from "./table1/mod.ts";
import { table2 } from "./table2/mod.ts";
import { table6 } from "./table6/mod.ts";
import { table7 } from "./table7/mod.ts";
import { figure1 } from "./figure1/mod.ts";
import { compare } from "./compare/mod.ts";

const _BENCHMARKS: readonly Benchmark[] = [
  nb201Lookup,
  table1,
  table2,
  table6,
  table7,
  figure1,
  compare,
];

/** All registered benchmarks, in listing order. */
export function listBenchmarks(): readonly Benchmark[] {
  return _BENCHMARKS;
}

/** The benchmark called `name`; throws a UsageError naming the valid ones. */
export function getBenchmark(name: string): Benchmark {
  const b = _BENCHMARKS.find((x) => x.name === name);
  if (!b) {
    throw new UsageError(
      `unknown benchmark '${name}' (valid: ${_BENCHMARKS.map((x) => x.name).join(", ")})`,
    );
  }
  return b;
}
