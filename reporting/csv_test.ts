import assert from "node:assert/strict";
import { fromCsv, toCsv } from "./csv.ts";

Deno.test("toCsv quotes separators, quotes and newlines; fromCsv inverts it", () => {
  const cols = ["a", "b", "c"];
  const text = toCsv(cols, [
    { a: "x,y", b: 'say "hi"', c: 1.5 },
    { a: "line\nbreak", b: "", c: -2 },
  ]);
  assert.equal(
    text,
    'a,b,c\n"x,y","say ""hi""",1.5\n"line\nbreak",,-2\n',
  );
  const back = fromCsv(text);
  assert.deepEqual(back.columns, cols);
  assert.deepEqual(back.records, [
    { a: "x,y", b: 'say "hi"', c: "1.5" },
    { a: "line\nbreak", b: "", c: "-2" },
  ]);
});

Deno.test("toCsv writes missing cells as empty, in column order", () => {
  assert.equal(toCsv(["b", "a"], [{ a: 1 }]), "b,a\n,1\n");
});

Deno.test("fromCsv rejects ragged rows", () => {
  assert.throws(() => fromCsv("a,b\n1,2,3\n"));
});
