/**
 * `deno task report`: a self-contained static HTML report of a results folder.
 *
 * ```
 * deno task report [--results DIR] [--history PATH] [--out DIR]
 * ```
 *
 * - `--results`: the results folder (default: the committed `results/`).
 * - `--history`: a run history (`reporting/history.ts`) whose values are charted over nights
 *   (default `$RLNAS_HISTORY`; none when neither is set).
 * - `--out`: the report folder (default `runs/report`), written atomically: `index.html`, inline
 *   SVG, no script, works offline.
 * - Exit codes: 0 written, 2 usage error, 1 runtime error (a malformed CSV, a history that cannot
 *   be read).
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
import { listBenchmarks } from "../benchmarks/registry.ts";
import { loadResults } from "../reporting/report/load.ts";
import { loadNights, type NightSeries } from "../reporting/report/nights.ts";
import { reportHtml } from "../reporting/report/html.ts";
import { writeReportDir } from "../reporting/report/write.ts";
import { EXIT_CODES } from "../reporting/verdict.ts";

const _root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** The committed results. */
export const COMMITTED_RESULTS = `${_root}/results`;

const FLAGS: Record<string, FlagSpec> = {
  results: {
    type: "string",
    help: "results folder (default: the committed results/)",
    placeholder: "DIR",
  },
  history: {
    type: "string",
    help: "run history to chart (default $RLNAS_HISTORY, else none)",
    placeholder: "PATH",
  },
  out: { type: "string", help: "report folder (default runs/report)", placeholder: "DIR" },
  help: { type: "boolean", short: "h", help: "this help" },
};

const USAGE = "deno task report [--results DIR] [--history PATH] [--out DIR]";

function _stat(path: string): Deno.FileInfo | null {
  try {
    return Deno.statSync(path);
  } catch {
    return null;
  }
}

/** Run the command; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  try {
    const { values, positionals } = parseFlags(args, FLAGS);
    if (values.help === true) {
      console.log(`${USAGE}\n\n${flagHelp(FLAGS)}`);
      return EXIT_CODES.pass;
    }
    if (positionals.length > 0) {
      throw new UsageError(`unexpected argument '${positionals[0]}' (${USAGE})`);
    }
    const results =
      (stringFlag("results", values.results) ?? COMMITTED_RESULTS).replace(/\/+$/, "") || "/";
    if (_stat(results)?.isDirectory !== true) {
      throw new UsageError(
        `--results '${results}' is not a directory (a results folder: <dir>/<benchmark>/<profile>/)`,
      );
    }
    const out = (stringFlag("out", values.out) ?? "runs/report").replace(/\/+$/, "");
    if (out === "") throw new UsageError("--out '/' is not valid (a folder to create or replace)");
    const outStat = _stat(out);
    if (outStat !== null && !outStat.isDirectory) {
      throw new UsageError(`--out '${out}' is a file (valid: a folder to create or replace)`);
    }
    const envHistory = Deno.env.get("RLNAS_HISTORY");
    const history = stringFlag("history", values.history) ??
      (envHistory === undefined || envHistory === "" ? undefined : envHistory);
    if (history !== undefined && _stat(history)?.isFile !== true) {
      throw new UsageError(
        `--history '${history}' is not a file (valid: a history.sqlite written by bench --history or deno task history import)`,
      );
    }
    const data = await loadResults(results, listBenchmarks(), COMMITTED_RESULTS);
    const nights: NightSeries[] | null = history === undefined ? null : loadNights(history);
    const html = reportHtml(data, nights, new Date().toISOString());
    await writeReportDir(out, { "index.html": html });
    console.log(
      `report: ${out}/index.html (${data.benchmarks.length} tables, ${data.scores.length} score plots, ` +
        `${data.perf.length} perf files${
          nights === null ? "" : `, ${nights.length} history series`
        }; ${(html.length / 1024).toFixed(0)} KiB)`,
    );
    return EXIT_CODES.pass;
  } catch (e) {
    return reportCliError(e);
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
