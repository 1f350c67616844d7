/**
 * `deno task cost`: FLOPs and parameters of one architecture, by the cost models of
 * `search_spaces/cost_models.ts`.
 *
 * ```sh
 * deno task cost --space darts-imagenet --channels 48 --arch "Genotype(normal=[...], ...)"
 * # flops=629123864 params=5674720
 * deno task cost --space mobilenet --arch "2 0 -1 2 2 0 2 4 0 4 4 2 4 2 4 2 0 0 0 2 2" --json
 * # {"flops": 473248184, "params": 5255648}
 * ```
 *
 * `--parts` adds one line per part (stem, cells, blocks, classifier) where the model has them.
 * Each space declares its own flags (`--channels`, `--dataset`, ...; `--help` lists them); a flag
 * of another space is a usage error. Exit codes as the other entry points (`cli/args.ts`): 0,
 * 2 for a usage error (a bad flag or value; a malformed `--arch` names the character offset and
 * prints a caret excerpt below the error line; an architecture breaking the space's rules names
 * the rule), 1 for anything else.
 *
 * @module
 */
import { ArchSyntaxError } from "../search_spaces/arch_syntax_error.ts";
import { type ArchCost, costModelNames, getCostModel } from "../search_spaces/cost_models.ts";
import { flagHelp, type FlagSpec, parseFlags, stringFlag, UsageError } from "./args.ts";

/** The flags every space takes. */
export const COST_COMMON_FLAGS: Readonly<Record<string, FlagSpec>> = Object.freeze({
  space: {
    type: "string",
    choices: costModelNames(),
    placeholder: "NAME",
    help: "search space / network",
  },
  arch: { type: "string", placeholder: "ARCH", help: "the architecture (forms per space below)" },
  parts: { type: "boolean", help: "also print each part's FLOPs and parameters" },
  json: { type: "boolean", help: 'print {"flops": ..., "params": ...}' },
  help: { type: "boolean", short: "h", help: "show this help" },
});

/** Every flag: the common ones and those of each space (same name, same type). */
export function costFlags(): Record<string, FlagSpec> {
  const all: Record<string, FlagSpec> = { ...COST_COMMON_FLAGS };
  for (const name of costModelNames()) {
    for (const [flag, spec] of Object.entries(getCostModel(name).flags)) {
      if (Object.hasOwn(COST_COMMON_FLAGS, flag) || (all[flag] && all[flag].type !== spec.type)) {
        throw new Error(`cost model ${name}: flag --${flag} clashes with another declaration`);
      }
      all[flag] ??= spec;
    }
  }
  return all;
}

/** The `--help` text. */
export function costHelp(): string {
  const spaces = costModelNames().map((name) => {
    const m = getCostModel(name);
    const flags = Object.keys(m.flags).length > 0 ? `\n${flagHelp(m.flags)}` : "";
    return `${name}: ${m.description}\n  --arch: ${m.archForms}\n  e.g. --arch "${m.example}"` +
      flags;
  });
  return `Usage: deno task cost --space NAME --arch ARCH [space flags] [--parts] [--json]\n\n` +
    `Prints flops=N params=N of the architecture.\n\nFlags:\n${flagHelp(COST_COMMON_FLAGS)}\n\n` +
    `Spaces and their flags:\n\n${spaces.join("\n\n")}`;
}

function _json(c: ArchCost, parts: boolean): string {
  const fields = [`"flops": ${c.flops}`, `"params": ${c.params}`];
  if (parts && c.parts) {
    const list = c.parts.map((p) =>
      `{"name": ${JSON.stringify(p.name)}, "flops": ${p.flops}, "params": ${p.params}}`
    );
    fields.push(`"parts": [${list.join(", ")}]`);
  }
  return `{${fields.join(", ")}}`;
}

function _text(c: ArchCost, parts: boolean): string {
  const lines = [`flops=${c.flops} params=${c.params}`];
  if (parts && c.parts) {
    const width = Math.max(...c.parts.map((p) => p.name.length));
    for (const p of c.parts) {
      lines.push(`  ${p.name.padEnd(width)}  flops=${p.flops} params=${p.params}`);
    }
  }
  return lines.join("\n");
}

/** Count the architecture of `args`; returns the exit code. */
export function main(args: string[]): number {
  try {
    const { values, positionals } = parseFlags(args, costFlags());
    if (values.help) {
      console.log(costHelp());
      return 0;
    }
    if (positionals.length > 0) {
      throw new UsageError(`unexpected argument '${positionals[0]}' (write --arch '...')`);
    }
    const space = stringFlag("space", values.space);
    if (space === undefined) {
      throw new UsageError(`--space is required (valid: ${costModelNames().join(", ")})`);
    }
    const model = getCostModel(space);
    for (const flag of Object.keys(values)) {
      if (Object.hasOwn(COST_COMMON_FLAGS, flag) || Object.hasOwn(model.flags, flag)) continue;
      const own = Object.keys(model.flags).map((f) => `--${f}`).join(", ") || "none";
      throw new UsageError(`flag --${flag} does not apply to --space ${space} (its flags: ${own})`);
    }
    const options = model.options(values);
    const text = stringFlag("arch", values.arch);
    if (text === undefined) {
      throw new UsageError(`--arch is required; for --space ${space}: ${model.archForms}`);
    }
    let arch: unknown;
    try {
      arch = model.parseArch(text);
    } catch (e) {
      if (e instanceof ArchSyntaxError || e instanceof RangeError) {
        throw new UsageError(`--arch for --space ${space}: ${e.message}`);
      }
      throw e;
    }
    const cost = model.cost(arch, options);
    const parts = values.parts === true;
    console.log(values.json ? _json(cost, parts) : _text(cost, parts));
    return 0;
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    return e instanceof UsageError ? 2 : 1;
  }
}

if (import.meta.main) Deno.exit(main(Deno.args));
