/**
 * Writes the RLNAS angle (spec §3) of all 15,625 NB201 architectures of trained SuperNets as
 * result files, so that the angle baseline can be compared against without training:
 * `<out>/<dataset>-<labels>-seed<seed>.csv` with columns `nb201_index`, `arch`, `angle` (float64,
 * the default precision) and `angle_float32` (the official code's precision), one row per
 * architecture in enumeration order, plus a `.json` sidecar naming the SuperNet (cache key,
 * training configuration of its `run.json`, final epoch), the git revision and how the angle was
 * computed, and the Kendall tau of the angle against the NB201 test accuracy.
 *
 * ```
 * deno run -A tools/export_angle_scores.ts --out results/angle-scores/quick <run dir>...
 * ```
 *
 * Each run dir is one entry of the SuperNet cache (`.cache/supernets/<key>`), complete (its last
 * epoch written); files are written atomically and their checkpoints verified against the
 * entry's `checksums.json`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { resolveDataDir } from "../datasets/data_dir.ts";
import { parseDatasetName } from "../datasets/image_set.ts";
import { loadNb201Table } from "../datasets/nb201_table.ts";
import { angleAll, precomputeAngleStats } from "../metrics/angle.ts";
import { writeFileAtomic } from "../reporting/atomic.ts";
import { toCsv } from "../reporting/csv.ts";
import { gitRevision } from "../reporting/provenance.ts";
import {
  genotypeFromIndex,
  genotypeToString,
  NB201_SIZE,
} from "../search_spaces/nb201/encoding.ts";
import { officialKendallTau } from "../stats/ranking.ts";
import {
  epochFile,
  listWeightEpochs,
  loadWeights,
  verifyCheckpointFile,
} from "../training/checkpoint.ts";

const USAGE =
  "usage: deno run -A tools/export_angle_scores.ts --out DIR [--data-dir DIR] <run dir>...";

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: { out: { type: "string" }, "data-dir": { type: "string" } },
  allowPositionals: true,
});
if (values.out === undefined || positionals.length === 0) {
  console.error(USAGE);
  Deno.exit(2);
}
const out = values.out;
await Deno.mkdir(out, { recursive: true });
const rev = await gitRevision();
const table = await loadNb201Table(resolveDataDir(values["data-dir"]));

for (const dir of positionals) {
  const run = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
  const epochs = await listWeightEpochs(dir);
  if (!epochs.includes(run.epochs)) {
    console.error(
      `${dir}: training not complete (epochs kept: ${epochs.join(", ")}; expected ${run.epochs})`,
    );
    Deno.exit(1);
  }
  for (const e of [0, run.epochs]) await verifyCheckpointFile(epochFile(dir, e));
  const w0 = (await loadWeights(dir, 0)).weights;
  const wt = (await loadWeights(dir, run.epochs)).weights;
  const angle = angleAll(precomputeAngleStats(w0, wt, run.numClasses));
  const angle32 = angleAll(precomputeAngleStats(w0, wt, run.numClasses, { precision: "float32" }));
  const dataset = parseDatasetName(run.dataset);
  const tau = officialKendallTau(angle, table.column(dataset, "test"));
  const rows = Array.from({ length: NB201_SIZE }, (_, i) => ({
    nb201_index: i,
    arch: genotypeToString(genotypeFromIndex(i)),
    angle: angle[i],
    angle_float32: angle32[i],
  }));
  const stem = `${out}/${run.dataset}-${run.labels}-seed${run.seed}`;
  await writeFileAtomic(
    `${stem}.csv`,
    toCsv(["nb201_index", "arch", "angle", "angle_float32"], rows),
  );
  const key = dir.replace(/\/+$/, "").split("/").at(-1);
  await writeFileAtomic(
    `${stem}.json`,
    JSON.stringify(
      {
        csv: `${stem.split("/").at(-1)}.csv`,
        metric: "angle",
        higher_is_better: true,
        definition: "spec §3: angle between the concatenated W0 and Wt weights of the path " +
          "(stem, cells' chosen ops, classifier), one value per angle tie class",
        precision: { angle: "float64", angle_float32: "float32 (the official GPU code)" },
        supernet: { key, final_epoch: run.epochs, run },
        tau_vs_nb201_test: { dataset, tau, convention: "official (ranks, then scipy kendalltau)" },
        git_rev: rev,
        written: new Date().toISOString(),
      },
      null,
      2,
    ) + "\n",
  );
  console.log(`${stem}.csv: ${NB201_SIZE} architectures, tau vs ${dataset} test ${tau.toFixed(4)}`);
}
