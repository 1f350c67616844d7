/**
 * Parsing DARTS-like genotypes from text:
 * - the DARTS repositories' literal, `Genotype(normal=[('sep_conv_5x5', 0), ...],
 *   normal_concat=[2, 3, 4, 5], reduce=[...], reduce_concat=[2, 3, 4, 5])`, optionally prefixed
 *   with `NAME =`, concat lists also as `range(2, 6)`, either quote, any whitespace, trailing
 *   commas ({@link parseDartsGenotype});
 * - RLNAS's 28-gene form, `[[14 op ids], [14 op ids]]` or a flat `[28 op ids]`
 *   ({@link parseDartsGenes});
 * - a name of {@link DARTS_GENOTYPES} ({@link parseDartsArch} accepts all three).
 *
 * A malformed string throws an {@link ArchSyntaxError} (character offset and caret excerpt); a
 * well-formed genotype that breaks the space's rules throws a `DartsRuleError` naming the rule.
 *
 * @module
 */
import { ArchSyntaxError } from "../arch_syntax_error.ts";
import {
  type DartsGenotype,
  dartsGenotypeFromGenes,
  type RawDartsGene,
  validateDartsCell,
  validateDartsConcat,
} from "./genotype.ts";
import { DARTS_GENOTYPES, dartsGenotypeNames } from "./genotypes.ts";

const _FIELDS = ["normal", "normal_concat", "reduce", "reduce_concat"] as const;
type _Field = typeof _FIELDS[number];

/** A tiny cursor over the text with the error helpers. */
class _Reader {
  pos = 0;
  constructor(readonly text: string) {}

  fail(reason: string, at: number = this.pos): never {
    throw new ArchSyntaxError(reason, this.text, at);
  }

  ws(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  /** The next non-blank character ("" at the end). */
  peek(): string {
    this.ws();
    return this.text[this.pos] ?? "";
  }

  /** What is at the cursor, for messages. */
  found(): string {
    this.ws();
    if (this.pos >= this.text.length) return "the end of the string";
    const m = /^(\w+|\S)/.exec(this.text.slice(this.pos));
    return `'${m ? m[1] : this.text[this.pos]}'`;
  }

  expect(ch: string, context: string): void {
    if (this.peek() !== ch) this.fail(`expected '${ch}' ${context}, found ${this.found()}`);
    this.pos++;
  }

  /** Consume `ch` if it is next. */
  accept(ch: string): boolean {
    if (this.peek() !== ch) return false;
    this.pos++;
    return true;
  }

  ident(context: string): { name: string; at: number } {
    this.ws();
    const m = /^[A-Za-z_]\w*/.exec(this.text.slice(this.pos));
    if (m === null) this.fail(`expected ${context}, found ${this.found()}`);
    const at = this.pos;
    this.pos += m[0].length;
    return { name: m[0], at };
  }

  int(context: string): { value: number; at: number } {
    this.ws();
    const m = /^-?\d+/.exec(this.text.slice(this.pos));
    if (m === null) this.fail(`expected ${context} (an integer), found ${this.found()}`);
    const at = this.pos;
    this.pos += m[0].length;
    const value = Number(m[0]);
    if (!Number.isSafeInteger(value)) this.fail(`integer ${m[0]} is too large`, at);
    return { value, at };
  }

  quoted(context: string): { value: string; at: number } {
    const q = this.peek();
    if (q !== "'" && q !== '"') {
      this.fail(`expected ${context} (a quoted string), found ${this.found()}`);
    }
    const at = this.pos;
    const close = this.text.indexOf(q, at + 1);
    if (close < 0) this.fail(`unterminated string`, at);
    this.pos = close + 1;
    return { value: this.text.slice(at + 1, close), at };
  }

  end(context: string): void {
    this.ws();
    if (this.pos < this.text.length) this.fail(`unexpected ${this.found()} ${context}`);
  }
}

/** `[('op', input), ...]` */
function _cell(r: _Reader, field: string): RawDartsGene[] {
  r.expect("[", `to open the list of ${field}`);
  const genes: RawDartsGene[] = [];
  while (!r.accept("]")) {
    r.expect("(", `to open an (op, input) pair of ${field} or ']' to close it`);
    const op = r.quoted("an op name");
    r.expect(",", "between the op and the input");
    const input = r.int("the input node");
    r.accept(",");
    r.expect(")", "to close the (op, input) pair");
    genes.push({ op: op.value, input: input.value });
    if (!r.accept(",")) {
      r.expect("]", `after a pair of ${field} (',' or ']')`);
      break;
    }
  }
  return genes;
}

/** `[2, 3, 4, 5]` or `range(2, 6)` */
function _concat(r: _Reader, field: string): number[] {
  if (r.peek() === "[") {
    r.pos++;
    const out: number[] = [];
    while (!r.accept("]")) {
      out.push(r.int(`a node of ${field}`).value);
      if (!r.accept(",")) {
        r.expect("]", `after a node of ${field} (',' or ']')`);
        break;
      }
    }
    return out;
  }
  const fn = r.ident(`a list or range(2, 6) for ${field}`);
  if (fn.name !== "range") r.fail(`expected a list or range(2, 6) for ${field}`, fn.at);
  r.expect("(", "after range");
  const lo = r.int("the start of the range").value;
  r.expect(",", "between the start and the end of the range");
  const hi = r.int("the end of the range").value;
  r.accept(",");
  r.expect(")", "to close range(...)");
  return Array.from({ length: Math.max(0, hi - lo) }, (_, i) => lo + i);
}

/**
 * Parse the DARTS repositories' literal form of a genotype. Throws {@link ArchSyntaxError} when the
 * text is malformed, a `DartsRuleError` when the genotype breaks a rule of the space.
 */
export function parseDartsGenotype(text: string): DartsGenotype {
  const r = new _Reader(text);
  let head = r.ident("'Genotype('");
  if (head.name !== "Genotype" && r.peek() === "=") {
    r.pos++; // `NAME = Genotype(...)`, as the lines of genotypes.py
    head = r.ident("'Genotype(' after '='");
  }
  if (head.name !== "Genotype") r.fail(`expected 'Genotype(', found '${head.name}'`, head.at);
  r.expect("(", "after Genotype");
  const cells: Partial<Record<"normal" | "reduce", RawDartsGene[]>> = {};
  const concats: Partial<Record<"normal_concat" | "reduce_concat", number[]>> = {};
  const seen = new Set<string>();
  while (!r.accept(")")) {
    const f = r.ident(`a field name (${_FIELDS.join(", ")}) or ')'`);
    if (!(_FIELDS as readonly string[]).includes(f.name)) {
      r.fail(`unknown field '${f.name}' (fields: ${_FIELDS.join(", ")})`, f.at);
    }
    if (seen.has(f.name)) r.fail(`field '${f.name}' given twice`, f.at);
    seen.add(f.name);
    r.expect("=", `after the field name '${f.name}'`);
    const field = f.name as _Field;
    if (field === "normal" || field === "reduce") cells[field] = _cell(r, field);
    else concats[field] = _concat(r, field);
    if (!r.accept(",")) {
      r.expect(")", "after a field (',' or ')')");
      break;
    }
  }
  const close = r.pos - 1;
  r.end("after the closing ')' of Genotype(...)");
  for (const f of _FIELDS) if (!seen.has(f)) r.fail(`missing field '${f}'`, close);
  // rules, in field order
  const normal = validateDartsCell("normal", cells.normal as RawDartsGene[]);
  validateDartsConcat("normal", concats.normal_concat as number[]);
  const reduce = validateDartsCell("reduce", cells.reduce as RawDartsGene[]);
  validateDartsConcat("reduce", concats.reduce_concat as number[]);
  return Object.freeze({ normal, reduce });
}

/** `[int, ...]` with offsets, one nesting level allowed below the top. */
function _intList(r: _Reader, context: string): number[] {
  r.expect("[", `to open ${context}`);
  const out: number[] = [];
  while (!r.accept("]")) {
    out.push(r.int(`an op id (0..7) of ${context}`).value);
    if (!r.accept(",")) {
      r.expect("]", `after an op id of ${context} (',' or ']')`);
      break;
    }
  }
  return out;
}

/**
 * Parse the 28-gene form: `[[14 normal op ids], [14 reduce op ids]]` or `[28 op ids]`
 * (rlnas-reference §5.2 edge order). Throws {@link ArchSyntaxError} when malformed, a
 * `DartsRuleError` when a cell breaks a rule.
 */
export function parseDartsGenes(text: string): DartsGenotype {
  const r = new _Reader(text);
  if (r.peek() !== "[") r.fail(`expected '[' to open the list of genes, found ${r.found()}`);
  const open = r.pos;
  r.pos++;
  let genes: number[] | [number[], number[]];
  if (r.peek() === "[") {
    const normal = _intList(r, "the normal cell's genes");
    r.expect(",", "between the normal and the reduce lists");
    const reduce = _intList(r, "the reduce cell's genes");
    r.accept(",");
    r.expect("]", "after the reduce list (a genotype is two lists: normal, reduce)");
    genes = [normal, reduce];
  } else {
    r.pos = open;
    genes = _intList(r, "the 28 genes");
  }
  r.end("after the list of genes");
  return dartsGenotypeFromGenes(genes);
}

/**
 * Parse any accepted form: a name of {@link DARTS_GENOTYPES}, the literal, or the 28-gene form
 * (text starting with `[`).
 */
export function parseDartsArch(text: string): DartsGenotype {
  const t = text.trim();
  if (t.startsWith("[")) return parseDartsGenes(text);
  if (Object.hasOwn(DARTS_GENOTYPES, t)) return parseDartsGenotype(DARTS_GENOTYPES[t]);
  if (/^\w+$/.test(t) && t !== "Genotype") {
    throw new ArchSyntaxError(
      `unknown genotype name '${t}' (names: ${dartsGenotypeNames().join(", ")}; or write ` +
        `Genotype(...) or [[14 op ids], [14 op ids]])`,
      text,
      text.indexOf(t),
    );
  }
  return parseDartsGenotype(text);
}
