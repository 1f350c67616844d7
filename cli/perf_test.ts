import assert from "node:assert/strict";
import { UsageError } from "./args.ts";
import {
  hardwareClass,
  loadAverage,
  main,
  measurementRow,
  parsePerfArgs,
  parseTorchResult,
  PERF_COLUMNS,
  stepInputs,
  torchDeviceFor,
  usage,
} from "./perf.ts";

Deno.test("parsePerfArgs: defaults", () => {
  const o = parsePerfArgs([]);
  assert.deepEqual(o.backends, ["wasm"]);
  assert.equal(o.steps, 10);
  assert.equal(o.warmup, 2);
  assert.equal(o.batch, 64);
  assert.equal(o.seed, 0);
  assert.equal(o.reps, 5);
  assert.match(o.outDir, /\/results\/perf$/);
  assert.equal(o.pytorch, false);
  assert.equal(o.torchThreads, 0);
  assert.equal(o.torchDevice, "auto");
  assert.equal(o.python, "/usr/bin/python3");
  assert.equal(o.write, true);
  assert.equal(o.profile, false);
});

Deno.test("parsePerfArgs: repeatable and comma-separated backends, numbers, PyTorch flags", () => {
  const o = parsePerfArgs([
    "--backend",
    "wasm",
    "--backend",
    "cpu,webgpu,wasm",
    "--steps",
    "3",
    "--warmup",
    "0",
    "--batch",
    "16",
    "--pytorch",
    "--torch-threads",
    "2",
    "--torch-device",
    "cpu",
    "--python",
    "python3",
    "--out",
    "/tmp/p",
    "--no-write",
    "--profile",
  ]);
  assert.deepEqual(o.backends, ["wasm", "cpu", "webgpu"]);
  assert.equal(o.steps, 3);
  assert.equal(o.warmup, 0);
  assert.equal(o.batch, 16);
  assert.equal(o.pytorch, true);
  assert.equal(o.torchThreads, 2);
  assert.equal(o.torchDevice, "cpu");
  assert.equal(o.python, "python3");
  assert.equal(o.outDir, "/tmp/p");
  assert.equal(o.write, false);
  assert.equal(o.profile, true);
});

Deno.test("parsePerfArgs: the largest seed", () => {
  assert.equal(parsePerfArgs(["--seed", "4294967295"]).seed, 4294967295);
});

Deno.test("parsePerfArgs: bad flags and values are usage errors naming the choices", () => {
  const bad: [string[], RegExp][] = [
    [
      ["--backend", "cuda"],
      /unknown value 'cuda' for --backend \(valid: wasm, cpu, webgpu, tensorflow\)/,
    ],
    [["--steps", "0"], /^--steps must be an integer >= 1, got '0'$/],
    [["--steps", "x"], /^--steps must be an integer >= 1, got 'x'$/],
    [
      ["--warmup=-1"],
      /^--warmup must be an integer >= 0, got '-1' \(negative values are invalid\)$/,
    ],
    [["--warmup", "-1"], /^--warmup must be an integer >= 0, got '-1' \(negative/],
    [["--batch", "1"], /^--batch must be an integer >= 2, got '1'$/],
    [
      ["--seed", "-1"],
      /^--seed must be an integer in \[0, 4294967295\], got '-1' \(negative values are invalid\)$/,
    ],
    [
      ["--seed", "4294967296"],
      /^--seed must be an integer in \[0, 4294967295\], got '4294967296'$/,
    ],
    [["--seed", ""], /^--seed must be a non-empty value, got ''$/],
    [["--out", ""], /^--out must be a non-empty value, got ''$/],
    [["--pytorch", "--python="], /^--python must be a non-empty value, got ''$/],
    [["--pytorch", "--torch-threads", "0"], /^--torch-threads must be an integer >= 1, got '0'$/],
    [["--torch-threads", "2"], /--torch-threads needs --pytorch/],
    [
      ["--pytorch", "--torch-device", "tpu"],
      /unknown value 'tpu' for --torch-device \(valid: auto, cpu, cuda\)/,
    ],
    [["--frobnicate"], /unknown flag --frobnicate/],
    [["extra"], /perf takes no positional arguments, got 'extra'/],
  ];
  for (const [args, re] of bad) {
    assert.throws(
      () => parsePerfArgs(args),
      (e: Error) => e instanceof UsageError && re.test(e.message),
    );
  }
});

Deno.test("main: --help prints usage and exits 0; a usage error exits 2", async () => {
  assert.match(usage(), /Usage: deno task perf/);
  assert.match(usage(), /--torch-threads <N>/);
  const log = console.log;
  const err = console.error;
  const out: string[] = [];
  console.log = (s: string) => out.push(s);
  console.error = (s: string) => out.push(s);
  try {
    assert.equal(await main(["--help"]), 0);
    assert.equal(await main(["--steps", "zero"]), 2);
  } finally {
    console.log = log;
    console.error = err;
  }
  assert.match(out[0], /Usage: deno task perf/);
  assert.match(out[1], /^error: --steps must be an integer >= 1, got 'zero'$/);
});

Deno.test("torchDeviceFor and hardwareClass", () => {
  assert.equal(torchDeviceFor("webgpu", "auto"), "cuda");
  assert.equal(torchDeviceFor("wasm", "auto"), "cpu");
  assert.equal(torchDeviceFor("webgpu", "cpu"), "cpu");
  assert.equal(torchDeviceFor("wasm", "cuda"), "cuda");
  assert.equal(hardwareClass("webgpu"), "gpu");
  assert.equal(hardwareClass("pytorch-cuda"), "gpu");
  assert.equal(hardwareClass("wasm"), "cpu");
  assert.equal(hardwareClass("pytorch-cpu"), "cpu");
  assert.equal(hardwareClass("none"), "cpu");
});

Deno.test("stepInputs: numpy RandomState images and labels, samplePaths paths, reproducible", () => {
  // numpy: rs = RandomState(1); z = rs.standard_normal(2*32*32*3); [int(10*rs.random_sample())]*2
  const a = stepInputs(0, 2, 3);
  assert.equal(a.x.length, 2 * 32 * 32 * 3);
  assert.ok(Math.abs(a.x[0] - 1.6243453636632417) < 1e-6);
  assert.ok(Math.abs(a.x[1] - -0.6117564136500754) < 1e-6);
  assert.ok(Math.abs(a.x[a.x.length - 1] - 0.10822445585493877) < 1e-6);
  assert.deepEqual([...a.y], [1, 5]);
  // numpy RandomState(0), per cell and node floor(5 * random_sample()), redrawn while all none
  assert.equal(a.paths.length, 3);
  assert.equal(a.paths[0].length, 15);
  assert.deepEqual(a.paths[0][0], [2, 3, 3, 2, 2, 3]);
  assert.deepEqual(a.paths[0][1], [2, 4, 4, 1, 3, 2]);
  assert.deepEqual(stepInputs(0, 2, 3).paths, a.paths);
});

const TORCH_JSON = JSON.stringify({
  torch_version: "1.13.0",
  device: "cpu",
  device_name: "Some CPU",
  threads: 2,
  batch: 64,
  warmup: 2,
  steps: 3,
  seed: 0,
  train_step_ms: [150, 140, 160],
  forward_ms: [50, 60, 55],
  train_step_median_ms: 150,
  forward_median_ms: 55,
  images_per_s: 426.7,
  losses: [2.3, 2.31, 2.29],
});

Deno.test("parseTorchResult: last stdout line, checked fields", () => {
  const t = parseTorchResult(`some warning\n${TORCH_JSON}\n`);
  assert.equal(t.device_name, "Some CPU");
  assert.deepEqual(t.train_step_ms, [150, 140, 160]);
  assert.throws(() => parseTorchResult("Traceback ..."), /printed no JSON result/);
  const noSteps = JSON.stringify({ ...JSON.parse(TORCH_JSON), train_step_ms: [] });
  assert.throws(() => parseTorchResult(noSteps), /no timed training steps/);
  const badList = JSON.stringify({ ...JSON.parse(TORCH_JSON), forward_ms: ["x"] });
  assert.throws(() => parseTorchResult(badList), /lacks number list 'forward_ms'/);
  const noName = JSON.stringify({ ...JSON.parse(TORCH_JSON), device_name: 3 });
  assert.throws(() => parseTorchResult(noName), /lacks string 'device_name'/);
});

Deno.test("measurementRow: median, throughput and the ratio to PyTorch", () => {
  const row = measurementRow({
    method: "train_step",
    dataset: "cifar10",
    backend: "wasm",
    device: "cpu x",
    batch: 64,
    warmup: 2,
    timing: { n: 3, median: 320, mean: 330, min: 300, max: 370 },
    times: [300, 320, 370],
    threads: 1,
    torch: { ms: 160, device: "cpu x", version: "1.13.0", threads: 2 },
  }, "1.00 0.50 0.25 / 1.10 0.60 0.30");
  assert.equal(row.ms_median, 320);
  assert.equal(row.images_per_s, 200); // 64 / 0.32 s
  assert.equal(row.ratio_vs_pytorch, 2);
  assert.equal(row.pytorch_ms, 160);
  assert.equal(row.pytorch_threads, 2);
  assert.equal(row.load_avg, "1.00 0.50 0.25 / 1.10 0.60 0.30");
  for (const c of PERF_COLUMNS) assert.ok(c in row, `column ${c}`);
  const metric = measurementRow({
    method: "kendall_tau_b",
    dataset: "nb201-15625",
    backend: "none",
    device: "cpu x",
    batch: 0,
    warmup: 1,
    timing: { n: 1, median: 5, mean: 5, min: 5, max: 5 },
    times: [5],
  }, "");
  assert.equal(metric.images_per_s, "");
  assert.equal(metric.ratio_vs_pytorch, "");
});

Deno.test("loadAverage: three numbers (with --allow-sys)", () => {
  assert.match(loadAverage(), /^\d+\.\d\d \d+\.\d\d \d+\.\d\d$/);
});

Deno.test("parsePerfArgs: --tf-flag NAME=value (repeatable; booleans and numbers), bad forms", () => {
  const o = parsePerfArgs([
    "--tf-flag",
    "WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE=64",
    "--tf-flag",
    "WEBGPU_USE_NAIVE_CONV2D_DEBUG=false,KEEP_INTERMEDIATE_TENSORS=true",
  ]);
  assert.deepEqual(o.tfFlags, [
    ["WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE", 64],
    ["WEBGPU_USE_NAIVE_CONV2D_DEBUG", false],
    ["KEEP_INTERMEDIATE_TENSORS", true],
  ]);
  assert.deepEqual(parsePerfArgs([]).tfFlags, []);
  for (const bad of ["NOEQUALS", "lower=1", "X=abc", "X="]) {
    assert.throws(
      () => parsePerfArgs(["--tf-flag", bad]),
      (e: Error) =>
        e instanceof UsageError && /--tf-flag takes NAME=true\|false\|number/.test(e.message),
      bad,
    );
  }
});
