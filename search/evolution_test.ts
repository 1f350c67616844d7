import assert from "node:assert/strict";
import { RandomState } from "../labels/random_state.ts";
import { type LabelDataset, stateAfterLabelDraws } from "../labels/schemes.ts";
import { NB201_SPACE } from "../search_spaces/nb201/encoding.ts";
import {
  type CandidateSource,
  crossoverCandidates,
  evolutionSearch,
  mutationCandidates,
  NB201_EVOLUTION,
  randomCandidates,
} from "./evolution.ts";
import { type Genome, genomeKey, type SearchRng } from "./fitness.ts";
// The official NB201 search replayed by fixtures/search/make_official_replay.py (numpy).
import replay from "../fixtures/search/official_replay.json" with { type: "json" };

interface _Run {
  seed: number;
  config: {
    population_num: number;
    select_num: number;
    mutation_num: number;
    crossover_num: number;
    m_prob: number;
    max_epochs: number;
  };
  populations: number[][][];
  offspring: number[][];
  topK: number[][];
  topKFitness: number[];
  best: number[];
  nextRandom: number;
}

// Produced by fixtures/search/make_evolution_golden.py: the official RLNAS EvolutionTrainer
// (numpy legacy RNG) run with a synthetic integer fitness.
const golden = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/search/evolution_golden.json", import.meta.url)),
) as { fitness: { W: number[][]; bonusIfGene0EqualsGene5: number }; runs: _Run[] };

function _goldenFitness(g: Genome): number {
  const { W, bonusIfGene0EqualsGene5: bonus } = golden.fitness;
  return g.reduce((s, op, i) => s + W[i][op], 0) + (g[0] === g[5] ? bonus : 0);
}

Deno.test("trajectory equals the official RLNAS evolution (numpy golden)", async () => {
  for (const run of golden.runs) {
    const rng = new RandomState(run.seed);
    const res = await evolutionSearch({
      space: NB201_SPACE,
      fitness: (gs) => gs.map(_goldenFitness),
      rng,
      config: {
        populationSize: run.config.population_num,
        topK: run.config.select_num,
        mutationCount: run.config.mutation_num,
        crossoverCount: run.config.crossover_num,
        mutationProb: run.config.m_prob,
        generations: run.config.max_epochs,
      },
    });
    assert.deepEqual(res.populations.map((p) => p.map((g) => [...g])), run.populations);
    assert.deepEqual(
      res.history.map((h) => [h.offspring.mutation, h.offspring.crossover, h.offspring.random]),
      run.offspring,
    );
    assert.deepEqual(res.topK.map((s) => [...s.genome]), run.topK);
    assert.deepEqual(res.topK.map((s) => s.fitness), run.topKFitness);
    assert.deepEqual([...res.best], run.best);
    assert.equal(res.fitness, run.topKFitness[0]);
    // the random state ends where numpy's does (last offspring drawn, not scored)
    assert.equal(rng.random(), run.nextRandom);
    assert.equal(res.totalScored, run.config.population_num * run.config.max_epochs);
  }
  // the small run hits the crossover cap (fewer than 10 crossovers)
  assert.ok(golden.runs[1].offspring.some(([, c]) => c < 10));
});

/** The replay fixture's fitness: a tie-structured table over the enumeration order. */
function _replayFitness(gs: Genome[]): number[] {
  const { numerators, denominator } = replay.fitness;
  return gs.map((g) => numerators[g.reduce((i, op) => i * 5 + op, 0)] / denominator);
}

Deno.test("replays the official search from the state after the label draws (3 datasets)", async () => {
  assert.deepEqual(
    [...new Set(replay.runs.map((r) => r.dataset))],
    ["cifar10", "cifar100", "ImageNet16-120"],
  );
  for (const run of replay.runs) {
    const what = `${run.dataset} seed ${run.seed}`;
    const rng = stateAfterLabelDraws(run.dataset as LabelDataset, run.seed);
    const res = await evolutionSearch({ space: NB201_SPACE, fitness: _replayFitness, rng });
    // every generation's population, in order, and the offspring counts
    assert.equal(res.populations.length, 20);
    res.populations.forEach((p, gen) =>
      assert.deepEqual(p.map((g) => [...g]), run.populations[gen], `${what}, generation ${gen}`)
    );
    assert.deepEqual(
      res.history.map((h) => [h.offspring.mutation, h.offspring.crossover, h.offspring.random]),
      run.offspring,
      what,
    );
    // the final top-30 with its ties in the official order, and the result
    assert.deepEqual(res.topK.map((s) => [...s.genome]), run.topK, what);
    assert.deepEqual(res.topK.map((s) => s.fitness), run.topKFitness, what);
    assert.ok(run.tiedPairsInFinalTopK >= 10, `${what}: the fixture exercises ties`);
    assert.deepEqual([...res.best], run.best, what);
    assert.equal(rng.random(), run.nextRandom, what);
    // a fresh RandomState(seed) is another trajectory (what the search did before issue 11)
    const fresh = await evolutionSearch({
      space: NB201_SPACE,
      fitness: _replayFitness,
      rng: run.seed,
    });
    assert.deepEqual([...fresh.best], run.freshStateBest, what);
    assert.notDeepEqual(fresh.populations[0], res.populations[0], what);
  }
});

Deno.test("exact ties: the earlier entry of topK ++ population wins, as Python's stable sort", async () => {
  // A = (3,0,0,3,0,0) and B = (3,1,0,3,0,0): only path [0->3] is none-free in both and edge
  // 2<-0 is not on it, so their angle vectors are identical (equal fitness). A comes first in
  // enumeration order. Scripted initial populations put them in either order.
  const A = [3, 0, 0, 3, 0, 0];
  const B = [3, 1, 0, 3, 0, 0];
  const fitness = (gs: Genome[]) =>
    gs.map((g) =>
      (genomeKey(g) === genomeKey(A) ? 2 : 0) +
      (genomeKey(g) === genomeKey(B) ? 2 : 0) + g[5] / 100
    );
  const filler = [[1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 2, 4]];
  const config = {
    populationSize: 4,
    topK: 2,
    mutationCount: 1,
    crossoverCount: 1,
    generations: 1,
  };
  for (const [order, winner] of [[[A, B], A], [[B, A], B]] as const) {
    const res = await evolutionSearch({
      space: NB201_SPACE,
      fitness,
      rng: _scriptedRng([filler[0], ...order, filler[1]], 0),
      config,
    });
    assert.deepEqual(res.populations[0].map((g) => [...g]), [filler[0], ...order, filler[1]]);
    assert.deepEqual([...res.best], winner);
    assert.deepEqual(res.topK.map((s) => [...s.genome]), [...order]);
    assert.equal(res.topK[0].fitness, res.topK[1].fitness);
  }
  // Across generations the top-K member (entered earlier) stays ahead of a later equal one.
  const later = await evolutionSearch({
    space: NB201_SPACE,
    fitness: (gs) => gs.map((g) => (g[0] === 3 ? 1 : 0)),
    rng: 11,
    config: { ...config, populationSize: 10, topK: 3, generations: 4 },
  });
  const firstSeen = new Map<string, number>();
  later.populations.forEach((p, gen) =>
    p.forEach((g, i) => firstSeen.set(genomeKey(g), gen * 100 + i))
  );
  const tied = later.topK.filter((s) => s.fitness === later.fitness);
  assert.ok(tied.length === 3, `${tied.length} tied leaders`);
  const seen = tied.map((s) => firstSeen.get(genomeKey(s.genome))!);
  assert.deepEqual(seen, [...seen].sort((a, b) => a - b), "ties in order of first appearance");
});

/** Draws the genes of `first` (one genome per candidate), then continues with RandomState. */
function _scriptedRng(first: number[][], seed: number): SearchRng {
  const genes = first.flat();
  const rs = new RandomState(seed);
  return {
    randint(low: number, high: number, size: number) {
      if (genes.length === 0) return rs.randint(low, high, size);
      assert.equal(size, 1);
      return Int32Array.of(genes.shift()!);
    },
    random: () => rs.random(),
  };
}

Deno.test("finds the optimum of a synthetic fitness (genes equal to a target)", async () => {
  const target = [3, 3, 1, 3, 2, 4];
  let calls = 0;
  const res = await evolutionSearch({
    space: NB201_SPACE,
    fitness: (gs) => {
      calls++;
      return gs.map((g) => g.filter((op, i) => op === target[i]).length);
    },
    rng: 1,
  });
  assert.deepEqual([...res.best], target);
  assert.equal(res.fitness, 6);
  assert.equal(calls, NB201_EVOLUTION.generations);
  assert.equal(res.history.length, 20);
  assert.equal(res.totalScored, 2000);
  for (let i = 1; i < res.history.length; i++) {
    assert.ok(res.history[i].best >= res.history[i - 1].best, "best-so-far never decreases");
  }
  const h = res.history[0];
  assert.equal(h.scored, 100);
  assert.ok(h.mean <= h.populationBest && h.populationBest <= h.best);
});

Deno.test("same seed, same trajectory; another seed, another one", async () => {
  const fitness = (gs: Genome[]) =>
    gs.map((g) => Math.sin(g.reduce((s, v, i) => s + v * (i + 1), 0)));
  const config = { generations: 4 };
  const a = await evolutionSearch({ space: NB201_SPACE, fitness, rng: 42, config });
  const b = await evolutionSearch({
    space: NB201_SPACE,
    fitness,
    rng: new RandomState(42),
    config,
  });
  const c = await evolutionSearch({ space: NB201_SPACE, fitness, rng: 43, config });
  assert.deepEqual(a.populations, b.populations);
  assert.deepEqual(a.history, b.history);
  assert.notDeepEqual(a.populations, c.populations);
});

Deno.test("the visited set prevents scoring any architecture twice", async () => {
  const seen = new Set<string>();
  let count = 0;
  const res = await evolutionSearch({
    space: NB201_SPACE,
    // a flat fitness keeps the top-K small in diversity and forces many duplicate proposals
    fitness: (gs) => {
      for (const g of gs) {
        assert.ok(!seen.has(genomeKey(g)), `scored twice: ${g}`);
        seen.add(genomeKey(g));
        count++;
      }
      return gs.map(() => 1);
    },
    rng: 3,
    config: { topK: 2, generations: 8 },
  });
  assert.equal(count, 800);
  assert.equal(res.totalScored, 800);
});

function _countingRng(seed: number): SearchRng & { calls: number } {
  const rs = new RandomState(seed);
  const out = {
    calls: 0,
    randint(low: number, high: number, size: number) {
      out.calls++;
      return rs.randint(low, high, size);
    },
    random: () => rs.random(),
  };
  return out;
}

Deno.test("crossover stops after crossoverCount + 1 batches of 10 draws", () => {
  const rng = _countingRng(0);
  const parent = [1, 2, 3, 4, 1, 2];
  const src: CandidateSource = {
    rng,
    space: NB201_SPACE,
    visited: new Set([genomeKey(parent)]),
    batchSize: 10,
  };
  // one (visited) parent: every child equals it and is rejected
  const res = crossoverCandidates(src, [parent], 50, 51);
  assert.equal(res.candidates.length, 0);
  assert.equal(res.batches, 51);
  // per child: two parent draws and one draw per gene
  assert.equal(rng.calls, 51 * 10 * (2 + 6));
  // two parents: children mix genes position-wise, at most 2^6 distinct
  const res2 = crossoverCandidates(src, [[0, 0, 0, 0, 0, 0], [4, 4, 4, 4, 4, 4]], 50, 51);
  assert.equal(res2.candidates.length, 50);
  for (const ch of res2.candidates) assert.ok(ch.every((v) => v === 0 || v === 4));
});

Deno.test("mutation never introduces none", () => {
  const src: CandidateSource = {
    rng: new RandomState(5),
    space: NB201_SPACE,
    visited: new Set(),
    batchSize: 10,
  };
  // p = 1: every gene of an all-none parent is redrawn from {1, 2, 3, 4}
  const all = mutationCandidates(src, [[0, 0, 0, 0, 0, 0]], 300, 1, 1000).candidates;
  assert.equal(all.length, 300);
  const ops = new Set(all.flat());
  assert.deepEqual([...ops].sort(), [1, 2, 3, 4]);
  // p = 0.1: genes that change are never none
  const parent = [0, 1, 0, 2, 0, 3];
  const some = mutationCandidates(src, [parent], 100, 0.1, 1000).candidates;
  for (const ch of some) {
    ch.forEach((v, i) => v !== parent[i] && assert.notEqual(v, 0));
  }
  // random candidates do include none
  assert.ok(randomCandidates(src, 50).candidates.some((g) => g.includes(0)));
});

Deno.test("generic over the space and validated", async () => {
  const space = { numGenes: 4, numOps: 3, mutationRange: [0, 3] as const };
  const res = await evolutionSearch({
    space,
    fitness: (gs) => gs.map((g) => g[0] * 9 + g[1] * 3 + g[2] - g[3]),
    rng: 0,
    config: { populationSize: 10, topK: 3, mutationCount: 4, crossoverCount: 4, generations: 5 },
  });
  assert.deepEqual([...res.best], [2, 2, 2, 0]);
  assert.equal(res.totalScored, 50);
  const base = { space: NB201_SPACE, fitness: (gs: Genome[]) => gs.map(() => 0), rng: 0 };
  await assert.rejects(evolutionSearch({ ...base, config: { topK: 0 } }), /topK/);
  await assert.rejects(evolutionSearch({ ...base, config: { mutationProb: 2 } }), /mutationProb/);
  await assert.rejects(
    evolutionSearch({ ...base, config: { mutationCount: 80, crossoverCount: 30 } }),
    /exceeds populationSize/,
  );
  await assert.rejects(
    evolutionSearch({ ...base, space: { ...space, mutationRange: [1, 4] } }),
    /mutationRange/,
  );
  await assert.rejects(
    evolutionSearch({ ...base, fitness: (gs) => gs.map(() => NaN), config: { generations: 1 } }),
    /NaN/,
  );
  await assert.rejects(
    evolutionSearch({ ...base, fitness: () => [1], config: { generations: 1 } }),
    /1 scores for 100 genomes/,
  );
  // a space too small for the population
  await assert.rejects(
    evolutionSearch({ ...base, space: { numGenes: 2, numOps: 3, mutationRange: [0, 3] } }),
    /cannot draw 100 new architectures/,
  );
});
