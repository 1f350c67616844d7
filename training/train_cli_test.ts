import assert from "node:assert/strict";
import { epochFile, latestCheckpoint, loadCheckpoint } from "./checkpoint.ts";
import { UsageError } from "../cli/args.ts";
import { parseTrainArgs, trainUsage } from "./train_cli.ts";

const _CLI = new URL("./train_cli.ts", import.meta.url).pathname;
const _ARGS = [
  "--dataset",
  "cifar10",
  "--images",
  "64",
  "--epochs",
  "2",
  "--batch-size",
  "16",
  "--channels",
  "4",
  "--cells-per-stage",
  "1",
  "--labels",
  "random-uniform-once",
  "--seed",
  "0",
  "--backend",
  "wasm",
  "--progress-every",
  "1",
];

function _cli(args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", _CLI, ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function _run(args: string[]): Promise<string> {
  const { code, stdout, stderr } = await _cli(args).output();
  const out = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  assert.equal(code, 0, out);
  return out;
}

/** Asserts that `f` throws a UsageError whose message is exactly `message`. */
function _usage(f: () => unknown, message: string): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof UsageError, String(e));
    assert.equal(e.message, message);
    return true;
  });
}

/** Exit code, stdout and stderr of the CLI run with `args`. */
async function _exit(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await _cli(args).output();
  const dec = new TextDecoder();
  return { code, stdout: dec.decode(stdout), stderr: dec.decode(stderr) };
}

const _SEED_NEG = "--seed must be an integer in [0, 4294967295], got '-1' " +
  "(negative values are invalid)";

Deno.test("parseTrainArgs: flags, defaults and errors", () => {
  const a = parseTrainArgs([
    "--out",
    "/tmp/x",
    "--images=512",
    "--resume",
    "--zero-grad",
    "set-to-none",
  ]);
  assert.notEqual(a, "help");
  if (a === "help") return;
  assert.equal(a.out, "/tmp/x");
  assert.equal(a.images, 512);
  assert.equal(a.resume, true);
  assert.equal(a.zeroGrad, "set-to-none");
  assert.equal(a.dataset, "cifar10");
  assert.equal(a.epochs, 250);
  assert.equal(a.batchSize, 64);
  assert.equal(a.channels, 16);
  assert.equal(a.cellsPerStage, 5);
  assert.equal(a.labels, "random-uniform-once");
  assert.equal(a.backend, "wasm");
  assert.equal(a.seed, 0);
  assert.equal(a.progressEvery, 50);
  assert.equal(a.keepEvery, 50);
  assert.equal(a.quiet, false);
  assert.equal(a.classes, undefined);
  assert.equal(a.lrMax, undefined);
  assert.equal(a.dataDir, undefined);
  assert.equal(parseTrainArgs(["--help"]), "help");
  assert.equal(parseTrainArgs(["-h"]), "help");
  const b = parseTrainArgs([
    "--out=/tmp/y",
    "--seed",
    "4294967295",
    "--classes",
    "2",
    "--lr-max",
    "0.1",
    "--lr-min=1e-4",
    "--stop-after-steps",
    "0",
    "--dataset",
    "ImageNet16-120",
  ]);
  assert.ok(b !== "help");
  assert.equal(b.seed, 4294967295);
  assert.equal(b.classes, 2);
  assert.equal(b.lrMax, 0.1);
  assert.equal(b.lrMin, 1e-4);
  assert.equal(b.stopAfterSteps, 0);
  assert.equal(b.dataset, "ImageNet16-120");
  assert.match(trainUsage(), /^usage: deno run -A training\/train_cli.ts --out DIR/);
  assert.match(trainUsage(), /--cells-per-stage <N>\s+search cells per stage/);
});

Deno.test("parseTrainArgs: every usage error names the flag, the value and what is valid", () => {
  const cases: [string[], string][] = [
    [[], "--out DIR is required (the checkpoint directory)"],
    [["--out"], "flag --out needs a value"],
    [["--out", "x", "--epochs", "two"], "--epochs must be an integer >= 1, got 'two'"],
    [["--out", "x", "--epochs", "0"], "--epochs must be an integer >= 1, got '0'"],
    [["--out", "x", "--images", "1.5"], "--images must be an integer >= 1, got '1.5'"],
    [["--out", "x", "--seed", "-1"], _SEED_NEG],
    [["--out", "x", "--seed=-1"], _SEED_NEG],
    [
      ["--out", "x", "--seed", "4294967296"],
      "--seed must be an integer in [0, 4294967295], got '4294967296'",
    ],
    [["--out", "x", "--seed", ""], "--seed must be a non-empty value, got ''"],
    [["--out", ""], "--out must be a non-empty value, got ''"],
    [["--out=", "--seed", "0"], "--out must be a non-empty value, got ''"],
    [["--out", "x", "--data-dir", ""], "--data-dir must be a non-empty value, got ''"],
    [["--out", "x", "--classes", "1"], "--classes must be an integer in [2, 2147483647], got '1'"],
    [
      ["--out", "x", "--labels", "ground-truth", "--classes", "5"],
      "--classes 5 needs a random label scheme; --labels ground-truth keeps the 10 classes of " +
      "cifar10 (valid: --classes 10 or omit it)",
    ],
    [["--out", "x", "--lr-max", "fast"], "--lr-max must be a number >= 0, got 'fast'"],
    [
      ["--out", "x", "--lr-min", "-0.1"],
      "--lr-min must be a number >= 0, got '-0.1' (negative values are invalid)",
    ],
    [["--out", "x", "--batch-size", "0"], "--batch-size must be an integer >= 1, got '0'"],
    [["--out", "x", "--progress-every", "0"], "--progress-every must be an integer >= 1, got '0'"],
    [
      ["--out", "x", "--stop-after-steps", "-2"],
      "--stop-after-steps must be an integer >= 0, got '-2' (negative values are invalid)",
    ],
    [
      ["--out", "x", "--dataset", "mnist"],
      "unknown value 'mnist' for --dataset (valid: cifar10, cifar100, ImageNet16-120)",
    ],
    [
      ["--out", "x", "--zero-grad", "no"],
      "unknown value 'no' for --zero-grad (valid: pytorch1, set-to-none)",
    ],
    [
      ["--out", "x", "--backend", "cuda"],
      "unknown value 'cuda' for --backend (valid: wasm, cpu, webgpu, tensorflow)",
    ],
    [
      ["--out", "x", "--resume=yes"],
      "flag --resume takes no value, got '--resume=yes' (write --resume)",
    ],
    [
      ["--out", "x", "extra"],
      "unexpected argument 'extra' (train_cli takes flags only; see --help)",
    ],
  ];
  for (const [args, message] of cases) _usage(() => parseTrainArgs(args), message);
  assert.throws(
    () => parseTrainArgs(["--out", "x", "--labels", "nope"]),
    /^UsageError: unknown value 'nope' for --labels \(valid: ground-truth, random-uniform-once,/,
  );
  assert.throws(
    () => parseTrainArgs(["--out", "x", "--bogus", "1"]),
    /^UsageError: unknown flag --bogus \(valid flags: --dataset, /,
  );
});

Deno.test("train_cli: usage errors exit 2 with one line, before anything is written", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rlnas-cli-" });
  try {
    const file = `${dir}/file`;
    await Deno.writeTextFile(file, "keep");
    const cases: [string[], string][] = [
      // before: node's "Option '--seed' argument is ambiguous" (3 lines)
      [[..._ARGS, "--out", `${dir}/a`, "--seed", "-1"], _SEED_NEG],
      [[..._ARGS, "--out", `${dir}/a`, "--seed=-1"], _SEED_NEG],
      // before: the checkpoints went to the current directory's default / '/' / seed 0
      [[..._ARGS, "--out", ""], "--out must be a non-empty value, got ''"],
      [
        [..._ARGS, "--out", `${dir}/a`, "--data-dir", ""],
        "--data-dir must be a non-empty value, got ''",
      ],
      [[..._ARGS, "--out", `${dir}/a`, "--seed", ""], "--seed must be a non-empty value, got ''"],
      [
        [..._ARGS, "--out", `${dir}/a`, "--classes", "1"],
        "--classes must be an integer in [2, 2147483647], got '1'",
      ],
      [
        [..._ARGS, "--out", file],
        `--out must be a new or existing directory, got '${file}' (an existing file)`,
      ],
      // before: exit 1 at run time
      [
        [..._ARGS, "--out", `${dir}/a`, "--labels", "ground-truth", "--classes", "3"],
        "--classes 3 needs a random label scheme; --labels ground-truth keeps the 10 classes of " +
        "cifar10 (valid: --classes 10 or omit it)",
      ],
    ];
    for (const [args, message] of cases) {
      const r = await _exit(args);
      assert.equal(r.code, 2, `${args.join(" ")}\n${r.stderr}`);
      assert.equal(r.stderr, `error: ${message}\n`);
      assert.equal(r.stdout, "");
    }
    const r = await _exit([..._ARGS, "--out", `${dir}/a`, "--labels", "nope"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: unknown value 'nope' for --labels \(valid: [^\n]*\)\n$/);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["file"]);
    assert.equal(await Deno.readTextFile(file), "keep");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("train_cli: SIGKILL mid-epoch, then --resume, equals an uninterrupted run", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rlnas-cli-" });
  try {
    const full = await _run([..._ARGS, "--out", `${dir}/full`]);
    assert.match(full, /epoch 2\/2 /);
    assert.match(full, /done: 2\/2 epochs, 8 steps/);

    // kill -9 as soon as epoch 2 has taken two of its four steps
    const child = _cli([..._ARGS, "--out", `${dir}/cut`]);
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    let killed = false;
    while (!killed) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
      if (/epoch 2 step 2\/4/.test(seen)) {
        child.kill("SIGKILL");
        killed = true;
      }
    }
    await reader.cancel();
    await child.stderr.cancel();
    const status = await child.status;
    assert.ok(killed, `never reached epoch 2 step 2:\n${seen}`);
    assert.equal(status.signal, "SIGKILL");
    assert.equal(await latestCheckpoint(`${dir}/cut`), 1);

    const resumed = await _run([..._ARGS, "--out", `${dir}/cut`, "--resume"]);
    assert.match(resumed, /resumed from epoch 1/);
    assert.deepEqual(
      await Deno.readFile(epochFile(`${dir}/cut`, 2)),
      await Deno.readFile(epochFile(`${dir}/full`, 2)),
    );
    const a = await loadCheckpoint(`${dir}/full`, 2);
    const b = await loadCheckpoint(`${dir}/cut`, 2);
    assert.deepEqual(b.state.sgd, a.state.sgd);
    assert.equal(b.state.globalStep, 8);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("train_cli: errors exit with status 1 and a message", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rlnas-cli-" });
  try {
    const { code, stderr } = await _cli([
      ..._ARGS,
      "--out",
      dir,
      "--data-dir",
      `${dir}/nowhere`,
    ]).output();
    assert.equal(code, 1);
    assert.match(new TextDecoder().decode(stderr), /--data-dir is not a directory: .*nowhere/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseTrainArgs: --out under an existing file is a usage error naming it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rlnas-cli-" });
  try {
    const file = `${dir}/file`;
    await Deno.writeTextFile(file, "x");
    _usage(
      () => parseTrainArgs(["--out", `${file}/run`]),
      `--out must be a new or existing directory, got '${file}/run' ('${file}' is an existing file)`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
