import assert from "node:assert/strict";
import { resolveDataDir } from "../../datasets/data_dir.ts";
import { loadNb201Table } from "../../datasets/nb201_table.ts";
import { genotypeFromString, genotypeToIndex } from "../../search_spaces/nb201/encoding.ts";
import { evolveAndLookup, lookupArch, randomSearchAndLookup, validColumnNote } from "./search.ts";
import { tableFitness } from "./scorers.ts";

const table = await loadNb201Table(resolveDataDir().path);

// The data README's known optima: CIFAR-10 test 94.37 (index 6111), CIFAR-100 test 73.51 (9930).
Deno.test("lookupArch: NB201 index, valid and test accuracy; empty valid where absent", () => {
  const g10 = genotypeFromString(table.archAt(6111));
  const c10 = lookupArch(table, g10, "cifar10");
  assert.equal(c10.nb201Index, 6111);
  assert.ok(Math.abs(c10.testAcc - 94.37) < 0.005);
  assert.equal(typeof c10.validAcc, "number");
  const c100 = lookupArch(table, genotypeFromString(table.archAt(9930)), "cifar100");
  assert.ok(Math.abs(c100.testAcc - 73.51) < 0.005);
  assert.equal(c100.validAcc, ""); // no cifar100_valid_acc column in the shared data
  assert.equal(validColumnNote(table, "cifar10"), null);
  assert.match(
    validColumnNote(table, "cifar100")!,
    /no valid accuracies, so valid_acc is left empty/,
  );
});

Deno.test("evolveAndLookup: with test accuracy as fitness the evolution finds a top arch", async () => {
  const acc = table.column("cifar10", "test");
  const f = await evolveAndLookup(tableFitness(acc), {}, 0, table, "cifar10");
  assert.equal(f.scored, 2000); // P = 100 x 20 generations (spec §5.1)
  assert.equal(f.fitness, f.testAcc);
  assert.equal(f.testAcc, acc[genotypeToIndex(f.genotype)]);
  // 2,000 of 15,625 scored with a greedy top-30: within 0.5 points of the 94.37 optimum
  assert.ok(f.testAcc > 93.87, `${f.testAcc}`);
});

Deno.test("randomSearchAndLookup: best of `count` seeded archs by fitness", async () => {
  const acc = table.column("cifar10", "test");
  const a = await randomSearchAndLookup(tableFitness(acc), 100, 3, table, "cifar10");
  const b = await randomSearchAndLookup(tableFitness(acc), 100, 3, table, "cifar10");
  assert.equal(a.scored, 100);
  assert.equal(a.arch, b.arch);
  assert.equal(a.testAcc, acc[genotypeToIndex(a.genotype)]);
});
