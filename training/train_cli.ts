/**
 * Command line for SuperNet training (the trainer of `trainer.ts`), e.g. the acceptance smoke:
 *
 * ```sh
 * npx deno run -A training/train_cli.ts --dataset cifar10 --images 512 --epochs 2 \
 *   --labels random-uniform-once --seed 0 --out /tmp/run --backend wasm
 * # after a kill: the same command with --resume continues from the last complete checkpoint
 * ```
 *
 * Prints the data notes, one line per epoch, and a final `done` line; exits with status 1 and a
 * message on bad arguments, missing data or a diverged run.
 *
 * @module
 */
import { initBackend } from "../backends/backend.ts";
import { resolveDataDir } from "../datasets/data_dir.ts";
import { parseDatasetName } from "../datasets/image_set.ts";
import { loadSearchData } from "../datasets/splits.ts";
import { labelSchemeNames } from "../labels/schemes.ts";
import { formatEpoch, trainSuperNet } from "./trainer.ts";
import type { ZeroGradSemantics } from "./sgd.ts";

/** Parsed command line of {@link main}. */
export interface TrainCliArgs {
  dataset: string;
  images?: number;
  epochs: number;
  labels: string;
  classes?: number;
  seed: number;
  out: string;
  resume: boolean;
  backend: string;
  dataDir?: string;
  batchSize: number;
  channels: number;
  cellsPerStage: number;
  zeroGrad: ZeroGradSemantics;
  lrMax?: number;
  lrMin?: number;
  progressEvery: number;
  stopAfterSteps?: number;
  quiet: boolean;
}

const _USAGE = `usage: deno run -A training/train_cli.ts --out DIR [options]
  --dataset NAME         cifar10 | cifar100 | ImageNet16-120 (default cifar10)
  --images N             train on the first N images of the SuperNet training set
  --epochs E             epochs (default 250)
  --labels SCHEME        label scheme (default random-uniform-once): ${
  labelSchemeNames().join(", ")
}
  --classes K            random-label class count K (default: the dataset's)
  --seed S               run seed (default 0)
  --out DIR              checkpoint directory (required)
  --resume               continue from the latest complete checkpoint in DIR
  --backend NAME         wasm | cpu | webgpu | tensorflow (default wasm)
  --data-dir DIR         data directory (default: RLNAS_DATA_DIR or ../shared/data)
  --batch-size B         batch size (default 64)
  --channels C           SuperNet channels (default 16)
  --cells-per-stage N    search cells per stage (default 5)
  --zero-grad MODE       pytorch1 | set-to-none (default pytorch1)
  --lr-max X, --lr-min X cosine schedule bounds (default 0.025, 0.001)
  --progress-every N     batch progress line every N steps (default 50)
  --stop-after-steps N   stop after N steps in total, without a checkpoint (kill simulation)
  --quiet                no per-batch lines`;

const _FLAGS = new Set([
  "dataset",
  "images",
  "epochs",
  "labels",
  "classes",
  "seed",
  "out",
  "backend",
  "data-dir",
  "batch-size",
  "channels",
  "cells-per-stage",
  "zero-grad",
  "lr-max",
  "lr-min",
  "progress-every",
  "stop-after-steps",
]);
const _SWITCHES = new Set(["resume", "quiet", "help"]);

function _int(flag: string, v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n)) {
    throw new RangeError(`--${flag} must be a non-negative integer, got "${v}"`);
  }
  return n;
}

function _num(flag: string, v: string): number {
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n)) {
    throw new RangeError(`--${flag} must be a number, got "${v}"`);
  }
  return n;
}

/** Parse the command line; throws `RangeError` naming a bad flag or value (and the usage). */
export function parseTrainArgs(argv: readonly string[]): TrainCliArgs | "help" {
  const v = new Map<string, string>();
  const on = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (m === null) throw new RangeError(`unexpected argument "${a}"\n${_USAGE}`);
    const [, name, inline] = m;
    if (_SWITCHES.has(name)) {
      if (inline !== undefined) throw new RangeError(`--${name} takes no value`);
      on.add(name);
    } else if (_FLAGS.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new RangeError(`--${name} needs a value`);
      v.set(name, value);
    } else {
      throw new RangeError(`unknown flag --${name}\n${_USAGE}`);
    }
  }
  if (on.has("help")) return "help";
  const out = v.get("out");
  if (out === undefined) throw new RangeError(`--out DIR is required\n${_USAGE}`);
  const zeroGrad = v.get("zero-grad") ?? "pytorch1";
  if (zeroGrad !== "pytorch1" && zeroGrad !== "set-to-none") {
    throw new RangeError(`--zero-grad must be pytorch1 or set-to-none, got "${zeroGrad}"`);
  }
  const opt = (flag: string, f: (flag: string, s: string) => number): number | undefined => {
    const s = v.get(flag);
    return s === undefined ? undefined : f(flag, s);
  };
  return {
    dataset: parseDatasetName(v.get("dataset") ?? "cifar10"),
    images: opt("images", _int),
    epochs: opt("epochs", _int) ?? 250,
    labels: v.get("labels") ?? "random-uniform-once",
    classes: opt("classes", _int),
    seed: opt("seed", _int) ?? 0,
    out,
    resume: on.has("resume"),
    backend: v.get("backend") ?? "wasm",
    dataDir: v.get("data-dir"),
    batchSize: opt("batch-size", _int) ?? 64,
    channels: opt("channels", _int) ?? 16,
    cellsPerStage: opt("cells-per-stage", _int) ?? 5,
    zeroGrad,
    lrMax: opt("lr-max", _num),
    lrMin: opt("lr-min", _num),
    progressEvery: opt("progress-every", _int) ?? 50,
    stopAfterSteps: opt("stop-after-steps", _int),
    quiet: on.has("quiet"),
  };
}

/** Run the CLI; returns the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  let args: TrainCliArgs | "help";
  try {
    args = parseTrainArgs(argv);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  if (args === "help") {
    console.log(_USAGE);
    return 0;
  }
  try {
    const backend = await initBackend(args.backend);
    const dataDir = resolveDataDir(args.dataDir);
    const data = await loadSearchData(dataDir, parseDatasetName(args.dataset), {
      trainLimit: args.images,
    });
    // the notes about the training images (the valid set plays no part in SuperNet training)
    for (const n of data.notes) if (!/`x?valid`|x?valid: /.test(n)) console.log(n);
    console.log(
      `backend ${backend.name} (${backend.device}); data ${dataDir.path}; ` +
        `${data.train.count} training images; checkpoints in ${args.out}`,
    );
    const t0 = performance.now();
    const res = await trainSuperNet({
      train: data.train,
      labels: args.labels,
      numClasses: args.classes,
      epochs: args.epochs,
      batchSize: args.batchSize,
      lrMax: args.lrMax,
      lrMin: args.lrMin,
      zeroGrad: args.zeroGrad,
      seed: args.seed,
      net: { channels: args.channels, cellsPerStage: args.cellsPerStage },
      checkpointDir: args.out,
      resume: args.resume,
      stopAfterSteps: args.stopAfterSteps,
      progressEvery: args.progressEvery,
      onEpoch: (p) => console.log(formatEpoch(p)),
      onBatch: args.quiet ? undefined : (p) =>
        console.log(
          `  epoch ${p.epoch} step ${p.step}/${p.steps}  loss ${p.loss.toFixed(4)}  ` +
            `acc ${p.accuracy.toFixed(4)}  ${Math.round(p.imagesPerSecond)} img/s`,
        ),
      info: { backend: backend.name },
    });
    res.net.dispose();
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(
      `${res.stopped ? "stopped" : "done"}: ${res.epochsDone}/${args.epochs} epochs, ` +
        `${res.globalStep} steps` +
        (res.resumedFrom === null ? "" : `, resumed from epoch ${res.resumedFrom}`) +
        `, ${secs} s, labels indexed by ${res.labelIndexing} index`,
    );
    return 0;
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
