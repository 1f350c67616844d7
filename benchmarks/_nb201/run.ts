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
import { type CachedSuperNet, cacheRoot, obtainSuperNet } from "./supernet_cache.ts";
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

  /** The cached (or freshly trained) SuperNet of `req`. */
  async supernet(req: SuperNetRequest): Promise<CachedSuperNet> {
    const d = await this.data(req.dataset);
    return await obtainSuperNet({
      train: d.train,
      labels: req.labels,
      numClasses: req.numClasses,
      seed: req.seed,
      epochs: this.settings.epochs,
      batchSize: this.settings.batchSize,
      channels: this.settings.channels,
      init: req.init,
    }, {
      log: (l) => this.ctx.log(l),
      info: { backend: this.ctx.backend, device: this.ctx.device },
    });
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
