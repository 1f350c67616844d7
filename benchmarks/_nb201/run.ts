/**
 * The per-run plumbing of a NB201 benchmark: profile checks, the NB201 table, the search data per
 * dataset (loaded once), cached SuperNets with progress logging, and the notes printed after
 * the comparison table.
 *
 * @module
 */
import type { DatasetName } from "../../datasets/image_set.ts";
import { loadNb201Table, type Nb201Table } from "../../datasets/nb201_table.ts";
import type { SearchData } from "../../datasets/splits.ts";
import type { SuperNetInit } from "../../search_spaces/nb201/supernet.ts";
import type { BenchmarkContext } from "../types.ts";
import { checkBackend, loadBenchData } from "./data.ts";
import { describeSettings, type Nb201Settings } from "./settings.ts";
import {
  type CachedSuperNet,
  type CacheOptions,
  cacheRoot,
  obtainSuperNet,
  remainingSteps,
  supernetKey,
  type SuperNetSpec,
} from "./supernet_cache.ts";
import { obtainSuperNets } from "./supernet_pool.ts";
import { perfEstimate } from "./plan.ts";
import { type EvolutionConfig, NB201_EVOLUTION } from "../../search/evolution.ts";
import { portablePath } from "../../reporting/provenance.ts";
import type { Phase } from "../../reporting/progress.ts";
import { describeImages } from "../../datasets/image_set.ts";
import { validColumnNote } from "./search.ts";
import { getMetric } from "../../metrics/registry.ts";
import type { ArchMetric } from "../../metrics/metric.ts";
import {
  checkRequires,
  createSourceScorer,
  type MetricSource,
  scoresOneAtATime,
  type SourceScorer,
  type SourceScorerOptions,
  type UntrainedPair,
} from "./metric_scorer.ts";

/** Which SuperNet to obtain. */
export interface SuperNetRequest {
  dataset: DatasetName;
  /** Label scheme. */
  labels: string;
  seed: number;
  /** Random-label class count K. */
  numClasses?: number;
  init?: SuperNetInit;
}

/** What a NB201 benchmark needs besides its searches: declared once, used by the run and the plan. */
export interface Nb201Work {
  /** The SuperNets of one dataset and seed. */
  supernets(dataset: DatasetName, seed: number): SuperNetRequest[];
  /** The BN-recalibrated accuracy evaluations of one dataset and seed (upper bound). */
  evaluations?(settings: Nb201Settings): { archs: number; description: string };
}

/**
 * A sharded run (`bench --shard`, `benchmarks/shard.ts`) splits the work into units of one dataset
 * and seed; that is safe only when every SuperNet a unit asks for has the unit's dataset and seed
 * (its cache key holds both, so no other unit can need it).
 *
 * @throws Error naming the first SuperNet request that leaves its unit
 */
export function checkUnitSuperNets(
  work: Nb201Work,
  datasets: readonly DatasetName[],
  seeds: readonly number[],
): void {
  for (const dataset of datasets) {
    for (const seed of seeds) {
      const bad = work.supernets(dataset, seed).find((r) =>
        r.dataset !== dataset || r.seed !== seed
      );
      if (bad !== undefined) {
        throw new Error(
          `--shard: the work of ${dataset} seed ${seed} needs the SuperNet of ${bad.dataset} ` +
            `seed ${bad.seed} (${bad.labels}), another unit's: this benchmark cannot be split ` +
            `by dataset and seed (run it without --shard)`,
        );
      }
    }
  }
}

/** State of one benchmark run over its datasets. */
export class Nb201Run {
  readonly ctx: BenchmarkContext;
  readonly settings: Nb201Settings;
  readonly table: Nb201Table;
  /** Notes for the printed summary (deduplicated, in order). */
  readonly notes: string[] = [];
  /** Columns describing the training settings, added to every row. */
  readonly settingColumns: Record<string, string | number>;
  #data = new Map<DatasetName, SearchData>();
  #scorers = new Map<string, SourceScorer>();
  /** SuperNets obtained by {@link prefetch}, by key. */
  #prefetched = new Map<string, CachedSuperNet>();

  readonly #work: Nb201Work;
  /** The data of each dataset as recorded in the sidecar (sizes, index ranges, fingerprints). */
  readonly #dataRecord: Record<string, unknown> = {};
  /** The resolved training configuration of each SuperNet used, by key. */
  readonly #supernetRecord: Record<string, unknown> = {};
  #evaluation: Phase | null = null;

  private constructor(
    ctx: BenchmarkContext,
    settings: Nb201Settings,
    table: Nb201Table,
    work: Nb201Work,
  ) {
    this.ctx = ctx;
    this.#work = work;
    this.settings = settings;
    this.table = table;
    this.settingColumns = {
      epochs: settings.epochs,
      batch_size: settings.batchSize,
      channels: settings.channels,
    };
  }

  /**
   * Check the backend against the profile, load the NB201 table and record the settings in the
   * run's configuration.
   */
  static async start(
    ctx: BenchmarkContext,
    settings: Nb201Settings,
    work: Nb201Work,
  ): Promise<Nb201Run> {
    checkBackend(settings, ctx.backend);
    if (ctx.shard !== undefined) checkUnitSuperNets(work, ctx.datasets, ctx.seeds);
    const table = await loadNb201Table(ctx.dataDir.path);
    const run = new Nb201Run(ctx, settings, table, work);
    run.note(`profile ${settings.profile}: ${describeSettings(settings)}`);
    run.note(`SuperNet cache: ${portablePath(cacheRoot())}`);
    ctx.record("settings", {
      ...settings,
      angleEvolution: { ...NB201_EVOLUTION, ...settings.angleEvolution },
      accuracyEvolution: { ...NB201_EVOLUTION, ...settings.accuracyEvolution },
    });
    ctx.record("data", run.#dataRecord);
    ctx.record("supernets", run.#supernetRecord);
    ctx.record("notes", run.notes);
    return run;
  }

  /** Add a note once. */
  note(line: string): void {
    if (!this.notes.includes(line)) this.notes.push(line);
  }

  /** The search data of `dataset` (loaded once; its notes are added). */
  async data(dataset: DatasetName): Promise<SearchData> {
    let d = this.#data.get(dataset);
    if (d === undefined) {
      d = await loadBenchData(this.ctx.dataDir, dataset, this.settings);
      this.#data.set(dataset, d);
      this.#dataRecord[dataset] = {
        train: describeImages(d.train),
        valid: describeImages(d.valid),
      };
      for (const n of d.notes) this.note(n);
      const v = validColumnNote(this.table, dataset);
      if (v !== null) this.note(v);
    }
    return d;
  }

  async #spec(req: SuperNetRequest): Promise<SuperNetSpec> {
    const d = await this.data(req.dataset);
    return {
      train: d.train,
      labels: req.labels,
      backend: this.ctx.backend,
      numClasses: req.numClasses,
      seed: req.seed,
      epochs: this.settings.epochs,
      batchSize: this.settings.batchSize,
      channels: this.settings.channels,
      init: req.init,
    };
  }

  #cacheOptions(): CacheOptions {
    return {
      log: (l) => this.ctx.log(l),
      info: { backend: this.ctx.backend, device: this.ctx.device },
      keepEvery: this.ctx.keepEvery,
    };
  }

  /**
   * The cached (or freshly trained) SuperNet of `req`. The first request of a SuperNet trained
   * by {@link prefetch} gets its training time; later ones see a cache hit, as without prefetch.
   */
  async supernet(req: SuperNetRequest): Promise<CachedSuperNet> {
    const spec = await this.#spec(req);
    if (this.#prefetched.size > 0) {
      const key = await supernetKey(spec);
      const p = this.#prefetched.get(key);
      if (p !== undefined) {
        this.#prefetched.set(key, { ...p, hit: true, trainSeconds: 0 });
        return this.#used(p);
      }
    }
    return this.#used(await obtainSuperNet(spec, this.#cacheOptions()));
  }

  #used(entry: CachedSuperNet): CachedSuperNet {
    const { info: _info, ...config } = entry.config;
    this.#supernetRecord[entry.key] = config;
    return entry;
  }

  /**
   * Obtain every SuperNet the run will ask for (the work's `supernets` for each dataset and seed),
   * training the missing ones `ctx.jobs` at a time (in workers when more than one), with one
   * progress phase over all their steps. Also declares the run's accuracy evaluations to the
   * progress reporter, so the run's ETA covers them.
   */
  async prefetch(): Promise<void> {
    const { ctx } = this;
    const backend = ctx.backend;
    if (backend === "none") return;
    const reqs = ctx.datasets.flatMap((d) => ctx.seeds.flatMap((s) => this.#work.supernets(d, s)));
    const specs = await Promise.all(reqs.map((r) => this.#spec(r)));
    const unique = new Map<string, SuperNetSpec>();
    for (const s of specs) unique.set(await supernetKey(s), s);
    let steps = 0;
    let toTrain = 0;
    for (const s of unique.values()) {
      const n = await remainingSteps(s);
      steps += n;
      if (n > 0) toTrain++;
    }
    const perf = await perfEstimate(ctx.backend);
    const jobs = Math.max(1, Math.min(ctx.jobs, toTrain));
    const evaluations = this.#plannedEvaluations();
    const images = this.settings.accuracy.calibImages + (this.settings.accuracy.validImages ?? 0);
    if (evaluations > 0) {
      ctx.progress.plan([{
        kind: "evaluate",
        label: "accuracy evaluations",
        total: evaluations,
        unit: "archs (upper bound)",
        secondsPerUnit: perf === null ? undefined : (images * perf.forwardMs) / 64 / 1000,
      }]);
    }
    if (steps === 0) return;
    const phase = ctx.progress.start({
      kind: "train",
      label: `training ${toTrain} SuperNet${toTrain === 1 ? "" : "s"}, ${jobs} at a time`,
      total: steps,
      unit: "steps",
      secondsPerUnit: perf === null ? undefined : perf.stepMs / 1000 / jobs,
    });
    const got = await obtainSuperNets([...unique.values()], {
      ...this.#cacheOptions(),
      jobs: ctx.jobs,
      backend,
      onSteps: (key, n, detail) => phase.tick(n, `[${key.slice(0, 8)}] ${detail}`),
    });
    phase.done();
    for (const g of got) this.#prefetched.set(g.key, g);
    if (got.some((g) => !g.hit) && ctx.jobs > 1) {
      this.note(
        `SuperNets trained up to ${ctx.jobs} at a time, one worker each (--jobs ${ctx.jobs})`,
      );
    }
  }

  /**
   * The metric `name` (a registered name, or a plug-in `ArchMetric`) on a cached SuperNet, or on
   * the search space alone (`{dataset, seed}`: the cost model, the standalone network and the
   * training images; no SuperNet), created once per source and run (`metric_scorer.ts`):
   * memoised scores, the search fitness, and the values of all 15,625 architectures. A
   * forward-pass metric (the accuracy) draws its calibration images with the SuperNet's seed and
   * counts each new architecture in the run's "accuracy evaluations" progress phase. Freed by
   * {@link dispose}.
   *
   * @throws RangeError for an unknown metric (listing the registered ones) or one needing a
   *   context field the source does not provide
   */
  async scorer(
    name: string | ArchMetric,
    on: CachedSuperNet | { dataset: DatasetName; seed: number },
  ): Promise<SourceScorer> {
    const metric = typeof name === "string" ? getMetric(name) : name;
    const trained = "key" in on;
    checkRequires(metric, trained ? "trained" : "space");
    const key = `${metric.name}:${trained ? on.key : `space:${on.dataset}:${on.seed}`}`;
    let s = this.#scorers.get(key);
    if (s === undefined) {
      const dataset = trained ? on.config.dataset : on.dataset;
      const d = await this.data(dataset);
      const source: MetricSource = trained
        ? { kind: "trained", entry: on, train: d.train, valid: d.valid }
        : { kind: "space", dataset, seed: on.seed, train: d.train };
      s = await createSourceScorer(metric, source, this.#scorerOptions());
      this.#scorers.set(key, s);
    }
    return s;
  }

  /**
   * The registered metric `name` between two untrained SuperNets (Table 7's training free); the
   * caller disposes it.
   */
  async untrainedScorer(name: string, pair: UntrainedPair): Promise<SourceScorer> {
    const metric = getMetric(name);
    checkRequires(metric, "untrained");
    return await createSourceScorer(metric, { kind: "untrained", pair }, this.#scorerOptions());
  }

  /**
   * The evolution settings of the profile for `name`: the accuracy's budget for every metric
   * scored one architecture at a time (forward passes through the SuperNet or a standalone
   * network, seconds per architecture on a CPU), the angle's for the others.
   */
  evolutionFor(name: string | ArchMetric): Partial<EvolutionConfig> {
    return scoresOneAtATime(typeof name === "string" ? getMetric(name) : name)
      ? this.settings.accuracyEvolution
      : this.settings.angleEvolution;
  }

  #scorerOptions(): SourceScorerOptions {
    return {
      anglePrecision: this.ctx.anglePrecision,
      accuracy: this.settings.accuracy,
      onScored: () => {
        this.#evaluation ??= this.ctx.progress.start({
          kind: "evaluate",
          label: "accuracy evaluations",
          total: this.#plannedEvaluations(),
          unit: "archs (upper bound)",
        });
        this.#evaluation.tick(1);
      },
    };
  }

  #plannedEvaluations(): number {
    const ev = this.#work.evaluations?.(this.settings);
    return ev === undefined ? 0 : ev.archs * this.ctx.datasets.length * this.ctx.seeds.length;
  }

  /** Free the metric scorers (their SuperNets and image tensors). */
  dispose(): void {
    this.#evaluation?.done();
    for (const s of this.#scorers.values()) s.dispose();
    this.#scorers.clear();
  }

  /** Columns of a row that depend on the data: training images used. */
  async dataColumns(dataset: DatasetName): Promise<Record<string, number>> {
    const d = await this.data(dataset);
    return { train_images: d.train.count };
  }
}
