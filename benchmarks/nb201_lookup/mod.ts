/**
 * `nb201-lookup`: the best NAS-Bench-201 architecture per dataset, by validation and by test
 * accuracy (where the column exists in the data directory), read from the ground truth. A sanity
 * check of the data and of the result pipeline; it trains nothing.
 *
 * @module
 */
import { loadNb201Table, type Nb201Split } from "../../datasets/nb201_table.ts";
import type { Comparison } from "../../reporting/comparison.ts";
import { type Check, check, notChecked } from "../../reporting/verdict.ts";
import type { Benchmark, BenchmarkRow, DatasetName, ProfileInfo } from "../types.ts";
import { NB201_TEST_OPTIMA, TOLERANCE } from "./reference.ts";

const _profile: ProfileInfo = {
  description: "table lookup only (all profiles identical, < 1 s)",
  hardware: "any",
};
const _all: readonly DatasetName[] = ["cifar10", "cifar100", "ImageNet16-120"];

/** Columns of the result CSV after the provenance columns. */
export const COLUMNS = ["criterion", "nb201_index", "arch", "valid_acc", "test_acc"] as const;

/**
 * The checks: per dataset, the best-by-test row has NB201's published optimum (test accuracy
 * within {@link TOLERANCE}, the same index). Every profile checks the same.
 */
export function lookupChecks(rows: readonly Record<string, string | number>[]): Check[] {
  const out: Check[] = [];
  for (const r of rows.filter((x) => x.method === "best-by-test")) {
    const ref = NB201_TEST_OPTIMA[r.dataset as DatasetName];
    if (ref === undefined) continue;
    const acc = Number(r.test_acc);
    const idx = Number(r.nb201_index);
    out.push(
      check(
        `${r.dataset}: best test acc is NB201's optimum`,
        Math.abs(acc - ref.testAcc) <= TOLERANCE,
        `${acc} vs ${ref.testAcc} (tolerance ${TOLERANCE})`,
      ),
      check(`${r.dataset}: index of the best`, idx === ref.index, `${idx} vs ${ref.index}`),
    );
  }
  return out.length > 0 ? out : [notChecked("NB201 optima", "no best-by-test rows")];
}

/** The registered benchmark. */
export const nb201Lookup: Benchmark = {
  name: "nb201-lookup",
  paperTable: "NB201 optima",
  description: "best NAS-Bench-201 architecture per dataset by valid and test accuracy",
  profiles: { smoke: _profile, quick: _profile, paper: _profile },
  datasets: _all,
  defaultDatasets: { smoke: _all, quick: _all, paper: _all },
  defaultSeeds: { smoke: [0], quick: [0], paper: [0] },
  usesTensors: false,
  async run(ctx) {
    const table = await loadNb201Table(ctx.dataDir.path);
    const rows: BenchmarkRow[] = [];
    const comparisons: Comparison[] = [];
    const notes: string[] = [];
    for (const dataset of ctx.datasets) {
      const cell = (i: number, split: Nb201Split) =>
        table.hasColumn(dataset, split) ? table.accuracy(table.archAt(i), dataset, split) : "";
      for (const split of ["valid", "test"] as const) {
        if (!table.hasColumn(dataset, split)) {
          notes.push(`${dataset}: no ${split} accuracies in the data directory; row skipped`);
          continue;
        }
        const acc = (i: number) => table.accuracy(table.archAt(i), dataset, split);
        let best = 0;
        for (let i = 1; i < table.size; i++) if (acc(i) > acc(best)) best = i;
        rows.push({
          method: `best-by-${split}`,
          dataset,
          seed: "",
          criterion: `${dataset} ${split} accuracy`,
          nb201_index: best,
          arch: table.archAt(best),
          valid_acc: cell(best, "valid"),
          test_acc: cell(best, "test"),
        });
        if (split === "test") {
          const ref = NB201_TEST_OPTIMA[dataset];
          comparisons.push({
            label: `${dataset} best test acc`,
            ours: acc(best),
            reference: ref.testAcc,
            tolerance: TOLERANCE,
            digits: 3,
          });
          comparisons.push({
            label: `${dataset} index of best`,
            ours: best,
            reference: ref.index,
            tolerance: 0,
            digits: 0,
          });
        }
      }
    }
    const file = await ctx.write("optima", COLUMNS, rows);
    return {
      files: [file],
      comparisons,
      referenceName: "NB201",
      notes,
      checks: lookupChecks(rows),
      against: "NB201's published optima",
    };
  },
  runsFile: "optima",
  checks: (_profile, rows) => lookupChecks(rows),
};
