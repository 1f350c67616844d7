/**
 * Progress of a long run, per phase (training by steps, accuracy evaluation and search by
 * architectures), throttled, with the phase's and the whole run's estimated time left, written to
 * stderr (or any sink; nothing with `quiet`).
 *
 * A run declares the work it will do with {@link Progress.plan} (units per phase and, where
 * known, an estimate of the seconds per unit, e.g. from the committed perf results); a phase then
 * reports units as they are done. The overall ETA adds the remaining units of every declared
 * phase times the rate measured so far for phases of the same kind (falling back to the plan's
 * estimate before any unit of that kind is done).
 *
 * @example
 * ```ts
 * import { Progress } from "./progress.ts";
 * const lines: string[] = [];
 * const p = new Progress({ log: (l) => lines.push(l), intervalMs: 0 });
 * const search = p.start({ kind: "search", label: "angle evolution", total: 2000, unit: "archs" });
 * search.tick(1000);
 * search.done();
 * console.log(lines.at(-1)); // "[search] angle evolution: done, 1000 archs in 0:00:00"
 * ```
 *
 * @module
 */

/** Kinds of work whose rates are shared for the overall ETA. */
export type PhaseKind = "train" | "evaluate" | "search" | "other";

/** One declared or started phase. */
export interface PhaseSpec {
  kind: PhaseKind;
  /** What is done, e.g. "SuperNet 4270cff2 (cifar10, ground-truth, seed 0)". */
  label: string;
  /** Units of the whole phase. */
  total: number;
  /** Unit name, e.g. "steps", "archs". */
  unit: string;
  /** Estimated seconds per unit before anything is measured. */
  secondsPerUnit?: number;
}

/** A running phase. */
export interface Phase {
  /** `n` more units are done; `detail` (e.g. "loss 2.29") is shown on the next line printed. */
  tick(n?: number, detail?: string): void;
  /** The phase is finished (prints its final line). */
  done(detail?: string): void;
}

/** Options of {@link Progress}. */
export interface ProgressOptions {
  /** Where lines go (default: stderr). */
  log?: (line: string) => void;
  /** Print nothing. */
  quiet?: boolean;
  /** Least milliseconds between two lines of a phase (default 10 000). */
  intervalMs?: number;
  /** Clock in milliseconds (default `performance.now`). */
  now?: () => number;
}

interface _State extends PhaseSpec {
  done: number;
  startedAt: number | null;
  finishedAt: number | null;
  lastPrint: number;
}

/** Format seconds as `h:mm:ss` (`?` when unknown). */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return "?";
  const t = Math.max(0, Math.round(s));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  return `${h}:${String(m).padStart(2, "0")}:${String(t % 60).padStart(2, "0")}`;
}

/** Progress of one run (see the module documentation). */
export class Progress {
  readonly #log: (line: string) => void;
  readonly #quiet: boolean;
  readonly #interval: number;
  readonly #now: () => number;
  readonly #phases: _State[] = [];

  constructor(opts: ProgressOptions = {}) {
    this.#log = opts.log ?? ((l) => console.error(l));
    this.#quiet = opts.quiet ?? false;
    this.#interval = opts.intervalMs ?? 10_000;
    this.#now = opts.now ?? (() => performance.now());
  }

  /** Declare phases that will run later (they count in the overall ETA). */
  plan(phases: readonly PhaseSpec[]): void {
    for (const p of phases) this.#phases.push(this.#state(p));
  }

  /**
   * Start a phase. A planned phase with the same kind and label is taken over (so it is not
   * counted twice); otherwise the phase is added.
   */
  start(spec: PhaseSpec): Phase {
    let s = this.#phases.find((p) =>
      p.startedAt === null && p.kind === spec.kind && p.label === spec.label
    );
    if (s === undefined) {
      s = this.#state(spec);
      this.#phases.push(s);
    } else {
      s.total = spec.total;
      s.unit = spec.unit;
      s.secondsPerUnit = spec.secondsPerUnit ?? s.secondsPerUnit;
    }
    const st = s;
    st.startedAt = this.#now();
    st.lastPrint = st.startedAt;
    this.#print(st, "started");
    let detail = "";
    return {
      tick: (n = 1, d?: string) => {
        st.done = Math.min(st.total, st.done + n);
        if (d !== undefined) detail = d;
        const now = this.#now();
        if (now - st.lastPrint >= this.#interval) {
          st.lastPrint = now;
          this.#print(st, detail);
        }
      },
      done: (d?: string) => {
        if (st.finishedAt !== null) return;
        st.done = st.total;
        st.finishedAt = this.#now();
        this.#print(st, d ?? detail);
      },
    };
  }

  /** Seconds per unit measured so far for `kind` (null before any unit of it is done). */
  rate(kind: PhaseKind): number | null {
    let units = 0;
    let ms = 0;
    const now = this.#now();
    for (const p of this.#phases) {
      if (p.kind !== kind || p.startedAt === null || p.done === 0) continue;
      units += p.done;
      ms += (p.finishedAt ?? now) - p.startedAt;
    }
    return units > 0 ? ms / 1000 / units : null;
  }

  /** Estimated seconds left in the whole run (NaN when some phase has no rate yet). */
  etaSeconds(): number {
    let s = 0;
    for (const p of this.#phases) {
      if (p.finishedAt !== null) continue;
      const rate = this.#phaseRate(p);
      if (rate === null) return NaN;
      s += (p.total - p.done) * rate;
    }
    return s;
  }

  #phaseRate(p: _State): number | null {
    if (p.startedAt !== null && p.done > 0) {
      return (this.#now() - p.startedAt) / 1000 / p.done;
    }
    return this.rate(p.kind) ?? p.secondsPerUnit ?? null;
  }

  #state(p: PhaseSpec): _State {
    if (!Number.isFinite(p.total) || p.total < 0) {
      throw new RangeError(`progress phase ${p.label}: total must be >= 0, got ${p.total}`);
    }
    return { ...p, done: 0, startedAt: null, finishedAt: null, lastPrint: 0 };
  }

  #print(p: _State, detail: string): void {
    if (this.#quiet) return;
    const head = `[${p.kind}] ${p.label}`;
    const elapsed = ((p.finishedAt ?? this.#now()) - (p.startedAt ?? this.#now())) / 1000;
    if (p.finishedAt !== null) {
      this.#log(
        `${head}: done, ${p.total} ${p.unit} in ${formatDuration(elapsed)}` +
          (detail !== "" ? ` (${detail})` : "") + this.#overall(),
      );
      return;
    }
    const pct = p.total > 0 ? ` (${Math.floor((100 * p.done) / p.total)}%)` : "";
    const rate = this.#phaseRate(p);
    const left = rate === null ? NaN : (p.total - p.done) * rate;
    const d = detail !== "" && detail !== "started" ? `  ${detail}` : "";
    this.#log(
      `${head}: ${p.done}/${p.total} ${p.unit}${pct}${d}` +
        (detail === "started" ? "" : `  ETA ${formatDuration(left)}`) + this.#overall(),
    );
  }

  #overall(): string {
    const open = this.#phases.filter((p) => p.finishedAt === null).length;
    if (open === 0) return "";
    return `  | run ETA ${formatDuration(this.etaSeconds())}`;
  }
}
