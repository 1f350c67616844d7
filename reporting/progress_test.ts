import assert from "node:assert/strict";
import { formatDuration, Progress } from "./progress.ts";

function _clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

Deno.test("Progress: throttled lines with phase and run ETA from the measured rate", () => {
  const lines: string[] = [];
  const c = _clock();
  const p = new Progress({ log: (l) => lines.push(l), intervalMs: 10_000, now: c.now });
  p.plan([{ kind: "search", label: "evolution", total: 100, unit: "archs", secondsPerUnit: 0.5 }]);
  const train = p.start({ kind: "train", label: "SuperNet a", total: 100, unit: "steps" });
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^\[train\] SuperNet a: 0\/100 steps \(0%\) {2}\| run ETA \?$/);
  c.advance(5_000);
  train.tick(10); // inside the interval: nothing printed
  assert.equal(lines.length, 1);
  c.advance(5_000);
  train.tick(10, "loss 2.30"); // 20 steps in 10 s: 0.5 s per step, 80 left = 40 s; search 50 s
  assert.equal(lines.length, 2);
  assert.equal(
    lines[1],
    "[train] SuperNet a: 20/100 steps (20%)  loss 2.30  ETA 0:00:40  | run ETA 0:01:30",
  );
  c.advance(40_000);
  train.done();
  assert.match(lines[2], /^\[train\] SuperNet a: done, 100 steps in 0:00:50 \(loss 2\.30\)/);
  // the planned search is taken over when started, not counted twice
  const s = p.start({ kind: "search", label: "evolution", total: 100, unit: "archs" });
  assert.match(lines[3], /run ETA 0:00:50$/);
  s.done();
  assert.equal(p.etaSeconds(), 0);
});

Deno.test("Progress: quiet prints nothing; bad totals are refused", () => {
  const lines: string[] = [];
  const p = new Progress({ log: (l) => lines.push(l), quiet: true, intervalMs: 0 });
  const ph = p.start({ kind: "evaluate", label: "accuracy", total: 3, unit: "archs" });
  ph.tick();
  ph.done();
  assert.deepEqual(lines, []);
  assert.throws(
    () => p.start({ kind: "other", label: "x", total: -1, unit: "u" }),
    /total must be >= 0, got -1/,
  );
});

Deno.test("formatDuration: h:mm:ss, ? when unknown", () => {
  assert.equal(formatDuration(3723.4), "1:02:03");
  assert.equal(formatDuration(NaN), "?");
  assert.equal(formatDuration(-5), "0:00:00");
});
