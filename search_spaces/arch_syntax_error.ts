/**
 * The error for a malformed architecture string: it names the character offset of the problem and
 * shows a caret excerpt under it, e.g.
 *
 * ```text
 * expected ',' between the op and the input at character offset 33:
 *   Genotype(normal=[('sep_conv_5x5' 0), ('sep_conv_3x3', 1), ...
 *                                    ^
 * ```
 *
 * A string that is well-formed but breaks a search space's rules throws the space's own
 * `RangeError` subclass instead (naming the rule).
 *
 * @module
 */

const _WIDTH = 72;

/**
 * Two lines: the part of `text` around `offset` (at most about 72 characters, `...` where cut,
 * control characters shown as spaces) and a caret under the character at `offset` (`offset` may be
 * `text.length`: the caret then sits just past the end).
 */
export function caretExcerpt(text: string, offset: number, indent = "  "): string {
  const at = Math.max(0, Math.min(offset, text.length));
  let start = Math.max(0, at - Math.floor(_WIDTH / 2));
  const end = Math.min(text.length, start + _WIDTH);
  start = Math.max(0, Math.min(start, end - _WIDTH));
  const head = start > 0 ? "..." : "";
  const tail = end < text.length ? "..." : "";
  // deno-lint-ignore no-control-regex
  const shown = text.slice(start, end).replace(/[\u0000-\u001f\u007f]/g, " ");
  const caret = " ".repeat(head.length + at - start) + "^";
  return `${indent}${head}${shown}${tail}\n${indent}${caret}`;
}

/** A malformed architecture string; the message ends with a {@link caretExcerpt}. */
export class ArchSyntaxError extends SyntaxError {
  /** What is wrong, e.g. `expected ')'` (no position). */
  readonly reason: string;
  /** Character offset (0-based index into the string) of the problem. */
  readonly offset: number;
  /** The two-line caret excerpt. */
  readonly excerpt: string;

  constructor(reason: string, text: string, offset: number) {
    const excerpt = caretExcerpt(text, offset);
    super(`${reason} at character offset ${offset}:\n${excerpt}`);
    this.name = "ArchSyntaxError";
    this.reason = reason;
    this.offset = offset;
    this.excerpt = excerpt;
  }
}
