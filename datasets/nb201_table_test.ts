import assert from "node:assert/strict";
import { resolveDataDir } from "./data_dir.ts";
import { DataError } from "./errors.ts";
import {
  accuracyColumnName,
  clearNb201TableCache,
  loadNb201Table,
  NB201_TABLE_FILE,
  parseNb201Table,
} from "./nb201_table.ts";
import {
  allGenotypes,
  genotypeFromIndex,
  genotypeFromString,
  genotypeToIndex,
} from "../search_spaces/nb201/encoding.ts";

const dir = resolveDataDir();

// Rows of nb201.csv quoted from the file / the data README (known optima).
const ROW0 = "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|" +
  "skip_connect~2|";
const ARCH_6111 = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|" +
  "nor_conv_3x3~1|nor_conv_1x1~2|";

/** Enumeration indices of all maxima of `a`. */
function _argmaxAll(a: Float64Array): number[] {
  const m = Math.max(...a);
  const out: number[] = [];
  a.forEach((v, i) => v === m && out.push(i));
  return out;
}

Deno.test("loads the table and finds the known optima", async () => {
  const table = await loadNb201Table(dir);
  assert.equal(table.size, 15625);
  assert.equal(await loadNb201Table(dir.path), table, "cached per path");
  assert.equal(table.archAt(0), ROW0);
  assert.equal(table.indexOf(ROW0), 0);
  assert.equal(table.accuracy(ROW0, "cifar10", "valid"), 81.982667);
  assert.equal(table.accuracy(ROW0, "cifar10", "test"), 85.863333);
  assert.equal(table.accuracy(genotypeFromString(ROW0), "cifar100", "test"), 52.913333);
  assert.equal(table.accuracy(ROW0, "ImageNet16-120", "test"), 26.633333);
  assert.equal(table.params(ROW0), 0.129306);

  assert.equal(table.archAt(6111), ARCH_6111);
  const cases = [
    { ds: "cifar10", best: 94.37, index: 6111 },
    { ds: "cifar100", best: 73.51, index: 9930 },
    { ds: "ImageNet16-120", best: 47.31, index: 857 },
  ] as const;
  for (const c of cases) {
    const col = table.column(c.ds, "test");
    assert.equal(col.length, 15625);
    // CIFAR-10 has a tie at 94.373333 (official indices 6111 and 13714)
    const maxima = _argmaxAll(col);
    const official = maxima.map((e) => table.indexOf(genotypeFromIndex(e)));
    assert.ok(official.includes(c.index), `${c.ds}: ${official}`);
    const e = table.enumerationIndexAt(c.index);
    assert.equal(Math.round(col[e] * 100) / 100, c.best);
    assert.equal(table.accuracy(table.archAt(c.index), c.ds, "test"), col[e]);
  }
  // column() is in enumeration order: it lines up with allGenotypes()
  const all = allGenotypes();
  const col = table.column("cifar10", "valid");
  for (let i = 0; i < all.length; i += 101) {
    assert.equal(col[i], table.accuracy(all[i], "cifar10", "valid"));
    assert.equal(genotypeToIndex(genotypeFromString(table.archAt(table.indexOf(all[i])))), i);
  }
});

Deno.test("empty columns throw errors naming the column", async () => {
  const table = await loadNb201Table(dir);
  assert.ok(table.hasColumn("cifar10", "valid"));
  assert.ok(table.hasColumn("cifar100", "test"));
  assert.ok(!table.hasColumn("cifar100", "valid"));
  assert.ok(!table.hasColumn("ImageNet16-120", "valid"));
  assert.throws(() => table.accuracy(ROW0, "cifar100", "valid"), (e: Error) => {
    assert.ok(e instanceof DataError);
    assert.match(e.message, /cifar100_valid_acc/);
    return true;
  });
  assert.throws(() => table.column("ImageNet16-120", "valid"), /ImageNet16-120_valid_acc/);
  assert.throws(() => table.accuracy(ROW0, "cifar10", "train" as "test"), /train/);
  assert.throws(() => table.accuracy(ROW0, "svhn" as "cifar10", "test"), /svhn/);
  assert.throws(() => table.archAt(15625), /15625/);
  assert.throws(() => table.indexOf("|none~0|"), /none~0/);
  assert.equal(accuracyColumnName("ImageNet16-120", "test"), "ImageNet16-120_test_acc");
});

Deno.test("values out of range or not numbers: one line naming file, line, column, value", async () => {
  const good = await Deno.readTextFile(`${dir.path}/${NB201_TABLE_FILE}`);
  const lines = good.trimEnd().split("\n");
  const path = "/data/nb201/nb201.csv";
  /** The table with cell `column` of file line `line` (1-based, header = line 1) set to `v`. */
  const withCell = (line: number, column: number, v: string, text = lines) => {
    const out = text.slice();
    const cells = out[line - 1].split(",");
    cells[column] = v;
    out[line - 1] = cells.join(",");
    return out.join("\n");
  };
  // columns: 0 index, 1 arch, 2 cifar10_valid, 3 cifar10_test, 4 cifar100_valid, 5 cifar100_test,
  // 6 ImageNet16-120_valid, 7 ImageNet16-120_test, 8 params_M, 9 flops_M
  const cases: [string, string][] = [
    [withCell(2, 3, "150"), "line 2, column cifar10_test_acc: value 150 is outside [0, 100]"],
    [withCell(3, 5, "-5"), "line 3, column cifar100_test_acc: value -5 is outside [0, 100]"],
    [withCell(4, 2, "100.000001"), "line 4, column cifar10_valid_acc: value 100.000001 is outside"],
    [withCell(5, 6, "-0.5"), "line 5, column ImageNet16-120_valid_acc: value -0.5 is outside"],
    [withCell(6, 8, "-0.1"), "line 6, column params_M: value -0.1 is negative (expected >= 0)"],
    [withCell(7, 9, "-3"), "line 7, column flops_M: value -3 is negative (expected >= 0)"],
    [withCell(8, 7, "abc"), 'line 8, column ImageNet16-120_test_acc: not a number: "abc"'],
    [withCell(9, 8, "inf"), 'line 9, column params_M: not a number: "inf"'],
    [withCell(10, 3, "1e999"), 'line 10, column cifar10_test_acc: not a number: "1e999"'],
    [withCell(11, 0, "x"), 'line 11, column index: not a number: "x"'],
    [withCell(12, 0, "2.5"), "line 12, column index: value 2.5 is not an integer in 0..15624"],
    [withCell(13, 0, "15625"), "line 13, column index: value 15625 is not an integer"],
    [withCell(14, 0, "0"), "line 14, column index: duplicate index 0"],
  ];
  for (const [text, want] of cases) {
    assert.throws(() => parseNb201Table(text, path), (e: Error) => {
      assert.ok(e instanceof DataError, want);
      assert.ok(e.message.startsWith(`${want}`), `${e.message}\n  expected: ${want}`);
      assert.ok(e.message.includes(`: ${path}. `), e.message);
      assert.ok(!e.message.includes("\n"), "one line");
      return true;
    });
  }
  // the bounds themselves are valid; an empty cell is no value
  const edges = withCell(
    2,
    3,
    "0",
    withCell(3, 3, "100.0", withCell(4, 8, "0").split("\n")).split("\n"),
  );
  const t = parseNb201Table(edges, path);
  assert.equal(t.accuracy(t.archAt(0), "cifar10", "test"), 0);
  assert.equal(t.accuracy(t.archAt(1), "cifar10", "test"), 100);
  assert.equal(t.params(t.archAt(2)), 0);
  // line numbers are physical lines: blank lines (skipped by the parser) still count
  const blank = [
    lines[0],
    "",
    lines[1],
    "",
    withCell(3, 3, "101").split("\n")[2],
    ...lines.slice(3),
  ]
    .join("\n");
  assert.throws(
    () => parseNb201Table(blank, path),
    /line 5, column cifar10_test_acc: value 101 is outside/,
  );
});

Deno.test("missing and corrupt files raise DataError naming the path", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    await assert.rejects(loadNb201Table(tmp), (e: Error) => {
      assert.ok(e instanceof DataError);
      assert.ok(e.message.includes(`${tmp}/${NB201_TABLE_FILE}`));
      return true;
    });
    const good = await Deno.readTextFile(`${dir.path}/${NB201_TABLE_FILE}`);
    const lines = good.trimEnd().split("\n");
    const path = `${tmp}/x.csv`;
    const corrupt: [string, string, RegExp][] = [
      ["header", [lines[0].replace("params_M", "params"), ...lines.slice(1)].join("\n"), /header/],
      ["rows", lines.slice(0, -1).join("\n"), /15625 rows, got 15624/],
      [
        "number",
        [lines[0], lines[1].replace("81.982667", "81.98x"), ...lines.slice(2)].join("\n"),
        /line 2.*cifar10_valid_acc.*81\.98x/,
      ],
      [
        "arch",
        [lines[0], lines[1].replace("avg_pool_3x3~0", "avg_pool_5x5~0"), ...lines.slice(2)].join(
          "\n",
        ),
        /line 2, column arch: unknown arch/,
      ],
      [
        "dup",
        [lines[0], lines[1], lines[1].replace(/^0,/, "1,"), ...lines.slice(3)].join("\n"),
        /duplicate arch/,
      ],
      [
        "quote",
        [lines[0], `0,"${lines[1].slice(2)}`, ...lines.slice(2)].join("\n"),
        /malformed CSV/,
      ],
    ];
    for (const [what, text, re] of corrupt) {
      assert.throws(() => parseNb201Table(text, path), (e: Error) => {
        assert.ok(e instanceof DataError, what);
        assert.match(e.message, re, what);
        assert.ok(e.message.includes(path), what);
        return true;
      });
    }
    // through the loader as well (a real file on disk)
    await Deno.mkdir(`${tmp}/nb201`);
    await Deno.writeTextFile(`${tmp}/${NB201_TABLE_FILE}`, corrupt[1][1]);
    await assert.rejects(loadNb201Table(tmp), /15625 rows/);
    await Deno.writeTextFile(`${tmp}/${NB201_TABLE_FILE}`, good);
    clearNb201TableCache(); // a rejected load is not cached; the good file now loads
    assert.equal((await loadNb201Table(tmp)).indexOf(ROW0), 0);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
