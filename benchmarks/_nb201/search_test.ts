import assert from "node:assert/strict";
import { resolveDataDir } from "../../datasets/data_dir.ts";
import { loadNb201Table } from "../../datasets/nb201_table.ts";
import { genotypeFromString, genotypeToIndex } from "../../search_spaces/nb201/encoding.ts";
import {
  evolveAndLookup,
  lookupArch,
  randomSearchAndLookup,
  tableFitness,
  validColumnNote,
} from "./search.ts";
import { createSourceScorer } from "./metric_scorer.ts";
import { getMetric } from "../../metrics/registry.ts";
import type { DatasetName } from "../../datasets/image_set.ts";
import { RandomState } from "../../labels/random_state.ts";
import { evolutionSearch } from "../../search/evolution.ts";
import type { Genome, SearchRng } from "../../search/fitness.ts";
import { NB201_SPACE } from "../../search_spaces/nb201/encoding.ts";
// The official NB201 search replayed by fixtures/search/make_official_replay.py (numpy).
import replay from "../../fixtures/search/official_replay.json" with { type: "json" };

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

Deno.test("evolveAndLookup continues from the state after the dataset's label draws", async () => {
  const { numerators, denominator } = replay.fitness;
  const scores = numerators.map((k) => k / denominator);
  for (const run of replay.runs) {
    const f = await evolveAndLookup(
      tableFitness(scores),
      {},
      run.seed,
      table,
      run.dataset as DatasetName,
    );
    assert.deepEqual([...f.genotype], run.best, `${run.dataset} seed ${run.seed}`);
    assert.equal(f.fitness, run.topKFitness[0]);
    assert.equal(f.nb201Index, table.indexOf(run.best));
  }
});

Deno.test("randomSearchAndLookup draws from the same state as the evolution", async () => {
  for (const ref of replay.afterLabels) {
    const drawn: Genome[] = [];
    const f = await randomSearchAndLookup(
      (gs) => {
        drawn.push(...gs);
        return gs.map((_, i) => (drawn.length === gs.length && i === 2 ? 1 : 0));
      },
      5,
      ref.seed,
      table,
      ref.dataset as DatasetName,
    );
    // numpy: np.random.seed(s); np.random.randint(lo, hi, N); then randint(0, 5, 6) per draw
    assert.deepEqual(drawn.map((g) => [...g]), ref.randint_0_5_6, `${ref.dataset} ${ref.seed}`);
    assert.deepEqual([...f.genotype], ref.randint_0_5_6[2]);
  }
});

Deno.test("angle ties: identical vectors, bit-equal angles; the earlier entry wins the search", async () => {
  const p = { numClasses: 10, inputSize: 32 as const, channels: 2, init: "normal" as const };
  for (const precision of ["float64", "float32"] as const) {
    const scorer = await createSourceScorer(
      getMetric("angle"),
      { kind: "untrained", pair: { ...p, seedA: 0, seedB: 1 } },
      { anglePrecision: precision, accuracy: { calibImages: 0, chunkSize: 1, evalBatch: 1 } },
    );
    const angles = await scorer.all();
    scorer.dispose();
    // A = (3,0,0,3,0,0) < B = (3,1,0,3,0,0) in enumeration order: only path [0->3] is none-free,
    // so both vectors are head + conv3x3(3<-0) per cell + fixed + tail
    const A = [3, 0, 0, 3, 0, 0];
    const B = [3, 1, 0, 3, 0, 0];
    const iA = genotypeToIndex(A);
    const iB = genotypeToIndex(B);
    assert.ok(iA < iB);
    assert.equal(angles[iA], angles[iB]);
    assert.ok(angles[iA] > 0);
    // a population where A and B lead: A first -> A wins (the earlier in enumeration order and
    // in the population); B first -> B wins (Python's stable sort keeps list order)
    const low = [[2, 0, 0, 0, 0, 2], [0, 0, 0, 0, 0, 0]]; // disconnected: angle 0
    for (const [order, winner] of [[[A, B], A], [[B, A], B]] as const) {
      const res = await evolutionSearch({
        space: NB201_SPACE,
        fitness: tableFitness(angles),
        rng: _scripted([low[0], ...order, low[1]], 0),
        config: { populationSize: 4, topK: 2, mutationCount: 1, crossoverCount: 1, generations: 1 },
      });
      assert.deepEqual([...res.best], winner, precision);
      assert.deepEqual(res.topK.map((s) => [...s.genome]), [...order]);
    }
  }
});

/** Draws the genes of `first` (one genome per candidate), then continues with RandomState. */
function _scripted(first: number[][], seed: number): SearchRng {
  const genes = first.flat();
  const rs = new RandomState(seed);
  return {
    randint: (low, high, size) =>
      genes.length === 0 ? rs.randint(low, high, size) : Int32Array.of(genes.shift()!),
    random: () => rs.random(),
  };
}

Deno.test("tableFitness: looks each genome up by enumeration index", async () => {
  const table = Float64Array.from({ length: 15625 }, (_, i) => i * 0.5);
  const f = tableFitness(table);
  const g = [1, 2, 3, 4, 0, 1];
  assert.deepEqual(await f([g, [0, 0, 0, 0, 0, 0]]), [genotypeToIndex(g) * 0.5, 0]);
  assert.throws(() => tableFitness([1, 2]), /score table has 2 entries, expected 15625/);
});
