/**
 * Reader of the NAS-Bench-201 ground-truth table `nb201/nb201.csv` (spec §6): one row per cell
 * architecture with its official benchmark index, architecture string, validation / test accuracies
 * on the three datasets (200-epoch schedule, mean over seeds) and its parameter count.
 *
 * Columns: `index,arch,cifar10_valid_acc,cifar10_test_acc,cifar100_valid_acc,cifar100_test_acc,
 * ImageNet16-120_valid_acc,ImageNet16-120_test_acc,params_M,flops_M`. A column may be entirely
 * empty (the shared data has no `cifar100_valid_acc`, `ImageNet16-120_valid_acc`, `flops_M`):
 * asking for it throws an error naming the column, never returns `NaN`.
 *
 * The official index order is NOT the enumeration order of `search_spaces/nb201/encoding.ts`;
 * {@link Nb201Table.column} returns values in enumeration order so they line up with metric arrays
 * computed over `allGenotypes()`.
 *
 * @module
 */
import { parseCsvRows } from "../reporting/csv.ts";
import { type DataDir, dataFile } from "./data_dir.ts";
import { DataError } from "./errors.ts";
import { type DatasetName, parseDatasetName } from "./image_set.ts";
import {
  genotypeFromIndex,
  genotypeFromString,
  genotypeToIndex,
  genotypeToString,
  NB201_SIZE,
} from "../search_spaces/nb201/encoding.ts";

/** Which accuracy of a dataset: `valid` or `test` (see the data README for their meaning). */
export type Nb201Split = "valid" | "test";

/** The two splits. */
export const NB201_SPLITS: readonly Nb201Split[] = ["valid", "test"];

/** Path of the table inside the data directory. */
export const NB201_TABLE_FILE = "nb201/nb201.csv";

/** The exact header of the table. */
export const NB201_TABLE_HEADER: readonly string[] = [
  "index",
  "arch",
  "cifar10_valid_acc",
  "cifar10_test_acc",
  "cifar100_valid_acc",
  "cifar100_test_acc",
  "ImageNet16-120_valid_acc",
  "ImageNet16-120_test_acc",
  "params_M",
  "flops_M",
];

/** An architecture given as its NB201 string or as a genotype (op indices in edge order). */
export type Nb201Arch = string | ArrayLike<number>;

/** Name of the accuracy column of `dataset` and `split`, e.g. `cifar10_test_acc`. */
export function accuracyColumnName(dataset: DatasetName, split: Nb201Split): string {
  parseDatasetName(dataset);
  if (!NB201_SPLITS.includes(split)) {
    throw new RangeError(`Unknown split ${JSON.stringify(split)}: expected "valid" or "test"`);
  }
  return `${dataset}_${split}_acc`;
}

let _byString: Map<string, number> | undefined;

/** Enumeration index of a well-formed arch string (fast path), else `undefined`. */
function _lookup(arch: string): number | undefined {
  if (_byString === undefined) {
    _byString = new Map();
    for (let i = 0; i < NB201_SIZE; i++) _byString.set(genotypeToString(genotypeFromIndex(i)), i);
  }
  return _byString.get(arch);
}

function _enumIndex(arch: Nb201Arch): number {
  if (typeof arch === "string") {
    const e = _lookup(arch);
    if (e !== undefined) return e;
  }
  return typeof arch === "string"
    ? genotypeToIndex(genotypeFromString(arch))
    : genotypeToIndex(arch);
}

/** The parsed table; every lookup is by architecture, never by row position. */
export class Nb201Table {
  /** The file the table was read from. */
  readonly path: string;
  /** Number of architectures (15,625). */
  readonly size: number = NB201_SIZE;
  readonly #official: Int32Array; // enumeration index -> official index
  readonly #enumOf: Int32Array; // official index -> enumeration index
  readonly #columns: ReadonlyMap<string, Float64Array>; // enumeration order, NaN = empty

  /** Use {@link loadNb201Table} or {@link parseNb201Table}. */
  constructor(
    path: string,
    official: Int32Array,
    enumOf: Int32Array,
    columns: ReadonlyMap<string, Float64Array>,
  ) {
    this.path = path;
    this.#official = official;
    this.#enumOf = enumOf;
    this.#columns = columns;
  }

  /** Official NB201 index of an architecture. */
  indexOf(arch: Nb201Arch): number {
    return this.#official[_enumIndex(arch)];
  }

  /** NB201 string of the architecture with official index `index` (0..15624). */
  archAt(index: number): string {
    return genotypeToString(genotypeFromIndex(this.enumerationIndexAt(index)));
  }

  /** Enumeration index of the architecture with official index `index`. */
  enumerationIndexAt(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(
        `Invalid NB201 benchmark index ${index}: expected an integer in 0..${this.size - 1}`,
      );
    }
    return this.#enumOf[index];
  }

  /** True when the accuracy column of `dataset`/`split` has values in this file. */
  hasColumn(dataset: DatasetName, split: Nb201Split): boolean {
    return this.#columns.has(accuracyColumnName(dataset, split));
  }

  /** Names of the columns that have values (e.g. `cifar10_test_acc`, `params_M`). */
  availableColumns(): string[] {
    return [...this.#columns.keys()];
  }

  #get(name: string): Float64Array {
    const col = this.#columns.get(name);
    if (col === undefined) {
      throw new DataError(
        this.path,
        `column ${name} is empty in this table (available: ${this.availableColumns().join(", ")})`,
      );
    }
    return col;
  }

  #value(name: string, arch: Nb201Arch): number {
    const idx = _enumIndex(arch);
    const v = this.#get(name)[idx];
    if (Number.isNaN(v)) {
      throw new DataError(
        this.path,
        `no value in column ${name} for ${genotypeToString(genotypeFromIndex(idx))}`,
      );
    }
    return v;
  }

  /** Accuracy (percent) of an architecture; throws if the column or the cell is empty. */
  accuracy(arch: Nb201Arch, dataset: DatasetName, split: Nb201Split): number {
    return this.#value(accuracyColumnName(dataset, split), arch);
  }

  /**
   * The accuracy column of `dataset`/`split` in ENUMERATION order (element `i` belongs to
   * `genotypeFromIndex(i)`), as a copy. Throws if the column is empty; a cell left empty in a
   * partially filled file is `NaN` (the shared data has none).
   */
  column(dataset: DatasetName, split: Nb201Split): Float64Array {
    return this.#get(accuracyColumnName(dataset, split)).slice();
  }

  /** Parameters in millions (`params_M`, the CIFAR-10 network). */
  params(arch: Nb201Arch): number {
    return this.#value("params_M", arch);
  }
}

function _parseNumber(path: string, line: number, column: string, cell: string): number {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell) || !Number.isFinite(Number(cell))) {
    throw new DataError(
      path,
      `line ${line}, column ${column}: not a number: ${JSON.stringify(cell)}`,
    );
  }
  return Number(cell);
}

/**
 * The valid range of each value column: accuracies are percentages in `[0, 100]`; parameter and
 * FLOP counts (millions) are `>= 0`.
 */
export const NB201_VALUE_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  ...Object.fromEntries(
    NB201_TABLE_HEADER.filter((c) => c.endsWith("_acc")).map((c) => [c, [0, 100] as const]),
  ),
  params_M: [0, Infinity],
  flops_M: [0, Infinity],
};

function _checkRange(path: string, line: number, column: string, cell: string, v: number): void {
  const [lo, hi] = NB201_VALUE_RANGES[column];
  if (v >= lo && v <= hi) return;
  const range = hi === Infinity ? `is negative (expected >= ${lo})` : `is outside [${lo}, ${hi}]`;
  throw new DataError(path, `line ${line}, column ${column}: value ${cell} ${range}`);
}

/**
 * Physical line number (1-based) of each parsed CSV row, when every row is one line of the text
 * (no quoted line breaks); else the row position + 1. Blank lines, which the parser skips, count.
 */
function _lineNumbers(text: string, rowCount: number): (r: number) => number {
  const lines: number[] = [];
  let at = 0;
  let n = 1;
  while (at <= text.length) {
    let end = text.indexOf("\n", at);
    if (end < 0) end = text.length;
    if (text.slice(at, end).replace(/\r$/, "") !== "") lines.push(n);
    at = end + 1;
    n++;
  }
  return lines.length === rowCount ? (r) => lines[r] : (r) => r + 1;
}

/**
 * Parse the text of `nb201.csv` (`path` is only used in error messages). Cells are numbers or
 * empty (`""` or `nan`: no value); a non-number, an accuracy outside `[0, 100]` or a negative
 * `params_M` / `flops_M` throws a one-line {@link DataError}, e.g.
 * `line 5, column cifar10_test_acc: value 150 is outside [0, 100]: <path>. ...`.
 */
export function parseNb201Table(text: string, path: string): Nb201Table {
  let rows: string[][];
  try {
    rows = parseCsvRows(text);
  } catch (e) {
    throw new DataError(path, `malformed CSV (${(e as Error).message})`);
  }
  if (rows.length === 0) throw new DataError(path, "empty file");
  const header = rows[0];
  if (header.join(",") !== NB201_TABLE_HEADER.join(",")) {
    throw new DataError(
      path,
      `wrong header ${JSON.stringify(header.join(","))}, expected ${
        JSON.stringify(NB201_TABLE_HEADER.join(","))
      }`,
    );
  }
  if (rows.length - 1 !== NB201_SIZE) {
    throw new DataError(path, `expected ${NB201_SIZE} rows, got ${rows.length - 1}`);
  }
  const lineOf = _lineNumbers(text, rows.length);
  const official = new Int32Array(NB201_SIZE).fill(-1);
  const enumOf = new Int32Array(NB201_SIZE).fill(-1);
  const valueCols = NB201_TABLE_HEADER.slice(2);
  const data = valueCols.map(() => new Float64Array(NB201_SIZE).fill(NaN));
  const filled = valueCols.map(() => 0);
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    const line = lineOf(r);
    const index = _parseNumber(path, line, "index", row[0]);
    if (!Number.isInteger(index) || index < 0 || index >= NB201_SIZE) {
      throw new DataError(
        path,
        `line ${line}, column index: value ${row[0]} is not an integer in 0..${NB201_SIZE - 1}`,
      );
    }
    if (enumOf[index] !== -1) {
      throw new DataError(path, `line ${line}, column index: duplicate index ${index}`);
    }
    let e = _lookup(row[1]);
    if (e === undefined) {
      try {
        e = genotypeToIndex(genotypeFromString(row[1]));
      } catch (err) {
        throw new DataError(
          path,
          `line ${line}, column arch: unknown arch (${(err as Error).message})`,
        );
      }
    }
    if (official[e] !== -1) {
      throw new DataError(
        path,
        `line ${line}, column arch: duplicate arch ${JSON.stringify(row[1])}`,
      );
    }
    official[e] = index;
    enumOf[index] = e;
    for (let c = 0; c < valueCols.length; c++) {
      const cell = row[c + 2];
      if (cell === "" || cell.toLowerCase() === "nan") continue; // an empty cell
      const v = _parseNumber(path, line, valueCols[c], cell);
      _checkRange(path, line, valueCols[c], cell, v);
      data[c][e] = v;
      filled[c]++;
    }
  }
  const columns = new Map<string, Float64Array>();
  valueCols.forEach((name, c) => {
    if (filled[c] > 0) columns.set(name, data[c]);
  });
  return new Nb201Table(path, official, enumOf, columns);
}

const _cache = new Map<string, Promise<Nb201Table>>();

/**
 * Load `nb201/nb201.csv` from the data directory (cached per path). Throws a `DataError` naming
 * the path when the file is missing or malformed (wrong header, wrong row count, unparsable
 * number, a value outside {@link NB201_VALUE_RANGES}, unknown or duplicated arch string); a
 * problem in a row names its line number, column and value.
 */
export function loadNb201Table(dataDir: DataDir | string): Promise<Nb201Table> {
  let path: string;
  try {
    path = dataFile(dataDir, NB201_TABLE_FILE);
  } catch (e) {
    return Promise.reject(e);
  }
  let p = _cache.get(path);
  if (p === undefined) {
    p = Deno.readTextFile(path).then((text) => parseNb201Table(text, path));
    _cache.set(path, p);
    p.catch(() => _cache.delete(path));
  }
  return p;
}

/** Forget the cached tables (e.g. after a file changed on disk). */
export function clearNb201TableCache(): void {
  _cache.clear();
}
