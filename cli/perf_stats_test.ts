import assert from "node:assert/strict";
import {
  aggregateKernels,
  formatKernelTable,
  imagesPerSecond,
  median,
  ratio,
  summarize,
} from "./perf_stats.ts";

Deno.test("median: odd and even counts, unsorted input, input untouched", () => {
  const xs = [5, 1, 3];
  assert.equal(median(xs), 3);
  assert.deepEqual(xs, [5, 1, 3]);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([7]), 7);
  assert.throws(() => median([]), /median: no timings/);
  assert.throws(() => median([1, NaN]), /timing NaN is not a finite number/);
});

Deno.test("summarize: n, median, mean, min, max", () => {
  assert.deepEqual(summarize([10, 30, 20, 100]), {
    n: 4,
    median: 25,
    mean: 40,
    min: 10,
    max: 100,
  });
  assert.throws(() => summarize([]), /summarize: no timings/);
});

Deno.test("imagesPerSecond and ratio", () => {
  assert.equal(imagesPerSecond(64, 250), 256);
  assert.equal(ratio(300, 150), 2);
  assert.throws(() => imagesPerSecond(64, 0), /positive number of ms, got 0/);
  assert.throws(() => ratio(1, 0), /PyTorch's > 0/);
});

Deno.test("aggregateKernels: totals per name, slowest first, untimed kernels count as calls", () => {
  const rows = aggregateKernels([
    { name: "Conv2D", kernelTimeMs: 3 },
    { name: "Add", kernelTimeMs: 0.5 },
    { name: "Conv2D", kernelTimeMs: 5 },
    { name: "Mul", kernelTimeMs: { error: "no timer" } },
    { name: "Add", kernelTimeMs: 1.5 },
  ]);
  assert.deepEqual(rows, [
    { name: "Conv2D", ms: 8, calls: 2, share: 0.8 },
    { name: "Add", ms: 2, calls: 2, share: 0.2 },
    { name: "Mul", ms: 0, calls: 1, share: 0 },
  ]);
  assert.deepEqual(aggregateKernels([]), []);
  const table = formatKernelTable(rows, 2).split("\n");
  assert.equal(table.length, 3);
  assert.match(table[1], /^Conv2D\s+8\.0\s+2\s+80\.0%$/);
});
