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
  supernetKey,
  type SuperNetSpec,
} from "./supernet_cache.ts";
import { obtainSuperNets } from "./supernet_pool.ts";
import { validColumnNote } from "./search.ts";
import { type AccuracyScorer, angleScores, createAccuracyScorer } from "./scorers.ts";

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
  #angles = new Map<string, Float64Array>();
  #scorers = new Map<string, AccuracyScorer>();
  /** SuperNets obtained by {@link prefetch}, by key. */
  #prefetched = new Map<string, CachedSuperNet>();

  private constructor(ctx: BenchmarkContext, settings: Nb201Settings, table: Nb201Table) {
    this.ctx = ctx;
    this.settings = settings;
    this.table = table;
    this.settingColumns = {
      epochs: settings.epochs,
      batch_size: settings.batchSize,
      channels: settings.channels,
    };
  }

  /** Check the backend against the profile and load the NB201 table. */
  static async start(ctx: BenchmarkContext, settings: Nb201Settings): Promise<Nb201Run> {
    checkBackend(settings, ctx.backend);
    const table = await loadNb201Table(ctx.dataDir.path);
    const run = new Nb201Run(ctx, settings, table);
    run.note(`profile ${settings.profile}: ${describeSettings(settings)}`);
    run.note(`SuperNet cache: ${cacheRoot()}`);
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
        return p;
      }
    }
    return await obtainSuperNet(spec, this.#cacheOptions());
  }

  /**
   * Obtain the SuperNets every dataset and seed of the run will ask for (`each` lists them),
   * training the missing ones `ctx.jobs` at a time in workers. Does nothing with one job: the
   * benchmark then trains each SuperNet when it first asks for it.
   */
  async prefetch(
    each: (dataset: DatasetName, seed: number) => SuperNetRequest[],
  ): Promise<void> {
    const jobs = this.ctx.jobs;
    if (jobs <= 1 || this.ctx.backend === "none") return;
    const reqs = this.ctx.datasets.flatMap((d) => this.ctx.seeds.flatMap((s) => each(d, s)));
    const specs = await Promise.all(reqs.map((r) => this.#spec(r)));
    const got = await obtainSuperNets(specs, {
      ...this.#cacheOptions(),
      jobs,
      backend: this.ctx.backend,
    });
    for (const g of got) this.#prefetched.set(g.key, g);
    if (got.some((g) => !g.hit)) {
      this.note(`SuperNets trained up to ${jobs} at a time, one worker each (--jobs ${jobs})`);
    }
  }

  /** Angles of all 15,625 architectures of a cached SuperNet (computed once per run). */
  async angles(entry: CachedSuperNet): Promise<Float64Array> {
    let a = this.#angles.get(entry.key);
    if (a === undefined) {
      a = await angleScores(entry);
      this.#angles.set(entry.key, a);
    }
    return a;
  }

  /**
   * The memoised accuracy scorer of a cached SuperNet (one per SuperNet and run; calibration
   * images drawn with the SuperNet's seed). Freed by {@link dispose}.
   */
  async accuracy(entry: CachedSuperNet): Promise<AccuracyScorer> {
    let s = this.#scorers.get(entry.key);
    if (s === undefined) {
      const d = await this.data(entry.config.dataset);
      s = await createAccuracyScorer(
        entry,
        d.train,
        d.valid,
        this.settings.accuracy,
        entry.config.seed,
      );
      this.#scorers.set(entry.key, s);
    }
    return s;
  }

  /** Free the accuracy scorers (their SuperNets and image tensors). */
  dispose(): void {
    for (const s of this.#scorers.values()) s.dispose();
    this.#scorers.clear();
  }

  /** Columns of a row that depend on the data: training images used. */
  async dataColumns(dataset: DatasetName): Promise<Record<string, number>> {
    const d = await this.data(dataset);
    return { train_images: d.train.count };
  }
}
