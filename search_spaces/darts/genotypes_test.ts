import assert from "node:assert/strict";
import { DARTS_GENOTYPES, dartsGenotypeNames } from "./genotypes.ts";
import { parseDartsGenotype } from "./parse.ts";
import { dartsGenotypeToGenes, dartsGenotypeToString } from "./genotype.ts";

Deno.test("every published genotype satisfies the rules and round-trips", () => {
  assert.equal(dartsGenotypeNames().length, 12);
  for (const name of dartsGenotypeNames()) {
    const g = parseDartsGenotype(DARTS_GENOTYPES[name]);
    assert.deepEqual(parseDartsGenotype(dartsGenotypeToString(g)), g, name);
  }
});

Deno.test("RLNAS genotypes in the 28-gene form of the spec (§1)", () => {
  const genes = (n: string) => dartsGenotypeToGenes(parseDartsGenotype(DARTS_GENOTYPES[n]));
  assert.deepEqual(genes("RLNAS_CIFAR10"), [
    [5, 4, 6, 0, 5, 4, 0, 0, 7, 0, 7, 6, 0, 0],
    [5, 6, 4, 0, 5, 0, 6, 0, 4, 0, 1, 5, 0, 0],
  ]);
  assert.deepEqual(genes("RLNAS_IMAGENET_600M"), [
    [4, 4, 0, 3, 4, 0, 4, 4, 0, 3, 0, 0, 0, 4],
    [4, 1, 4, 3, 0, 4, 6, 0, 0, 3, 4, 0, 0, 0],
  ]);
  assert.deepEqual(genes("RLNAS_IMAGENET_UNCONSTRAINED"), [
    [4, 4, 0, 4, 4, 4, 5, 0, 0, 4, 4, 0, 0, 0],
    [4, 4, 5, 0, 4, 5, 0, 5, 0, 0, 0, 4, 0, 4],
  ]);
});
