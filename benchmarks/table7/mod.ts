/**
 * `table7`: RLNAS Table 7, bias analysis of the angle. Rows (protocols UNCONFIRMED, spec §7; our
 * choices):
 *
 * - `training-free-normal` / `training-free-uniform`: the angle between two untrained SuperNets
 *   of the same initialisation and different seeds (W0 = SuperNet(seed), Wt = SuperNet(seed +
 *   1,000,000); `normal`: kaiming-normal conv, N(0, 0.01) Linear; `uniform`: PyTorch's default
 *   uniform), then the evolution of spec §5.1 with that angle as fitness;
 * - `random-search`: the profile's number of architectures (the paper: 100) drawn uniformly
 *   (seeded, `none` allowed), scored by BN-recalibrated validation accuracy on the ground-truth
 *   SuperNet (table1's A/B SuperNet, cached), the best taken;
 * - `rlnas`: random-label SuperNet + angle evolution (table1's D).
 *
 * Files: `runs.csv` and `summary.csv`.
 *
 * @module
 */
import { DATASET_INFO } from "../../datasets/image_set.ts";
import type { Benchmark, BenchmarkRow, DatasetName } from "../types.ts";
import { beatsChecks, type Nb201CheckSpec } from "../_nb201/checks.ts";
import { nb201Plan } from "../_nb201/plan.ts";
import { RESULT_COLUMNS, resultColumns, searchWithMetric } from "../_nb201/methods.ts";
import {
  DEFAULT_DATASETS,
  DEFAULT_SEEDS,
  NB201_DATASETS,
  profileInfos,
} from "../_nb201/profiles.ts";
import { Nb201Run, type Nb201Work } from "../_nb201/run.ts";
import type { Found } from "../_nb201/search.ts";
import { evolveAndLookup, randomSearchAndLookup } from "../_nb201/search.ts";
import { nb201Settings } from "../_nb201/settings.ts";
import { round } from "../_nb201/summary.ts";
import {
  nb201Checks,
  summarizeRuns,
  testAccComparisons,
  withSummary,
} from "../_nb201/summary_file.ts";
import {
  FINDINGS,
  PAPER_TEST_ACC_TOLERANCE,
  type RowId,
  ROWS,
  SMOKE_MIN_TOLERANCE,
  SMOKE_SPREAD,
  SMOKE_TOLERANCE_FACTOR,
  TABLE7,
  UNTRAINED_SEED_OFFSET,
} from "./reference.ts";

/** Columns of `runs.csv` after the provenance columns. */
export const RUN_COLUMNS = ["row_name", "init", "seed_w0", "seed_wt", ...RESULT_COLUMNS] as const;

const _EMPTY_TRAINING = {
  train_images: "",
  epochs: "",
  batch_size: "",
  calib_images: "",
  metric_valid_images: "",
  supernet: "",
  train_s: "",
};

/** What the verdict checks (per profile, see `_nb201/checks.ts`). */
export const TABLE7_CHECKS: Nb201CheckSpec = {
  smoke: {
    column: "test_acc",
    spread: SMOKE_SPREAD,
    factor: SMOKE_TOLERANCE_FACTOR,
    floor: SMOKE_MIN_TOLERANCE,
  },
  findings: (rows) =>
    FINDINGS.flatMap(([w, l]) =>
      beatsChecks(rows, "test_acc", ROWS.find((r) => r.id === w)!, ROWS.find((r) => r.id === l)!)
    ),
  paper: {
    column: "test_acc",
    reference: (m, d) => TABLE7[m as RowId]?.[d as DatasetName]?.[0] ?? null,
    tolerance: PAPER_TEST_ACC_TOLERANCE,
  },
};

/** The trained SuperNets of one dataset and seed: ground truth (random search) and RLNAS's. */
const _WORK: Nb201Work = {
  supernets: (dataset, seed) =>
    ["ground-truth", "random-uniform-once"].map((labels) => ({ dataset, labels, seed })),
  evaluations: (s) => ({
    archs: s.randomSearchCount,
    description: "the random search",
  }),
};

/** The registered benchmark. */
export const table7: Benchmark = {
  name: "table7",
  paperTable: "Table 7",
  description: "training-free angle (normal/uniform init), random search, RLNAS",
  profiles: profileInfos({
    smoke: "~1 min per dataset and seed on 2 CPU cores",
    quick: "~6 min per dataset and seed on 2 CPU cores after table1 (SuperNets cached), else ~50",
    paper: "2 x 250-epoch SuperNets + 100 accuracy evaluations per dataset and seed: GPU only",
  }),
  datasets: NB201_DATASETS,
  defaultDatasets: DEFAULT_DATASETS,
  defaultSeeds: DEFAULT_SEEDS,
  usesTensors: true,
  async run(ctx) {
    const settings = nb201Settings(ctx.profile);
    const run = await Nb201Run.start(ctx, settings, _WORK);
    run.note(
      `random search: ${settings.randomSearchCount} architectures, best by BN-recalibrated ` +
        `validation accuracy on the ground-truth SuperNet; training free: W0 = SuperNet(seed), ` +
        `Wt = SuperNet(seed + ${UNTRAINED_SEED_OFFSET}), no training`,
    );
    const rows: BenchmarkRow[] = [];
    const name = (id: RowId) => ROWS.find((r) => r.id === id)!.name;
    try {
      await run.prefetch();
      for (const dataset of ctx.datasets) {
        const info = DATASET_INFO[dataset];
        for (const seed of ctx.seeds) {
          for (
            const [id, init] of [["training-free-normal", "normal"], [
              "training-free-uniform",
              "pytorch-uniform",
            ]] as const
          ) {
            const t0 = performance.now();
            const scorer = await run.untrainedScorer("angle", {
              numClasses: info.numClasses,
              inputSize: info.size as 32 | 16,
              channels: settings.channels,
              init,
              seedA: seed,
              seedB: seed + UNTRAINED_SEED_OFFSET,
            });
            let f: Found;
            try {
              f = await evolveAndLookup(
                scorer.fitness,
                run.evolutionFor("angle"),
                seed,
                run.table,
                dataset,
              );
            } finally {
              scorer.dispose();
            }
            ctx.log(`  ${dataset} seed ${seed} ${id}: ${f.arch} test ${f.testAcc.toFixed(2)}`);
            rows.push({
              method: id,
              dataset,
              seed,
              row_name: name(id),
              init,
              seed_w0: seed,
              seed_wt: seed + UNTRAINED_SEED_OFFSET,
              labels: "",
              metric: "angle (untrained)",
              arch: f.arch,
              nb201_index: f.nb201Index,
              fitness: round(f.fitness, 6),
              valid_acc: f.validAcc,
              test_acc: f.testAcc,
              scored: f.scored,
              ..._EMPTY_TRAINING,
              channels: settings.channels,
              search_s: round((performance.now() - t0) / 1000, 1),
            });
          }
          const gt = await run.supernet({ dataset, labels: "ground-truth", seed });
          const scorer = await run.scorer("accuracy", gt);
          const t0 = performance.now();
          const rs = await randomSearchAndLookup(
            scorer.fitness,
            settings.randomSearchCount,
            seed,
            run.table,
            dataset,
          );
          ctx.log(
            `  ${dataset} seed ${seed} random-search: ${rs.arch} test ${rs.testAcc.toFixed(2)}`,
          );
          rows.push({
            method: "random-search",
            dataset,
            seed,
            row_name: name("random-search"),
            init: "pytorch-uniform",
            seed_w0: "",
            seed_wt: "",
            ...(await resultColumns(run, dataset, {
              ...rs,
              supernet: gt,
              scorer,
              searchSeconds: (performance.now() - t0) / 1000,
            })),
          });
          const r = await searchWithMetric(run, {
            dataset,
            labels: "random-uniform-once",
            seed,
          }, "angle");
          rows.push({
            method: "rlnas",
            dataset,
            seed,
            row_name: name("rlnas"),
            init: "pytorch-uniform",
            seed_w0: "",
            seed_wt: "",
            ...(await resultColumns(run, dataset, r)),
          });
        }
      }
    } finally {
      run.dispose();
    }
    const files = [await ctx.write("runs", RUN_COLUMNS, rows)];
    return withSummary(files, run.notes, await table7.summarize!(ctx));
  },
  summarize: (ctx) =>
    summarizeRuns(ctx, {
      benchmark: "table7",
      summary: {
        values: ["test_acc"],
        extraColumns: ["row_name", "paper_test_acc", "paper_test_acc_std"],
        extra: (k) => {
          const ref = TABLE7[k.method as RowId]?.[k.dataset as DatasetName];
          return {
            row_name: ROWS.find((r) => r.id === k.method)?.name ?? "",
            paper_test_acc: ref?.[0] ?? "",
            paper_test_acc_std: ref?.[1] ?? "",
          };
        },
      },
      comparisons: (rows, paper) =>
        testAccComparisons(
          rows,
          ROWS,
          (m, d) => TABLE7[m as RowId]?.[d]?.[0] ?? null,
          paper ? PAPER_TEST_ACC_TOLERANCE : null,
        ),
      checks: TABLE7_CHECKS,
    }),
  runsFile: "runs",
  smoke: TABLE7_CHECKS.smoke,
  checks: nb201Checks(TABLE7_CHECKS),
  plan: (ctx) => nb201Plan(ctx, nb201Settings(ctx.profile), _WORK),
};
