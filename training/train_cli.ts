/**
 * Command line for SuperNet training (the trainer of `trainer.ts`), e.g. the acceptance smoke:
 *
 * ```sh
 * npx deno run -A training/train_cli.ts --dataset cifar10 --images 512 --epochs 2 \
 *   --labels random-uniform-once --seed 0 --out /tmp/run --backend wasm
 * # after a kill: the same command with --resume continues from the last complete checkpoint
 * ```
 *
 * Flags and defaults: {@link TRAIN_FLAGS} (`--help`). Prints the data notes, one line per epoch,
 * and a final `done` line. Exit codes, as the other entry points (`cli/args.ts`): 0 success,
 * 2 usage error (one line `error: ...` naming the flag, the value and what is valid, before
 * anything is read or written), 1 runtime error (missing data, a diverged run, ...).
 *
 * @module
 */
import { BACKENDS, DEFAULT_BACKEND, initBackend } from "../backends/backend.ts";
import {
  flagHelp,
  type FlagSpec,
  intFlag,
  numberFlag,
  parseFlags,
  SEED_RANGE,
  stringFlag,
  UsageError,
} from "../cli/args.ts";
import { resolveDataDir } from "../datasets/data_dir.ts";
import { DATASET_NAMES, parseDatasetName } from "../datasets/image_set.ts";
import { loadSearchData } from "../datasets/splits.ts";
import {
  DATASET_NUM_CLASSES,
  DEFAULT_LABEL_SCHEME,
  getLabelScheme,
  labelSchemeNames,
} from "../labels/schemes.ts";
import { checkOutputDir } from "../cli/out_dir.ts";
import { DEFAULT_KEEP_EVERY } from "./checkpoint.ts";
import { formatEpoch, trainSuperNet } from "./trainer.ts";
import { ZERO_GRAD_SEMANTICS, type ZeroGradSemantics } from "./sgd.ts";

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
  keepEvery: number;
  stopAfterSteps?: number;
  quiet: boolean;
}

/** Largest `--classes` (the label schemes' limit). */
const _MAX_CLASSES = 0x7fffffff;

/** The flags of `train_cli.ts`. */
export const TRAIN_FLAGS: Readonly<Record<string, FlagSpec>> = {
  dataset: {
    type: "string",
    choices: DATASET_NAMES,
    placeholder: "NAME",
    help: "dataset (default cifar10)",
  },
  images: {
    type: "string",
    placeholder: "N",
    help: "train on the first N >= 1 training images (default: all)",
  },
  epochs: { type: "string", placeholder: "E", help: "epochs, >= 1 (default 250)" },
  labels: {
    type: "string",
    choices: labelSchemeNames(),
    placeholder: "SCHEME",
    help: `label scheme (default ${DEFAULT_LABEL_SCHEME})`,
  },
  classes: {
    type: "string",
    placeholder: "K",
    help: "random-label class count K >= 2 (default: the dataset's)",
  },
  seed: {
    type: "string",
    placeholder: "S",
    help: `run seed in [0, ${SEED_RANGE.max}] (default 0)`,
  },
  out: { type: "string", placeholder: "DIR", help: "checkpoint directory (required)" },
  resume: { type: "boolean", help: "continue from the latest complete checkpoint in DIR" },
  backend: {
    type: "string",
    choices: BACKENDS,
    placeholder: "NAME",
    help: `tfjs backend (default ${DEFAULT_BACKEND})`,
  },
  "data-dir": {
    type: "string",
    placeholder: "DIR",
    help: "data directory (default: RLNAS_DATA_DIR or ../shared/data)",
  },
  "batch-size": { type: "string", placeholder: "B", help: "batch size, >= 1 (default 64)" },
  channels: { type: "string", placeholder: "C", help: "SuperNet channels, >= 1 (default 16)" },
  "cells-per-stage": {
    type: "string",
    placeholder: "N",
    help: "search cells per stage, >= 1 (default 5)",
  },
  "zero-grad": {
    type: "string",
    choices: ZERO_GRAD_SEMANTICS,
    placeholder: "MODE",
    help: "zero_grad semantics (default pytorch1)",
  },
  "lr-max": {
    type: "string",
    placeholder: "X",
    help: "cosine schedule maximum, >= 0 (default 0.025)",
  },
  "lr-min": {
    type: "string",
    placeholder: "X",
    help: "cosine schedule minimum, >= 0 (default 0.001)",
  },
  "progress-every": {
    type: "string",
    placeholder: "N",
    help: "batch progress line every N >= 1 steps (default 50)",
  },
  "keep-every": {
    type: "string",
    placeholder: "K",
    help:
      `keep the weights of every K-th epoch besides W0 and the latest (default ${DEFAULT_KEEP_EVERY})`,
  },
  "stop-after-steps": {
    type: "string",
    placeholder: "N",
    help: "stop after N steps in total, without a checkpoint (kill simulation)",
  },
  quiet: { type: "boolean", help: "no per-batch lines" },
  help: { type: "boolean", short: "h", help: "show this help" },
};

/** `--help` text. */
export function trainUsage(): string {
  return `usage: deno run -A training/train_cli.ts --out DIR [flags]\n\nFlags:\n${
    flagHelp(TRAIN_FLAGS)
  }`;
}

/**
 * Parse and validate the command line (no side effects besides looking at `--out` on disk);
 * throws {@link UsageError} naming the flag, the value and what is valid.
 */
export function parseTrainArgs(argv: readonly string[]): TrainCliArgs | "help" {
  const { values: v, positionals } = parseFlags([...argv], TRAIN_FLAGS);
  if (v.help === true) return "help";
  if (positionals.length > 0) {
    throw new UsageError(
      `unexpected argument '${positionals[0]}' (train_cli takes flags only; see --help)`,
    );
  }
  const out = stringFlag("out", v.out);
  if (out === undefined) throw new UsageError("--out DIR is required (the checkpoint directory)");
  const dataset = parseDatasetName(stringFlag("dataset", v.dataset, { default: "cifar10" }));
  const labels = stringFlag("labels", v.labels, { default: DEFAULT_LABEL_SCHEME });
  const classes = intFlag("classes", v.classes, { min: 2, max: _MAX_CLASSES });
  const realClasses = DATASET_NUM_CLASSES[dataset];
  if (classes !== undefined && !getLabelScheme(labels).random && classes !== realClasses) {
    throw new UsageError(
      `--classes ${classes} needs a random label scheme; --labels ${labels} keeps the ` +
        `${realClasses} classes of ${dataset} (valid: --classes ${realClasses} or omit it)`,
    );
  }
  const args: TrainCliArgs = {
    dataset,
    images: intFlag("images", v.images, { min: 1 }),
    epochs: intFlag("epochs", v.epochs, { min: 1, default: 250 }),
    labels,
    classes,
    seed: intFlag("seed", v.seed, { ...SEED_RANGE, default: 0 }),
    out,
    resume: v.resume === true,
    backend: stringFlag("backend", v.backend, { default: DEFAULT_BACKEND }),
    dataDir: stringFlag("data-dir", v["data-dir"]),
    batchSize: intFlag("batch-size", v["batch-size"], { min: 1, default: 64 }),
    channels: intFlag("channels", v.channels, { min: 1, default: 16 }),
    cellsPerStage: intFlag("cells-per-stage", v["cells-per-stage"], { min: 1, default: 5 }),
    zeroGrad: stringFlag("zero-grad", v["zero-grad"], {
      default: "pytorch1",
    }) as ZeroGradSemantics,
    lrMax: numberFlag("lr-max", v["lr-max"], { min: 0 }),
    lrMin: numberFlag("lr-min", v["lr-min"], { min: 0 }),
    progressEvery: intFlag("progress-every", v["progress-every"], { min: 1, default: 50 }),
    keepEvery: intFlag("keep-every", v["keep-every"], { min: 1, default: DEFAULT_KEEP_EVERY }),
    stopAfterSteps: intFlag("stop-after-steps", v["stop-after-steps"], { min: 0 }),
    quiet: v.quiet === true,
  };
  checkOutputDir(out);
  return args;
}

/** Run the CLI; returns the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  let args: TrainCliArgs | "help";
  try {
    args = parseTrainArgs(argv);
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return e instanceof UsageError ? 2 : 1;
  }
  if (args === "help") {
    console.log(trainUsage());
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
      keepEvery: args.keepEvery,
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
