#!/usr/bin/env python3
"""PyTorch reference of the standalone NAS-Bench-201 network of one genotype (D-X-Y's
`TinyNetwork` with `InferCell`s, NAS-Bench-201 / AutoDL-Projects `xautodl/models/cell_infers/`),
checked against `search_spaces/nb201/network.ts`.

A small re-implementation with the official state-dict names: `InferCell.layers` holds one op per
edge in genotype order (1<-0, 2<-0, 2<-1, 3<-0, 3<-1, 3<-2), `none` included as a parameterless
`Zero` (`x * 0`), so edge e of cell k is `cells.k.layers.e`. Every BatchNorm is affine (the
variant NAS-Bench-201 and NASLib use). The building blocks (`ReLUConvBN`, `Pooling`, `Identity`,
`Zero`, `ResNetBasicblock`) and the init (`init_like_tfjs`: PyTorch-default bounds drawn from one
numpy RandomState(seed) stream in state-dict order) come from `tools/pytorch_supernet.py`.
Opt-in tool, NOT part of CI. Needs torch (Debian's python3-torch: run it with /usr/bin/python3).

Commands:
  golden --out fixtures/nb201_network/pytorch_golden.json
         (golden values for search_spaces/nb201/network_test.ts)
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_supernet import (  # noqa: E402
    EDGES, OPS, Identity, Pooling, ReLUConvBN, ResNetBasicblock, Zero, init_like_tfjs,
)


def make_op(op, C):
    """One NB201 op (index into OPS) with C channels in and out, affine BN."""
    name = OPS[op]
    if name == "none":
        return Zero()
    if name == "skip_connect":
        return Identity()
    if name == "nor_conv_1x1":
        return ReLUConvBN(C, C, 1, 1, 0, True)
    if name == "nor_conv_3x3":
        return ReLUConvBN(C, C, 3, 1, 1, True)
    return Pooling()


class InferCell(nn.Module):
    def __init__(self, genotype, C):
        super().__init__()
        self.layers = nn.ModuleList([make_op(op, C) for op in genotype])
        self.out_dim = C

    def forward(self, x):
        nodes = [x]
        for i in range(1, 4):
            nodes.append(sum(self.layers[EDGES.index((i, j))](nodes[j]) for j in range(i)))
        return nodes[-1]


class TinyNetwork(nn.Module):
    def __init__(self, C, N, genotype, num_classes):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, C, 3, padding=1, bias=False), nn.BatchNorm2d(C))
        cells, c_prev = [], C
        for k in range(3 * N + 2):
            if k in (N, 2 * N + 1):
                cells.append(ResNetBasicblock(c_prev, 2 * c_prev, 2))
                c_prev *= 2
            else:
                cells.append(InferCell(genotype, c_prev))
        self.cells = nn.ModuleList(cells)
        self.lastact = nn.Sequential(nn.BatchNorm2d(c_prev), nn.ReLU(inplace=True))
        self.global_pooling = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(c_prev, num_classes)

    def forward(self, x):
        h = self.stem(x)
        for cell in self.cells:
            h = cell(h)
        h = self.lastact(h)
        h = self.global_pooling(h).view(h.size(0), -1)
        return self.classifier(h)


def _f32(a):
    """float32 values as JSON numbers with 8 significant digits (5e-9 relative)."""
    return [float("%.8g" % v) for v in np.asarray(a, dtype=np.float32).ravel()]


def _pass(model, x, labels):
    """One forward + CE backward in the model's current mode: logits, loss, every gradient."""
    model.zero_grad(set_to_none=True)
    logits = model(x)
    loss = F.cross_entropy(logits, torch.tensor(labels))
    loss.backward()
    grads = {}
    for n, p in model.named_parameters():
        g = p.grad if p.grad is not None else torch.zeros_like(p)
        grads[n] = _f32(g.numpy())
    return {"logits": _f32(logits.detach().numpy()), "loss": loss.item(), "grads": grads}


def cmd_golden(args):
    torch.manual_seed(0)
    K, S, batch = 5, 16, 4
    labels = [1, 4, 0, 2]
    rs = np.random.RandomState(123)
    x_nhwc = rs.standard_normal(batch * S * S * 3).astype(np.float32).reshape(batch, S, S, 3)
    x = torch.from_numpy(x_nhwc).permute(0, 3, 1, 2).contiguous()
    specs = [
        # avg_pool + conv3x3 + skip
        {"genotype": [3, 3, 4, 1, 3, 3], "channels": 3, "cellsPerStage": 1, "seed": 7, "perturbBn": False},
        # none edges: node 2 all-none (zero), the conv of edge 1<-0 feeds only none (zero gradient)
        {"genotype": [3, 0, 0, 2, 0, 1], "channels": 3, "cellsPerStage": 1, "seed": 8, "perturbBn": True},
        # every op, two cells per stage (cells.2 and cells.5 are the ResNet blocks)
        {"genotype": [1, 4, 2, 4, 3, 0], "channels": 2, "cellsPerStage": 2, "seed": 9, "perturbBn": False},
    ]
    cases = []
    for spec in specs:
        model = TinyNetwork(spec["channels"], spec["cellsPerStage"], spec["genotype"], K)
        init_like_tfjs(model, spec["seed"])
        case = dict(spec)
        case["param_names"] = [n for n, _ in model.named_parameters()]
        case["param_shapes"] = [list(p.shape) for _, p in model.named_parameters()]
        case["init_first"] = {n: _f32(p.detach().numpy().ravel()[:3]) for n, p in model.named_parameters()}
        if spec["perturbBn"]:
            # BN gamma / beta away from 1 / 0 (numpy RandomState(seed + 1000), module order)
            prs = np.random.RandomState(spec["seed"] + 1000)
            bn_params = {}
            with torch.no_grad():
                for name, m in model.named_modules():
                    if isinstance(m, nn.BatchNorm2d):
                        c = m.num_features
                        m.weight.copy_(torch.from_numpy((1 + prs.uniform(-0.5, 0.5, c)).astype(np.float32)))
                        m.bias.copy_(torch.from_numpy(prs.uniform(-0.5, 0.5, c).astype(np.float32)))
                        bn_params[name + ".weight"] = _f32(m.weight.numpy())
                        bn_params[name + ".bias"] = _f32(m.bias.numpy())
            case["bn_params"] = bn_params
        model.train()
        case["train"] = _pass(model, x, labels)
        # eval mode with the running statistics that one train forward (momentum 0.1) left behind
        case["running_stats"] = {n: _f32(b.numpy()) for n, b in model.state_dict().items() if "running_" in n}
        model.eval()
        case["eval"] = _pass(model, x, labels)
        cases.append(case)
    # parameter counts of the C=16, N=5, CIFAR-10 network (NB201 params_M)
    counts = {}
    for g in ([3, 3, 4, 1, 3, 3], [0, 0, 0, 0, 0, 0], [2, 2, 2, 2, 2, 2], [1, 4, 2, 4, 3, 0], [3, 3, 3, 3, 3, 3]):
        m = TinyNetwork(16, 5, g, 10)
        counts["".join(map(str, g))] = sum(p.numel() for p in m.parameters())
    out = {
        "about": "PyTorch golden values from tools/pytorch_nb201_network.py golden (torch "
                 + torch.__version__ + "): standalone NB201 TinyNetwork (affine BN), inputSize 16, numClasses 5, "
                 "init_like_tfjs(seed); x = RandomState(123).standard_normal(4*16*16*3) as NHWC; per case: "
                 "train-mode forward + CE(labels) backward, then eval-mode forward + backward with the running "
                 "statistics the train forward left (running_stats); gradients in PyTorch layout, flattened",
        "numClasses": K,
        "inputSize": S,
        "batch": batch,
        "labels": labels,
        "cases": cases,
        "param_counts_c16_n5_k10": counts,
    }
    with open(args.out, "w") as f:
        json.dump(out, f, separators=(",", ":"))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("golden")
    g.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    {"golden": cmd_golden}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
