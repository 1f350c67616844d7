/**
 * Command-line parsing for `bench`, behind `node:util` parseArgs. A usage error is a
 * {@link UsageError}: the CLI prints its one-line message and exits with code 2.
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
  /** For `--help`. */
  help: string;
  /** Placeholder in `--help`, e.g. `N`. */
  placeholder?: string;
}

/** Parsed flags and positionals. */
export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** Parse `args` against `flags`; unknown flags or values outside `choices` throw UsageError. */
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
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
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
    if (!f.choices) continue;
    const v = values[name];
    const list = v === undefined ? [] : Array.isArray(v) ? v : [String(v)];
    for (const item of list.flatMap((x) => x.split(","))) {
      if (!f.choices.includes(item)) {
        throw new UsageError(
          `unknown value '${item}' for --${name} (valid: ${f.choices.join(", ")})`,
        );
      }
    }
  }
  return { values, positionals: parsed.positionals };
}

/** A repeatable / comma-separated list flag as strings. */
export function listFlag(v: string | boolean | string[] | undefined): string[] {
  if (v === undefined || typeof v === "boolean") return [];
  return (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(",")).filter((x) => x !== "");
}

/** A repeatable / comma-separated list of integers (`--seed 0 --seed 1`, `--seed 0,1,2`). */
export function intListFlag(name: string, v: string | boolean | string[] | undefined): number[] {
  return listFlag(v).map((s) => {
    if (!/^-?\d+$/.test(s)) throw new UsageError(`--${name} takes integers, got '${s}'`);
    return Number(s);
  });
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
