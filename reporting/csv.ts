/**
 * The one module that reads and writes CSV (`csv-stringify` / `csv-parse`). Swapping the library is a
 * change to this file only.
 *
 * @module
 */
import { stringify } from "csv-stringify/sync";
import { parse } from "csv-parse/sync";

/** A CSV record: column name to cell text or number. */
export type CsvRecord = Record<string, string | number>;

/** Serialise records with an explicit column order (header first). */
export function toCsv(columns: readonly string[], records: readonly CsvRecord[]): string {
  const rows = records.map((r) => columns.map((c) => r[c] ?? ""));
  return stringify([[...columns], ...rows]);
}

/** Parse CSV text into rows of cells (no header handling). Throws on malformed CSV. */
export function parseCsvRows(text: string): string[][] {
  return parse(text, { relax_column_count: false, skip_empty_lines: true });
}

/** Parse CSV text with a header row into records of strings. Throws on ragged rows. */
export function fromCsv(text: string): { columns: string[]; records: Record<string, string>[] } {
  const rows = parseCsvRows(text);
  if (rows.length === 0) return { columns: [], records: [] };
  const [columns, ...body] = rows;
  return {
    columns,
    records: body.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]]))),
  };
}
