import assert from "node:assert/strict";
import { ArchSyntaxError, caretExcerpt } from "./arch_syntax_error.ts";

Deno.test("the caret sits under the offending character", () => {
  assert.equal(caretExcerpt("abc def", 4), "  abc def\n      ^");
  assert.equal(caretExcerpt("abc", 3, ""), "abc\n   ^");
  assert.equal(caretExcerpt("a\tb", 2, ""), "a b\n  ^");
});

Deno.test("long strings are cut around the offset", () => {
  const text = "x".repeat(100) + "!" + "y".repeat(100);
  const [line, caret] = caretExcerpt(text, 100, "").split("\n");
  assert.ok(line.startsWith("...") && line.endsWith("..."), line);
  assert.equal(line[caret.indexOf("^")], "!");
  const [end, endCaret] = caretExcerpt(text, text.length, "").split("\n");
  assert.ok(end.startsWith("...") && !end.endsWith("..."), end);
  assert.equal(endCaret.indexOf("^"), end.length);
});

Deno.test("ArchSyntaxError carries the reason, the offset and the excerpt", () => {
  const e = new ArchSyntaxError("expected ')'", "f(a", 3);
  assert.ok(e instanceof SyntaxError);
  assert.equal(e.name, "ArchSyntaxError");
  assert.equal(e.offset, 3);
  assert.equal(e.reason, "expected ')'");
  assert.equal(e.message, "expected ')' at character offset 3:\n  f(a\n     ^");
});
