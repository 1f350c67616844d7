/**
 * `deno task regress`: is a candidate set of results worse than a baseline?
 *
 * ```
 * deno task regress [--candidate DIR | --candidate-run ID|latest] [--baseline DIR | --baseline-run ID|latest]
 *                   [--history PATH] [--benchmark NAME ...] [--profile NAME ...] [--allow-missing]
 * deno task regress DIR            # the same as --candidate DIR
 * ```
 *
 * - **Candidate**: a results folder (`<dir>/<benchmark>/<profile>/<runs file>.csv`, e.g. a
 *   nightly's `--out` folder), or runs of the history (`reporting/history.ts`): a run id (all its
 *   benchmarks and profiles), or `latest` (the latest run of every benchmark and profile).
 * - **Baseline**: the committed `results/` of the repository by default, or a results folder, or a
 *   run id / `latest` of the history.
 * - Compared per benchmark and profile present in both, row by row (method, dataset, seed and the
 *   benchmark's `runKeyColumns`), under each benchmark's `REGRESSION_RULES`
 *   (`benchmarks/<name>/reference.ts`; perf rows: {@link PERF_REGRESSION_RULES}). Only drops
 *   count; improvements are reported as such. Rows missing from the candidate are regressions
 *   unless `--allow-missing`; new rows are listed.
 * - Prints the table of deltas and a final line. Exit codes: 0 nothing regressed, 3 something
 *   did (or a row is missing), 4 nothing could be compared (no benchmark/profile in both),
 *   2 usage error, 1 runtime error (e.g. a malformed CSV, a missing history file).
 *
 * @module
 */
import {
  flagHelp,
  type FlagSpec,
  listFlag,
  parseFlags,
  reportCliError,
  stringFlag,
  UsageError,
} from "./args.ts";
import { listBenchmarks } from "../benchmarks/registry.ts";
import { REGRESSION_RULES as TABLE1_RULES } from "../benchmarks/table1/reference.ts";
import { REGRESSION_RULES as TABLE2_RULES } from "../benchmarks/table2/reference.ts";
import { REGRESSION_RULES as TABLE6_RULES } from "../benchmarks/table6/reference.ts";
import { REGRESSION_RULES as TABLE7_RULES } from "../benchmarks/table7/reference.ts";
import { REGRESSION_RULES as FIGURE1_RULES } from "../benchmarks/figure1/reference.ts";
import { REGRESSION_RULES as COMPARE_RULES } from "../benchmarks/compare/reference.ts";
import { REGRESSION_RULES as LOOKUP_RULES } from "../benchmarks/nb201_lookup/reference.ts";
import { History, historyPath, type HistoryRun, recordRow } from "../reporting/history.ts";
import {
  compareResults,
  formatRegressSummary,
  formatRegressTable,
  hasRegression,
  readResultsFolder,
  type RegressionRule,
  type ResultKind,
  type ResultSet,
} from "../reporting/regress.ts";
import { EXIT_CODES } from "../reporting/verdict.ts";

const _root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** The committed baselines. */
export const COMMITTED_RESULTS = `${_root}/results`;

/** `deno task perf` rows: a median step time more than 7 % slower is a regression (TorchBench's rule). */
export const PERF_REGRESSION_RULES: readonly RegressionRule[] = [
  { column: "ms_median", better: "lower", relative: 0.07, description: "TorchBench: 7% slower" },
];

/** Key columns of `deno task perf` rows besides method, dataset, seed (see `cli/perf.ts`). */
export const PERF_KEY_COLUMNS: readonly string[] = ["backend", "device", "batch", "threads"];

const _RULES: Readonly<Record<string, readonly RegressionRule[]>> = {
  "nb201-lookup": LOOKUP_RULES,
  table1: TABLE1_RULES,
  table2: TABLE2_RULES,
  table6: TABLE6_RULES,
  table7: TABLE7_RULES,
  figure1: FIGURE1_RULES,
  compare: COMPARE_RULES,
};

/** What a results folder may hold: every registered benchmark, and `perf/<cpu|gpu>/perf.csv`. */
export function resultKinds(): ResultKind[] {
  return [
    ...listBenchmarks().map((b) => ({
      benchmark: b.name,
      runsFile: b.runsFile,
      keyColumns: b.runKeyColumns ?? [],
      rules: _RULES[b.name] ?? [],
    })),
    {
      benchmark: "perf",
      runsFile: "perf",
      keyColumns: PERF_KEY_COLUMNS,
      rules: PERF_REGRESSION_RULES,
    },
  ];
}

const FLAGS: Record<string, FlagSpec> = {
  candidate: { type: "string", help: "results folder to judge", placeholder: "DIR" },
  "candidate-run": {
    type: "string",
    help: "run id of the history to judge, or latest (every benchmark/profile's latest run)",
    placeholder: "ID",
  },
  baseline: {
    type: "string",
    help: "results folder to compare with (default: the committed results/)",
    placeholder: "DIR",
  },
  "baseline-run": {
    type: "string",
    help: "run id of the history to compare with, or latest",
    placeholder: "ID",
  },
  history: {
    type: "string",
    help: "the history file (default $RLNAS_HISTORY, else <cache dir>/history.sqlite)",
    placeholder: "PATH",
  },
  benchmark: {
    type: "string",
    multiple: true,
    help: "compare only these benchmarks (repeatable, comma lists)",
    placeholder: "NAME",
  },
  profile: {
    type: "string",
    multiple: true,
    help: "compare only these profiles (repeatable, comma lists)",
    placeholder: "NAME",
  },
  "allow-missing": {
    type: "boolean",
    help: "a baseline row without a candidate row is listed but not a regression",
  },
  help: { type: "boolean", short: "h", help: "this help" },
};

const USAGE = `deno task regress [--candidate DIR | --candidate-run ID|latest] ` +
  `[--baseline DIR | --baseline-run ID|latest] [--history PATH] [--benchmark NAME ...] ` +
  `[--profile NAME ...] [--allow-missing]`;

function _isDir(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

function _folderArg(flag: string, dir: string): string {
  if (!_isDir(dir)) {
    throw new UsageError(
      `--${flag} '${dir}' is not a directory (a results folder: <dir>/<benchmark>/<profile>/)`,
    );
  }
  return dir.replace(/\/+$/, "") || "/";
}

/** The result sets of a history run id, or of `latest`. */
export function historySets(h: History, flag: string, id: string): ResultSet[] {
  let runs: HistoryRun[];
  if (id === "latest") {
    runs = h.latestRuns();
    if (runs.length === 0) {
      throw new UsageError(`--${flag} latest: the history ${h.path} has no runs`);
    }
  } else {
    runs = h.nightsOf().filter((r) => r.run_id === id);
    if (runs.length === 0) {
      const known = h.nightsOf().slice(-3).map((r) => r.run_id);
      throw new UsageError(
        `--${flag} '${id}': no such run in the history ${h.path} (valid: a recorded run id, ` +
          `e.g. ${known.length > 0 ? known.join(", ") : "none recorded yet"}; or latest)`,
      );
    }
  }
  return runs.map((r) => ({
    benchmark: r.benchmark,
    profile: r.profile,
    rows: h.recordsOf(r.run_id, { benchmark: r.benchmark, profile: r.profile }).map(recordRow),
    source: `history run ${r.run_id}`,
  }));
}

/** Run the command; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let history: History | undefined;
  try {
    const { values, positionals } = parseFlags(args, FLAGS);
    if (values.help === true) {
      console.log(`${USAGE}\n\n${flagHelp(FLAGS)}`);
      return EXIT_CODES.pass;
    }
    if (positionals.length > 1) {
      throw new UsageError(
        `expected at most one candidate folder, got ${positionals.length} ('${
          positionals.join("', '")
        }')`,
      );
    }
    let candidateDir = stringFlag("candidate", values.candidate);
    if (positionals.length === 1) {
      if (candidateDir !== undefined) {
        throw new UsageError(
          `give the candidate once: --candidate '${candidateDir}' or '${positionals[0]}'`,
        );
      }
      candidateDir = positionals[0];
    }
    const candidateRun = stringFlag("candidate-run", values["candidate-run"]);
    const baselineDir = stringFlag("baseline", values.baseline);
    const baselineRun = stringFlag("baseline-run", values["baseline-run"]);
    if (candidateDir !== undefined && candidateRun !== undefined) {
      throw new UsageError("--candidate and --candidate-run exclude each other (give one)");
    }
    if (candidateDir === undefined && candidateRun === undefined) {
      throw new UsageError(
        `no candidate: give --candidate DIR or --candidate-run ID|latest (${USAGE})`,
      );
    }
    if (baselineDir !== undefined && baselineRun !== undefined) {
      throw new UsageError("--baseline and --baseline-run exclude each other (give one)");
    }
    const kinds = resultKinds();
    const benchmarks = listFlag(values.benchmark);
    for (const b of benchmarks) {
      if (!kinds.some((k) => k.benchmark === b)) {
        throw new UsageError(
          `unknown value '${b}' for --benchmark (valid: ${
            kinds.map((k) => k.benchmark).join(", ")
          })`,
        );
      }
    }
    const profiles = listFlag(values.profile);
    const cDir = candidateDir === undefined ? undefined : _folderArg("candidate", candidateDir);
    const bDir = baselineDir === undefined ? undefined : _folderArg("baseline", baselineDir);

    const hPath = historyPath(stringFlag("history", values.history));
    if (candidateRun !== undefined || baselineRun !== undefined) {
      history = History.open(hPath, { create: false });
    }
    let candidate = cDir !== undefined
      ? await readResultsFolder(cDir, kinds)
      : historySets(history!, "candidate-run", candidateRun!);
    let baseline = baselineRun !== undefined
      ? historySets(history!, "baseline-run", baselineRun)
      : await readResultsFolder(bDir ?? COMMITTED_RESULTS, kinds);
    const keep = (s: ResultSet) =>
      (benchmarks.length === 0 || benchmarks.includes(s.benchmark)) &&
      (profiles.length === 0 || profiles.includes(s.profile));
    candidate = candidate.filter(keep);
    baseline = baseline.filter(keep);

    const what = (dir: string | undefined, run: string | undefined) =>
      dir !== undefined ? dir : `history ${hPath} run ${run}`;
    console.log(
      `regress: candidate ${what(cDir, candidateRun)} vs baseline ${
        what(bDir ?? (baselineRun === undefined ? COMMITTED_RESULTS : undefined), baselineRun)
      }`,
    );
    const report = compareResults(baseline, candidate, kinds, {
      allowMissing: values["allow-missing"] === true,
    });
    console.log(formatRegressTable(report));
    console.log(formatRegressSummary(report));
    if (hasRegression(report)) return EXIT_CODES.fail;
    return report.compared.length === 0 ? EXIT_CODES.notChecked : EXIT_CODES.pass;
  } catch (e) {
    return reportCliError(e);
  } finally {
    history?.close();
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
