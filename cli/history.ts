/**
 * `deno task history`: the run history (`reporting/history.ts`).
 *
 * ```
 * deno task history import <results dir> [--history PATH]   # record a results folder's runs
 * deno task history list [--benchmark NAME] [--profile NAME] [--history PATH]
 * deno task history show <run id> [--history PATH]
 * ```
 *
 * `import` appends every row of `<dir>/<benchmark>/<profile>/<runs file>.csv` (every registered
 * benchmark, and `perf/<cpu|gpu>/perf.csv`), grouped by the rows' own `run_id`, with the run's
 * verdict where the folder's sidecars recorded it (`summary.json` / `optima.json`: `verdict`, of
 * the run that wrote it); rows already recorded are skipped, so importing a folder again adds only
 * its new runs. A nightly job runs it on its `--out` folder after the benchmarks.
 *
 * Exit codes: 0 done, 1 runtime error (unreadable folder or history), 2 usage error.
 *
 * @module
 */
import {
  flagHelp,
  type FlagSpec,
  parseFlags,
  reportCliError,
  stringFlag,
  UsageError,
} from "./args.ts";
import { resultKinds } from "./regress.ts";
import { History, historyPath } from "../reporting/history.ts";
import { readResultsFolder, type ResultKind, type ResultSet } from "../reporting/regress.ts";
import { type CheckStatus, EXIT_CODES } from "../reporting/verdict.ts";

const FLAGS: Record<string, FlagSpec> = {
  history: {
    type: "string",
    help: "the history file (default $RLNAS_HISTORY, else <cache dir>/history.sqlite)",
    placeholder: "PATH",
  },
  benchmark: { type: "string", help: "list: only this benchmark", placeholder: "NAME" },
  profile: { type: "string", help: "list: only this profile", placeholder: "NAME" },
  help: { type: "boolean", short: "h", help: "this help" },
};

const COMMANDS = ["import", "list", "show"] as const;

const USAGE = [
  "deno task history import <results dir> [--history PATH]",
  "deno task history list [--benchmark NAME] [--profile NAME] [--history PATH]",
  "deno task history show <run id> [--history PATH]",
].join("\n");

const _VERDICTS: readonly string[] = ["PASS", "FAIL", "NOT CHECKED"];

/** The verdicts a folder's sidecars recorded, by run id (`verdict.run_id` / `verdict.overall`). */
async function _verdicts(dir: string, set: ResultSet): Promise<Map<string, CheckStatus>> {
  const out = new Map<string, CheckStatus>();
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(`${dir}/${set.benchmark}/${set.profile}`)];
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!e.isFile || !e.name.endsWith(".json")) continue;
    try {
      const side = JSON.parse(
        await Deno.readTextFile(`${dir}/${set.benchmark}/${set.profile}/${e.name}`),
      );
      const v = side?.verdict;
      if (v && typeof v.run_id === "string" && _VERDICTS.includes(v.overall)) {
        out.set(v.run_id, v.overall);
      }
    } catch {
      // not a sidecar we can read: no verdict from it
    }
  }
  return out;
}

/** Append every run of the results folder `dir` to `h`; returns per-run counts. */
export async function importFolder(
  h: History,
  dir: string,
  kinds: readonly ResultKind[] = resultKinds(),
): Promise<
  { runId: string; benchmark: string; profile: string; added: number; skipped: number }[]
> {
  const out = [];
  for (const set of await readResultsFolder(dir, kinds)) {
    const kind = kinds.find((k) => k.benchmark === set.benchmark);
    const verdicts = await _verdicts(dir, set);
    const byRun = new Map<string, Record<string, string>[]>();
    for (const r of set.rows) {
      const id = r.run_id ?? "";
      if (id === "") throw new Error(`${set.source}: a row has no run_id (not a results file?)`);
      byRun.set(id, [...(byRun.get(id) ?? []), r]);
    }
    for (const [runId, rows] of byRun) {
      const res = h.appendRun({
        runId,
        benchmark: set.benchmark,
        profile: set.profile,
        rows,
        keyColumns: kind?.keyColumns ?? [],
        verdict: verdicts.get(runId) ?? null,
        source: set.source,
      });
      out.push({ runId, benchmark: set.benchmark, profile: set.profile, ...res });
    }
  }
  return out;
}

/** Run the command; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  try {
    const { values, positionals } = parseFlags(args, FLAGS);
    if (values.help === true) {
      console.log(`${USAGE}\n\n${flagHelp(FLAGS)}`);
      return EXIT_CODES.pass;
    }
    const [command, ...rest] = positionals;
    if (command === undefined || !(COMMANDS as readonly string[]).includes(command)) {
      throw new UsageError(
        `${command === undefined ? "no command" : `unknown command '${command}'`} ` +
          `(valid: ${COMMANDS.join(", ")})`,
      );
    }
    const path = historyPath(stringFlag("history", values.history));
    if (command === "import") {
      if (rest.length !== 1) {
        throw new UsageError(`history import takes one results folder, got ${rest.length}`);
      }
      const dir = rest[0].replace(/\/+$/, "") || "/";
      let isDir = false;
      try {
        isDir = Deno.statSync(dir).isDirectory;
      } catch {
        isDir = false;
      }
      if (!isDir) {
        throw new UsageError(
          `history import: '${rest[0]}' is not a directory (a results folder: ` +
            `<dir>/<benchmark>/<profile>/)`,
        );
      }
      const h = History.open(path);
      try {
        const done = await importFolder(h, dir);
        for (const d of done) {
          console.log(
            `${d.benchmark}/${d.profile} run ${d.runId}: ${d.added} records added` +
              (d.skipped > 0 ? `, ${d.skipped} already recorded` : ""),
          );
        }
        const added = done.reduce((s, d) => s + d.added, 0);
        console.log(`imported ${dir} into ${path}: ${done.length} runs, ${added} new records`);
      } finally {
        h.close();
      }
      return EXIT_CODES.pass;
    }
    if (rest.length !== (command === "show" ? 1 : 0)) {
      throw new UsageError(
        command === "show"
          ? `history show takes one run id, got ${rest.length}`
          : `history list takes no arguments, got '${rest.join(" ")}'`,
      );
    }
    const h = History.open(path, { create: false });
    try {
      if (command === "list") {
        const runs = h.nightsOf({
          benchmark: stringFlag("benchmark", values.benchmark),
          profile: stringFlag("profile", values.profile),
        });
        for (const r of runs) {
          console.log(
            [
              r.started_at,
              r.run_id,
              `${r.benchmark}/${r.profile}`,
              r.verdict ?? "-",
              r.git_rev,
              r.backend,
              `${r.records} records`,
            ]
              .join("  "),
          );
        }
        console.log(`${runs.length} runs in ${path}`);
      } else {
        const recs = h.recordsOf(rest[0]);
        if (recs.length === 0) {
          throw new UsageError(`history show: no run '${rest[0]}' in ${path} (see history list)`);
        }
        for (const r of recs) {
          console.log(
            `${r.benchmark}/${r.profile} ${r.method}/${r.dataset}/seed ${r.seed}` +
              `${r.metric === "" ? "" : ` metric=${r.metric}`} verdict=${r.verdict ?? "-"} ` +
              JSON.stringify(r.values),
          );
        }
      }
    } finally {
      h.close();
    }
    return EXIT_CODES.pass;
  } catch (e) {
    return reportCliError(e);
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
