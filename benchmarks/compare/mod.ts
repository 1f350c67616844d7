/**
 * `compare`: any architecture metric against the RLNAS angle on NAS-Bench-201. Each metric (a
 * registered one, or a plug-in `.ts` file whose default export is an `ArchMetric`) scores the
 * selected architectures (`--archs`); per metric, dataset and seed a row holds its rank
 * correlation with NB201's test accuracy (official tau, tau-b, Spearman rho; tau against the
 * validation accuracy where the data has it), precision@k (k = 10, top 1 %, top 5 %), the test
 * accuracy of its best-scored architecture, the test accuracy of the architecture evolution
 * (spec §5.1) returns with it as fitness, and its time per architecture. The angle is always
 * compared: it is scored on the profile's random-label SuperNet (`random-uniform-once`, trained
 * or taken from the cache), the baseline row of the printed ranking.
 *
 * Files: `runs.csv` (a row per metric, dataset and seed) and `scores-<dataset>-seed<seed>.csv`
 * (a row per architecture: NB201 index, architecture string, accuracies, a column per metric).
 * With `--archs naslib` (or `naslib:N`) the metrics NASLib's file also scores are compared with
 * NASLib's own scores on the architectures scored: tau against the file's validation accuracy
 * (ours within {@link NASLIB_TAU_TOLERANCE} of theirs) and Spearman rho between our scores and
 * theirs (at least `1 - NASLIB_RHO_TOLERANCE`).
 *
 * @module
 */
import { listFlag, stringFlag, UsageError } from "../../cli/args.ts";
import { portablePath } from "../../reporting/provenance.ts";
import { loadNaslibZc } from "../../datasets/naslib_zc.ts";
import type { Comparison } from "../../reporting/comparison.ts";
import type { Check } from "../../reporting/verdict.ts";
import {
  genotypeFromIndex,
  genotypeFromNaslib,
  genotypeToIndex,
  genotypeToString,
} from "../../search_spaces/nb201/encoding.ts";
import { officialKendallTau } from "../../stats/ranking.ts";
import { spearman } from "../../stats/correlation.ts";
import type { Benchmark, BenchmarkContext, BenchmarkRow, ProfileName } from "../types.ts";
import { beatsChecks, type Nb201CheckSpec, profileChecks } from "../_nb201/checks.ts";
import { nb201Plan } from "../_nb201/plan.ts";
import { DEFAULT_SEEDS, NB201_DATASETS, profileInfos } from "../_nb201/profiles.ts";
import { Nb201Run, type Nb201Work } from "../_nb201/run.ts";
import { evolveAndLookup } from "../_nb201/search.ts";
import { nb201Settings } from "../_nb201/settings.ts";
import { meanStd, round } from "../_nb201/summary.ts";
import { type ArchSelection, formatArchs, parseArchs, selectArchs } from "./archs.ts";
import { type ResolvedMetric, resolveMetrics } from "./metrics.ts";
import { type AngleBaseline, needsSuperNet, resolveBaseline } from "./baseline.ts";
import { PartialScores } from "./partial.ts";
import { scoresOneAtATime } from "../_nb201/metric_scorer.ts";
import { rankStats } from "./rank_stats.ts";
import {
  BASELINE_METRIC,
  DEFAULT_ARCHS,
  DEFAULT_METRICS,
  NASLIB_RHO_TOLERANCE,
  NASLIB_TAU_TOLERANCE,
  SMOKE_MIN_TOLERANCE,
  SMOKE_SPREAD,
  SMOKE_TOLERANCE_FACTOR,
} from "./reference.ts";

/** Columns of `runs.csv` after the provenance columns. */
export const RUN_COLUMNS = [
  "metric",
  "plugin",
  "higher_is_better",
  "archs",
  "n_archs",
  "tau",
  "tau_b",
  "spearman",
  "tau_valid",
  "p_at_10",
  "p_at_1pct",
  "p_at_5pct",
  "top1_arch",
  "top1_test_acc",
  "evo_arch",
  "evo_test_acc",
  "evo_scored",
  "ms_per_arch",
  "supernet",
] as const;

/** What the verdict checks: the smoke baseline's tau, and the angle ranking above random. */
export const COMPARE_CHECKS: Nb201CheckSpec = {
  smoke: {
    column: "tau",
    spread: SMOKE_SPREAD,
    factor: SMOKE_TOLERANCE_FACTOR,
    floor: SMOKE_MIN_TOLERANCE,
  },
  findings: (rows) =>
    rows.some((r) => r.method === "random")
      ? beatsChecks(rows, "tau", { id: BASELINE_METRIC, name: "angle" }, {
        id: "random",
        name: "random",
      })
      : [],
  paper: null,
};

/** What a run compares, from its flags (or the profile's defaults). */
interface _Selection {
  metrics: ResolvedMetric[];
  archs: ArchSelection;
  baseline: AngleBaseline;
}

/**
 * The metrics, architectures and angle baseline of a run, checked before any work.
 *
 * @throws UsageError for a bad flag value, or a metric needing a SuperNet with `--angle-scores`
 */
async function _selection(ctx: BenchmarkContext): Promise<_Selection> {
  const given = listFlag(ctx.options.metric);
  const names = given.length > 0 ? given : [...DEFAULT_METRICS];
  // the angle is always there: the baseline every other metric is read against
  let metrics = await resolveMetrics([BASELINE_METRIC, ...names]);
  const archs = parseArchs(
    stringFlag("archs", ctx.options.archs, { default: DEFAULT_ARCHS[ctx.profile] }),
  );
  const baseline = await resolveBaseline(
    stringFlag("supernet", ctx.options.supernet),
    stringFlag("angle-scores", ctx.options["angle-scores"]),
    ctx.datasets,
  );
  if (baseline.kind === "file") {
    metrics = metrics.map((m) =>
      m.metric.name === BASELINE_METRIC ? { metric: baseline.metric } : m
    );
    const needy = metrics.find((m) => needsSuperNet(m.metric));
    if (needy !== undefined) {
      throw new UsageError(
        `--metric ${needy.metric.name} needs a SuperNet (${needy.metric.requires.join(", ")}), ` +
          `and --angle-scores gives none: use --supernet DIR instead`,
      );
    }
  }
  return { metrics, archs, baseline };
}

/** The SuperNets a run trains: the profile's random-label one, unless a baseline is given. */
function _work(baseline: AngleBaseline): Nb201Work {
  return {
    supernets: (dataset, seed) =>
      baseline.kind === "train" ? [{ dataset, labels: "random-uniform-once", seed }] : [],
  };
}

function _settings(profile: ProfileName) {
  return nb201Settings(profile);
}

/** Re-throws an error of a plug-in metric as one line naming its file. */
function _named(m: ResolvedMetric, e: unknown): never {
  if (m.plugin === undefined) throw e;
  throw new Error(`--metric ${m.plugin}: ${(e as Error).message.split("\n")[0]}`);
}

/** The registered benchmark. */
export const compare: Benchmark = {
  name: "compare",
  paperTable: "metrics vs angle",
  description: "any metric (registered or a plug-in file) vs the RLNAS angle: tau, rho, " +
    "precision@k, evolution",
  profiles: profileInfos({
    smoke: "50 sampled archs: seconds, plus ~2 s per arch for each batch proxy (snip, nwot, ...)",
    quick: "NASLib's 725 archs, the quick SuperNet (~40 min to train on 2 cores, cached)",
    paper: "all 15,625 archs on the paper's SuperNet: GPU only",
  }),
  datasets: NB201_DATASETS,
  defaultDatasets: { smoke: ["cifar10"], quick: ["cifar10"], paper: NB201_DATASETS },
  defaultSeeds: DEFAULT_SEEDS,
  usesTensors: true,
  flags: {
    metric: {
      type: "string",
      multiple: true,
      placeholder: "NAME|FILE",
      help: "metric to compare, repeatable or comma-separated: a registered name or the path " +
        "of a .ts module whose default export is an ArchMetric (default: " +
        `${DEFAULT_METRICS.join(",")}; the angle is always compared)`,
    },
    supernet: {
      type: "string",
      placeholder: "DIR",
      help: "the SuperNet of the angle baseline: a cache entry or a copied checkpoint folder " +
        "(run.json, checkpoints; default: the profile's random-label SuperNet, trained or cached)",
    },
    "angle-scores": {
      type: "string",
      placeholder: "FILE",
      help: "read the angle baseline from a per-architecture scores file " +
        "(results/angle-scores/, tools/export_angle_scores.ts) instead: nothing is trained",
    },
    archs: {
      type: "string",
      placeholder: "SET",
      help: "architectures scored: all, naslib (the 725 of NASLib's file), naslib:N (a seeded " +
        "sample of those) or a count N " +
        `(seeded sample; default smoke ${DEFAULT_ARCHS.smoke}, quick ${DEFAULT_ARCHS.quick}, ` +
        `paper ${DEFAULT_ARCHS.paper})`,
    },
  },
  async plan(ctx) {
    const { baseline } = await _selection(ctx);
    return await nb201Plan(ctx, _settings(ctx.profile), _work(baseline));
  },
  async run(ctx) {
    const { metrics, archs, baseline } = await _selection(ctx);
    const settings = _settings(ctx.profile);
    const run = await Nb201Run.start(ctx, settings, _work(baseline));
    ctx.record("compare", {
      metrics: metrics.map((m) => ({
        name: m.metric.name,
        plugin: m.plugin ?? null,
        higher_is_better: m.metric.higherIsBetter,
        requires: m.metric.requires,
        description: m.metric.description,
      })),
      archs: formatArchs(archs),
      angle_baseline: baseline.kind === "train"
        ? "the profile's random-label SuperNet"
        : baseline.kind === "dir"
        ? portablePath(baseline.entry.dir)
        : portablePath(baseline.path),
    });
    const rows: BenchmarkRow[] = [];
    const files: string[] = [];
    const comparisons: Comparison[] = [];
    const scored = new Map<string, Map<number, number>>();
    const partialDir = `${ctx.outDir}/compare/${ctx.profile}/partial`;
    const partials: PartialScores[] = [];
    try {
      await run.prefetch();
      for (const dataset of ctx.datasets) {
        const { indices, description } = await selectArchs(archs, dataset, ctx.dataDir);
        run.note(`${dataset}: ${indices.length} architectures scored (${description})`);
        const gs = Array.from(indices, (i) => genotypeFromIndex(i));
        for (const seed of ctx.seeds) {
          const supernet = baseline.kind === "train"
            ? await run.supernet({ dataset, labels: "random-uniform-once", seed })
            : baseline.kind === "dir"
            ? baseline.entry
            : null;
          const test = run.table.column(dataset, "test");
          const valid = run.table.hasColumn(dataset, "valid")
            ? run.table.column(dataset, "valid")
            : null;
          const scoreRows = Array.from(indices, (i) => ({
            nb201_index: run.table.indexOf(genotypeFromIndex(i)),
            arch: genotypeToString(genotypeFromIndex(i)),
            test_acc: test[i],
            valid_acc: valid === null ? "" : valid[i],
          } as Record<string, string | number>));
          for (const m of metrics) {
            const on = supernet !== null && needsSuperNet(m.metric) ? supernet : { dataset, seed };
            const scorer = await run.scorer(m.metric, on).catch((e) => _named(m, e));
            // a metric scored one architecture at a time (seconds each) streams its scores to
            // disk, and a killed run resumes from them; batch metrics take seconds in all
            const sourceId = `${"key" in on ? on.key : "space"} ${m.plugin ?? m.metric.name}`;
            const partial = scoresOneAtATime(m.metric)
              ? new PartialScores(partialDir, dataset, seed, m.metric.name, sourceId)
              : null;
            if (partial !== null) partials.push(partial);
            const known = partial === null ? new Map<number, number>() : await partial.load();
            if (known.size > 0) {
              scorer.prime(known);
              run.note(
                `${dataset} seed ${seed} ${m.metric.name}: ${known.size} scores resumed from ` +
                  portablePath(partial!.path),
              );
            }
            const todo = gs.filter((g) => !known.has(genotypeToIndex(g))).length;
            let phase = partial !== null && todo > 0
              ? ctx.progress.start({
                kind: "evaluate",
                label: `${m.metric.name}, ${dataset} seed ${seed}`,
                total: todo,
                unit: "archs",
              })
              : null;
            scorer.listen((k, v) => {
              partial?.add(k, v);
              phase?.tick(1);
            });
            const t0 = performance.now();
            const scores = await scorer.scores(gs).catch((e) => _named(m, e));
            phase?.done();
            phase = null; // the evolution's new architectures still stream to disk, untracked
            const msPerArch = (performance.now() - t0) / Math.max(1, todo);
            const sign = m.metric.higherIsBetter ? 1 : -1;
            const oriented = Float64Array.from(scores, (v) => sign * v);
            const st = rankStats(oriented, indices, test, valid);
            const evo = await evolveAndLookup(
              scorer.fitness,
              run.evolutionFor(m.metric),
              seed,
              run.table,
              dataset,
            ).catch((e) => _named(m, e));
            await partial?.flush();
            scores.forEach((v, i) => scoreRows[i][m.metric.name] = v);
            scored.set(
              _scoreKey(dataset, seed, m.metric.name),
              new Map(Array.from(indices, (k, i) => [k, scores[i]])),
            );
            const top1 = genotypeFromIndex(indices[st.top1]);
            ctx.log(
              `  ${dataset} seed ${seed} ${m.metric.name}: tau ${st.tau.toFixed(4)}, ` +
                `evolution ${evo.arch} test ${evo.testAcc.toFixed(2)}`,
            );
            rows.push({
              method: m.metric.name,
              dataset,
              seed,
              metric: m.metric.name,
              plugin: m.plugin ?? "",
              higher_is_better: String(m.metric.higherIsBetter),
              archs: formatArchs(archs),
              n_archs: indices.length,
              tau: round(st.tau, 6),
              tau_b: round(st.tauB, 6),
              spearman: round(st.spearman, 6),
              tau_valid: st.tauValid === null ? "" : round(st.tauValid, 6),
              p_at_10: round(st.pAt10, 6),
              p_at_1pct: round(st.pAt1pct, 6),
              p_at_5pct: round(st.pAt5pct, 6),
              top1_arch: genotypeToString(top1),
              top1_test_acc: test[indices[st.top1]],
              evo_arch: evo.arch,
              evo_test_acc: evo.testAcc,
              evo_scored: evo.scored,
              ms_per_arch: round(msPerArch, 4),
              supernet: baseline.kind === "file" && m.metric === baseline.metric
                ? `file ${portablePath(baseline.path)}`
                : supernet !== null && needsSuperNet(m.metric)
                ? (baseline.kind === "dir" ? portablePath(supernet.dir) : supernet.key)
                : "",
            });
          }
          files.push(
            await ctx.write(
              `scores-${dataset}-seed${seed}`,
              [
                "nb201_index",
                "arch",
                "test_acc",
                "valid_acc",
                ...metrics.map((m) => m.metric.name),
              ],
              scoreRows.map((r) => ({ method: "", dataset, seed, ...r })),
              {
                provenance: "sidecar",
                replace: true,
              },
            ),
          );
          for (const p of partials.splice(0)) await p.remove();
        }
        if (archs.kind === "naslib") {
          comparisons.push(...await _naslibComparisons(ctx, dataset, scored, metrics));
        }
      }
    } finally {
      run.dispose();
    }
    const runsFile = await ctx.write("runs", RUN_COLUMNS, rows);
    const checks: Check[] = profileChecks(COMPARE_CHECKS, ctx.profile, rows, ctx.baseline);
    return {
      files: [runsFile, ...files],
      tables: [rankedTable(rows)],
      comparisons,
      referenceName: "NASLib",
      notes: run.notes,
      checks,
      summaryFile: runsFile,
    };
  },
  runsFile: "runs",
  smoke: COMPARE_CHECKS.smoke,
  checks: (profile, rows, baseline) => profileChecks(COMPARE_CHECKS, profile, rows, baseline),
};

/**
 * The metrics NASLib's file scores too: our tau against the file's validation accuracy next to
 * the tau of NASLib's own scores (ours: mean over seeds), on the architectures of the file.
 */
async function _naslibComparisons(
  ctx: BenchmarkContext,
  dataset: string,
  scored: ReadonlyMap<string, ReadonlyMap<number, number>>,
  metrics: readonly ResolvedMetric[],
): Promise<Comparison[]> {
  const sign = (m: ResolvedMetric) => m.metric.higherIsBetter ? 1 : -1;
  const first = metrics.length === 0
    ? undefined
    : scored.get(_scoreKey(dataset, ctx.seeds[0], metrics[0].metric.name));
  // the file's entries that were scored (all of them with --archs naslib, a sample with naslib:N)
  const zc = ((await loadNaslibZc(ctx.dataDir))[dataset] ?? []).filter((e) =>
    first?.has(genotypeToIndex(genotypeFromNaslib(e.key))) ?? false
  );
  const val = zc.map((e) => e.valAccuracy);
  const keys = zc.map((e) => genotypeToIndex(genotypeFromNaslib(e.key)));
  const out: Comparison[] = [];
  for (const m of metrics) {
    const theirs = zc.map((e) => e.scores[m.metric.name] ?? NaN);
    if (theirs.every((v) => Number.isNaN(v))) continue;
    const mineOf = (seed: number) => {
      const mine = scored.get(_scoreKey(dataset, seed, m.metric.name))!;
      return keys.map((k) => sign(m) * (mine.get(k) ?? NaN));
    };
    const taus = ctx.seeds.map((seed) => officialKendallTau(mineOf(seed), val));
    out.push({
      label: `${dataset} ${m.metric.name}: tau vs the file's val acc (${zc.length} archs)`,
      ours: meanStd(taus).mean,
      reference: officialKendallTau(theirs, val),
      tolerance: NASLIB_TAU_TOLERANCE,
      digits: 3,
    });
    // rho between our scores and NASLib's, over the architectures both score finitely
    const rhos = ctx.seeds.map((seed) => {
      const mine = mineOf(seed);
      const ok = keys.map((_, i) => Number.isFinite(mine[i]) && Number.isFinite(theirs[i]));
      return spearman(mine.filter((_, i) => ok[i]), theirs.filter((_, i) => ok[i]));
    });
    out.push({
      label: `${dataset} ${m.metric.name}: Spearman rho of our scores vs NASLib's (need >= ${
        (1 - NASLIB_RHO_TOLERANCE).toFixed(2)
      })`,
      ours: meanStd(rhos).mean,
      reference: 1,
      tolerance: NASLIB_RHO_TOLERANCE,
      digits: 3,
    });
  }
  return out;
}

function _scoreKey(dataset: string, seed: number, metric: string): string {
  return `${dataset}|${seed}|${metric}`;
}

/** The ranked table of `rows`: mean over seeds per dataset and metric, best tau first. */
export function rankedTable(rows: readonly BenchmarkRow[]): string {
  const out: string[] = [];
  const datasets = [...new Set(rows.map((r) => String(r.dataset)))];
  const cols = ["metric", "tau", "tau_b", "rho", "p@10", "p@1%", "p@5%", "top1", "evolution", "ms"];
  for (const dataset of datasets) {
    const mine = rows.filter((r) => r.dataset === dataset);
    const names = [...new Set(mine.map((r) => String(r.metric)))];
    const mean = (m: string, c: string) =>
      meanStd(mine.filter((r) => r.metric === m).map((r) => Number(r[c])));
    const body = names.map((m) => {
      const f = (c: string, d = 3) => mean(m, c).mean.toFixed(d);
      const evo = mean(m, "evo_test_acc");
      return {
        tau: mean(m, "tau").mean,
        cells: [
          m === BASELINE_METRIC ? `${m} (RLNAS baseline)` : m,
          f("tau"),
          f("tau_b"),
          f("spearman"),
          f("p_at_10"),
          f("p_at_1pct"),
          f("p_at_5pct"),
          f("top1_test_acc", 2),
          `${evo.mean.toFixed(2)} ± ${(evo.std ?? 0).toFixed(2)}`,
          f("ms_per_arch", 3),
        ],
      };
    }).sort((a, b) => b.tau - a.tau).map((r) => r.cells);
    const widths = cols.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
    const line = (r: string[]) =>
      r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
    out.push(
      `${dataset}: metrics ranked by Kendall tau vs NB201 test accuracy (mean over seeds; ` +
        `top1 = test acc of the best-scored arch; evolution = test acc of its search, mean ± std)`,
      line(cols),
      ...body.map(line),
    );
  }
  return out.join("\n");
}
