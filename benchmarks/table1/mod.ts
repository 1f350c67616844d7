/**
 * `table1`: RLNAS Table 1, search performance on NAS-Bench-201. Methods A (ground-truth labels +
 * validation accuracy = SPOS), B (ground truth + angle), C (random labels + validation accuracy)
 * and D (random labels + angle = RLNAS): train the SuperNet (A/B share one, C/D share one, all
 * cached), search by evolution with the method's metric, report the found architecture's NB201
 * valid and test accuracy; mean ± std over seeds.
 *
 * Files: `runs.csv` (one row per method, dataset and seed) and `summary.csv` (mean ± std over all
 * seeds present in `runs.csv`, seed = `all`).
 *
 * @module
 */
import type { Comparison } from "../../reporting/comparison.ts";
import type { Benchmark, BenchmarkRow, DatasetName } from "../types.ts";
import { RESULT_COLUMNS, resultColumns, searchWithMetric } from "../_nb201/methods.ts";
import {
  DEFAULT_DATASETS,
  DEFAULT_SEEDS,
  NB201_DATASETS,
  profileInfos,
} from "../_nb201/profiles.ts";
import { Nb201Run, type Nb201Work } from "../_nb201/run.ts";
import { nb201Settings } from "../_nb201/settings.ts";
import { meanStd, num } from "../_nb201/summary.ts";
import {
  nb201Checks,
  summarizeRuns,
  type SummaryFileOptions,
  withSummary,
} from "../_nb201/summary_file.ts";
import { type Nb201CheckSpec, table1Findings } from "../_nb201/checks.ts";
import { evolutionBudget, nb201Plan } from "../_nb201/plan.ts";
import {
  METHOD_IDS,
  type MethodId,
  METHODS,
  PAPER_TEST_ACC_TOLERANCE,
  SMOKE_MIN_TOLERANCE,
  SMOKE_SPREAD,
  SMOKE_TOLERANCE_FACTOR,
  TABLE1,
} from "./reference.ts";

/** Columns of `runs.csv` after the provenance columns. */
export const RUN_COLUMNS = ["method_name", ...RESULT_COLUMNS] as const;

/** `summary.csv`: mean ± std of the accuracies, with the paper's values. */
const _SUMMARY: SummaryFileOptions = {
  values: ["valid_acc", "test_acc"],
  extraColumns: ["method_name", "paper_valid_acc", "paper_test_acc"],
  extra: (k) => {
    const id = k.method as MethodId;
    const ref = TABLE1[id]?.[k.dataset as DatasetName];
    return {
      method_name: METHODS[id]?.name ?? "",
      paper_valid_acc: ref?.[0] ?? "",
      paper_test_acc: ref?.[1] ?? "",
    };
  },
};

/** What the verdict checks (per profile, see `_nb201/checks.ts`). */
export const TABLE1_CHECKS: Nb201CheckSpec = {
  smoke: {
    column: "test_acc",
    spread: SMOKE_SPREAD,
    factor: SMOKE_TOLERANCE_FACTOR,
    floor: SMOKE_MIN_TOLERANCE,
  },
  findings: table1Findings,
  paper: {
    column: "test_acc",
    reference: (m, d) => TABLE1[m as MethodId]?.[d as DatasetName]?.[1] ?? null,
    tolerance: PAPER_TEST_ACC_TOLERANCE,
  },
};

/** The SuperNets of one dataset and seed: A/B share the ground-truth one, C/D the random one. */
const _WORK: Nb201Work = {
  supernets: (dataset, seed) =>
    METHOD_IDS.map((id) => ({ dataset, labels: METHODS[id].labels, seed })),
  evaluations: (s) => ({
    archs: 2 * evolutionBudget(s.accuracyEvolution),
    description: "the accuracy searches of A and C",
  }),
};

/** The registered benchmark. */
export const table1: Benchmark = {
  name: "table1",
  paperTable: "Table 1",
  description: "methods A-D (GT/random labels x accuracy/angle): NB201 acc of the searched arch",
  profiles: profileInfos({
    smoke: "~1 min per dataset and seed on 2 CPU cores (wasm)",
    quick:
      "~44 min per dataset and seed on 2 CPU cores (the 2 SuperNets side by side, --jobs 2); " +
      "~10 min on one H100 (webgpu)",
    paper: "2 x 250-epoch SuperNets per dataset and seed: GPU only",
  }),
  datasets: NB201_DATASETS,
  defaultDatasets: DEFAULT_DATASETS,
  defaultSeeds: DEFAULT_SEEDS,
  usesTensors: true,
  async run(ctx) {
    const run = await Nb201Run.start(ctx, nb201Settings(ctx.profile), _WORK);
    const rows: BenchmarkRow[] = [];
    try {
      await run.prefetch();
      for (const dataset of ctx.datasets) {
        for (const seed of ctx.seeds) {
          for (const id of METHOD_IDS) {
            const m = METHODS[id];
            const r = await searchWithMetric(run, { dataset, labels: m.labels, seed }, m.metric);
            rows.push({
              method: id,
              dataset,
              seed,
              method_name: m.name,
              ...(await resultColumns(run, dataset, r)),
            });
          }
        }
      }
    } finally {
      run.dispose();
    }
    const files = [await ctx.write("runs", RUN_COLUMNS, rows)];
    return withSummary(files, run.notes, await table1.summarize!(ctx));
  },
  summarize: (ctx) =>
    summarizeRuns(ctx, {
      benchmark: "table1",
      summary: _SUMMARY,
      comparisons: table1Comparisons,
      checks: TABLE1_CHECKS,
    }),
  runsFile: "runs",
  smoke: TABLE1_CHECKS.smoke,
  checks: nb201Checks(TABLE1_CHECKS),
  plan: (ctx) => nb201Plan(ctx, nb201Settings(ctx.profile), _WORK),
};

/** Our mean ± std next to the paper's, per dataset and method (tolerance only at `paper`). */
export function table1Comparisons(
  rows: readonly BenchmarkRow[],
  withTolerance: boolean,
): Comparison[] {
  const out: Comparison[] = [];
  const datasets = [...new Set(rows.map((r) => String(r.dataset)))] as DatasetName[];
  for (const dataset of datasets) {
    for (const id of METHOD_IDS) {
      const rs = rows.filter((r) => r.dataset === dataset && r.method === id);
      if (rs.length === 0) continue;
      const ref = TABLE1[id][dataset];
      const valid = meanStd(rs.map((r) => num(r.valid_acc)));
      if (valid.n > 0) {
        out.push({
          label: `${METHODS[id].name} ${dataset} valid acc`,
          ours: valid.mean,
          oursStd: valid.std,
          reference: ref[0],
          tolerance: null,
        });
      }
      const test = meanStd(rs.map((r) => num(r.test_acc)));
      out.push({
        label: `${METHODS[id].name} ${dataset} test acc`,
        ours: test.mean,
        oursStd: test.std,
        reference: ref[1],
        tolerance: withTolerance ? PAPER_TEST_ACC_TOLERANCE : null,
      });
    }
  }
  return out;
}
