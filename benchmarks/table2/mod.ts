/**
 * `table2`: RLNAS Table 2, Kendall's tau of each method's metric (A: ground truth + accuracy,
 * B: ground truth + angle, C: random labels + accuracy, D: random labels + angle) against the
 * NAS-Bench-201 test accuracy. The angle is computed for all 15,625 architectures at every
 * profile; the BN-recalibrated accuracy at reduced profiles on a fixed, seeded sample of
 * architectures (the same for every seed; `n_archs` and `sample` say which). `tau` follows the
 * official convention (spec §6); `tau_b_raw` is scipy's tau-b on the raw values; `tau_on_sample`
 * is the metric's tau on the accuracy sample (comparable across all four methods).
 *
 * SuperNets come from the shared cache, so a `table1` run with the same settings trains nothing
 * twice. Files: `runs.csv` and `summary.csv` (mean ± std over the seeds in `runs.csv`).
 *
 * @module
 */
import type { Comparison } from "../../reporting/comparison.ts";
import { genotypeFromIndex } from "../../search_spaces/nb201/encoding.ts";
import type { Benchmark, BenchmarkContext, BenchmarkRow, DatasetName } from "../types.ts";
import {
  DEFAULT_DATASETS,
  DEFAULT_SEEDS,
  NB201_DATASETS,
  profileInfos,
} from "../_nb201/profiles.ts";
import { SUPERNET_COLUMNS } from "../_nb201/methods.ts";
import { Nb201Run } from "../_nb201/run.ts";
import { nb201Settings, TAU_SAMPLE_SEED } from "../_nb201/settings.ts";
import { meanStd, num, round } from "../_nb201/summary.ts";
import { summarizeRuns, withSummary, writeSummaryFile } from "../_nb201/summary_file.ts";
import { pick, tauSample, tauVsTest } from "../_nb201/tau.ts";
import {
  METHOD_IDS,
  type MethodId,
  METHODS,
  PAPER_TAU_TOLERANCE,
  QUICK_MAX_ABS_TAU_C,
  QUICK_MIN_TAU_GAP,
  TABLE2,
} from "./reference.ts";

/** Columns of `runs.csv` after the provenance columns. */
export const RUN_COLUMNS = [
  "method_name",
  "labels",
  "metric",
  "tau",
  "tau_b_raw",
  "n_archs",
  "sample",
  "tau_on_sample",
  "sample_size",
  ...SUPERNET_COLUMNS,
  "score_s",
] as const;

async function _writeSummary(ctx: BenchmarkContext): Promise<string> {
  const { path } = await writeSummaryFile(ctx, {
    benchmark: "table2",
    values: ["tau", "tau_on_sample"],
    extraColumns: ["method_name", "paper_tau"],
    extra: (k) => ({
      method_name: METHODS[k.method as MethodId]?.name ?? "",
      paper_tau: TABLE2[k.method as MethodId]?.[k.dataset as DatasetName] ?? "",
    }),
  });
  return path;
}

/** The registered benchmark. */
export const table2: Benchmark = {
  name: "table2",
  paperTable: "Table 2",
  description: "Kendall tau of methods A-D's metric vs NB201 test accuracy",
  profiles: profileInfos({
    smoke: "~1 min per dataset and seed on 2 CPU cores (SuperNets shared with table1)",
    quick: "~8 min per dataset and seed on 2 CPU cores after table1 (SuperNets cached), else ~50",
    paper: "accuracy of all 15,625 archs on 2 SuperNets per dataset and seed: GPU only",
  }),
  datasets: NB201_DATASETS,
  defaultDatasets: DEFAULT_DATASETS,
  defaultSeeds: DEFAULT_SEEDS,
  usesTensors: true,
  async run(ctx) {
    const settings = nb201Settings(ctx.profile);
    const run = await Nb201Run.start(ctx, settings);
    const sample = tauSample(settings.accuracyTauSample, TAU_SAMPLE_SEED);
    const sampleGenotypes = Array.from(sample.indices, (i) => genotypeFromIndex(i));
    run.note(
      `accuracy metric: tau over ${sample.indices.length} architectures (${sample.description}); ` +
        `angle: all 15,625`,
    );
    const rows: BenchmarkRow[] = [];
    try {
      await run.prefetch((dataset, seed) =>
        METHOD_IDS.map((id) => ({ dataset, labels: METHODS[id].labels, seed }))
      );
      for (const dataset of ctx.datasets) {
        for (const seed of ctx.seeds) {
          for (const id of METHOD_IDS) {
            const m = METHODS[id];
            const supernet = await run.supernet({ dataset, labels: m.labels, seed });
            const t0 = performance.now();
            let full: { tau: number; tauB: number; n: number };
            let onSample: number;
            let desc: string;
            let accCols: Record<string, number | string> = {
              calib_images: "",
              metric_valid_images: "",
            };
            if (m.metric === "angle") {
              const angles = await run.angles(supernet);
              full = tauVsTest(angles, Int32Array.from(angles, (_, i) => i), run.table, dataset);
              onSample = tauVsTest(pick(angles, sample.indices), sample.indices, run.table, dataset)
                .tau;
              desc = "all";
            } else {
              const scorer = await run.accuracy(supernet);
              ctx.log(
                `  ${dataset} seed ${seed} ${m.name}: accuracy of ${sampleGenotypes.length} archs...`,
              );
              const scores = await scorer.fitness(sampleGenotypes);
              full = tauVsTest(scores, sample.indices, run.table, dataset);
              onSample = full.tau;
              desc = sample.description;
              accCols = {
                calib_images: scorer.calibCount,
                metric_valid_images: scorer.validCount,
              };
            }
            const scoreS = (performance.now() - t0) / 1000;
            ctx.log(
              `  ${dataset} seed ${seed} ${m.name}: tau ${full.tau.toFixed(4)} over ${full.n} ` +
                `archs (${scoreS.toFixed(1)} s)`,
            );
            rows.push({
              method: id,
              dataset,
              seed,
              method_name: m.name,
              labels: m.labels,
              metric: m.metric,
              tau: round(full.tau, 6),
              tau_b_raw: round(full.tauB, 6),
              n_archs: full.n,
              sample: desc,
              tau_on_sample: round(onSample, 6),
              sample_size: sample.indices.length,
              ...(await run.dataColumns(dataset)),
              ...run.settingColumns,
              ...accCols,
              supernet: supernet.key,
              train_s: round(supernet.trainSeconds, 1),
              score_s: round(scoreS, 1),
            });
          }
        }
      }
    } finally {
      run.dispose();
    }
    const files = [await ctx.write("runs", RUN_COLUMNS, rows)];
    return withSummary(files, run.notes, await table2.summarize!(ctx));
  },
  summarize: (ctx) =>
    summarizeRuns(ctx, {
      benchmark: "table2",
      writeSummary: _writeSummary,
      comparisons: table2Comparisons,
      findings: table2Findings,
    }),
};

/** Our mean ± std tau next to the paper's (tolerance only at `paper`). */
export function table2Comparisons(
  rows: readonly BenchmarkRow[],
  withTolerance: boolean,
): Comparison[] {
  const out: Comparison[] = [];
  const datasets = [...new Set(rows.map((r) => String(r.dataset)))] as DatasetName[];
  for (const dataset of datasets) {
    for (const id of METHOD_IDS) {
      const rs = rows.filter((r) => r.dataset === dataset && r.method === id);
      if (rs.length === 0) continue;
      const t = meanStd(rs.map((r) => num(r.tau)));
      out.push({
        label: `${METHODS[id].name} ${dataset} tau${
          rs[0].sample === "all" ? "" : ` (n=${rs[0].n_archs})`
        }`,
        ours: t.mean,
        oursStd: t.std,
        reference: TABLE2[id][dataset],
        tolerance: withTolerance ? PAPER_TAU_TOLERANCE : null,
        digits: 4,
      });
    }
  }
  return out;
}

/** The paper's qualitative findings (tau(D) > tau(C) + 0.2, |tau(C)| < 0.2) as note lines. */
export function table2Findings(rows: readonly BenchmarkRow[]): string[] {
  const out: string[] = [];
  for (const dataset of new Set(rows.map((r) => String(r.dataset)))) {
    const mean = (id: string) =>
      meanStd(rows.filter((r) => r.dataset === dataset && r.method === id).map((r) => num(r.tau)))
        .mean;
    const c = mean("C");
    const d = mean("D");
    if (!Number.isFinite(c) || !Number.isFinite(d)) continue;
    const gap = d - c > QUICK_MIN_TAU_GAP;
    const small = Math.abs(c) < QUICK_MAX_ABS_TAU_C;
    out.push(
      `${dataset}: tau(D) ${d.toFixed(4)} vs tau(C) ${c.toFixed(4)}: ` +
        `D > C + ${QUICK_MIN_TAU_GAP}: ${gap ? "yes" : "NO"}; |tau(C)| < ${QUICK_MAX_ABS_TAU_C}: ` +
        `${small ? "yes" : "NO"} (the paper: yes, yes)`,
    );
  }
  return out;
}
