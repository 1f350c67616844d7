import assert from "node:assert/strict";
import { check, EXIT_CODES, exitCodeOf, formatVerdict, notChecked, verdictOf } from "./verdict.ts";

Deno.test("verdictOf: one failure fails the run, a pass needs at least one passed check", () => {
  const pass = check("a", true, "1 > 0");
  const fail = check("b", false, "0 > 1");
  const none = notChecked("c", "no rows");
  assert.equal(verdictOf([pass, none]).overall, "PASS");
  assert.equal(verdictOf([pass, fail, none]).overall, "FAIL");
  assert.equal(verdictOf([none]).overall, "NOT CHECKED");
  assert.equal(verdictOf([]).overall, "NOT CHECKED");
  assert.equal(check("x", null, "?").status, "NOT CHECKED");
});

Deno.test("exitCodeOf: 0 PASS, 3 FAIL, 4 NOT CHECKED", () => {
  assert.equal(exitCodeOf(verdictOf([check("a", true, "")])), 0);
  assert.equal(exitCodeOf(verdictOf([check("a", false, "")])), 3);
  assert.equal(exitCodeOf(verdictOf([notChecked("a", "")])), 4);
  assert.deepEqual(
    [EXIT_CODES.pass, EXIT_CODES.error, EXIT_CODES.usage, EXIT_CODES.fail, EXIT_CODES.notChecked],
    [0, 1, 2, 3, 4],
  );
});

Deno.test("formatVerdict: one line per check, then the overall line with counts", () => {
  const text = formatVerdict(
    verdictOf([check("D beats C", false, "90.1 vs 91.2"), notChecked("paper", "no rows")], "x"),
  );
  const lines = text.split("\n");
  assert.equal(lines[0], "verdict (against x):");
  assert.match(lines[1], /^ {2}FAIL {9}D beats C: 90\.1 vs 91\.2$/);
  assert.match(lines[2], /^ {2}NOT CHECKED {2}paper: no rows$/);
  assert.equal(lines[3], "overall: FAIL (0 pass, 1 fail, 1 not checked)");
});
