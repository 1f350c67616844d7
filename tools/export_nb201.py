#!/usr/bin/env python3
"""Export the NAS-Bench-201 ground truth to ``nb201/nb201.csv``, or check an existing file.

Usage (from the repository root)::

    # NAS-Bench-201 v1.1 benchmark file (package nas-bench-201, needs torch to load the .pth)
    python3 tools/export_nb201.py --benchmark NAS-Bench-201-v1_1-096897.pth --out DATA/nb201/nb201.csv
    # NATS-Bench topology search space (package nats_bench, numpy only): the -simple directory
    python3 tools/export_nb201.py --benchmark NATS-tss-v1_0-3ffb9-simple --out DATA/nb201/nb201.csv
    # only validate a CSV (no benchmark package needed); optionally compare it with another one
    python3 tools/export_nb201.py --check DATA/nb201/nb201.csv [--reference OTHER.csv]

The API is picked from the path (``--api auto``): a ``.pth`` file is opened with the official
``nas_201_api`` (``NASBench201API(path, verbose=False)``); a directory (fast mode) or a
``.pickle.pbz2`` file with the official ``nats_bench`` (``create(path, 'tss', fast_mode=...,
verbose=False)``). Both number the 15,625 architectures the same way; the ``index`` column is that
official benchmark index and ``arch`` is ``api.arch(index)``. (This is NOT the enumeration order of
``search_spaces/nb201/encoding.ts``: the project maps the two through these two columns.)

Every column, for architecture ``i`` (``hp='200'``: the 200-epoch schedule; ``is_random=False``:
the mean over all trained seeds; ``iepoch=None``: after the last epoch), exactly the definitions of
the shared ``../shared/data/nb201/nb201.csv`` (see its README):

=========================  ==========================================================================
column                     source
=========================  ==========================================================================
``index``                  ``i`` (0..15624)
``arch``                   ``api.arch(i)``, e.g. ``|nor_conv_3x3~0|+|none~0|skip_connect~1|+|...|``
``cifar10_valid_acc``      ``get_more_info(i, 'cifar10-valid', hp='200', is_random=False)
                           ['valid-accuracy']``: split ``x-valid`` (the 25k held-out CIFAR-10
                           training images) of the net trained on the 25k ``train`` half
``cifar10_test_acc``       ``get_more_info(i, 'cifar10', ...)['test-accuracy']``: split
                           ``ori-test`` (the 10k CIFAR-10 test images) of the net trained on
                           train + valid (all 50k)
``cifar100_valid_acc``     ``get_more_info(i, 'cifar100', ...)['valid-accuracy']``: split ``x-valid``
                           (half of the CIFAR-100 test set)
``cifar100_test_acc``      ``get_more_info(i, 'cifar100', ...)['test-accuracy']``: split ``x-test``
                           (the other half; NOT ``valtest-accuracy``, which is ``ori-test``)
``ImageNet16-120_valid_``  ``get_more_info(i, 'ImageNet16-120', ...)['valid-accuracy']``: ``x-valid``
``acc``                    (half of the ImageNet16-120 val set)
``ImageNet16-120_test_``   ``get_more_info(i, 'ImageNet16-120', ...)['test-accuracy']``: ``x-test``
``acc``                    (the other half)
``params_M``               ``get_cost_info(i, 'cifar10', hp='200')['params']``: parameters in
                           millions of the CIFAR-10 network (10-class head)
``flops_M``                ``get_cost_info(i, 'cifar10', hp='200')['flops']``: MFLOPs of the CIFAR-10
                           network at 32x32 (the shared file leaves this column empty)
=========================  ==========================================================================

Accuracies are percentages; every number is written with 6 decimals (``%.6f``), a value the API
does not give is an empty cell, lines end with ``\\n``. Known optima (data README): CIFAR-10 test
94.37 at index 6111, CIFAR-100 test 73.51 at index 9930, ImageNet16-120 test 47.31 at index 857.

The export is checked (:func:`check_rows`) before it is written; the file is written atomically
(temp file + rename) and only when the check passes. Exit status: 0 ok, 1 check failed or error,
2 usage error.
"""

import argparse
import csv
import math
import os
import re
import sys

HEADER = [
    "index",
    "arch",
    "cifar10_valid_acc",
    "cifar10_test_acc",
    "cifar100_valid_acc",
    "cifar100_test_acc",
    "ImageNet16-120_valid_acc",
    "ImageNet16-120_test_acc",
    "params_M",
    "flops_M",
]

NB201_SIZE = 15625
OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
HP = "200"

#: column -> (dataset passed to get_more_info, key of its result)
ACCURACY_SOURCES = {
    "cifar10_valid_acc": ("cifar10-valid", "valid-accuracy"),
    "cifar10_test_acc": ("cifar10", "test-accuracy"),
    "cifar100_valid_acc": ("cifar100", "valid-accuracy"),
    "cifar100_test_acc": ("cifar100", "test-accuracy"),
    "ImageNet16-120_valid_acc": ("ImageNet16-120", "valid-accuracy"),
    "ImageNet16-120_test_acc": ("ImageNet16-120", "test-accuracy"),
}
#: column -> (dataset passed to get_cost_info, key of its result)
COST_SOURCES = {"params_M": ("cifar10", "params"), "flops_M": ("cifar10", "flops")}

ACCURACY_COLUMNS = list(ACCURACY_SOURCES)
COST_COLUMNS = list(COST_SOURCES)
#: Columns every valid file fills for every row (the shared file has exactly these).
REQUIRED_COLUMNS = [
    "cifar10_valid_acc",
    "cifar10_test_acc",
    "cifar100_test_acc",
    "ImageNet16-120_test_acc",
    "params_M",
]
#: (column, official index, value rounded to 2 decimals): the known test-accuracy optima.
KNOWN_OPTIMA = [
    ("cifar10_test_acc", 6111, 94.37),
    ("cifar100_test_acc", 9930, 73.51),
    ("ImageNet16-120_test_acc", 857, 47.31),
]

_OP = "(" + "|".join(OPS) + ")"
_ARCH = re.compile(
    r"^\|{op}~0\|\+\|{op}~0\|{op}~1\|\+\|{op}~0\|{op}~1\|{op}~2\|$".format(op=_OP)
)
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def parse_arch(arch):
    """The op indices (edge order 1<-0, 2<-0, 2<-1, 3<-0, 3<-1, 3<-2) of a strict NB201 string,
    or None when ``arch`` is not one."""
    m = _ARCH.match(arch) if isinstance(arch, str) else None
    return None if m is None else tuple(OPS.index(op) for op in m.groups())


def _format(value):
    if value is None:
        return ""
    v = float(value)
    if math.isnan(v):
        return ""
    return "%.6f" % v


def export_rows(api, log=None):
    """The CSV rows (lists of cells, header excluded) of every architecture of ``api``: an object
    with ``len(api)``, ``api.arch(i)``, ``api.get_more_info(i, dataset, iepoch=None, hp='200',
    is_random=False)`` and ``api.get_cost_info(i, dataset, hp='200')`` (the official
    ``nas_201_api`` and ``nats_bench`` APIs). A key the API does not return is an empty cell."""
    rows = []
    n = len(api)
    for i in range(n):
        cells = [str(i), api.arch(i)]
        infos = {}
        for col in ACCURACY_COLUMNS:
            dataset, key = ACCURACY_SOURCES[col]
            if dataset not in infos:
                infos[dataset] = api.get_more_info(i, dataset, iepoch=None, hp=HP, is_random=False)
            cells.append(_format(infos[dataset].get(key)))
        costs = {}
        for col in COST_COLUMNS:
            dataset, key = COST_SOURCES[col]
            if dataset not in costs:
                costs[dataset] = api.get_cost_info(i, dataset, hp=HP)
            cells.append(_format(costs[dataset].get(key)))
        rows.append(cells)
        if log is not None and (i + 1) % 1000 == 0:
            log("exported %d / %d architectures" % (i + 1, n))
    return rows


def read_csv(path):
    """(header, rows) of a CSV file; rows keep their line number: ``(line, cells)``."""
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        rows = []
        for cells in reader:
            if cells == []:
                continue
            rows.append((reader.line_num, cells))
    return header, rows


def check_rows(header, rows, max_problems=20):
    """Problems of a table (empty list: valid). ``rows`` is a list of ``(line, cells)``. Checks
    the header, 15,625 rows of 10 cells, indices 0..15624 once each, strict and distinct arch
    strings (so a permutation of the 15,625 cells), numbers (finite, accuracies in [0, 100],
    params / FLOPs >= 0), the required columns filled everywhere and the other columns either
    empty or filled everywhere, and the known optima (value at the index rounds to the known
    value and is the column maximum, ties allowed)."""
    problems = []

    def bad(msg):
        problems.append(msg)
        return len(problems) >= max_problems

    if header != HEADER:
        bad("wrong header %s, expected %s" % (",".join(header or []), ",".join(HEADER)))
        return problems
    if len(rows) != NB201_SIZE:
        if bad("expected %d rows, got %d" % (NB201_SIZE, len(rows))):
            return problems
    seen_index = {}
    seen_arch = {}
    values = {c: {} for c in HEADER[2:]}
    for line, cells in rows:
        where = "line %d" % line
        if len(cells) != len(HEADER):
            if bad("%s: %d cells, expected %d" % (where, len(cells), len(HEADER))):
                return problems
            continue
        idx_s, arch = cells[0], cells[1]
        if not re.match(r"^\d+$", idx_s) or int(idx_s) >= NB201_SIZE:
            if bad("%s, column index: %r is not an integer in 0..%d" % (where, idx_s, NB201_SIZE - 1)):
                return problems
            continue
        idx = int(idx_s)
        if idx in seen_index:
            if bad("%s, column index: duplicate index %d (first at line %d)" % (where, idx, seen_index[idx])):
                return problems
            continue
        seen_index[idx] = line
        if parse_arch(arch) is None:
            if bad("%s, column arch: not a NB201 architecture string: %r" % (where, arch)):
                return problems
        elif arch in seen_arch:
            if bad("%s, column arch: duplicate arch %s (first at line %d)" % (where, arch, seen_arch[arch])):
                return problems
        else:
            seen_arch[arch] = line
        for col, cell in zip(HEADER[2:], cells[2:]):
            if cell == "":
                continue
            v = float(cell) if _NUMBER.match(cell) else float("nan")
            if math.isnan(v) or math.isinf(v):
                stop = bad("%s, column %s: not a number: %r" % (where, col, cell))
            elif col in ACCURACY_SOURCES and not 0 <= v <= 100:
                stop = bad("%s, column %s: %s is outside [0, 100]" % (where, col, cell))
            elif col in COST_SOURCES and v < 0:
                stop = bad("%s, column %s: %s is negative" % (where, col, cell))
            else:
                values[col][idx] = v
                stop = False
            if stop:
                return problems
    if problems:  # the whole-column checks below would only repeat the cell problems
        return problems
    for col in HEADER[2:]:
        n = len(values[col])
        if col in REQUIRED_COLUMNS and n != len(seen_index):
            if bad("column %s: %d of %d rows have a value (required in every row)" % (col, n, len(seen_index))):
                return problems
        elif 0 < n < len(seen_index):
            if bad("column %s: %d of %d rows have a value (a column is empty or full)" % (col, n, len(seen_index))):
                return problems
    for col, index, best in KNOWN_OPTIMA:
        col_values = values[col]
        if index not in col_values:
            if bad("column %s: no value at index %d (known optimum %.2f)" % (col, index, best)):
                return problems
            continue
        v = col_values[index]
        top = max(col_values.values())
        top_at = min(k for k, x in col_values.items() if x == top)
        if round(v, 2) != best or v < top - 1e-4:
            if bad("column %s: index %d has %.6f, expected the maximum %.2f (maximum %.6f at index %d)"
                   % (col, index, v, best, top, top_at)):
                return problems
    return problems


def compare_rows(rows, ref_rows, tolerance, log=None):
    """Problems of ``rows`` against a reference table: the same arch for every index, and every
    number present in both within ``tolerance``. ``log`` gets the largest difference per column."""
    problems = []
    ref = {cells[0]: cells for _, cells in ref_rows}
    worst = {}
    for line, cells in rows:
        other = ref.get(cells[0])
        if other is None:
            problems.append("line %d: index %s is not in the reference" % (line, cells[0]))
            continue
        if other[1] != cells[1]:
            problems.append("line %d: index %s is %s, the reference has %s" % (line, cells[0], cells[1], other[1]))
        for col, a, b in zip(HEADER[2:], cells[2:], other[2:]):
            if a == "" or b == "":
                continue
            d = abs(float(a) - float(b))
            if d > worst.get(col, (-1.0, ""))[0]:
                worst[col] = (d, cells[0])
            if d > tolerance:
                problems.append("line %d, column %s: %s, the reference has %s" % (line, col, a, b))
        if len(problems) >= 20:
            break
    if log is not None:
        for col, (d, index) in sorted(worst.items()):
            log("compare: %s max |difference| %.6f (index %s)" % (col, d, index))
    return problems


def check_file(path, reference=None, tolerance=0.01, log=None):
    """Problems of the CSV at ``path`` (see :func:`check_rows`; with ``reference``, also
    :func:`compare_rows`), each prefixed with the path."""
    header, rows = read_csv(path)
    problems = check_rows(header, rows)
    if not problems and reference is not None:
        _, ref_rows = read_csv(reference)
        problems = compare_rows(rows, ref_rows, tolerance, log)
    return ["%s: %s" % (path, p) for p in problems]


def write_csv(path, rows):
    """Write the header and ``rows`` to ``path`` atomically (temp file + rename)."""
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    tmp = "%s.%d.export.tmp" % (path, os.getpid())
    try:
        with open(tmp, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(HEADER)
            w.writerows(rows)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def open_api(path, kind="auto"):
    """The official API for a benchmark file or directory (see the module docstring)."""
    if kind == "auto":
        kind = "nas201" if path.endswith(".pth") else "nats"
    if kind == "nas201":
        from nas_201_api import NASBench201API  # pip install nas-bench-201 (and torch)

        return NASBench201API(path, verbose=False)
    if kind == "nats":
        from nats_bench import create  # pip install nats_bench

        return create(path, "tss", fast_mode=os.path.isdir(path), verbose=False)
    raise ValueError("unknown API %r: expected auto, nas201 or nats" % kind)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--benchmark", metavar="PATH", help="NAS-Bench-201 .pth file or NATS-Bench tss file/dir")
    g.add_argument("--check", metavar="CSV", help="only validate an existing nb201.csv")
    p.add_argument("--out", metavar="CSV", help="where to write (with --benchmark), e.g. DATA/nb201/nb201.csv")
    p.add_argument("--api", choices=["auto", "nas201", "nats"], default="auto")
    p.add_argument("--reference", metavar="CSV", help="also compare with this nb201.csv (same arch per index)")
    p.add_argument("--tolerance", type=float, default=0.01, help="for --reference (default 0.01)")
    args = p.parse_args(argv)

    def log(line):
        print(line, file=sys.stderr)

    if args.check is not None:
        if not os.path.isfile(args.check):
            print("error: %s: no such file" % args.check, file=sys.stderr)
            return 1
        problems = check_file(args.check, args.reference, args.tolerance, log)
        for msg in problems:
            print(msg, file=sys.stderr)
        if problems:
            return 1
        print("%s: OK (%d architectures)" % (args.check, NB201_SIZE))
        return 0
    if args.out is None:
        p.error("--benchmark needs --out")
    api = open_api(args.benchmark, args.api)
    if len(api) != NB201_SIZE:
        print("error: %s has %d architectures, expected %d" % (args.benchmark, len(api), NB201_SIZE), file=sys.stderr)
        return 1
    rows = export_rows(api, log=log)
    numbered = [(k + 2, cells) for k, cells in enumerate(rows)]
    problems = check_rows(HEADER, numbered)
    if not problems and args.reference is not None:
        _, ref_rows = read_csv(args.reference)
        problems = compare_rows(numbered, ref_rows, args.tolerance, log)
    for msg in problems:
        print("%s (export, not written): %s" % (args.out, msg), file=sys.stderr)
    if problems:
        return 1
    write_csv(args.out, rows)
    print("%s: wrote %d architectures" % (args.out, len(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
