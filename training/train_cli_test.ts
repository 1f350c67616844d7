import assert from "node:assert/strict";
import { epochFile, latestCheckpoint, loadCheckpoint } from "./checkpoint.ts";
import { parseTrainArgs } from "./train_cli.ts";

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
  assert.equal(a.labels, "random-uniform-once");
  assert.equal(a.backend, "wasm");
  assert.equal(parseTrainArgs(["--help"]), "help");
  assert.throws(() => parseTrainArgs([]), /--out DIR is required/);
  assert.throws(() => parseTrainArgs(["--out", "x", "--epochs", "two"]), /--epochs .* got "two"/);
  assert.throws(() => parseTrainArgs(["--out", "x", "--bogus", "1"]), /unknown flag --bogus/);
  assert.throws(
    () => parseTrainArgs(["--out", "x", "--dataset", "mnist"]),
    /Unknown dataset "mnist"/,
  );
  assert.throws(
    () => parseTrainArgs(["--out", "x", "--zero-grad", "no"]),
    /pytorch1 or set-to-none/,
  );
  assert.throws(() => parseTrainArgs(["--out"]), /--out needs a value/);
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
