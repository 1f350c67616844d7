import assert from "node:assert/strict";
import { ArchSyntaxError } from "../arch_syntax_error.ts";
import {
  MOBILENET_BLOCKS,
  MOBILENET_CHOICES,
  mobilenetArchToString,
  mobilenetChoiceName,
  MobilenetRuleError,
  parseMobilenetArch,
  RLNAS_MOBILENET,
  validateMobilenetArch,
} from "./architecture.ts";

const RLNAS = "2 0 -1 2 2 0 2 4 0 4 4 2 4 2 4 2 0 0 0 2 2";

function _rule(f: () => unknown, rule: string, message: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof MobilenetRuleError, String(e));
    assert.equal(e.rule, rule);
    assert.match(e.message, message);
    return true;
  });
}

function _syntax(text: string, offset: number, reason: RegExp): void {
  assert.throws(() => parseMobilenetArch(text), (e: unknown) => {
    assert.ok(e instanceof ArchSyntaxError, String(e));
    assert.equal(e.offset, offset);
    assert.match(e.reason, reason);
    return true;
  });
}

Deno.test("the 21 blocks of the spec (§3)", () => {
  const spec: [number, number, number, number][] = [
    [24, 32, 112, 2],
    ...Array(3).fill([32, 32, 56, 1]),
    [32, 56, 56, 2],
    ...Array(3).fill([56, 56, 28, 1]),
    [56, 112, 28, 2],
    ...Array(3).fill([112, 112, 14, 1]),
    [112, 128, 14, 1],
    ...Array(3).fill([128, 128, 14, 1]),
    [128, 256, 14, 2],
    ...Array(3).fill([256, 256, 7, 1]),
    [256, 432, 7, 1],
  ];
  assert.deepEqual(MOBILENET_BLOCKS.map((b) => [b.inp, b.oup, b.size, b.stride]), spec);
  const fixed = MOBILENET_BLOCKS.flatMap((b, i) => (b.canSkip ? [] : [i]));
  assert.deepEqual(fixed, [0, 4, 8, 12, 16, 20]);
  assert.deepEqual(MOBILENET_CHOICES.map((_c, i) => mobilenetChoiceName(i)), [
    "k3e3",
    "k3e6",
    "k5e3",
    "k5e6",
    "k7e3",
    "k7e6",
  ]);
  assert.equal(mobilenetChoiceName(-1), "skip");
});

Deno.test("the text form: spaces, commas, brackets", () => {
  assert.deepEqual(parseMobilenetArch(RLNAS), RLNAS_MOBILENET);
  assert.deepEqual(parseMobilenetArch(`[${RLNAS.replaceAll(" ", ", ")}]`), RLNAS_MOBILENET);
  assert.deepEqual(parseMobilenetArch(` ${RLNAS.replaceAll(" ", ",")}\n`), RLNAS_MOBILENET);
  assert.equal(mobilenetArchToString(RLNAS_MOBILENET), RLNAS);
  assert.ok(Object.isFrozen(parseMobilenetArch(RLNAS)));
});

Deno.test("malformed text points at the position", () => {
  _syntax("2 0 x 2", 4, /found 'x'/);
  _syntax("2 0 1.5", 4, /found '1\.5'/);
  _syntax("[2, 0, 1", 8, /expected '\]'/);
  _syntax("[2, 0] 1", 7, /unexpected text after '\]'/);
  _syntax("  ", 0, /expected 21 block choice ids/);
  _syntax("[]", 1, /expected 21 block choice ids/);
});

Deno.test("rules name the block", () => {
  _rule(() => parseMobilenetArch(RLNAS.slice(0, -2)), "21 blocks", /^20 block choices/);
  _rule(() => parseMobilenetArch(`${RLNAS} 0`), "21 blocks", /^22 block choices/);
  _rule(
    () => parseMobilenetArch(RLNAS.replace(/^2/, "-1")),
    "skip only where allowed",
    /^block 0 \(24→32, stride 2\) cannot be skipped/,
  );
  const skip12 = [...RLNAS_MOBILENET];
  skip12[12] = -1;
  _rule(() => validateMobilenetArch(skip12), "skip only where allowed", /^block 12 \(112→128/);
  const six = [...RLNAS_MOBILENET];
  six[7] = 6;
  _rule(
    () => validateMobilenetArch(six),
    "known choice",
    /^block 7: unknown choice 6 \(valid: 0=k3e3,.*-1=skip\)/,
  );
  six[7] = -2;
  _rule(() => validateMobilenetArch(six), "known choice", /^block 7: unknown choice -2/);
  six[7] = 0.5;
  _rule(() => validateMobilenetArch(six), "known choice", /unknown choice 0\.5/);
  // every skippable block accepts -1
  const allSkip = MOBILENET_BLOCKS.map((b) => (b.canSkip ? -1 : 5));
  assert.deepEqual(validateMobilenetArch(allSkip), allSkip);
});
