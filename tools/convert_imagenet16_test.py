#!/usr/bin/env python3
"""Tests of tools/convert_imagenet16.py with tiny fake pickles made here.

Run: ``python3 tools/convert_imagenet16_test.py`` (also run by ``tools/convert_imagenet16_test.ts``).
``python3 tools/convert_imagenet16_test.py --make-fake DIR`` writes the fake pickles only (the
Deno test converts them and reads the result with ``datasets/imagenet16.ts``).
"""

import io
import os
import pickle
import shutil
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import convert_imagenet16 as cv  # noqa: E402


def fake_batch(k, n=5):
    """Batch ``k``: ``n`` images whose pixel j is ``(k * 7 + i * 3 + j) % 256`` and labels
    1-based, including classes above 120 that the conversion drops."""
    labels = [(k * 50 + i * 37) % 1000 + 1 for i in range(n)]
    labels[0] = 1  # smallest kept class
    labels[1] = 120  # largest kept class
    labels[2] = 121  # first dropped class
    data = np.array(
        [[(k * 7 + i * 3 + j) % 256 for j in range(cv.PIXELS)] for i in range(n)], np.uint8
    )
    return {"data": data, "labels": labels, "mean": np.zeros(cv.PIXELS)}


def make_fake(root):
    """Write fake train_data_batch_1..10 and val_data (pickle protocol 2, like the official
    Python 2 era files) into ``root``; returns the dict of batches."""
    batches = {}
    for k, name in enumerate(cv.TRAIN_FILES + cv.VAL_FILES, start=1):
        batches[name] = fake_batch(k)
        with open(os.path.join(root, name), "wb") as f:
            pickle.dump(batches[name], f, protocol=2)
    return batches


def expected_records(batch):
    out = []
    for row, label in zip(batch["data"], batch["labels"]):
        if 1 <= label <= 120:
            out.append(bytes([label - 1]) + row.tobytes())
    return b"".join(out)


class Convert(unittest.TestCase):
    def setUp(self):
        self.src = tempfile.mkdtemp()
        self.out = tempfile.mkdtemp()
        self.batches = make_fake(self.src)

    def tearDown(self):
        shutil.rmtree(self.src)
        shutil.rmtree(self.out)

    def run_main(self, *args):
        err = io.StringIO()
        with redirect_stdout(io.StringIO()), redirect_stderr(err):
            rc = cv.main(list(args))
        return rc, err.getvalue()

    def test_keeps_classes_1_to_120_with_0_based_labels_in_official_order(self):
        rc, err = self.run_main(self.src, self.out, "--no-md5")
        self.assertEqual(rc, 0, err)
        d = os.path.join(self.out, "imagenet16-120")
        with open(os.path.join(d, "train.bin"), "rb") as f:
            train = f.read()
        with open(os.path.join(d, "val.bin"), "rb") as f:
            val = f.read()
        want_train = b"".join(expected_records(self.batches[n]) for n in cv.TRAIN_FILES)
        self.assertEqual(train, want_train)
        self.assertEqual(val, expected_records(self.batches["val_data"]))
        # first record: label 1 -> 0, then the 768 pixel bytes of batch 1 image 0
        self.assertEqual(train[0], 0)
        self.assertEqual(list(train[1:4]), [7, 8, 9])
        self.assertEqual(train[769], 119)
        self.assertEqual(len(train) % 769, 0)
        self.assertEqual(sorted(os.listdir(d)), ["train.bin", "val.bin"])

    def test_md5_mismatch_names_the_file_and_writes_nothing(self):
        rc, err = self.run_main(self.src, self.out)
        self.assertEqual(rc, 1)
        self.assertIn("train_data_batch_1: MD5 ", err)
        self.assertIn("expected 27846dcaa50de8e21a7d1a35f30f0e91", err)
        self.assertFalse(os.path.exists(os.path.join(self.out, "imagenet16-120", "train.bin")))

    def test_missing_and_malformed_files_are_errors_naming_them(self):
        os.remove(os.path.join(self.src, "train_data_batch_7"))
        rc, err = self.run_main(self.src, self.out, "--no-md5")
        self.assertEqual(rc, 1)
        self.assertIn("train_data_batch_7: missing file", err)
        rc, err = self.run_main(self.src, self.out, "--no-md5", "--only", "val")
        self.assertEqual(rc, 0, err)
        with open(os.path.join(self.src, "val_data"), "wb") as f:
            pickle.dump({"data": np.zeros((2, 3072), np.uint8), "labels": [1, 2]}, f)
        rc, err = self.run_main(self.src, self.out, "--no-md5", "--only", "val")
        self.assertEqual(rc, 1)
        self.assertIn("val_data: 'data' has shape (2, 3072), expected N x 768", err)
        with open(os.path.join(self.src, "val_data"), "wb") as f:
            pickle.dump({"data": np.zeros((2, 768), np.uint8), "labels": [0, 2]}, f)
        rc, err = self.run_main(self.src, self.out, "--no-md5", "--only", "val")
        self.assertIn("labels outside 1..1000", err)
        with open(os.path.join(self.src, "val_data"), "wb") as f:
            f.write(b"not a pickle")
        rc, err = self.run_main(self.src, self.out, "--no-md5", "--only", "val")
        self.assertIn("val_data: not a readable pickle", err)
        # the earlier good val.bin is untouched by the failed conversions, no temp files left
        d = os.path.join(self.out, "imagenet16-120")
        self.assertEqual(os.listdir(d), ["val.bin"])
        with open(os.path.join(d, "val.bin"), "rb") as f:
            self.assertEqual(f.read(), expected_records(self.batches["val_data"]))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--make-fake":
        make_fake(sys.argv[2])
        sys.exit(0)
    unittest.main()
