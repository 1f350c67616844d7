/**
 * Opt-in cross-check of the TensorFlow.js SuperNet against the PyTorch reference
 * (`tools/pytorch_supernet.py`; NOT part of CI). It builds a SuperNet, moves its BN running
 * statistics with two train-mode forwards, perturbs the BN affine parameters, writes the weights as
 * a safetensors checkpoint plus an input batch, runs eval-mode forwards (several genotypes) and a
 * train-mode forward + cross-entropy backward (per-cell sampled paths) in both frameworks, and
 * reports the largest differences of logits, gradients and updated running statistics.
 *
 * ```sh
 * npx deno run -A tools/crosscheck_pytorch.ts [--backend wasm|cpu] [--python /usr/bin/python3]
 *   [--channels 16] [--cells 5] [--classes 10] [--input 32] [--batch 4] [--seed 0] [--keep DIR]
 * ```
 * Exit code 1 when a difference exceeds the tolerance (1e-4 relative to the largest magnitude).
 *
 * @module
 */
import { maxDiff } from "../backends/_test_util.ts";
import { initBackend } from "../backends/backend.ts";
import { tf } from "../backends/tf.ts";
import type { Tensor4D } from "../backends/tf.ts";
import { RandomState } from "../labels/random_state.ts";
import type { Genotype } from "../search_spaces/nb201/encoding.ts";
import { samplePaths, uniformPaths } from "../search_spaces/nb201/sampling.ts";
import { SuperNet } from "../search_spaces/nb201/supernet.ts";
import { type NamedTensor, readSafetensors, writeSafetensors } from "../training/safetensors.ts";

interface Case {
  name: string;
  mode: "eval" | "train";
  paths: number[][];
  labels?: number[];
}

function _arg(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < Deno.args.length ? Deno.args[i + 1] : fallback;
}

async function _toTorch(name: string, g: tf.Tensor): Promise<NamedTensor> {
  const t = g.rank === 4
    ? tf.transpose(g, [3, 2, 0, 1])
    : name === "classifier.weight"
    ? tf.transpose(g)
    : tf.clone(g);
  const data = await t.data() as Float32Array;
  const shape = [...t.shape];
  t.dispose();
  return { shape, data };
}

/** Runs one case on the tfjs net (weights reloaded first); names as in pytorch_supernet.py. */
async function _runCase(
  net: SuperNet,
  weights: Map<string, NamedTensor>,
  x: Tensor4D,
  c: Case,
): Promise<Map<string, NamedTensor>> {
  net.importWeights(weights);
  const out = new Map<string, NamedTensor>();
  const paths = c.paths as unknown as Genotype[];
  if (c.mode === "eval") {
    const y = net.forward(x, paths, false);
    out.set("logits", { shape: [...y.shape], data: await y.data() as Float32Array });
    y.dispose();
    return out;
  }
  let logits: tf.Tensor2D | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const l = net.forward(x, paths, true);
    logits = tf.keep(l);
    const onehot = tf.oneHot(tf.tensor1d(c.labels!, "int32"), net.config.numClasses);
    return tf.losses.softmaxCrossEntropy(onehot, l) as tf.Scalar;
  }, [...net.params.values()]);
  out.set("logits", { shape: [...logits!.shape], data: await logits!.data() as Float32Array });
  out.set("loss", { shape: [1], data: await value.data() as Float32Array });
  for (const [name, v] of net.params) {
    const g = grads[v.name];
    if (g !== undefined) out.set(`grad.${name}`, await _toTorch(name, g));
  }
  for (const [name, t] of await net.exportWeights({ buffers: true })) {
    if (name.includes("running_")) out.set(`buffer.${name}`, t);
  }
  tf.dispose([value, logits!, ...Object.values(grads)]);
  return out;
}

async function main(): Promise<number> {
  const backend = _arg("backend", "wasm");
  const python = _arg("python", "/usr/bin/python3");
  const channels = Number(_arg("channels", "16"));
  const cellsPerStage = Number(_arg("cells", "5"));
  const numClasses = Number(_arg("classes", "10"));
  const inputSize = Number(_arg("input", "32")) as 32 | 16;
  const batch = Number(_arg("batch", "4"));
  const seed = Number(_arg("seed", "0"));
  const keep = Deno.args.includes("--keep") ? _arg("keep", "") : "";
  const info = await initBackend(backend);
  const dir = keep || await Deno.makeTempDir({ prefix: "rlnas-crosscheck-" });
  if (keep) await Deno.mkdir(dir, { recursive: true });
  const net = new SuperNet({ numClasses, inputSize, channels, cellsPerStage, seed });
  const nCells = net.numSearchCells;
  const rs = new RandomState(seed + 1);
  const x = tf.tensor4d(
    Float32Array.from(rs.standardNormal(batch * inputSize * inputSize * 3)),
    [batch, inputSize, inputSize, 3],
  );
  try {
    // non-trivial BN state: two train-mode forwards, then perturbed affine parameters
    for (let s = 0; s < 2; s++) net.forward(x, samplePaths(rs, nCells), true).dispose();
    const weights = await net.exportWeights({ buffers: true });
    for (const [name, t] of weights) {
      if (t.shape.length === 1 && /\.(weight|bias)$/.test(name) && !name.startsWith("classifier")) {
        const u = rs.rand(t.data.length);
        t.data.forEach((v, i) => t.data[i] = v + 0.2 * (u[i] - 0.5));
      }
    }
    const labels = Array.from(rs.randint(0, numClasses, batch));
    const cases: Case[] = [
      ...["333333", "241034", "100402", "444444", "111111", "300300", "000000"].map((s) => ({
        name: `eval-${s}`,
        mode: "eval" as const,
        paths: uniformPaths([...s].map(Number), nCells).map((g) => [...g]),
      })),
      ...[0, 1].map((k) => ({
        name: `train-${k}`,
        mode: "train" as const,
        paths: samplePaths(rs, nCells).map((g) => [...g]),
        labels,
      })),
    ];
    await writeSafetensors(`${dir}/checkpoint.safetensors`, weights, { seed: `${seed}` });
    await writeSafetensors(
      `${dir}/inputs.safetensors`,
      new Map([["x", { shape: [...x.shape], data: await x.data() as Float32Array }]]),
    );
    await Deno.writeTextFile(
      `${dir}/cases.json`,
      JSON.stringify({ channels, cellsPerStage, numClasses, cases }),
    );
    const script = new URL("./pytorch_supernet.py", import.meta.url).pathname;
    const t0 = performance.now();
    const proc = await new Deno.Command(python, {
      args: [
        script,
        "run",
        "--checkpoint",
        `${dir}/checkpoint.safetensors`,
        "--inputs",
        `${dir}/inputs.safetensors`,
        "--cases",
        `${dir}/cases.json`,
        "--out",
        `${dir}/torch_out.safetensors`,
      ],
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (!proc.success) throw new Error(`${python} ${script} failed (exit ${proc.code})`);
    const torchMs = performance.now() - t0;
    const { tensors: ref, metadata } = await readSafetensors(`${dir}/torch_out.safetensors`);
    console.log(
      `backend ${info.name} (${info.device}); torch ${metadata.torch}; C=${channels} N=${cellsPerStage} ` +
        `classes=${numClasses} input=${inputSize} batch=${batch}; torch run ${
          (torchMs / 1000).toFixed(1)
        } s`,
    );
    let worst = 0;
    const mine = new Map<string, NamedTensor>();
    for (const c of cases) {
      for (const [k, v] of await _runCase(net, weights, x, c)) mine.set(`${c.name}/${k}`, v);
    }
    const groups = new Map<string, { diff: number; scale: number; n: number }>();
    for (const [name, t] of ref) {
      const m = mine.get(name);
      const [cname, kind] = [name.split("/")[0], name.split("/")[1].split(".")[0]];
      const key = `${cname} ${kind}`;
      const gr = groups.get(key) ?? { diff: 0, scale: 0, n: 0 };
      if (m === undefined) {
        // PyTorch keeps ops reached only through `none` edges in the graph: zero gradients
        const { scale } = maxDiff(t.data, new Float32Array(t.data.length));
        gr.diff = Math.max(gr.diff, scale);
      } else {
        const { diff, scale } = maxDiff(m.data, t.data);
        gr.diff = Math.max(gr.diff, diff);
        gr.scale = Math.max(gr.scale, scale);
      }
      gr.n++;
      groups.set(key, gr);
    }
    for (const name of mine.keys()) {
      if (!ref.has(name)) throw new Error(`tfjs produced ${name}, PyTorch did not`);
    }
    for (const [key, g] of groups) {
      const rel = g.diff / Math.max(g.scale, 1e-12);
      worst = Math.max(worst, rel);
      console.log(
        `${key.padEnd(22)} tensors ${String(g.n).padStart(4)}  max|diff| ${
          g.diff.toExponential(2)
        }  max|ref| ${g.scale.toExponential(2)}  rel ${rel.toExponential(2)}`,
      );
    }
    console.log(`worst relative difference ${worst.toExponential(2)} (tolerance 1e-4)`);
    if (!keep) await Deno.remove(dir, { recursive: true });
    else console.log(`files kept in ${dir}`);
    return worst <= 1e-4 ? 0 : 1;
  } finally {
    x.dispose();
    net.dispose();
  }
}

if (import.meta.main) Deno.exit(await main());
