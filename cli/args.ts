/**
 * Command-line parsing shared by every entry point (`bench`, `perf`, `download`,
 * `training/train_cli.ts`), behind `node:util` parseArgs.
 *
 * The contract: a usage error is a {@link UsageError} whose one-line message names the flag, the
 * value given and what is valid; the CLI prints `error: <message>` and exits with code 2 (runtime
 * errors exit with code 1). Numbers that start with `-` are values (`--x -1` as well as `--x=-1`),
 * so a flag that takes no negative numbers rejects them by name through {@link intFlag} /
 * {@link numberFlag}. An empty string value (`--out ""`, `--seed=`) is a usage error unless the
 * flag's {@link FlagSpec.allowEmpty} is set.
 *
 * @module
 */
import { parseArgs } from "node:util";

/** A bad flag, value or name. The message is one line naming the valid choices. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Declaration of one flag. */
export interface FlagSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** Allowed values (string flags). */
  choices?: readonly string[];
  /** Whether an empty string is a valid value (string flags; default: a usage error). */
  allowEmpty?: boolean;
  /** For `--help`. */
  help: string;
  /** Placeholder in `--help`, e.g. `N`. */
  placeholder?: string;
}

/** The value of one parsed flag. */
export type FlagValue = string | boolean | string[] | undefined;

/** Parsed flags and positionals. */
export interface Parsed {
  values: Record<string, FlagValue>;
  positionals: string[];
}

/** Inclusive bounds of an integer flag. */
export interface IntRange {
  min?: number;
  max?: number;
}

/** Bounds of a number flag; `exclusiveMin` / `exclusiveMax` are strict bounds. */
export interface NumberRange {
  min?: number;
  max?: number;
  exclusiveMin?: number;
  exclusiveMax?: number;
}

/** Largest seed (seeds are the integers 0..2^32-1, as numpy's `RandomState`). */
export const SEED_MAX = 4294967295;

/** The valid seeds: integers in [0, {@link SEED_MAX}]. */
export const SEED_RANGE: Readonly<IntRange> = Object.freeze({ min: 0, max: SEED_MAX });

const _NEGATIVE_NUMBER = /^-\.?\d/;

function _quote(v: string): string {
  return `'${v}'`;
}

/**
 * Rewrite `--flag -1` to `--flag=-1` (parseArgs calls the former ambiguous) and report a string
 * flag without its value or a boolean flag given one.
 */
function _normalize(args: readonly string[], flags: Readonly<Record<string, FlagSpec>>): string[] {
  const byShort = new Map<string, string>();
  for (const [name, f] of Object.entries(flags)) if (f.short) byShort.set(f.short, name);
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      out.push(...args.slice(i));
      break;
    }
    const long = /^--([^=]+)(=.*)?$/.exec(a);
    const short = /^-([^-])$/.exec(a);
    const name = long ? long[1] : short ? byShort.get(short[1]) : undefined;
    const f = name === undefined ? undefined : Object.hasOwn(flags, name) ? flags[name] : undefined;
    if (f === undefined || name === undefined) {
      out.push(a);
      continue;
    }
    if (f.type === "boolean") {
      if (long?.[2] !== undefined) {
        throw new UsageError(`flag --${name} takes no value, got ${_quote(a)} (write --${name})`);
      }
      out.push(a);
      continue;
    }
    if (long?.[2] !== undefined) {
      out.push(a);
      continue;
    }
    const valid = f.choices ? ` (valid: ${f.choices.join(", ")})` : "";
    const next = args[i + 1];
    if (next === undefined) throw new UsageError(`flag --${name} needs a value${valid}`);
    if (next.startsWith("-") && !_NEGATIVE_NUMBER.test(next)) {
      throw new UsageError(
        `flag --${name} needs a value, got the flag ${_quote(next)}${valid}; ` +
          `write --${name}=VALUE for a value that starts with '-'`,
      );
    }
    out.push(`--${name}=${next}`);
    i++;
  }
  return out;
}

/**
 * Parse `args` against `flags`. Unknown flags, a missing value, a value outside `choices` and an
 * empty value (unless `allowEmpty`) throw UsageError; `--flag -1` reads `-1` as the value.
 */
export function parseFlags(args: string[], flags: Readonly<Record<string, FlagSpec>>): Parsed {
  const options: Record<
    string,
    { type: "string" | "boolean"; short?: string; multiple?: boolean }
  > = {};
  for (const [name, f] of Object.entries(flags)) {
    options[name] = {
      type: f.type,
      ...(f.short ? { short: f.short } : {}),
      ...(f.multiple ? { multiple: true } : {}),
    };
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: _normalize(args, flags),
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const msg = (e as Error).message;
    const unknown = msg.match(/Unknown option '([^']+)'/);
    const valid = Object.keys(flags).map((n) => `--${n}`).join(", ");
    if (unknown) throw new UsageError(`unknown flag ${unknown[1]} (valid flags: ${valid})`);
    const missing = msg.match(/Option '(?:-\w, )?--([\w-]+)(?: <value>)?' argument missing/);
    if (missing) throw new UsageError(`flag --${missing[1]} needs a value`);
    throw new UsageError(msg.split("\n")[0]);
  }
  const values = parsed.values as Parsed["values"];
  for (const [name, f] of Object.entries(flags)) {
    const v = values[name];
    if (f.type !== "string" || v === undefined) continue;
    const list = Array.isArray(v) ? v : [String(v)];
    if (!f.allowEmpty && list.includes("")) {
      const choices = f.choices ? ` (valid: ${f.choices.join(", ")})` : "";
      throw new UsageError(`--${name} must be a non-empty value, got ''${choices}`);
    }
    if (!f.choices) continue;
    for (const item of list.flatMap((x) => x.split(","))) {
      if (!f.choices.includes(item)) {
        throw new UsageError(
          `unknown value ${_quote(item)} for --${name} (valid: ${f.choices.join(", ")})`,
        );
      }
    }
  }
  return { values, positionals: parsed.positionals };
}

/** A repeatable / comma-separated list flag as strings. */
export function listFlag(v: FlagValue): string[] {
  if (v === undefined || typeof v === "boolean") return [];
  return (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(",")).filter((x) => x !== "");
}

/** ` in [0, 10]`, ` >= 1`, ` > 0`, ` in (0, 1]`, ... (or "") for a message. */
function _rangeText(r: NumberRange): string {
  const lo: [string, number, string] | undefined = r.exclusiveMin !== undefined
    ? ["(", r.exclusiveMin, ">"]
    : r.min !== undefined
    ? ["[", r.min, ">="]
    : undefined;
  const hi: [string, number, string] | undefined = r.exclusiveMax !== undefined
    ? [")", r.exclusiveMax, "<"]
    : r.max !== undefined
    ? ["]", r.max, "<="]
    : undefined;
  if (lo && hi) return ` in ${lo[0]}${lo[1]}, ${hi[1]}${hi[0]}`;
  if (lo) return ` ${lo[2]} ${lo[1]}`;
  return hi ? ` ${hi[2]} ${hi[1]}` : "";
}

function _inRange(n: number, r: NumberRange): boolean {
  return (r.min === undefined || n >= r.min) && (r.max === undefined || n <= r.max) &&
    (r.exclusiveMin === undefined || n > r.exclusiveMin) &&
    (r.exclusiveMax === undefined || n < r.exclusiveMax);
}

function _rangeError(name: string, kind: string, v: string, r: NumberRange): UsageError {
  const lowest = r.exclusiveMin ?? r.min;
  const negative = lowest !== undefined && lowest >= 0 && _NEGATIVE_NUMBER.test(v)
    ? " (negative values are invalid)"
    : "";
  return new UsageError(`--${name} must be ${kind}${_rangeText(r)}, got ${_quote(v)}${negative}`);
}

/** The single string of a flag value: the string, the last of a repeated flag, else undefined. */
function _one(v: FlagValue): string | undefined {
  return typeof v === "string" ? v : Array.isArray(v) ? v[v.length - 1] : undefined;
}

/** Parse one integer (decimal digits, optional `-`) within `range`, or throw UsageError. */
function _int(name: string, s: string, range: IntRange): number {
  const n = Number(s);
  if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(n) || !_inRange(n, range)) {
    throw _rangeError(name, "an integer", s, range);
  }
  return n;
}

/**
 * The integer value of flag `--name`: `opts.default` (or undefined) when absent, else the
 * decimal integer within `[min, max]`; anything else throws UsageError naming flag, value, range.
 */
export function intFlag(
  name: string,
  value: FlagValue,
  opts: IntRange & { default: number },
): number;
export function intFlag(
  name: string,
  value: FlagValue,
  opts?: IntRange & { default?: number },
): number | undefined;
export function intFlag(
  name: string,
  value: FlagValue,
  opts: IntRange & { default?: number } = {},
): number | undefined {
  const s = _one(value);
  return s === undefined ? opts.default : _int(name, s, opts);
}

/**
 * The number value of flag `--name` (decimal, optional sign and exponent, finite):
 * `opts.default` (or undefined) when absent; outside the range, or not a number, throws
 * UsageError naming flag, value and range.
 */
export function numberFlag(
  name: string,
  value: FlagValue,
  opts: NumberRange & { default: number },
): number;
export function numberFlag(
  name: string,
  value: FlagValue,
  opts?: NumberRange & { default?: number },
): number | undefined;
export function numberFlag(
  name: string,
  value: FlagValue,
  opts: NumberRange & { default?: number } = {},
): number | undefined {
  const s = _one(value);
  if (s === undefined) return opts.default;
  const n = Number(s);
  if (
    !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s) || !Number.isFinite(n) || !_inRange(n, opts)
  ) {
    throw _rangeError(name, "a number", s, opts);
  }
  return n;
}

/**
 * The string value of flag `--name` (the last one if repeated): `opts.default` (or undefined)
 * when absent; an empty string throws UsageError unless `opts.allowEmpty`.
 */
export function stringFlag(
  name: string,
  value: FlagValue,
  opts: { default: string; allowEmpty?: boolean },
): string;
export function stringFlag(
  name: string,
  value: FlagValue,
  opts?: { default?: string; allowEmpty?: boolean },
): string | undefined;
export function stringFlag(
  name: string,
  value: FlagValue,
  opts: { default?: string; allowEmpty?: boolean } = {},
): string | undefined {
  const s = _one(value);
  if (s === undefined) return opts.default;
  if (s === "" && !opts.allowEmpty) {
    throw new UsageError(`--${name} must be a non-empty value, got ''`);
  }
  return s;
}

/**
 * A repeatable / comma-separated list of integers (`--seed 0 --seed 1`, `--seed 0,1,2`), each
 * within `range` (e.g. {@link SEED_RANGE}); a bad or empty item throws UsageError.
 */
export function intListFlag(name: string, v: FlagValue, range: IntRange = {}): number[] {
  if (v === undefined || typeof v === "boolean") return [];
  return (Array.isArray(v) ? v : [v]).flatMap((raw) =>
    raw.split(",").map((s) => {
      if (s === "") {
        throw new UsageError(
          `--${name} must be a comma-separated list of integers${_rangeText(range)}, ` +
            `got ${_quote(raw)}`,
        );
      }
      return _int(name, s, range);
    })
  );
}

/** Render `--help` text for the flags. */
export function flagHelp(flags: Readonly<Record<string, FlagSpec>>): string {
  const lines = Object.entries(flags).map(([name, f]) => {
    const ph = f.type === "string" ? ` <${f.placeholder ?? "value"}>` : "";
    const head = `  ${f.short ? `-${f.short}, ` : "    "}--${name}${ph}`;
    const choices = f.choices ? ` (${f.choices.join(" | ")})` : "";
    return `${head.padEnd(30)} ${f.help}${choices}`;
  });
  return lines.join("\n");
}

/**
 * Prints an error of a CLI as one line (`error: ...`; the stack too with `RLNAS_DEBUG` set) and
 * returns its exit code: 2 for a {@link UsageError}, 1 for any other error.
 */
export function reportCliError(e: unknown): 1 | 2 {
  const err = e as Error;
  console.error(`error: ${err.message}`);
  if (e instanceof UsageError) return 2;
  if (Deno.env.get("RLNAS_DEBUG")) console.error(err.stack);
  return 1;
}
