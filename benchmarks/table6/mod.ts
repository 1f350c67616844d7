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
import type { Benchmark, BenchmarkRow } from "../types.ts";
import { RESULT_COLUMNS, resultColumns, searchWithMetric } from "../_nb201/methods.ts";
import {
  DEFAULT_DATASETS,
  DEFAULT_SEEDS,
  NB201_DATASETS,
  profileInfos,
} from "../_nb201/profiles.ts";
import { Nb201Run } from "../_nb201/run.ts";
import { type Nb201Settings, nb201Settings } from "../_nb201/settings.ts";
import { testAccComparisons, writeSummaryFile } from "../_nb201/summary_file.ts";
import { type GeneratorId, GENERATORS, PAPER_TEST_ACC_TOLERANCE, TABLE6 } from "./reference.ts";

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
    const run = await Nb201Run.start(
      ctx,
      nb201Settings(ctx.profile, TABLE6_OVERRIDES[ctx.profile]),
    );
    run.note(
      "generators (2)-(4) have no official code (spec §2.2): shuffles permute the labels of the " +
        "training images present; per-iteration schemes redraw each batch's labels",
    );
    const rows: BenchmarkRow[] = [];
    try {
      await run.prefetch((dataset, seed) =>
        GENERATORS.map((g) => ({ dataset, labels: g.labels, seed }))
      );
      for (const dataset of ctx.datasets) {
        for (const seed of ctx.seeds) {
          for (const g of GENERATORS) {
            const r = await searchWithMetric(run, { dataset, labels: g.labels, seed }, "angle");
            rows.push({
              method: g.id,
              dataset,
              seed,
              symbol: g.symbol,
              ...(await resultColumns(run, dataset, r, "angle")),
            });
          }
        }
      }
    } finally {
      run.dispose();
    }
    const files = [await ctx.write("runs", RUN_COLUMNS, rows)];
    const summary = await writeSummaryFile(ctx, {
      benchmark: "table6",
      values: ["test_acc"],
      extraColumns: ["paper_test_acc", "paper_test_acc_std"],
      extra: (k) => {
        const ref = TABLE6[k.method as GeneratorId]
          ?.[k.dataset as keyof typeof TABLE6["uniform-once"]];
        return { paper_test_acc: ref?.[0] ?? "", paper_test_acc_std: ref?.[1] ?? "" };
      },
    });
    files.push(summary.path);
    const comparisons = testAccComparisons(
      rows,
      _NAMES,
      (m, d) => TABLE6[m as GeneratorId]?.[d]?.[0] ?? null,
      ctx.profile === "paper" ? PAPER_TEST_ACC_TOLERANCE : null,
    );
    return { files, comparisons, notes: run.notes };
  },
};
