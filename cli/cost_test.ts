import assert from "node:assert/strict";
import { COST_COMMON_FLAGS, costFlags, costHelp } from "./cost.ts";
import { costModelNames } from "../search_spaces/cost_models.ts";

const _ROOT = new URL("..", import.meta.url);
const _CLI = new URL("./cost.ts", import.meta.url).pathname;

/** RLNAS_CIFAR10 as pasted from the spec (`darts-mobilenet-architectures.md` §1). */
const RLNAS_CIFAR10 =
  "Genotype(normal=[('sep_conv_5x5', 0), ('sep_conv_3x3', 1), ('dil_conv_3x3', 0), ('sep_conv_5x5', 2), ('sep_conv_3x3', 0), ('dil_conv_5x5', 3), ('dil_conv_5x5', 1), ('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('sep_conv_5x5', 0), ('dil_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_5x5', 2), ('dil_conv_3x3', 1), ('sep_conv_3x3', 3), ('max_pool_3x3', 1), ('sep_conv_5x5', 2)], reduce_concat=[2, 3, 4, 5])";
const MOBILENET = "2 0 -1 2 2 0 2 4 0 4 4 2 4 2 4 2 0 0 0 2 2";

interface _Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `cli/cost.ts` with only --allow-read, as the task does. */
async function _cost(args: string[]): Promise<_Result> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", _CLI, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code, stdout: dec.decode(stdout), stderr: dec.decode(stderr) };
}

async function _ok(args: string[], stdout: string): Promise<void> {
  const r = await _cost(args);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, stdout);
}

/** Exit 2 and a first stderr line `error: ...` matching `line`; returns the whole stderr. */
async function _usage(args: string[], line: RegExp): Promise<string> {
  const r = await _cost(args);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.equal(r.stdout, "");
  const first = r.stderr.split("\n")[0];
  assert.ok(first.startsWith("error: "), r.stderr);
  assert.match(first, line);
  return r.stderr;
}

Deno.test("deno task cost: the spec's value of RLNAS_CIFAR10 at C=48", async () => {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "task",
      "-q",
      "cost",
      "--space",
      "darts-imagenet",
      "--channels",
      "48",
      "--arch",
      RLNAS_CIFAR10,
    ],
    cwd: _ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  assert.equal(new TextDecoder().decode(stdout), "flops=629123864 params=5674720\n");
});

Deno.test("golden values of the spec (§2, §3) through the command", async () => {
  await _ok(
    ["--space", "darts-imagenet", "--arch", RLNAS_CIFAR10, "--json"],
    '{"flops": 629123864, "params": 5674720}\n',
  );
  await _ok(
    ["--space", "darts-imagenet", "--channels", "46", "--arch", RLNAS_CIFAR10],
    "flops=580550648 params=5257581\n",
  );
  await _ok(
    ["--space", "darts-imagenet", "--arch", "RLNAS_IMAGENET_600M"],
    "flops=596750936 params=5463616\n",
  );
  await _ok([
    "--space",
    "darts-imagenet",
    "--arch=[[4,4,0,3,4,0,4,4,0,3,0,0,0,4],[4,1,4,3,0,4,6,0,0,3,4,0,0,0]]",
  ], "flops=596750936 params=5463616\n");
  await _ok(
    ["--space", "darts-imagenet", "--channels=48", "--arch", "DARTS_V2"],
    "flops=530678552 params=4718752\n",
  );
  await _ok(["--space", "mobilenet", "--arch", MOBILENET], "flops=473248184 params=5255648\n");
  await _ok(
    ["--space", "mobilenet", "--json", "--arch", `[${MOBILENET.replaceAll(" ", ", ")}]`],
    '{"flops": 473248184, "params": 5255648}\n',
  );
  // NB201 all-none network, hand-derived in search_spaces/nb201/cost_test.ts
  const none = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";
  await _ok(["--space", "nb201", "--arch", none], "flops=7943872 params=73306\n");
  await _ok(
    ["--space", "nb201", "--dataset", "cifar10", "--arch", "0,0,0,0,0,0"],
    "flops=7943872 params=73306\n",
  );
});

Deno.test("--parts lists the parts (DARTS_V2 at C=48: spec §2)", async () => {
  const r = await _cost(["--space", "darts-imagenet", "--arch", "DARTS_V2", "--parts"]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  assert.equal(lines[0], "flops=530678552 params=4718752");
  assert.equal(lines.length, 1 + 17);
  assert.match(lines[1], /^ {2}stem0 +flops=40642560 params=\d+$/);
  assert.match(lines[7], /^ {2}cell4 +flops=28901376 /);
  assert.match(lines[17], /^ {2}classifier +flops=1535000 params=769000$/);
  const j = await _cost(["--space", "mobilenet", "--arch", MOBILENET, "--parts", "--json"]);
  const parsed = JSON.parse(j.stdout);
  assert.equal(parsed.flops, 473248184);
  assert.equal(parsed.parts.length, 23);
  assert.deepEqual(parsed.parts[0], { name: "pre", flops: 30105600, params: 2608 });
  assert.deepEqual(parsed.parts[3], { name: "block2 (skip)", flops: 0, params: 0 });
});

Deno.test("a malformed --arch: exit 2, the position and a caret excerpt", async () => {
  const text = "Genotype(normal=[('sep_conv_5x5' 0)])";
  const err = await _usage(
    ["--space", "darts-imagenet", "--arch", text],
    /^error: --arch for --space darts-imagenet: expected ',' between the op and the input, found '0' at character offset 33:$/,
  );
  const [, line, caret] = err.split("\n");
  assert.equal(line, `  ${text}`);
  assert.equal(caret, `${" ".repeat(2 + 33)}^`);
  await _usage(["--space", "mobilenet", "--arch", "2 0 x"], /found 'x' at character offset 4:$/);
  await _usage(
    ["--space", "darts-cifar", "--arch", "DARTS_V9"],
    /unknown genotype name 'DARTS_V9'.*offset 0:$/,
  );
});

Deno.test("an --arch breaking the space's rules: exit 2 naming the rule", async () => {
  const seven = RLNAS_CIFAR10.replace(", ('dil_conv_3x3', 2)]", "]");
  await _usage(
    ["--space", "darts-imagenet", "--arch", seven],
    /normal cell: 7 .*node 5 has 1 input \[rule: two inputs per node\]$/,
  );
  await _usage([
    "--space",
    "darts-imagenet",
    "--arch",
    RLNAS_CIFAR10.replace("'max_pool_3x3'", "'max_pool_5x5'"),
  ], /unknown op 'max_pool_5x5' .*\[rule: known op\]$/);
  await _usage([
    "--space",
    "darts-imagenet",
    "--arch",
    RLNAS_CIFAR10.replace("('dil_conv_5x5', 3)", "('dil_conv_5x5', 4)"),
  ], /node 4 \(pair 5\): input 4 is out of range.*\[rule: input in range\]$/);
  await _usage(
    ["--space", "mobilenet", "--arch", MOBILENET.replace(/^2/, "-1")],
    /block 0 .*cannot be skipped.*\[rule: skip only where allowed\]$/,
  );
  await _usage(["--space", "mobilenet", "--arch", "2 0"], /2 block choices.*\[rule: 21 blocks\]$/);
  await _usage(
    ["--space", "nb201", "--arch", "|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|"],
    /unknown op "conv"/,
  );
});

Deno.test("bad flags: exit 2, one line naming the flag and what is valid", async () => {
  for (const c of ["7", "0", "-2", "4.5", "x"]) {
    await _usage(
      ["--space", "darts-imagenet", "--channels", c, "--arch", "DARTS_V2"],
      new RegExp(
        `^error: --channels must be a positive even integer \\(default 48\\), got '${
          c.replace(".", "\\.")
        }'$`,
      ),
    );
  }
  await _usage(
    ["--space", "darts-cifar", "--channels", "0", "--arch", "DARTS_V2"],
    /--channels must be a positive integer \(default 36\), got '0'$/,
  );
  await _usage(
    ["--space", "darts-cifar", "--classes", "ten", "--arch", "DARTS_V2"],
    /--classes must be a positive integer/,
  );
  await _usage(
    ["--space", "mobilenet", "--channels", "48", "--arch", MOBILENET],
    /^error: flag --channels does not apply to --space mobilenet \(its flags: none\)$/,
  );
  await _usage(
    ["--space", "nb201", "--channels", "48", "--arch", "0,0,0,0,0,0"],
    /its flags: --dataset\)$/,
  );
  await _usage(
    ["--space", "darts", "--arch", "DARTS_V2"],
    /^error: unknown value 'darts' for --space \(valid: nb201, darts-imagenet, darts-cifar, mobilenet\)$/,
  );
  await _usage(["--arch", "DARTS_V2"], /^error: --space is required \(valid: nb201, /);
  await _usage(
    ["--space", "mobilenet"],
    /^error: --arch is required; for --space mobilenet: 21 block choice ids/,
  );
  await _usage(["--space", "mobilenet", "--arch"], /^error: flag --arch needs a value$/);
  await _usage(
    ["--space", "mobilenet", "--arch", ""],
    /^error: --arch must be a non-empty value, got ''$/,
  );
  await _usage(
    ["--space", "mobilenet", "--arch", MOBILENET, "extra"],
    /unexpected argument 'extra'/,
  );
  await _usage(
    ["--space", "mobilenet", "--arch", MOBILENET, "--depth", "3"],
    /^error: unknown flag --depth \(valid flags: --space, --arch/,
  );
  await _usage(
    ["--space", "nb201", "--dataset", "imagenet", "--arch", "0,0,0,0,0,0"],
    /unknown value 'imagenet' for --dataset/,
  );
});

Deno.test("--help lists every space, its --arch forms and its flags (exit 0)", async () => {
  const r = await _cost(["--help"]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, `${costHelp()}\n`);
  for (const name of costModelNames()) assert.ok(r.stdout.includes(`\n${name}: `), name);
  assert.match(
    r.stdout,
    /--channels <C> +initial channels, a positive even integer \(default 48\)/,
  );
  assert.match(r.stdout, /--dataset <NAME>/);
  assert.deepEqual(Object.keys(costFlags()).slice(0, 5), Object.keys(COST_COMMON_FLAGS));
});
