/**
 * `figure1`: RLNAS Figure 1, the number K of random-label classes. For each K (the paper: 10, 20,
 * ..., 200) a SuperNet is trained with uniform random labels of K classes (random-uniform-once,
 * classifier width K; spec §2.2 UNCONFIRMED, the natural implementation), then (a) the NB201 test
 * accuracy of the architecture found by angle evolution and (b) the angle's Kendall tau over all
 * 15,625 architectures (official convention, spec §6).
 *
 * Files: `runs.csv` (per dataset, seed and K), `summary.csv` (mean ± std over seeds), and the
 * charts `figure1a_test_acc.svg` and `figure1b_tau.svg` (one line per dataset, mean over seeds,
 * red marker at the real class count) drawn from every row of `runs.csv`.
 *
 * @module
 */
import { writeFileAtomic } from "../../reporting/atomic.ts";
import { resultPaths } from "../../reporting/results_file.ts";
import { type Check, check, notChecked } from "../../reporting/verdict.ts";
import type { Nb201CheckSpec, Row } from "../_nb201/checks.ts";
import { nb201Plan } from "../_nb201/plan.ts";
import type { Comparison } from "../../reporting/comparison.ts";
import type {
  Benchmark,
  BenchmarkContext,
  BenchmarkRow,
  DatasetName,
  ProfileName,
} from "../types.ts";
import { RESULT_COLUMNS, resultColumns, searchWithMetric } from "../_nb201/methods.ts";
import {
  DEFAULT_DATASETS,
  DEFAULT_SEEDS,
  NB201_DATASETS,
  profileInfos,
} from "../_nb201/profiles.ts";
import { Nb201Run, type Nb201Work } from "../_nb201/run.ts";
import { type Nb201Settings, nb201Settings } from "../_nb201/settings.ts";
import { type LooseRow, num, round, summarize } from "../_nb201/summary.ts";
import { nb201Checks, summarizeRuns, withSummary } from "../_nb201/summary_file.ts";
import { lineChartSvg } from "../_nb201/svg_chart.ts";
import { tauVsTest } from "../_nb201/tau.ts";
import {
  AT_REAL_CLASSES,
  COLORS,
  PAPER_CLASSES,
  QUICK_MIN_TAU,
  REAL_CLASSES,
  SMOKE_MIN_TOLERANCE,
  SMOKE_SPREAD,
  SMOKE_TOLERANCE_FACTOR,
} from "./reference.ts";

/** Columns of `runs.csv` after the provenance columns. */
export const RUN_COLUMNS = ["classes", "tau", "tau_b_raw", ...RESULT_COLUMNS] as const;

/**
 * Figure 1 runs one SuperNet per K: at `quick` each trains on 1,000 images for 3 epochs
 * (20 x 3 x 1,000 images at the measured ~21 img/s = ~48 min on 2 CPU cores).
 */
export const FIGURE1_OVERRIDES: Partial<
  Record<"smoke" | "quick" | "paper", Partial<Nb201Settings>>
> = {
  quick: { trainImages: 1000, epochs: 3 },
};

/** The two charts (a: test accuracy, b: tau) of `rows` (mean over seeds per dataset and K). */
export function figure1Charts(rows: readonly LooseRow[]): { a: string; b: string } {
  const groups = summarize(rows, ["dataset", "classes"], ["test_acc", "tau"]);
  const datasets = NB201_DATASETS.filter((d) => groups.some((g) => g.key.dataset === d));
  const series = (value: "test_acc" | "tau") =>
    datasets.map((d) => ({
      name: d === "ImageNet16-120" ? "ImageNet16-120" : d === "cifar10" ? "CIFAR-10" : "CIFAR-100",
      color: COLORS[d],
      highlightX: REAL_CLASSES[d],
      points: groups.filter((g) => g.key.dataset === d).map((g) => ({
        x: num(g.key.classes),
        y: g.values[value].mean,
      })),
    }));
  const xTicks = [10, 50, 100, 150, 200];
  return {
    a: lineChartSvg({
      title: "Figure 1(a): test accuracy vs random-label classes",
      xLabel: "number of random-label classes K",
      yLabel: "NB201 test accuracy of the searched arch (%)",
      series: series("test_acc"),
      xTicks,
      highlightLabel: "real class count",
    }),
    b: lineChartSvg({
      title: "Figure 1(b): Kendall's tau vs random-label classes",
      xLabel: "number of random-label classes K",
      yLabel: "Kendall's tau (angle vs NB201 test acc)",
      series: series("tau"),
      xTicks,
      highlightLabel: "real class count",
    }),
  };
}

async function _writeCharts(
  ctx: BenchmarkContext,
  rows: readonly BenchmarkRow[],
): Promise<string[]> {
  const { csv } = resultPaths({
    outDir: ctx.outDir,
    benchmark: "figure1",
    profile: ctx.profile,
    name: "runs",
  });
  const charts = figure1Charts(rows);
  const dir = csv.slice(0, csv.lastIndexOf("/"));
  const a = `${dir}/figure1a_test_acc.svg`;
  const b = `${dir}/figure1b_tau.svg`;
  await writeFileAtomic(a, charts.a);
  await writeFileAtomic(b, charts.b);
  return [a, b];
}

/** Figure 1(b)'s finding: tau above {@link QUICK_MIN_TAU} at every K, per dataset. */
export function figure1Findings(rows: readonly Row[]): Check[] {
  const out: Check[] = [];
  for (const g of summarize(rows, ["dataset"], ["tau"])) {
    const byK = summarize(rows.filter((r) => r.dataset === g.key.dataset), ["classes"], ["tau"]);
    const low = byK.filter((k) => !(k.values.tau.mean > QUICK_MIN_TAU));
    out.push(check(
      `${g.key.dataset}: tau > ${QUICK_MIN_TAU} at every K`,
      low.length === 0,
      low.length === 0
        ? `min over ${byK.length} K: ${Math.min(...byK.map((k) => k.values.tau.mean)).toFixed(4)}`
        : `K = ${low.map((k) => `${k.key.classes} (${k.values.tau.mean.toFixed(4)})`).join(", ")}`,
    ));
  }
  return out.length > 0 ? out : [notChecked("tau > 0 at every K", "no rows")];
}

/** What the verdict checks (per profile, see `_nb201/checks.ts`). */
export const FIGURE1_CHECKS: Nb201CheckSpec = {
  smoke: {
    column: "test_acc",
    spread: SMOKE_SPREAD,
    factor: SMOKE_TOLERANCE_FACTOR,
    floor: SMOKE_MIN_TOLERANCE,
  },
  keyColumns: ["classes"],
  findings: figure1Findings,
  paper: null,
};

function _settings(profile: ProfileName): Nb201Settings {
  return nb201Settings(profile, FIGURE1_OVERRIDES[profile]);
}

/** One SuperNet per K of one dataset and seed. */
function _work(profile: ProfileName): Nb201Work {
  return {
    supernets: (dataset, seed) =>
      _settings(profile).figure1Classes.map((k) => ({
        dataset,
        labels: "random-uniform-once",
        seed,
        numClasses: k,
      })),
  };
}

/** The registered benchmark. */
export const figure1: Benchmark = {
  name: "figure1",
  paperTable: "Figure 1",
  description: "random-label class count K = 10..200: test acc of the searched arch and tau",
  profiles: profileInfos({
    smoke: "K = 10, 100, 200: ~1 min per dataset and seed on 2 CPU cores",
    quick:
      "K = 10..200 (20 SuperNets, 2 at a time): ~25 min per dataset and seed on 2 CPU cores (~48 with --jobs 1)",
    paper: "20 x 250-epoch SuperNets per dataset and seed: GPU only",
  }, FIGURE1_OVERRIDES),
  datasets: NB201_DATASETS,
  defaultDatasets: DEFAULT_DATASETS,
  defaultSeeds: DEFAULT_SEEDS,
  usesTensors: true,
  async run(ctx) {
    const settings = _settings(ctx.profile);
    const run = await Nb201Run.start(ctx, settings, _work(ctx.profile));
    run.note(
      `K = ${settings.figure1Classes.join(", ")} (the paper: ${PAPER_CLASSES[0]}..${
        PAPER_CLASSES[PAPER_CLASSES.length - 1]
      } step 10)`,
    );
    const rows: BenchmarkRow[] = [];
    const all = Int32Array.from({ length: 15625 }, (_, i) => i);
    try {
      await run.prefetch();
      for (const dataset of ctx.datasets) {
        for (const seed of ctx.seeds) {
          for (const k of settings.figure1Classes) {
            const req = { dataset, labels: "random-uniform-once", seed, numClasses: k };
            const r = await searchWithMetric(run, req, "angle");
            const t = tauVsTest(await r.scorer.all(), all, run.table, dataset);
            rows.push({
              method: "rlnas",
              dataset,
              seed,
              classes: k,
              tau: round(t.tau, 6),
              tau_b_raw: round(t.tauB, 6),
              ...(await resultColumns(run, dataset, r)),
            });
          }
        }
      }
    } finally {
      run.dispose();
    }
    const files = [await ctx.write("runs", RUN_COLUMNS, rows, { keyColumns: ["classes"] })];
    run.note(
      "the paper shows Figure 1 as a plot only: no numbers to compare point by point; for " +
        "context the comparisons list the paper's Table 1/2 RLNAS values at the real class count",
    );
    return withSummary(files, run.notes, await figure1.summarize!(ctx));
  },
  summarize: (ctx) =>
    summarizeRuns(ctx, {
      benchmark: "figure1",
      summary: { values: ["test_acc", "tau"], keyColumns: ["classes"] },
      comparisons: (rows) => figure1Comparisons(rows),
      checks: FIGURE1_CHECKS,
      extraFiles: _writeCharts,
    }),
  runKeyColumns: ["classes"],
  runsFile: "runs",
  smoke: FIGURE1_CHECKS.smoke,
  checks: nb201Checks(FIGURE1_CHECKS),
  plan: (ctx) => nb201Plan(ctx, _settings(ctx.profile), _work(ctx.profile)),
};

/** Our value per dataset and K; the paper's Table 1/2 RLNAS values at the real class count. */
export function figure1Comparisons(rows: readonly BenchmarkRow[]): Comparison[] {
  const out: Comparison[] = [];
  for (const g of summarize(rows, ["dataset", "classes"], ["test_acc", "tau"])) {
    const d = g.key.dataset as DatasetName;
    const real = num(g.key.classes) === REAL_CLASSES[d];
    out.push({
      label: `${d} K=${g.key.classes} test acc`,
      ours: g.values.test_acc.mean,
      oursStd: g.values.test_acc.std,
      reference: real ? AT_REAL_CLASSES[d].testAcc : null,
      tolerance: null,
    }, {
      label: `${d} K=${g.key.classes} tau`,
      ours: g.values.tau.mean,
      oursStd: g.values.tau.std,
      reference: real ? AT_REAL_CLASSES[d].tau : null,
      tolerance: null,
      digits: 4,
    });
  }
  return out;
}
