#!/usr/bin/env python3
"""PyTorch side of `tools/zc_fullsize_check.ts`: reads its JSON (metrics, NB201 genotypes, network
seed, an NHWC batch and labels), builds each full-size standalone NB201 network (C=16, N=5, 10
classes) with the TypeScript init (`init_like_tfjs(seed)`), fresh per proxy, and prints
{metric: [score per genotype]} computed by `tools/pytorch_zero_cost.py`'s proxies (exact
autograd). Opt-in diagnostic, not part of CI; needs torch (run with Debian's /usr/bin/python3)."""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_nb201_network import TinyNetwork  # noqa: E402
from pytorch_supernet import init_like_tfjs  # noqa: E402
from pytorch_zero_cost import PROXIES  # noqa: E402


def main(path):
    with open(path) as f:
        spec = json.load(f)
    n, s = spec["count"], spec["side"]
    x = torch.from_numpy(np.asarray(spec["x_nhwc"], dtype=np.float32).reshape(n, s, s, 3))
    x = x.permute(0, 3, 1, 2).contiguous()
    labels = torch.tensor(spec["labels"])
    out = {}
    for name in spec["metrics"]:
        scores = []
        for g in spec["genotypes"]:
            m = TinyNetwork(16, 5, g, 10)
            init_like_tfjs(m, spec["seed"])
            scores.append(float(PROXIES[name](m, x, labels)))
        out[name] = scores
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
