/**
 * Diagnostic of the zero-cost proxies at full size (issue 12's fidelity notes): on the network and
 * batch `bench compare` uses (C=16, N=5, 32x32 CIFAR-10, the proxy batch of 64 augmented train
 * images drawn with `--batch-seed`), for `--archs N` architectures of NASLib's file (the
 * `naslib:N` sample):
 *
 * - `--pytorch`: our score next to PyTorch's on the SAME network init and batch
 *   (`tools/zc_fullsize_check.py`, exact autograd; run with Debian's python3-torch), so a
 *   difference in definition or a finite-difference error shows as a relative difference;
 * - always: Spearman rho between our scores with two batches (`--batch-seed` and `--batch-seed`+1,
 *   same network init), i.e. how much a proxy's ranking depends on the batch alone.
 *
 * ```
 * deno run -A tools/zc_fullsize_check.ts --metric plain,epe_nas,grasp --archs 8 [--pytorch --python /usr/bin/python3]
 * ```
 *
 * Opt-in tool, not part of CI; prints a table, writes nothing in the tree.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { initBackend } from "../backends/backend.ts";
import { resolveDataDir } from "../datasets/data_dir.ts";
import { loadSearchData } from "../datasets/splits.ts";
import { getMetric } from "../metrics/registry.ts";
import type { ProxyBatch } from "../metrics/metric.ts";
import { createNb201Network } from "../search_spaces/nb201/network.ts";
import { genotypeFromIndex } from "../search_spaces/nb201/encoding.ts";
import { proxyBatch } from "../benchmarks/_nb201/metric_scorer.ts";
import { selectArchs } from "../benchmarks/compare/archs.ts";
import { spearman } from "../stats/correlation.ts";

const { values } = parseArgs({
  options: {
    metric: { type: "string", default: "plain,epe_nas,grasp" },
    archs: { type: "string", default: "8" },
    "batch-seed": { type: "string", default: "0" },
    "net-seed": { type: "string", default: "0" },
    pytorch: { type: "boolean", default: false },
    python: { type: "string", default: "python3" },
  },
});
const names = values.metric!.split(",");
const n = Number(values.archs);
const batchSeed = Number(values["batch-seed"]);
const netSeed = Number(values["net-seed"]);
await initBackend("wasm");
const dir = resolveDataDir();
const { train } = await loadSearchData(dir, "cifar10");
const { indices } = await selectArchs({ kind: "naslib", n }, "cifar10", dir);
const genotypes = Array.from(indices, (i) => Array.from(genotypeFromIndex(i)));
const batches = [proxyBatch(train, 64, batchSeed), proxyBatch(train, 64, batchSeed + 1)];

async function scoresOf(name: string, batch: ProxyBatch): Promise<number[]> {
  const m = getMetric(name);
  const s = await m.create({
    network: (g) => createNb201Network(g, { numClasses: 10, inputSize: 32, seed: netSeed }),
    batch,
    seed: netSeed,
  });
  try {
    return Array.from(await s(genotypes));
  } finally {
    s.dispose();
  }
}

const ours: Record<string, number[][]> = {};
for (const name of names) {
  ours[name] = [await scoresOf(name, batches[0]), await scoresOf(name, batches[1])];
  console.log(
    `${name}: rho(batch seed ${batchSeed}, batch seed ${batchSeed + 1}) over ${n} archs = ${
      spearman(ours[name][0], ours[name][1]).toFixed(3)
    }`,
  );
}
if (values.pytorch) {
  const input = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(
    input,
    JSON.stringify({
      metrics: names,
      genotypes,
      seed: netSeed,
      x_nhwc: Array.from(batches[0].x),
      labels: Array.from(batches[0].labels),
      count: 64,
      side: 32,
    }),
  );
  const out = await new Deno.Command(values.python!, {
    args: [new URL("./zc_fullsize_check.py", import.meta.url).pathname, input],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  await Deno.remove(input);
  if (!out.success) throw new Error("tools/zc_fullsize_check.py failed");
  const theirs: Record<string, number[]> = JSON.parse(new TextDecoder().decode(out.stdout));
  for (const name of names) {
    const rel = theirs[name].map((t, i) =>
      Math.abs(ours[name][0][i] - t) / Math.max(Math.abs(t), 1e-12)
    );
    console.log(
      `${name}: ours vs PyTorch (same init and batch), relative difference per arch: ` +
        rel.map((r) => r.toExponential(1)).join(" ") +
        `; rho(ours, PyTorch) = ${spearman(ours[name][0], theirs[name]).toFixed(3)}`,
    );
  }
}
