import assert from "node:assert/strict";
import { flagHelp, intListFlag, listFlag, parseFlags, UsageError } from "./args.ts";

const flags = {
  profile: { type: "string", choices: ["smoke", "quick"], help: "p" },
  seed: { type: "string", multiple: true, help: "s" },
  list: { type: "boolean", help: "l" },
} as const;

Deno.test("parseFlags: values, repeats and positionals", () => {
  const p = parseFlags(["t1", "--profile", "quick", "--seed", "1", "--seed=2,3", "--list"], flags);
  assert.deepEqual(p.positionals, ["t1"]);
  assert.equal(p.values.profile, "quick");
  assert.deepEqual(intListFlag("seed", p.values.seed), [1, 2, 3]);
  assert.equal(p.values.list, true);
});

Deno.test("parseFlags: unknown flag and bad value are UsageErrors naming the valid choices", () => {
  assert.throws(
    () => parseFlags(["--nope"], flags),
    (e: unknown) =>
      e instanceof UsageError &&
      e.message === "unknown flag --nope (valid flags: --profile, --seed, --list)",
  );
  assert.throws(
    () => parseFlags(["--profile", "nope"], flags),
    (e: unknown) =>
      e instanceof UsageError &&
      e.message === "unknown value 'nope' for --profile (valid: smoke, quick)",
  );
  assert.throws(() => parseFlags(["--profile"], flags), /--profile needs a value/);
  assert.throws(() => intListFlag("seed", ["1", "x"]), /--seed takes integers, got 'x'/);
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
