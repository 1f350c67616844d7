/**
 * `table6`: RLNAS Table 6, the four random-label generators: (1) uniform labels drawn once
 * (`random-uniform-once`, the default), (2) ground-truth labels shuffled once
 * (`random-shuffle-once`), (3) uniform labels drawn every iteration
 * (`random-uniform-per-iteration`), (4) ground-truth labels shuffled every iteration
 * (`random-shuffle-per-iteration`); definitions of (2)-(4) are UNCONFIRMED (spec §2.2, see
 * `labels/schemes.ts`). Per generator: train the SuperNet (cached; (1) is table1's C/D SuperNet),
 * search with the angle (spec §5.1), report the NB201 test accuracy; mean ± std over seeds.
 *
 * Files: `runs.csv` (per generator, dataset, seed) and `summary.csv`.
 *
 * @module
 */
import type { Benchmark, BenchmarkRow, DatasetName, ProfileName } from "../types.ts";
import { comparableChecks, type Nb201CheckSpec } from "../_nb201/checks.ts";
import { nb201Plan } from "../_nb201/plan.ts";
import { RESULT_COLUMNS, resultColumns, searchWithMetric } from "../_nb201/methods.ts";
import {
  DEFAULT_DATASETS,
  DEFAULT_SEEDS,
  NB201_DATASETS,
  profileInfos,
} from "../_nb201/profiles.ts";
import { Nb201Run, type Nb201Work } from "../_nb201/run.ts";
import { type Nb201Settings, nb201Settings } from "../_nb201/settings.ts";
import {
  nb201Checks,
  summarizeRuns,
  testAccComparisons,
  withSummary,
} from "../_nb201/summary_file.ts";
import {
  type GeneratorId,
  GENERATORS,
  PAPER_TEST_ACC_TOLERANCE,
  QUICK_COMPARABLE_POINTS,
  SMOKE_MIN_TOLERANCE,
  SMOKE_SPREAD,
  SMOKE_TOLERANCE_FACTOR,
  TABLE6,
} from "./reference.ts";

/** Columns of `runs.csv` after the provenance columns. */
export const RUN_COLUMNS = ["symbol", ...RESULT_COLUMNS] as const;

/**
 * Table 6 trains four SuperNets per dataset and seed: at `quick` each uses 2,500 images and 6
 * epochs (4 x 6 x 2,500 images at the measured ~21 img/s = ~48 min on 2 CPU cores).
 */
export const TABLE6_OVERRIDES: Partial<
  Record<"smoke" | "quick" | "paper", Partial<Nb201Settings>>
> = {
  quick: { trainImages: 2500, epochs: 6 },
};

const _NAMES = GENERATORS.map((g) => ({ id: g.id, name: `RLNAS${g.symbol} ${g.id}` }));

/** What the verdict checks (per profile, see `_nb201/checks.ts`). */
export const TABLE6_CHECKS: Nb201CheckSpec = {
  smoke: {
    column: "test_acc",
    spread: SMOKE_SPREAD,
    factor: SMOKE_TOLERANCE_FACTOR,
    floor: SMOKE_MIN_TOLERANCE,
  },
  findings: (rows) =>
    comparableChecks(rows, "test_acc", _NAMES[0], _NAMES[1], QUICK_COMPARABLE_POINTS),
  paper: {
    column: "test_acc",
    reference: (m, d) => TABLE6[m as GeneratorId]?.[d as DatasetName]?.[0] ?? null,
    tolerance: PAPER_TEST_ACC_TOLERANCE,
  },
};

/** The four SuperNets of one dataset and seed, one per generator. */
const _WORK: Nb201Work = {
  supernets: (dataset, seed) => GENERATORS.map((g) => ({ dataset, labels: g.labels, seed })),
};

function _settings(profile: ProfileName): Nb201Settings {
  return nb201Settings(profile, TABLE6_OVERRIDES[profile]);
}

/** The registered benchmark. */
export const table6: Benchmark = {
  name: "table6",
  paperTable: "Table 6",
  description: "four random-label generators (uniform/shuffle x once/per iteration), angle search",
  profiles: profileInfos({
    smoke: "~1 min per dataset and seed on 2 CPU cores (4 SuperNets)",
    quick:
      "4 SuperNets, 2 at a time: ~25 min per dataset and seed on 2 CPU cores (~48 with --jobs 1)",
    paper: "4 x 250-epoch SuperNets per dataset and seed: GPU only",
  }, TABLE6_OVERRIDES),
  datasets: NB201_DATASETS,
  defaultDatasets: DEFAULT_DATASETS,
  defaultSeeds: DEFAULT_SEEDS,
  usesTensors: true,
  async run(ctx) {
    const run = await Nb201Run.start(ctx, _settings(ctx.profile), _WORK);
    run.note(
      "generators (2)-(4) have no official code (spec §2.2): shuffles permute the labels of the " +
        "training images present; per-iteration schemes redraw each batch's labels",
    );
    const rows: BenchmarkRow[] = [];
    try {
      await run.prefetch();
      for (const dataset of ctx.datasets) {
        for (const seed of ctx.seeds) {
          for (const g of GENERATORS) {
            const r = await searchWithMetric(run, { dataset, labels: g.labels, seed }, "angle");
            rows.push({
              method: g.id,
              dataset,
              seed,
              symbol: g.symbol,
              ...(await resultColumns(run, dataset, r)),
            });
          }
        }
      }
    } finally {
      run.dispose();
    }
    const files = [await ctx.write("runs", RUN_COLUMNS, rows)];
    return withSummary(files, run.notes, await table6.summarize!(ctx));
  },
  summarize: (ctx) =>
    summarizeRuns(ctx, {
      benchmark: "table6",
      summary: {
        values: ["test_acc"],
        extraColumns: ["paper_test_acc", "paper_test_acc_std"],
        extra: (k) => {
          const ref = TABLE6[k.method as GeneratorId]?.[k.dataset as DatasetName];
          return { paper_test_acc: ref?.[0] ?? "", paper_test_acc_std: ref?.[1] ?? "" };
        },
      },
      comparisons: (rows, paper) =>
        testAccComparisons(
          rows,
          _NAMES,
          (m, d) => TABLE6[m as GeneratorId]?.[d]?.[0] ?? null,
          paper ? PAPER_TEST_ACC_TOLERANCE : null,
        ),
      checks: TABLE6_CHECKS,
    }),
  runsFile: "runs",
  smoke: TABLE6_CHECKS.smoke,
  checks: nb201Checks(TABLE6_CHECKS),
  plan: (ctx) => nb201Plan(ctx, _settings(ctx.profile), _WORK),
};
