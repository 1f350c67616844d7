/**
 * Scores streamed to disk while `compare` computes them, so that a killed run resumes where it
 * stopped: `<out>/compare/<profile>/partial/<dataset>-seed<seed>-<metric>.csv`, a header line
 * naming the metric's source (`# source <id>`) and one `index,value` line per architecture
 * (NB201 enumeration index, the value in full precision), appended in batches. A rerun with the
 * same source primes the metric with these values; the file is removed once the run's scores
 * file is written. A torn last line (a kill mid-append) is dropped; a file of another source is
 * discarded.
 *
 * @module
 */

/** Values appended per write (and at the end). */
export const PARTIAL_FLUSH_EVERY = 64;

/** The partial-scores file of one metric on one dataset and seed. */
export class PartialScores {
  readonly path: string;
  readonly #source: string;
  #pending: string[] = [];
  #started = false;
  #writing: Promise<void> = Promise.resolve();

  constructor(dir: string, dataset: string, seed: number, metric: string, source: string) {
    this.path = `${dir}/${dataset}-seed${seed}-${metric.replace(/[^A-Za-z0-9_.-]/g, "_")}.csv`;
    this.#source = source.replace(/\n/g, " ");
  }

  /** The values of an earlier run of the same source (empty when none). */
  async load(): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    let text: string;
    try {
      text = await Deno.readTextFile(this.path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return out;
      throw e;
    }
    const lines = text.split("\n");
    if (lines[0] !== `# source ${this.#source}`) {
      await Deno.remove(this.path);
      return out;
    }
    this.#started = true;
    if (!text.endsWith("\n")) {
      // a kill mid-append left a torn last line: drop it, so that appends start on a new line
      await Deno.writeTextFile(this.path, text.slice(0, text.lastIndexOf("\n") + 1));
    }
    // every complete line ends with a newline: the last element is "" or the torn line
    for (const line of lines.slice(1, -1)) {
      const m = /^(\d+),(\S+)$/.exec(line);
      const v = m === null ? NaN : Number(m[2]);
      if (Number.isFinite(v)) out.set(Number(m![1]), v);
    }
    return out;
  }

  /**
   * Queues a value (synchronously: a metric's listener calls it); every
   * {@link PARTIAL_FLUSH_EVERY} values the queue is appended in the background.
   */
  add(index: number, value: number): void {
    this.#pending.push(`${index},${value}\n`);
    if (this.#pending.length >= PARTIAL_FLUSH_EVERY) {
      this.#writing = this.#writing.then(() => this.#write());
    }
  }

  /** Appends the queued values and waits for every append so far (throws a failed one). */
  async flush(): Promise<void> {
    this.#writing = this.#writing.then(() => this.#write());
    await this.#writing;
  }

  async #write(): Promise<void> {
    if (this.#pending.length === 0) return;
    const text = this.#pending.join("");
    this.#pending = [];
    const dir = this.path.slice(0, this.path.lastIndexOf("/"));
    await Deno.mkdir(dir, { recursive: true });
    if (!this.#started) {
      // a new file (or one of another source): the header first, replacing anything there
      await Deno.writeTextFile(this.path, `# source ${this.#source}\n`);
      this.#started = true;
    }
    await Deno.writeTextFile(this.path, text, { append: true });
  }

  /** Removes the file (its values are in the run's scores file now). */
  async remove(): Promise<void> {
    await this.#writing.catch(() => {});
    this.#pending = [];
    try {
      await Deno.remove(this.path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
}
