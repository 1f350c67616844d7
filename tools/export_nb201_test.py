#!/usr/bin/env python3
"""Tests of tools/export_nb201.py with fake API objects (no benchmark package needed).

Run: ``python3 tools/export_nb201_test.py`` (also run by ``tools/export_nb201_test.ts``). Tests
that need the shared ``nb201/nb201.csv`` (``$RLNAS_DATA_DIR`` or ``../shared/data``) are skipped
when it is absent.
"""

import io
import os
import shutil
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_nb201 as ex  # noqa: E402

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_DATA = os.environ.get("RLNAS_DATA_DIR") or os.path.join(_ROOT, "..", "shared", "data")
SHARED = os.path.join(_DATA, "nb201", "nb201.csv")

# Values a wrong mapping would pick up: never in a valid export.
_WRONG = 1.5


class FakeApi:
    """The official API's interface over a dict ``{index: (arch, {column: value})}``: each
    get_more_info dataset answers the keys the official API gives for it, with a wrong value
    under every key that must NOT feed a column (e.g. 'valtest-accuracy', the ori-test of the
    cifar10-valid net). A column absent from a row's dict is a key the API does not return."""

    def __init__(self, table):
        self.table = table
        self.calls = []

    def __len__(self):
        return len(self.table)

    def arch(self, i):
        return self.table[i][0]

    def get_more_info(self, index, dataset, iepoch=None, hp="12", is_random=True):
        self.calls.append(("more", index, dataset, iepoch, hp, is_random))
        assert iepoch is None and hp == "200" and is_random is False, (iepoch, hp, is_random)
        v = self.table[index][1]
        info = {"train-loss": 0.1, "train-accuracy": 99.0}

        def put(key, col):
            if col in v:
                info[key] = v[col]

        if dataset == "cifar10-valid":
            put("valid-accuracy", "cifar10_valid_acc")
            info["test-accuracy"] = _WRONG  # ori-test of the net trained on train only
        elif dataset == "cifar10":
            put("test-accuracy", "cifar10_test_acc")  # no x-valid for train+valid training
        elif dataset in ("cifar100", "ImageNet16-120"):
            put("valid-accuracy", dataset + "_valid_acc")
            put("test-accuracy", dataset + "_test_acc")
            info["valtest-accuracy"] = _WRONG  # ori-test = x-valid + x-test
        else:
            raise ValueError(dataset)
        return info

    def get_cost_info(self, index, dataset, hp="12"):
        self.calls.append(("cost", index, dataset, hp))
        assert dataset == "cifar10" and hp == "200", (dataset, hp)
        v = self.table[index][1]
        info = {"latency": 0.01}
        if "params_M" in v:
            info["params"] = v["params_M"]
        if "flops_M" in v:
            info["flops"] = v["flops_M"]
        return info


def _shared_table():
    header, rows = ex.read_csv(SHARED)
    table = {}
    for _, cells in rows:
        vals = {c: float(x) for c, x in zip(ex.HEADER[2:], cells[2:]) if x != ""}
        table[int(cells[0])] = (cells[1], vals)
    return header, rows, table


class ExportMapping(unittest.TestCase):
    def test_each_column_comes_from_its_dataset_split_and_key(self):
        arch = "|nor_conv_3x3~0|+|none~0|skip_connect~1|+|avg_pool_3x3~0|nor_conv_1x1~1|none~2|"
        vals = {c: 10.0 + k for k, c in enumerate(ex.HEADER[2:])}
        api = FakeApi({0: (arch, vals)})
        [row] = ex.export_rows(api)
        self.assertEqual(
            row,
            ["0", arch, "10.000000", "11.000000", "12.000000", "13.000000", "14.000000",
             "15.000000", "16.000000", "17.000000"],
        )
        # one get_more_info per dataset, one get_cost_info
        more = sorted(c[2] for c in api.calls if c[0] == "more")
        self.assertEqual(more, ["ImageNet16-120", "cifar10", "cifar10-valid", "cifar100"])
        self.assertEqual([c for c in api.calls if c[0] == "cost"], [("cost", 0, "cifar10", "200")])

    def test_missing_keys_are_empty_cells_and_numbers_have_6_decimals(self):
        arch = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"
        api = FakeApi({0: (arch, {"cifar10_test_acc": 10.0 / 3, "params_M": 0.0722})})
        [row] = ex.export_rows(api)
        self.assertEqual(row, ["0", arch, "", "3.333333", "", "", "", "", "0.072200", ""])


@unittest.skipUnless(os.path.isfile(SHARED), "no shared nb201.csv at %s" % SHARED)
class AgainstSharedFile(unittest.TestCase):
    def test_shared_file_passes_the_check(self):
        self.assertEqual(ex.check_file(SHARED), [])
        self.assertEqual(ex.check_file(SHARED, reference=SHARED, tolerance=0.0), [])

    def test_export_through_main_reproduces_the_shared_file_byte_for_byte(self):
        _, _, table = _shared_table()
        tmp = tempfile.mkdtemp()
        try:
            out = os.path.join(tmp, "nb201", "nb201.csv")
            saved = ex.open_api
            ex.open_api = lambda path, kind="auto": FakeApi(table)
            try:
                with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
                    rc = ex.main(["--benchmark", "fake.pth", "--out", out, "--reference", SHARED])
            finally:
                ex.open_api = saved
            self.assertEqual(rc, 0)
            with open(out, "rb") as a, open(SHARED, "rb") as b:
                self.assertEqual(a.read(), b.read())
            self.assertEqual(sorted(os.listdir(os.path.dirname(out))), ["nb201.csv"])
        finally:
            shutil.rmtree(tmp)

    def test_an_export_failing_the_check_is_not_written(self):
        _, _, table = _shared_table()
        arch, vals = table[857]
        table = dict(table)
        table[857] = (arch, dict(vals, **{"ImageNet16-120_test_acc": 40.0}))
        tmp = tempfile.mkdtemp()
        try:
            out = os.path.join(tmp, "nb201.csv")
            saved = ex.open_api
            ex.open_api = lambda path, kind="auto": FakeApi(table)
            err = io.StringIO()
            try:
                with redirect_stdout(io.StringIO()), redirect_stderr(err):
                    rc = ex.main(["--benchmark", "fake", "--out", out])
            finally:
                ex.open_api = saved
            self.assertEqual(rc, 1)
            self.assertIn("ImageNet16-120_test_acc: index 857", err.getvalue())
            self.assertEqual(os.listdir(tmp), [])
        finally:
            shutil.rmtree(tmp)

    def test_check_rejects_each_kind_of_corruption_naming_line_and_column(self):
        header, rows, _ = _shared_table()

        def with_cell(line_no, col, value):
            out = []
            for line, cells in rows:
                if line == line_no:
                    cells = list(cells)
                    cells[ex.HEADER.index(col)] = value
                out.append((line, cells))
            return out

        cases = [
            (with_cell(2, "cifar10_test_acc", "150"), "line 2, column cifar10_test_acc: 150 is outside [0, 100]"),
            (with_cell(3, "cifar100_test_acc", "-5"), "line 3, column cifar100_test_acc: -5 is outside [0, 100]"),
            (with_cell(4, "params_M", "-0.1"), "line 4, column params_M: -0.1 is negative"),
            (with_cell(5, "ImageNet16-120_test_acc", "abc"), "line 5, column ImageNet16-120_test_acc: not a number: 'abc'"),
            (with_cell(6, "cifar10_valid_acc", "nan"), "line 6, column cifar10_valid_acc: not a number: 'nan'"),
            (with_cell(2, "arch", "|none~0|"), "line 2, column arch: not a NB201 architecture string"),
            (with_cell(3, "arch", rows[0][1][1]), "line 3, column arch: duplicate arch"),
            (with_cell(2, "index", "15625"), "line 2, column index: '15625' is not an integer"),
            (with_cell(3, "index", "0"), "line 3, column index: duplicate index 0 (first at line 2)"),
            (with_cell(7, "cifar10_valid_acc", ""), "column cifar10_valid_acc: 15624 of 15625 rows"),
            (with_cell(7, "flops_M", "1.0"), "column flops_M: 1 of 15625 rows have a value"),
            (with_cell(6113, "cifar10_test_acc", "90.0"), "column cifar10_test_acc: index 6111 has 90.000000"),
            (rows[:-1], "expected 15625 rows, got 15624"),
        ]
        for bad_rows, expected in cases:
            problems = ex.check_rows(header, bad_rows)
            self.assertTrue(any(expected in p for p in problems), (expected, problems))
        self.assertIn("wrong header", ex.check_rows(header[:-1] + ["flops"], rows)[0])


if __name__ == "__main__":
    unittest.main()
