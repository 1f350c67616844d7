/**
 * Labels for supernet training: a bit-exact numpy legacy `RandomState` and the registry of label
 * schemes (ground truth, the official uniform random labels, and the paper's variants).
 *
 * @example
 * ```ts
 * import { getLabelScheme, DEFAULT_LABEL_SCHEME } from "./mod.ts";
 * const labels = getLabelScheme(DEFAULT_LABEL_SCHEME).initial({
 *   dataset: "cifar10", numClasses: 10, seed: 0, trueLabels: new Int32Array(0),
 * }); // 50,000 labels = np.random.seed(0); np.random.randint(0, 10, 50000)
 * ```
 *
 * @module
 */
export { type ChoiceOptions, RandomState, type RandomStateSnapshot } from "./random_state.ts";
export {
  batchLabels,
  DATASET_NUM_CLASSES,
  DATASET_TRAIN_SIZE,
  DEFAULT_LABEL_SCHEME,
  getLabelScheme,
  type LabelDataset,
  type LabelScheme,
  type LabelSchemeContext,
  labelSchemeNames,
  labelSchemes,
  randomClassCount,
  shuffledLabels,
  stateAfterLabelDraws,
  uniformRandomLabels,
} from "./schemes.ts";
