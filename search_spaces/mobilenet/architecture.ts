/**
 * The MobileNet-like (ProxylessNAS-style) space of RLNAS (spec `darts-mobilenet-architectures.md`
 * §3, rlnas-reference §8.2): an architecture is 21 block choices, one per choice block, each an
 * MBConv id 0..5 ({@link MOBILENET_CHOICES}: kernel k, expand ratio e) or −1 = skip, which only the
 * blocks that are not the first of a stage allow ({@link MobilenetBlock.canSkip}).
 *
 * The text form is RLNAS's `retrain.sh` one, 21 integers separated by spaces and/or commas,
 * optionally in brackets: `2 0 -1 2 2 0 2 4 0 4 4 2 4 2 4 2 0 0 0 2 2`.
 *
 * @module
 */
import { ArchSyntaxError } from "../arch_syntax_error.ts";

/** One choice block: input and output channels, input side, stride, whether it may be skipped. */
export interface MobilenetBlock {
  readonly inp: number;
  readonly oup: number;
  readonly size: number;
  readonly stride: number;
  readonly canSkip: boolean;
}

function _stage(inp: number, oup: number, size: number, stride: number): MobilenetBlock[] {
  const first = Object.freeze({ inp, oup, size, stride, canSkip: false });
  const rest = Object.freeze({ inp: oup, oup, size: size / stride, stride: 1, canSkip: true });
  return [first, rest, rest, rest];
}

/** The 21 choice blocks, in order (stages 32×4 s2, 56×4 s2, 112×4 s2, 128×4 s1, 256×4 s2, 432). */
export const MOBILENET_BLOCKS: readonly MobilenetBlock[] = Object.freeze([
  ..._stage(24, 32, 112, 2),
  ..._stage(32, 56, 56, 2),
  ..._stage(56, 112, 28, 2),
  ..._stage(112, 128, 14, 1),
  ..._stage(128, 256, 14, 2),
  Object.freeze({ inp: 256, oup: 432, size: 7, stride: 1, canSkip: false }),
]);

/** Number of choice blocks (21). */
export const MOBILENET_NUM_BLOCKS = 21;

/** The skip choice id. */
export const MOBILENET_SKIP = -1;

/** An MBConv choice: kernel side and expand ratio. */
export interface MobilenetChoice {
  readonly kernel: number;
  readonly expand: number;
}

/** MBConv choices by id: 0 k3e3, 1 k3e6, 2 k5e3, 3 k5e6, 4 k7e3, 5 k7e6. */
export const MOBILENET_CHOICES: readonly MobilenetChoice[] = Object.freeze(
  [3, 5, 7].flatMap((kernel) => [3, 6].map((expand) => Object.freeze({ kernel, expand }))),
);

/** An architecture: 21 choice ids (−1..5). */
export type MobilenetArch = readonly number[];

/** The architecture RLNAS reports (`retrain.sh`; Table 5: 473M FLOPs, 5.3M params). */
export const RLNAS_MOBILENET: MobilenetArch = Object.freeze([
  2,
  0,
  -1,
  2,
  2,
  0,
  2,
  4,
  0,
  4,
  4,
  2,
  4,
  2,
  4,
  2,
  0,
  0,
  0,
  2,
  2,
]);

/** The rules an architecture can break (see {@link MobilenetRuleError}). */
export type MobilenetRule = "21 blocks" | "known choice" | "skip only where allowed";

/** A well-formed architecture that breaks a rule of the space; the message names it. */
export class MobilenetRuleError extends RangeError {
  /** The rule broken. */
  readonly rule: MobilenetRule;

  constructor(rule: MobilenetRule, message: string) {
    super(`${message} [rule: ${rule}]`);
    this.name = "MobilenetRuleError";
    this.rule = rule;
  }
}

/** `k3e3, k3e6, ...` with ids, for messages. */
function _choiceList(): string {
  return MOBILENET_CHOICES.map((c, i) => `${i}=k${c.kernel}e${c.expand}`).join(", ");
}

/** Name of a choice id (`k5e3`, `skip`). */
export function mobilenetChoiceName(id: number): string {
  if (id === MOBILENET_SKIP) return "skip";
  const c = MOBILENET_CHOICES[id];
  return c ? `k${c.kernel}e${c.expand}` : String(id);
}

/** Check an architecture and return a frozen copy; throws {@link MobilenetRuleError}. */
export function validateMobilenetArch(arch: readonly number[]): MobilenetArch {
  if (arch.length !== MOBILENET_NUM_BLOCKS) {
    throw new MobilenetRuleError(
      "21 blocks",
      `${arch.length} block choices, but the space has ${MOBILENET_NUM_BLOCKS} choice blocks`,
    );
  }
  arch.forEach((id, b) => {
    const block = MOBILENET_BLOCKS[b];
    if (!Number.isInteger(id) || id < MOBILENET_SKIP || id >= MOBILENET_CHOICES.length) {
      throw new MobilenetRuleError(
        "known choice",
        `block ${b}: unknown choice ${id} (valid: ${_choiceList()}` +
          `${block.canSkip ? ", -1=skip" : ""})`,
      );
    }
    if (id === MOBILENET_SKIP && !block.canSkip) {
      throw new MobilenetRuleError(
        "skip only where allowed",
        `block ${b} (${block.inp}→${block.oup}, stride ${block.stride}) cannot be skipped (-1): ` +
          `it is the first block of its stage; skip is allowed only in blocks 1-3, 5-7, 9-11, ` +
          `13-15, 17-19 (valid here: ${_choiceList()})`,
      );
    }
  });
  return Object.freeze(Array.from(arch));
}

/**
 * Parse the text form (21 integers separated by spaces and/or commas, optionally in `[...]`).
 * Throws {@link ArchSyntaxError} at the first character that is not part of an integer list,
 * {@link MobilenetRuleError} when the list breaks a rule.
 */
export function parseMobilenetArch(text: string): MobilenetArch {
  let body = text;
  let start = 0;
  const open = text.search(/\S/);
  if (open >= 0 && text[open] === "[") {
    const close = text.lastIndexOf("]");
    if (close < 0) throw new ArchSyntaxError("expected ']' to close the list", text, text.length);
    const after = text.slice(close + 1).search(/\S/);
    if (after >= 0) {
      throw new ArchSyntaxError("unexpected text after ']'", text, close + 1 + after);
    }
    start = open + 1;
    body = text.slice(0, close);
  }
  const ids: number[] = [];
  const token = /[\s,]*([^\s,]+)/y;
  token.lastIndex = start;
  let m: RegExpExecArray | null;
  while ((m = token.exec(body)) !== null) {
    const s = m[1];
    const at = token.lastIndex - s.length;
    if (!/^-?\d+$/.test(s)) {
      throw new ArchSyntaxError(
        `expected a block choice id (an integer -1..5), found '${s}'`,
        text,
        at,
      );
    }
    ids.push(Number(s));
  }
  if (ids.length === 0) {
    throw new ArchSyntaxError(
      `expected ${MOBILENET_NUM_BLOCKS} block choice ids (integers -1..5)`,
      text,
      start,
    );
  }
  return validateMobilenetArch(ids);
}

/** The text form of an architecture (space-separated, as `retrain.sh`). */
export function mobilenetArchToString(arch: MobilenetArch): string {
  return validateMobilenetArch(arch).join(" ");
}
