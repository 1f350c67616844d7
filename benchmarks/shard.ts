/**
 * `bench <name> --shard i/n`: run a deterministic 1/n of a benchmark's work, so that n machines
 * (GPU runners, Slurm array tasks, Kubernetes pods) share one benchmark grid; their result folders
 * are then merged with `bench <name> --merge DIR --merge DIR ...`.
 *
 * - **Unit.** A NB201 benchmark's work splits into units of one dataset and one seed: the
 *   SuperNets of that dataset and seed (ground truth and random labels, the label generators, one
 *   per K, ...) and every search that uses them. A SuperNet belongs to exactly one unit: its cache
 *   key holds the training images (the dataset) and the seed, and `Nb201Run.start` refuses a
 *   sharded run whose SuperNet requests leave their unit. So a shard never trains a SuperNet that
 *   another shard also needs, and the rows of a unit do not depend on the other units of the run
 *   (what `--seed` subsets and `--merge` already rely on).
 * - **Partition.** The units of the run's selection (`--dataset`, `--seed` or the profile's
 *   defaults) in a stable order, datasets in the benchmark's order, then seeds in ascending order,
 *   are dealt round robin: unit k (from 0) goes to shard (k mod n) + 1. It depends only on the
 *   selection, not on the order of the flags, and shard sizes differ by at most one unit. Two
 *   benchmarks with the same selection put a unit on the same shard (table1 and table2 on one
 *   runner share their SuperNets through the cache).
 * - **Runs.** A shard runs its units as one run (one run id), in as few blocks of datasets x seeds
 *   as the units allow ({@link unitBlocks}); its files go to its own `--out`, and the runs file's
 *   sidecar records `shard: "i/n"`, its units and the whole selection.
 * - **Refused** (usage error, exit 2): a benchmark that cannot be merged or trains nothing
 *   ({@link shardRefusal}; `--shard 1/1` is still accepted), and more shards than units.
 *
 * @module
 */
import { UsageError } from "../cli/args.ts";
import type { Benchmark, DatasetName } from "./types.ts";

/** Shard `index` (from 1) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** One unit of work: a dataset and a seed. */
export interface ShardUnit {
  dataset: DatasetName;
  seed: number;
}

/** Datasets x seeds: a selection one `Benchmark.run` call can take. */
export interface UnitBlock {
  datasets: DatasetName[];
  seeds: number[];
}

/** What one shard of a run does. */
export interface ShardPlan {
  shard: Shard;
  /** Every unit of the selection, in the partition's order. */
  all: ShardUnit[];
  /** The units of this shard, in the same order. */
  units: ShardUnit[];
  /** The blocks that run exactly {@link units}. */
  blocks: UnitBlock[];
}

/** The largest shard count `--shard` accepts. */
export const MAX_SHARDS = 10_000;

/**
 * Parse `--shard i/n` (1 <= i <= n <= {@link MAX_SHARDS}).
 *
 * @throws UsageError naming the flag, the value and what is valid
 */
export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = m === null ? NaN : Number(m[1]);
  const count = m === null ? NaN : Number(m[2]);
  if (
    m === null || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || index < 1 ||
    count < 1 || index > count || count > MAX_SHARDS
  ) {
    throw new UsageError(
      `--shard must be i/n with integers 1 <= i <= n <= ${MAX_SHARDS} (e.g. --shard 1/4), ` +
        `got '${value}'`,
    );
  }
  return { index, count };
}

/** `"i/n"`. */
export function formatShard(s: Shard): string {
  return `${s.index}/${s.count}`;
}

/** `"cifar10 seed 0"`. */
export function formatUnit(u: ShardUnit): string {
  return `${u.dataset} seed ${u.seed}`;
}

/**
 * The units of a selection in the partition's stable order: datasets in the order of `order`
 * (the benchmark's `datasets`; others after them, by name), then seeds ascending; duplicates
 * dropped.
 */
export function runUnits(
  datasets: readonly DatasetName[],
  seeds: readonly number[],
  order: readonly DatasetName[] = [],
): ShardUnit[] {
  const rank = (d: DatasetName) => {
    const i = order.indexOf(d);
    return i < 0 ? order.length : i;
  };
  const ds = [...new Set(datasets)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const ss = [...new Set(seeds)].sort((a, b) => a - b);
  return ds.flatMap((dataset) => ss.map((seed) => ({ dataset, seed })));
}

/** The units of `shard`: unit k of `units` goes to shard (k mod n) + 1. */
export function unitsOfShard(units: readonly ShardUnit[], shard: Shard): ShardUnit[] {
  return units.filter((_, k) => k % shard.count === shard.index - 1);
}

/**
 * Blocks of datasets x seeds that cover exactly `units` (datasets with the same seeds share a
 * block), in the order of the units' first datasets.
 */
export function unitBlocks(units: readonly ShardUnit[]): UnitBlock[] {
  const seedsOf = new Map<DatasetName, number[]>();
  for (const u of units) {
    const s = seedsOf.get(u.dataset) ?? [];
    if (!s.includes(u.seed)) s.push(u.seed);
    seedsOf.set(u.dataset, s);
  }
  const blocks = new Map<string, UnitBlock>();
  for (const [dataset, seeds] of seedsOf) {
    const key = seeds.join(",");
    const b = blocks.get(key);
    if (b !== undefined) b.datasets.push(dataset);
    else blocks.set(key, { datasets: [dataset], seeds: [...seeds] });
  }
  return [...blocks.values()];
}

/**
 * Why `bench` cannot be split into shards, or null when it can: it must train SuperNets per
 * dataset and seed (it has a `plan`) and its shards' rows must be mergeable (it has a
 * `summarize`).
 */
export function shardRefusal(bench: Benchmark): string | null {
  if (bench.summarize === undefined) {
    return bench.plan === undefined
      ? "it trains nothing (seconds at most) and its rows cannot be merged"
      : "its rows cannot be merged (it has no summary over merged rows)";
  }
  if (bench.plan === undefined) return "it trains nothing (seconds at most)";
  return null;
}

/**
 * The plan of shard `shard` of a run of `bench` on `datasets` x `seeds`. `--shard 1/1` runs the
 * selection as given, for every benchmark.
 *
 * @throws UsageError when the benchmark cannot shard, or the selection has fewer units than shards
 */
export function planShard(
  bench: Benchmark,
  datasets: readonly DatasetName[],
  seeds: readonly number[],
  shard: Shard,
): ShardPlan {
  const all = runUnits(datasets, seeds, bench.datasets);
  if (shard.count === 1) {
    return { shard, all, units: all, blocks: [{ datasets: [...datasets], seeds: [...seeds] }] };
  }
  const why = shardRefusal(bench);
  if (why !== null) {
    throw new UsageError(
      `--shard ${formatShard(shard)}: benchmark ${bench.name} cannot shard: ${why} ` +
        `(valid: --shard 1/1, or no --shard)`,
    );
  }
  if (all.length < shard.count) {
    throw new UsageError(
      `--shard ${formatShard(shard)}: ${bench.name} has ${all.length} unit` +
        `${all.length === 1 ? "" : "s"} (${all.map(formatUnit).join(", ")}), one dataset and ` +
        `seed each, for ${shard.count} shards (valid: n <= ${all.length}, or more --dataset / ` +
        `--seed values)`,
    );
  }
  const units = unitsOfShard(all, shard);
  return { shard, all, units, blocks: unitBlocks(units) };
}

/** The provenance of a shard's run, stored in its sidecars (`shard: "i/n"`). */
export function shardConfig(plan: ShardPlan): Record<string, unknown> {
  return {
    shard: formatShard(plan.shard),
    shard_units: plan.units.map(formatUnit),
    shard_of: {
      datasets: [...new Set(plan.all.map((u) => u.dataset))],
      seeds: [...new Set(plan.all.map((u) => u.seed))],
      units: plan.all.length,
    },
  };
}

/**
 * Notes on the shards behind the runs of a merged folder (the configs of a runs file's sidecar,
 * by run id): for each split (`n` and selection) that some runs come from, which shards are there
 * and which are missing. Empty when no run came from a shard of n > 1.
 */
export function shardCoverage(runs: Readonly<Record<string, unknown>>): string[] {
  const splits = new Map<string, { count: number; of: string; have: Set<number> }>();
  for (const config of Object.values(runs)) {
    const c = (config ?? {}) as Record<string, unknown>;
    if (typeof c.shard !== "string") continue;
    const m = /^(\d+)\/(\d+)$/.exec(c.shard);
    if (m === null || m[2] === "1") continue;
    const of = c.shard_of as { datasets?: unknown; seeds?: unknown } | undefined;
    const sel = `datasets ${[of?.datasets ?? "?"].flat().join(",")} seeds ${
      [of?.seeds ?? "?"].flat().join(",")
    }`;
    const key = `${m[2]}|${sel}`;
    const s = splits.get(key) ?? { count: Number(m[2]), of: sel, have: new Set<number>() };
    s.have.add(Number(m[1]));
    splits.set(key, s);
  }
  const notes: string[] = [];
  for (const s of splits.values()) {
    const have = [...s.have].sort((a, b) => a - b);
    const missing = Array.from({ length: s.count }, (_, i) => i + 1).filter((i) => !s.have.has(i));
    notes.push(
      missing.length === 0
        ? `merged all ${s.count} shards of ${s.of}`
        : `merged ${have.length} of ${s.count} shards of ${s.of}: shard${
          missing.length === 1 ? "" : "s"
        } ${missing.map((i) => `${i}/${s.count}`).join(", ")} missing, their rows are not judged`,
    );
  }
  if (splits.size > 1) {
    notes.push(
      `the rows come from ${splits.size} different shard splits (shard count or selection): ` +
        `check that no unit is missing`,
    );
  }
  return notes;
}
