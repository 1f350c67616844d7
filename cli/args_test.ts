import assert from "node:assert/strict";
import {
  flagHelp,
  type FlagSpec,
  intFlag,
  intListFlag,
  listFlag,
  numberFlag,
  parseFlags,
  SEED_MAX,
  SEED_RANGE,
  stringFlag,
  UsageError,
} from "./args.ts";
import { DOWNLOAD_FLAGS, main as downloadMain } from "./download.ts";

const flags = {
  profile: { type: "string", choices: ["smoke", "quick"], help: "p" },
  seed: { type: "string", multiple: true, help: "s" },
  list: { type: "boolean", help: "l" },
} as const;

/** A table with a flag that accepts negative numbers and one that accepts an empty value. */
const more: Readonly<Record<string, FlagSpec>> = {
  "lr-offset": { type: "string", short: "o", help: "offset, may be negative" },
  seed: { type: "string", help: "seed" },
  out: { type: "string", help: "dir" },
  note: { type: "string", allowEmpty: true, help: "free text" },
  quiet: { type: "boolean", short: "q", help: "q" },
};

/** Asserts that `f` throws a UsageError whose message is exactly `message`. */
function _usage(f: () => unknown, message: string): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof UsageError, String(e));
    assert.equal(e.message, message);
    return true;
  });
}

Deno.test("parseFlags: values, repeats and positionals", () => {
  const p = parseFlags(["t1", "--profile", "quick", "--seed", "1", "--seed=2,3", "--list"], flags);
  assert.deepEqual(p.positionals, ["t1"]);
  assert.equal(p.values.profile, "quick");
  assert.deepEqual(intListFlag("seed", p.values.seed), [1, 2, 3]);
  assert.equal(p.values.list, true);
  assert.deepEqual(parseFlags(["--list", "--", "--seed"], flags).positionals, ["--seed"]);
});

Deno.test("parseFlags: unknown flag and bad value are UsageErrors naming the valid choices", () => {
  _usage(
    () => parseFlags(["--nope"], flags),
    "unknown flag --nope (valid flags: --profile, --seed, --list)",
  );
  _usage(
    () => parseFlags(["--profile", "nope"], flags),
    "unknown value 'nope' for --profile (valid: smoke, quick)",
  );
  _usage(
    () => parseFlags(["--profile"], flags),
    "flag --profile needs a value (valid: smoke, quick)",
  );
  _usage(
    () => parseFlags(["--seed", "--list"], flags),
    "flag --seed needs a value, got the flag '--list'; write --seed=VALUE for a value that " +
      "starts with '-'",
  );
  _usage(
    () => parseFlags(["--list=yes"], flags),
    "flag --list takes no value, got '--list=yes' (write --list)",
  );
  _usage(
    () => intListFlag("seed", ["1", "x"]),
    "--seed must be an integer, got 'x'",
  );
});

Deno.test("parseFlags: a negative number after a flag is its value (--x -1, --x=-1, -o -1)", () => {
  // before: node's parseArgs said "Option '--lr-offset' argument is ambiguous"
  for (const args of [["--lr-offset", "-1"], ["--lr-offset=-1"], ["-o", "-1"]]) {
    const p = parseFlags(args, more);
    assert.equal(numberFlag("lr-offset", p.values["lr-offset"]), -1, args.join(" "));
    assert.deepEqual(p.positionals, []);
  }
  const p = parseFlags(["--lr-offset", "-.5", "-q", "pos"], more);
  assert.equal(numberFlag("lr-offset", p.values["lr-offset"]), -0.5);
  assert.equal(p.values.quiet, true);
  assert.deepEqual(p.positionals, ["pos"]);
  // a value after a string flag is taken as is, even when it names a flag (not a dash)
  assert.equal(parseFlags(["--out", "quiet"], more).values.out, "quiet");
});

Deno.test("--seed -1 / --seed=-1: a usage error naming flag, value and the seed range", () => {
  // before: "Option '--seed' argument is ambiguous. Did you forget to specify ..."
  const msg =
    "--seed must be an integer in [0, 4294967295], got '-1' (negative values are invalid)";
  for (const args of [["--seed", "-1"], ["--seed=-1"]]) {
    const p = parseFlags(args, more);
    _usage(() => intFlag("seed", p.values.seed, { ...SEED_RANGE, default: 0 }), msg);
    _usage(() => intListFlag("seed", parseFlags(args, flags).values.seed, SEED_RANGE), msg);
  }
  _usage(
    () => intFlag("seed", "4294967296", SEED_RANGE),
    "--seed must be an integer in [0, 4294967295], got '4294967296'",
  );
  assert.equal(intFlag("seed", String(SEED_MAX), SEED_RANGE), SEED_MAX);
  assert.equal(SEED_MAX, 2 ** 32 - 1);
  _usage(
    () => intListFlag("seed", ["0,-3"], SEED_RANGE),
    "--seed must be an integer in [0, 4294967295], got '-3' (negative values are invalid)",
  );
});

Deno.test("parseFlags: an empty value is a usage error naming the flag, unless allowEmpty", () => {
  // before: --out "" / --data-dir "" / --seed "" became the default, '/' or 0
  for (const args of [["--out", ""], ["--out="]]) {
    _usage(() => parseFlags(args, more), "--out must be a non-empty value, got ''");
  }
  _usage(() => parseFlags(["--seed", ""], more), "--seed must be a non-empty value, got ''");
  _usage(
    () => parseFlags(["--seed", "1", "--seed", ""], flags),
    "--seed must be a non-empty value, got ''",
  );
  _usage(
    () => parseFlags(["--profile="], flags),
    "--profile must be a non-empty value, got '' (valid: smoke, quick)",
  );
  assert.equal(parseFlags(["--note", ""], more).values.note, "");
  assert.equal(parseFlags(["--note="], more).values.note, "");
  _usage(
    () => intListFlag("seed", ["0,,1"], SEED_RANGE),
    "--seed must be a comma-separated list of integers in [0, 4294967295], got '0,,1'",
  );
});

Deno.test("intFlag: defaults, bounds and malformed integers", () => {
  assert.equal(intFlag("n", undefined), undefined);
  assert.equal(intFlag("n", undefined, { default: 7 }), 7);
  assert.equal(intFlag("n", "12", { min: 1 }), 12);
  assert.equal(intFlag("n", ["1", "3"], { min: 1 }), 3);
  assert.equal(intFlag("n", "-4", { min: -5, max: 5 }), -4);
  _usage(() => intFlag("classes", "1", { min: 2 }), "--classes must be an integer >= 2, got '1'");
  _usage(() => intFlag("n", "6", { max: 5 }), "--n must be an integer <= 5, got '6'");
  for (const bad of ["1.5", "1e3", "+1", " 1", "0x10", "", "99999999999999999999"]) {
    _usage(
      () => intFlag("epochs", bad, { min: 1 }),
      `--epochs must be an integer >= 1, got '${bad}'`,
    );
  }
  _usage(
    () => intFlag("warmup", "-1", { min: 0 }),
    "--warmup must be an integer >= 0, got '-1' (negative values are invalid)",
  );
});

Deno.test("numberFlag: decimals, exponents, inclusive and exclusive bounds", () => {
  assert.equal(numberFlag("x", "0.025", { min: 0 }), 0.025);
  assert.equal(numberFlag("x", "1e-3", { min: 0 }), 0.001);
  assert.equal(numberFlag("x", "-2.5"), -2.5);
  assert.equal(numberFlag("x", undefined, { default: 0.1 }), 0.1);
  _usage(
    () => numberFlag("lr-max", "abc", { min: 0 }),
    "--lr-max must be a number >= 0, got 'abc'",
  );
  _usage(
    () => numberFlag("lr", "0", { exclusiveMin: 0 }),
    "--lr must be a number > 0, got '0'",
  );
  _usage(
    () => numberFlag("p", "1", { exclusiveMin: 0, exclusiveMax: 1 }),
    "--p must be a number in (0, 1), got '1'",
  );
  _usage(
    () => numberFlag("p", "-0.5", { min: 0, max: 1 }),
    "--p must be a number in [0, 1], got '-0.5' (negative values are invalid)",
  );
  for (const bad of ["Infinity", "NaN", "1e999", "", "1,5", "0x1"]) {
    _usage(() => numberFlag("x", bad), `--x must be a number, got '${bad}'`);
  }
});

Deno.test("stringFlag: last value, default, empty", () => {
  assert.equal(stringFlag("out", undefined, { default: "/r" }), "/r");
  assert.equal(stringFlag("out", ["a", "b"]), "b");
  assert.equal(stringFlag("note", "", { allowEmpty: true }), "");
  _usage(() => stringFlag("out", ""), "--out must be a non-empty value, got ''");
});

Deno.test("listFlag splits comma lists and drops empties", () => {
  assert.deepEqual(listFlag(["a,b", "c", ""]), ["a", "b", "c"]);
  assert.deepEqual(listFlag(undefined), []);
});

Deno.test("flagHelp lists every flag with its choices", () => {
  const text = flagHelp(flags);
  assert.match(text, /--profile <value>\s+p \(smoke \| quick\)/);
  assert.match(text, /--list\s+l$/m);
});

Deno.test("download: --dir '' is a usage error (exit 2) before any download", async () => {
  _usage(
    () => parseFlags(["--dir", ""], DOWNLOAD_FLAGS),
    "--dir must be a non-empty value, got ''",
  );
  const err = console.error;
  const lines: string[] = [];
  console.error = (s: string) => lines.push(s);
  try {
    assert.equal(await downloadMain(["--dir="]), 2);
    assert.equal(await downloadMain(["--target", ""]), 2);
  } finally {
    console.error = err;
  }
  assert.deepEqual(lines, [
    "error: --dir must be a non-empty value, got ''",
    "error: --target must be a non-empty value, got '' (valid: " +
    `${DOWNLOAD_FLAGS.target.choices!.join(", ")})`,
  ]);
});
