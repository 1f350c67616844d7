/**
 * Reference numbers for `nb201-lookup`: the best test accuracies in NAS-Bench-201 (200-epoch
 * schedule, mean over seeds). Source: NAS-Bench-201 (Dong & Yang, ICLR 2020), Table 5, row
 * "optimal" (test accuracy columns); the indices are NAS-Bench-201's own architecture indices, as
 * listed in `../shared/data/README.md` ("Known optima").
 *
 * @module
 */
import type { DatasetName } from "../types.ts";
import type { RegressionRule } from "../../reporting/regress.ts";

/** The optimal architecture by test accuracy, per dataset. */
export const NB201_TEST_OPTIMA: Readonly<Record<DatasetName, { index: number; testAcc: number }>> =
  {
    "cifar10": { index: 6111, testAcc: 94.37 },
    "cifar100": { index: 9930, testAcc: 73.51 },
    "ImageNet16-120": { index: 857, testAcc: 47.31 },
  };

/** Accuracies are published with two decimals: agreement within half a unit of the last digit. */
export const TOLERANCE = 0.005;

/**
 * `deno task regress`: the optimum's test accuracy is a table lookup, so any drop beyond
 * {@link TOLERANCE} is a regression (a changed ground-truth file or lookup).
 */
export const REGRESSION_RULES: readonly RegressionRule[] = [
  { column: "test_acc", better: "higher", absolute: TOLERANCE, description: "drop > 0.005" },
];
