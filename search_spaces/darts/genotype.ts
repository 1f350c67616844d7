/**
 * DARTS-like space genotypes (spec `darts-mobilenet-architectures.md` §1, rlnas-reference §5.2):
 * a normal and a reduction cell, each with 4 intermediate nodes 2..5 that take exactly two inputs
 * (an op applied to cell input 0 or 1 or to an earlier node), all four concatenated into the
 * cell's output (`concat = [2, 3, 4, 5]`).
 *
 * Two forms are in use:
 * - the DARTS repositories' literal, 8 `(op, input)` pairs per cell, two per node in node order
 *   (parsed by `parse.ts`);
 * - RLNAS's 28 genes, 14 per cell: one op id (0 = `none` ... 7, {@link DARTS_PRIMITIVES}) per edge
 *   in the order node2:(0,1), node3:(0,1,2), node4:(0..3), node5:(0..4).
 *
 * The rules of the space ({@link validateDartsCell}): every node takes exactly two inputs, from two
 * different earlier nodes (one op per edge), with a known op other than `none`.
 *
 * @module
 */

/** The DARTS candidate ops; the position is the op id of the 28-gene form. */
export const DARTS_PRIMITIVES = [
  "none",
  "max_pool_3x3",
  "avg_pool_3x3",
  "skip_connect",
  "sep_conv_3x3",
  "sep_conv_5x5",
  "dil_conv_3x3",
  "dil_conv_5x5",
] as const;

/** A DARTS candidate op. */
export type DartsPrimitive = typeof DARTS_PRIMITIVES[number];

/** An op an evaluation cell can hold (every primitive but `none`). */
export type DartsOp = Exclude<DartsPrimitive, "none">;

/** The ops an evaluation cell can hold, in op-id order (ids 1..7). */
export const DARTS_OPS: readonly DartsOp[] = DARTS_PRIMITIVES.slice(1) as DartsOp[];

/** Intermediate nodes per cell (2..5). */
export const DARTS_NODES = 4;

/** Edges per cell (2 + 3 + 4 + 5). */
export const DARTS_EDGES = 14;

/** The nodes concatenated into a cell's output (the only concat of this space). */
export const DARTS_CONCAT: readonly number[] = [2, 3, 4, 5];

/** The two cell kinds. */
export type DartsCellKind = "normal" | "reduce";

/** One input of an intermediate node: the op and the node it reads (0, 1: cell inputs). */
export interface DartsGene {
  readonly op: DartsOp;
  readonly input: number;
}

/** A cell: 8 genes, two per intermediate node 2..5 in node order. */
export type DartsCell = readonly DartsGene[];

/** A genotype of the DARTS-like space (both concats are {@link DARTS_CONCAT}). */
export interface DartsGenotype {
  readonly normal: DartsCell;
  readonly reduce: DartsCell;
}

/** The rules a genotype can break (see {@link DartsRuleError}). */
export type DartsRule =
  | "two inputs per node"
  | "known op"
  | "input in range"
  | "distinct inputs"
  | "concat"
  | "14 genes per cell";

/** A genotype that is well-formed but breaks a rule of the space; the message names the rule. */
export class DartsRuleError extends RangeError {
  /** The rule broken. */
  readonly rule: DartsRule;

  constructor(rule: DartsRule, message: string) {
    super(`${message} [rule: ${rule}]`);
    this.name = "DartsRuleError";
    this.rule = rule;
  }
}

/** First edge index of node `node` (2..5) in the 14-gene order: 0, 2, 5, 9. */
export function dartsEdgeOffset(node: number): number {
  return ((node - 2) * (node + 1)) / 2;
}

/** A gene as written in a cell (any op name, input index), before {@link validateDartsCell}. */
export interface RawDartsGene {
  readonly op: string;
  readonly input: number;
}

function _opList(): string {
  return DARTS_OPS.join(", ");
}

/**
 * Check one cell against the rules of the space and return it as a frozen {@link DartsCell}.
 * Throws a {@link DartsRuleError} naming the cell, the node, the pair and the rule.
 */
export function validateDartsCell(kind: DartsCellKind, genes: readonly RawDartsGene[]): DartsCell {
  const where = `${kind} cell`;
  if (genes.length !== 2 * DARTS_NODES) {
    const node = 2 + Math.floor(genes.length / 2);
    const detail = genes.length < 2 * DARTS_NODES
      ? `node ${node} has ${genes.length % 2 === 1 ? "1 input" : "no inputs"}`
      : `there is no node ${node} for pair ${2 * DARTS_NODES}`;
    throw new DartsRuleError(
      "two inputs per node",
      `${where}: ${genes.length} (op, input) pairs, but each of the ${DARTS_NODES} intermediate ` +
        `nodes 2..5 takes exactly two inputs (8 pairs); ${detail}`,
    );
  }
  const out: DartsGene[] = [];
  for (let i = 0; i < genes.length; i++) {
    const node = 2 + Math.floor(i / 2);
    const { op, input } = genes[i];
    const at = `${where}, node ${node} (pair ${i})`;
    if (op === "none") {
      throw new DartsRuleError(
        "two inputs per node",
        `${at}: op 'none' gives the node only one input; every intermediate node takes exactly ` +
          `two inputs with ops from: ${_opList()}`,
      );
    }
    if (!(DARTS_OPS as readonly string[]).includes(op)) {
      throw new DartsRuleError("known op", `${at}: unknown op '${op}' (valid: ${_opList()})`);
    }
    if (!Number.isInteger(input) || input < 0 || input >= node) {
      throw new DartsRuleError(
        "input in range",
        `${at}: input ${input} is out of range: node ${node} reads the cell inputs 0, 1 or an ` +
          `earlier node, i.e. 0..${node - 1}`,
      );
    }
    if (i % 2 === 1 && genes[i - 1].input === input) {
      throw new DartsRuleError(
        "distinct inputs",
        `${at}: both inputs of node ${node} come from ${input}; the two inputs of a node come ` +
          `from different nodes (one op per edge)`,
      );
    }
    out.push(Object.freeze({ op: op as DartsOp, input }));
  }
  return Object.freeze(out);
}

/** Check a concat list: this space concatenates exactly the nodes 2, 3, 4, 5. */
export function validateDartsConcat(kind: DartsCellKind, concat: readonly number[]): void {
  const same = concat.length === DARTS_CONCAT.length &&
    concat.every((v, i) => v === DARTS_CONCAT[i]);
  if (!same) {
    throw new DartsRuleError(
      "concat",
      `${kind}_concat is [${concat.join(", ")}], but every cell of this space concatenates ` +
        `all intermediate nodes: [2, 3, 4, 5] (or range(2, 6))`,
    );
  }
}

/** A genotype from two lists of raw genes, checked by {@link validateDartsCell}. */
export function makeDartsGenotype(
  normal: readonly RawDartsGene[],
  reduce: readonly RawDartsGene[],
): DartsGenotype {
  return Object.freeze({
    normal: validateDartsCell("normal", normal),
    reduce: validateDartsCell("reduce", reduce),
  });
}

/** The 14 op ids of a cell (RLNAS edge order); edges without a gene are 0 (`none`). */
export function dartsCellToGenes(cell: DartsCell): number[] {
  const genes = new Array<number>(DARTS_EDGES).fill(0);
  cell.forEach((g, i) => {
    const node = 2 + Math.floor(i / 2);
    genes[dartsEdgeOffset(node) + g.input] = DARTS_PRIMITIVES.indexOf(g.op);
  });
  return genes;
}

/** The cell of 14 op ids; throws a {@link DartsRuleError} naming the edge or node and the rule. */
export function dartsCellFromGenes(kind: DartsCellKind, genes: readonly number[]): DartsCell {
  if (genes.length !== DARTS_EDGES) {
    throw new DartsRuleError(
      "14 genes per cell",
      `${kind} cell: ${genes.length} genes, but a cell has ${DARTS_EDGES} edges ` +
        `(node2: 2, node3: 3, node4: 4, node5: 5)`,
    );
  }
  const raw: RawDartsGene[] = [];
  for (let node = 2; node < 2 + DARTS_NODES; node++) {
    const first = dartsEdgeOffset(node);
    const inputs: number[] = [];
    for (let j = 0; j < node; j++) {
      const id = genes[first + j];
      if (!Number.isInteger(id) || id < 0 || id >= DARTS_PRIMITIVES.length) {
        throw new DartsRuleError(
          "known op",
          `${kind} cell, gene ${first + j} (node ${node}, input ${j}): unknown op id ${id} ` +
            `(valid: ${DARTS_PRIMITIVES.map((p, k) => `${k}=${p}`).join(", ")})`,
        );
      }
      if (id !== 0) inputs.push(j);
    }
    if (inputs.length !== 2) {
      throw new DartsRuleError(
        "two inputs per node",
        `${kind} cell, node ${node} (genes ${first}..${first + node - 1}): ${inputs.length} ` +
          `non-none inputs, but every intermediate node takes exactly two`,
      );
    }
    for (const j of inputs) raw.push({ op: DARTS_PRIMITIVES[genes[first + j]], input: j });
  }
  return validateDartsCell(kind, raw);
}

/** The 28-gene form `[normal 14, reduce 14]` of a genotype. */
export function dartsGenotypeToGenes(g: DartsGenotype): [number[], number[]] {
  return [dartsCellToGenes(g.normal), dartsCellToGenes(g.reduce)];
}

/** The genotype of the 28-gene form (two lists of 14, or one list of 28). */
export function dartsGenotypeFromGenes(
  genes: readonly number[] | readonly [readonly number[], readonly number[]],
): DartsGenotype {
  const lists = genes.length === 2 && Array.isArray(genes[0])
    ? genes as readonly [readonly number[], readonly number[]]
    : null;
  if (lists === null) {
    const flat = genes as readonly number[];
    if (flat.length !== 2 * DARTS_EDGES) {
      throw new DartsRuleError(
        "14 genes per cell",
        `${flat.length} genes, but a genotype has ${2 * DARTS_EDGES} (14 normal, then 14 reduce)`,
      );
    }
    return dartsGenotypeFromGenes([flat.slice(0, DARTS_EDGES), flat.slice(DARTS_EDGES)]);
  }
  return Object.freeze({
    normal: dartsCellFromGenes("normal", lists[0]),
    reduce: dartsCellFromGenes("reduce", lists[1]),
  });
}

function _cellLiteral(cell: DartsCell): string {
  return `[${cell.map((g) => `('${g.op}', ${g.input})`).join(", ")}]`;
}

/** The DARTS repositories' literal of a genotype (`Genotype(normal=[...], ...)`). */
export function dartsGenotypeToString(g: DartsGenotype): string {
  return `Genotype(normal=${_cellLiteral(g.normal)}, normal_concat=[2, 3, 4, 5], ` +
    `reduce=${_cellLiteral(g.reduce)}, reduce_concat=[2, 3, 4, 5])`;
}
