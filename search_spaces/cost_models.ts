/**
 * The cost-model registry: for each search space name, how to read an architecture from text, the
 * flags its cost takes, and its FLOPs and parameter counts. `deno task cost` (`cli/cost.ts`)
 * dispatches only through this table; adding a space is one entry here.
 *
 * | name             | architecture                                    | counts                         |
 * | ---------------- | ----------------------------------------------- | ------------------------------ |
 * | `nb201`          | NB201 string or 6 op ids                        | `nb201/cost.ts` (per dataset)  |
 * | `darts-imagenet` | DARTS literal, 28 op ids or a published name    | 14-cell ImageNet network (thop)|
 * | `darts-cifar`    | same                                            | 20-cell CIFAR network (thop)   |
 * | `mobilenet`      | 21 block choice ids                             | RLNAS's lookup (thop)          |
 *
 * @module
 */
import { type FlagSpec, type FlagValue, stringFlag, UsageError } from "../cli/args.ts";
import { DATASET_NAMES, type DatasetName } from "../datasets/image_set.ts";
import { DARTS_DEFAULT_CHANNELS, dartsCost, type DartsNetwork } from "./darts/cost.ts";
import type { DartsGenotype } from "./darts/genotype.ts";
import { dartsGenotypeNames } from "./darts/genotypes.ts";
import { parseDartsArch } from "./darts/parse.ts";
import { type MobilenetArch, parseMobilenetArch } from "./mobilenet/architecture.ts";
import { mobilenetCost } from "./mobilenet/cost.ts";
import { nb201Cost } from "./nb201/cost.ts";
import { type Genotype, genotypeFromString, toGenotype } from "./nb201/encoding.ts";

/** FLOPs and parameters of one part of a network. */
export interface ArchCostPart {
  readonly name: string;
  readonly flops: number;
  readonly params: number;
}

/** FLOPs and parameters of a network, with its parts where the model has them. */
export interface ArchCost {
  readonly flops: number;
  readonly params: number;
  readonly parts?: readonly ArchCostPart[];
}

/** The flag values a model reads (as parsed by `cli/args.ts`). */
export type CostFlagValues = Readonly<Record<string, FlagValue>>;

/**
 * One entry: a space's cost model. `A` is the parsed architecture, `O` the options read from the
 * model's own {@link CostModel.flags}.
 */
export interface CostModel<A = unknown, O = unknown> {
  /** Registry name (`--space`). */
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
  /** The accepted `--arch` forms, for `--help` and messages. */
  readonly archForms: string;
  /** An example `--arch`. */
  readonly example: string;
  /** The flags this model takes, besides `--space`, `--arch` and the output flags. */
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** Read the options from the flag values; a bad value throws a `UsageError`. */
  options(values: CostFlagValues): O;
  /**
   * Read an architecture: a malformed string throws an `ArchSyntaxError`, one that breaks the
   * space's rules a `RangeError` naming the rule.
   */
  parseArch(text: string): A;
  /** The counts of a parsed architecture. */
  cost(arch: A, options: O): ArchCost;
}

function _positiveInt(name: string, value: FlagValue, dflt: number, even: boolean): number {
  const s = stringFlag(name, value);
  if (s === undefined) return dflt;
  const n = Number(s);
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(n) || n < 1 || (even && n % 2 !== 0)) {
    const what = even ? "a positive even integer" : "a positive integer";
    throw new UsageError(`--${name} must be ${what} (default ${dflt}), got '${s}'`);
  }
  return n;
}

/** Options of the DARTS entries. */
interface _DartsOptions {
  channels: number;
  numClasses?: number;
}

const _DARTS_FORMS = "Genotype(normal=[('sep_conv_3x3', 0), ...], normal_concat=[2, 3, 4, 5], " +
  "reduce=[...], reduce_concat=[2, 3, 4, 5]) (range(2, 6) too), the 28-gene list " +
  `[[14 op ids], [14 op ids]], or a published name (${dartsGenotypeNames().join(", ")})`;

function _darts(network: DartsNetwork): CostModel<DartsGenotype, _DartsOptions> {
  const even = network === "imagenet";
  const dflt = DARTS_DEFAULT_CHANNELS[network];
  const flags: Record<string, FlagSpec> = {
    channels: {
      type: "string",
      placeholder: "C",
      help: `initial channels, a positive ${even ? "even " : ""}integer (default ${dflt})`,
    },
  };
  if (network === "cifar") {
    flags.classes = {
      type: "string",
      placeholder: "N",
      help: "classes of the classifier (default 10; 100 for CIFAR-100)",
    };
  }
  return {
    name: `darts-${network}`,
    description: network === "imagenet"
      ? "DARTS-like space, 14-cell ImageNet evaluation network (224x224, 1000 classes), " +
        "FLOPs and params as RLNAS counts them (thop)"
      : "DARTS-like space, 20-cell CIFAR evaluation network (32x32), auxiliary head " +
        "excluded, counted like darts-imagenet",
    archForms: _DARTS_FORMS,
    example: "RLNAS_CIFAR10",
    flags: Object.freeze(flags),
    options: (values) => ({
      channels: _positiveInt("channels", values.channels, dflt, even),
      ...(network === "cifar"
        ? { numClasses: _positiveInt("classes", values.classes, 10, false) }
        : {}),
    }),
    parseArch: parseDartsArch,
    cost: (g, o) => dartsCost(g, network, o),
  };
}

const _NB201: CostModel<Genotype, { dataset: DatasetName }> = {
  name: "nb201",
  description: "NAS-Bench-201 ground-truth network (search_spaces/nb201/cost.ts: params as " +
    "nb201.csv, FLOPs in NASLib's convention)",
  archForms: "an NB201 string |op~0|+|op~0|op~1|+|op~0|op~1|op~2| or 6 op ids (0..4) " +
    "separated by commas",
  example:
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|",
  flags: Object.freeze({
    dataset: {
      type: "string",
      choices: DATASET_NAMES,
      placeholder: "NAME",
      help: "dataset of the head and input size (default cifar10)",
    },
  }),
  options: (values) => ({
    dataset: (stringFlag("dataset", values.dataset) ?? "cifar10") as DatasetName,
  }),
  parseArch: (text) => {
    const m = /^\s*\[?\s*(\d+(?:\s*,\s*\d+)*)\s*\]?\s*$/.exec(text);
    return m ? toGenotype(m[1].split(",").map(Number)) : genotypeFromString(text.trim());
  },
  cost: (g, o) => {
    const c = nb201Cost(g, o.dataset);
    return { flops: c.flops, params: c.params };
  },
};

const _MOBILENET: CostModel<MobilenetArch, Record<never, never>> = {
  name: "mobilenet",
  description: "MobileNet-like (ProxylessNAS) space: pre-processing + RLNAS's per-block thop " +
    "lookup (skip = 0) + post-processing, 224x224, 1000 classes",
  archForms: "21 block choice ids separated by spaces or commas: 0 k3e3, 1 k3e6, 2 k5e3, " +
    "3 k5e6, 4 k7e3, 5 k7e6, -1 skip (not in blocks 0, 4, 8, 12, 16, 20)",
  example: "2 0 -1 2 2 0 2 4 0 4 4 2 4 2 4 2 0 0 0 2 2",
  flags: Object.freeze({}),
  options: () => ({}),
  parseArch: parseMobilenetArch,
  cost: (a) => mobilenetCost(a),
};

const _MODELS: Readonly<Record<string, CostModel>> = Object.freeze({
  nb201: _NB201,
  "darts-imagenet": _darts("imagenet"),
  "darts-cifar": _darts("cifar"),
  mobilenet: _MOBILENET,
});

/** Names of the registered cost models. */
export function costModelNames(): string[] {
  return Object.keys(_MODELS);
}

/** The cost model called `name`; throws a `RangeError` listing the valid names. */
export function getCostModel(name: string): CostModel {
  if (Object.hasOwn(_MODELS, name)) return _MODELS[name];
  throw new RangeError(
    `unknown cost model '${name}' (valid: ${costModelNames().join(", ")})`,
  );
}

/**
 * Parse `arch` and count it with the model `name`, its options read from `values` (flag name →
 * value, as `parseFlags` returns them; absent flags take their defaults).
 */
export function archCost(name: string, arch: string, values: CostFlagValues = {}): ArchCost {
  const model = getCostModel(name);
  return model.cost(model.parseArch(arch), model.options(values));
}
