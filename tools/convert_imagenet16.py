#!/usr/bin/env python3
"""Convert the official ImageNet16-120 pickles into this project's ``imagenet16-120/*.bin`` files.

Usage (from the repository root; needs numpy)::

    python3 tools/convert_imagenet16.py /path/to/ImageNet16 DATA_DIR

Input: the downsampled-ImageNet 16x16 files of NAS-Bench-201 / NATS-Bench (D-X-Y), folder
``ImageNet16``: ``train_data_batch_1`` .. ``train_data_batch_10`` and ``val_data``. Each is a
pickle of a dict with ``'data'``: uint8 N x 768 (per image 256 R, then 256 G, then 256 B bytes,
16x16 row-major planes) and ``'labels'``: N class numbers 1..1000. Their MD5 digests (the values
checked by AutoDL-Projects' ``ImageNet16`` dataset class) are verified unless ``--no-md5``.

Output, as read by ``datasets/imagenet16.ts`` (``IMAGENET16_FILES``): per image 1 label byte
(0..119) + the 768 pixel bytes unchanged, in official order, keeping only classes 1..120 (as
``ImageNet16(..., use_num_of_class_only=120)`` does) with label - 1 (as its ``__getitem__`` does):

- ``DATA_DIR/imagenet16-120/train.bin``: the 10 train batches in order, 151,700 images
- ``DATA_DIR/imagenet16-120/val.bin``: ``val_data``, 6,000 images

Each file is written to a temporary file and renamed into place when complete. The pickles are
loaded with ``pickle``: only convert files from the official source. Exit status: 0 ok, 1 error.
"""

import argparse
import hashlib
import os
import pickle
import sys

import numpy as np

TRAIN_FILES = ["train_data_batch_%d" % k for k in range(1, 11)]
VAL_FILES = ["val_data"]
NUM_CLASSES = 120
PIXELS = 3 * 16 * 16
#: MD5 of the official files (as checked by AutoDL-Projects' ``ImageNet16`` dataset class).
MD5 = {
    "train_data_batch_1": "27846dcaa50de8e21a7d1a35f30f0e91",
    "train_data_batch_2": "c7254a054e0e795c69120a5727050e3f",
    "train_data_batch_3": "4333d3df2e5ffb114b05d2ffc19b1e87",
    "train_data_batch_4": "1620cdf193304f4a92677b695d70d10f",
    "train_data_batch_5": "348b3c2fdbb3940c4e9e834affd3b18d",
    "train_data_batch_6": "6e765307c242a1b3d7d5ef9139b48945",
    "train_data_batch_7": "564926d8cbf8fc4818ba23d2faac7564",
    "train_data_batch_8": "f4755871f718ccb653440b9dd0ebac66",
    "train_data_batch_9": "bb6dd660c38c58552125b1a92f86b5d4",
    "train_data_batch_10": "8f03f34ac4b42271a294f91bf480f29b",
    "val_data": "3410e3017fdaefba8d5073aaa65e4bd6",
}
#: Images of classes 1..120 in the official files (NAS-Bench-201 paper / ImageNet16-120).
EXPECTED = {"train.bin": 151700, "val.bin": 6000}


class ConvertError(Exception):
    """A missing, corrupt or unexpected input file (the message names it)."""


def md5_of(path):
    h = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def records_of(path):
    """The output records (uint8 M x 769: label - 1, then the 768 pixel bytes) of one pickle."""
    try:
        with open(path, "rb") as f:
            entry = pickle.load(f, encoding="latin1")
    except FileNotFoundError:
        raise ConvertError("%s: missing file" % path)
    except Exception as e:  # a truncated or foreign file
        raise ConvertError("%s: not a readable pickle (%s)" % (path, e))
    if not isinstance(entry, dict) or "data" not in entry or "labels" not in entry:
        raise ConvertError("%s: expected a dict with 'data' and 'labels'" % path)
    data = np.asarray(entry["data"])
    labels = np.asarray(entry["labels"])
    if data.ndim != 2 or data.shape[1] != PIXELS:
        raise ConvertError("%s: 'data' has shape %s, expected N x %d" % (path, data.shape, PIXELS))
    if data.dtype != np.uint8:
        if data.size and (data.min() < 0 or data.max() > 255):
            raise ConvertError("%s: 'data' values outside 0..255" % path)
        data = data.astype(np.uint8)
    if labels.ndim != 1 or labels.shape[0] != data.shape[0]:
        raise ConvertError("%s: %d labels for %d images" % (path, labels.size, data.shape[0]))
    if labels.size and (labels.min() < 1 or labels.max() > 1000):
        raise ConvertError("%s: labels outside 1..1000 (they are 1-based)" % path)
    keep = (labels >= 1) & (labels <= NUM_CLASSES)
    out = np.empty((int(keep.sum()), 1 + PIXELS), np.uint8)
    out[:, 0] = labels[keep] - 1
    out[:, 1:] = data[keep]
    return out


def convert(src_dir, names, out_path, verify_md5=True):
    """Convert the pickles ``names`` of ``src_dir`` (in order) into ``out_path``; returns the
    number of images written. Raises :class:`ConvertError` naming the bad file."""
    paths = [os.path.join(src_dir, n) for n in names]
    for n, p in zip(names, paths):
        if not os.path.isfile(p):
            raise ConvertError("%s: missing file" % p)
        if verify_md5:
            got = md5_of(p)
            if got != MD5[n]:
                raise ConvertError("%s: MD5 %s, expected %s (use --no-md5 to skip)" % (p, got, MD5[n]))
    os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
    tmp = "%s.%d.convert.tmp" % (out_path, os.getpid())
    count = 0
    try:
        with open(tmp, "wb") as f:
            for p in paths:
                recs = records_of(p)
                f.write(recs.tobytes())
                count += recs.shape[0]
        os.replace(tmp, out_path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return count


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("src", help="folder with train_data_batch_1..10 and val_data")
    p.add_argument("data_dir", help="data directory; writes imagenet16-120/{train,val}.bin in it")
    p.add_argument("--no-md5", action="store_true", help="do not verify the official MD5 digests")
    p.add_argument("--only", choices=["train", "val"], help="convert one split only")
    args = p.parse_args(argv)
    out_dir = os.path.join(args.data_dir, "imagenet16-120")
    jobs = [("train", TRAIN_FILES, "train.bin"), ("val", VAL_FILES, "val.bin")]
    try:
        for split, names, out_name in jobs:
            if args.only is not None and split != args.only:
                continue
            out = os.path.join(out_dir, out_name)
            n = convert(args.src, names, out, verify_md5=not args.no_md5)
            if not args.no_md5 and n != EXPECTED[out_name]:
                raise ConvertError("%s: %d images, expected %d" % (out, n, EXPECTED[out_name]))
            print("%s: %d images" % (out, n))
    except ConvertError as e:
        print("error: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
