/**
 * How the angle ranking forms during SuperNet training: for every epoch checkpoint of a cached
 * SuperNet run directory, the angle of all 15,625 architectures against epoch 0, its Kendall tau
 * against NB201 test accuracy (official convention), and the NB201 test accuracy of the
 * angle-best architecture and the mean of the angle-top-10.
 *
 * ```
 * deno run -A tools/angle_by_epoch.ts <run dir> [dataset (default cifar10)] [data dir]
 * ```
 *
 * The run dir is one entry of the SuperNet cache (`.cache/supernets/<key>` or
 * `$RLNAS_CACHE_DIR/<key>`), holding `epoch-000.safetensors` ... and `run.json`. Only the epochs
 * whose weights are kept are listed: train with `--keep-every 1` to keep every epoch.
 *
 * @module
 */
import { resolveDataDir } from "../datasets/data_dir.ts";
import { parseDatasetName } from "../datasets/image_set.ts";
import { loadNb201Table } from "../datasets/nb201_table.ts";
import { angleAll, precomputeAngleStats } from "../metrics/angle.ts";
import { genotypeFromIndex, genotypeToString } from "../search_spaces/nb201/encoding.ts";
import { officialKendallTau } from "../stats/ranking.ts";
import { listWeightEpochs, loadWeights } from "../training/checkpoint.ts";

const [dir, datasetArg = "cifar10", dataArg] = Deno.args;
if (dir === undefined) {
  console.error("usage: deno run -A tools/angle_by_epoch.ts <run dir> [dataset] [data dir]");
  Deno.exit(2);
}
const dataset = parseDatasetName(datasetArg);
const table = await loadNb201Table(resolveDataDir(dataArg));
const test = table.column(dataset, "test");
const run = JSON.parse(await Deno.readTextFile(`${dir}/run.json`));
const epochs = (await listWeightEpochs(dir)).filter((e) => e > 0);
const w0 = (await loadWeights(dir, 0)).weights;
console.log(
  `${dir}: ${run.labels}, seed ${run.seed}, ${run.images} images, ${run.epochs} epochs ` +
    `(${dataset} test acc: NB201 mean ${
      (test.reduce((a, b) => a + b, 0) / test.length).toFixed(2)
    })`,
);
console.log("epoch  tau     top1_test  top10_mean  top1_arch");
for (const e of epochs) {
  const wt = (await loadWeights(dir, e)).weights;
  const angle = angleAll(precomputeAngleStats(w0, wt, run.numClasses));
  const tau = officialKendallTau(angle, test);
  const order = Array.from(angle.keys()).sort((a, b) => angle[b] - angle[a]);
  const top10 = order.slice(0, 10).reduce((s, i) => s + test[i], 0) / 10;
  console.log(
    `${String(e).padStart(5)}  ${tau.toFixed(4)}  ${test[order[0]].toFixed(2).padStart(9)}  ` +
      `${top10.toFixed(2).padStart(10)}  ${genotypeToString(genotypeFromIndex(order[0]))}`,
  );
}
