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
import { genotypeFromIndex, NB201_SIZE } from "../../search_spaces/nb201/encoding.ts";
import type { Benchmark, BenchmarkRow, DatasetName } from "../types.ts";
import {
  DEFAULT_DATASETS,
  DEFAULT_SEEDS,
  NB201_DATASETS,
  profileInfos,
} from "../_nb201/profiles.ts";
import { SUPERNET_COLUMNS } from "../_nb201/methods.ts";
import { Nb201Run, type Nb201Work } from "../_nb201/run.ts";
import { nb201Settings, TAU_SAMPLE_SEED } from "../_nb201/settings.ts";
import { meanStd, num, round } from "../_nb201/summary.ts";
import {
  nb201Checks,
  summarizeRuns,
  type SummaryFileOptions,
  withSummary,
} from "../_nb201/summary_file.ts";
import { type Nb201CheckSpec, table2Findings } from "../_nb201/checks.ts";
import { nb201Plan } from "../_nb201/plan.ts";
import { pick, tauSample, tauVsTest } from "../_nb201/tau.ts";
import { usesForwardPasses } from "../_nb201/metric_scorer.ts";
import {
  METHOD_IDS,
  type MethodId,
  METHODS,
  PAPER_TAU_TOLERANCE,
  QUICK_MAX_ABS_TAU_C,
  QUICK_MIN_TAU_GAP,
  SMOKE_MIN_TOLERANCE,
  SMOKE_SPREAD,
  SMOKE_TOLERANCE_FACTOR,
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

/** `summary.csv`: mean ± std of tau, with the paper's value. */
const _SUMMARY: SummaryFileOptions = {
  values: ["tau", "tau_on_sample"],
  extraColumns: ["method_name", "paper_tau"],
  extra: (k) => ({
    method_name: METHODS[k.method as MethodId]?.name ?? "",
    paper_tau: TABLE2[k.method as MethodId]?.[k.dataset as DatasetName] ?? "",
  }),
};

/** What the verdict checks (per profile, see `_nb201/checks.ts`). */
export const TABLE2_CHECKS: Nb201CheckSpec = {
  smoke: {
    column: "tau",
    spread: SMOKE_SPREAD,
    factor: SMOKE_TOLERANCE_FACTOR,
    floor: SMOKE_MIN_TOLERANCE,
  },
  findings: (rows) => table2Findings(rows, QUICK_MIN_TAU_GAP, QUICK_MAX_ABS_TAU_C),
  paper: {
    column: "tau",
    reference: (m, d) => TABLE2[m as MethodId]?.[d as DatasetName] ?? null,
    tolerance: PAPER_TAU_TOLERANCE,
  },
};

/** The SuperNets of one dataset and seed (table1's: ground truth for A/B, random for C/D). */
const _WORK: Nb201Work = {
  supernets: (dataset, seed) =>
    METHOD_IDS.map((id) => ({ dataset, labels: METHODS[id].labels, seed })),
  evaluations: (s) => ({
    archs: 2 * (s.accuracyTauSample ?? NB201_SIZE),
    description: "the accuracy tau of A and C",
  }),
};

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
    const run = await Nb201Run.start(ctx, settings, _WORK);
    const sample = tauSample(settings.accuracyTauSample, TAU_SAMPLE_SEED);
    const sampleGenotypes = Array.from(sample.indices, (i) => genotypeFromIndex(i));
    run.note(
      `accuracy metric: tau over ${sample.indices.length} architectures (${sample.description}); ` +
        `angle: all 15,625`,
    );
    const rows: BenchmarkRow[] = [];
    try {
      await run.prefetch();
      for (const dataset of ctx.datasets) {
        for (const seed of ctx.seeds) {
          for (const id of METHOD_IDS) {
            const m = METHODS[id];
            const supernet = await run.supernet({ dataset, labels: m.labels, seed });
            const t0 = performance.now();
            let full: { tau: number; tauB: number; n: number };
            let onSample: number;
            let desc: string;
            const scorer = await run.scorer(m.metric, supernet);
            // tau of the metric's ranking: its values, negated for a lower-is-better metric
            const sign = scorer.metric.higherIsBetter ? 1 : -1;
            if (!usesForwardPasses(scorer.metric)) {
              const v = Float64Array.from(await scorer.all(), (x) => sign * x);
              full = tauVsTest(v, Int32Array.from(v, (_, i) => i), run.table, dataset);
              onSample = tauVsTest(pick(v, sample.indices), sample.indices, run.table, dataset)
                .tau;
              desc = "all";
            } else {
              ctx.log(
                `  ${dataset} seed ${seed} ${m.name}: ${m.metric} of ${sampleGenotypes.length} ` +
                  `archs...`,
              );
              const scores = await scorer.fitness(sampleGenotypes);
              full = tauVsTest(scores, sample.indices, run.table, dataset);
              onSample = full.tau;
              desc = sample.description;
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
              calib_images: scorer.calibImages,
              metric_valid_images: scorer.validImages,
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
      summary: _SUMMARY,
      comparisons: table2Comparisons,
      checks: TABLE2_CHECKS,
    }),
  runsFile: "runs",
  smoke: TABLE2_CHECKS.smoke,
  checks: nb201Checks(TABLE2_CHECKS),
  plan: (ctx) => nb201Plan(ctx, nb201Settings(ctx.profile), _WORK),
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
