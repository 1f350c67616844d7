#!/usr/bin/env python3
"""PyTorch reference of the RLNAS NAS-Bench-201 SuperNet (TinyNetworkSPOS, spec §1.1-1.3).

A small re-implementation of the official modules (D-X-Y's cell_operations / search_cells /
search_model_spos as vendored in megvii-model/RLNAS) in NCHW with the same state-dict names as
`search_spaces/nb201/supernet.ts`, so a safetensors checkpoint written by the TypeScript code loads
with `model.load_state_dict(..., strict=False)`. Opt-in tool, NOT part of CI. Needs torch (Debian's
python3-torch: run it with /usr/bin/python3) and numpy; the `safetensors` package is not needed.

Reusable pieces:
  read_safetensors(path) / write_safetensors(path, tensors, metadata)
  TinyNetworkSPOS(C, N, num_classes)      .forward(x, paths) with one genotype per search cell
  init_like_tfjs(model, seed, init)        the TypeScript SuperNet's numpy-RandomState init
  make_optimizer(model, lr)                SGD nesterov, momentum 0.9, weight decay 5e-4 (SPOS.config)
  spos_train_step(model, opt, x, y, paths) one SPOS step: forward with per-cell paths, CE, backward, SGD
  sample_paths(rng, num_cells)             the "urs" per-cell sampling (python `random`)

Commands:
  run    --checkpoint CKPT --inputs IN --cases CASES.json --out OUT.safetensors
         (used by tools/crosscheck_pytorch.ts: eval/train forwards, gradients, running stats)
  golden --out fixtures/nb201_supernet/pytorch_golden_tiny.json
         (golden values for search_spaces/nb201/supernet_test.ts)
"""
import argparse
import json
import math
import os
import random
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
EDGES = [(1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2)]


# ----------------------------------------------------------------------------------------------
# safetensors (F32 only)
# ----------------------------------------------------------------------------------------------
def read_safetensors(path):
    """Returns ({name: float32 ndarray}, metadata dict)."""
    with open(path, "rb") as f:
        buf = f.read()
    (n,) = struct.unpack("<Q", buf[:8])
    header = json.loads(buf[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    out = {}
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} has dtype {info['dtype']}, only F32 supported")
        b, e = info["data_offsets"]
        out[name] = np.frombuffer(buf[8 + n + b:8 + n + e], dtype="<f4").reshape(info["shape"]).copy()
    return out, meta


def write_safetensors(path, tensors, metadata=None):
    """Writes float32 tensors like the safetensors library (sorted names, padded header)."""
    names = sorted(tensors, key=lambda s: s.encode("utf-8"))
    header = {}
    if metadata:
        header["__metadata__"] = {k: str(metadata[k]) for k in sorted(metadata)}
    blobs, off = [], 0
    for name in names:
        a = np.ascontiguousarray(np.asarray(tensors[name], dtype="<f4"))
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + a.nbytes]}
        off += a.nbytes
        blobs.append(a.tobytes())
    hb = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    hb += b" " * ((8 - len(hb) % 8) % 8)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(hb)) + hb + b"".join(blobs))
    os.replace(tmp, path)


# ----------------------------------------------------------------------------------------------
# modules (names as in the official code)
# ----------------------------------------------------------------------------------------------
class ReLUConvBN(nn.Module):
    def __init__(self, C_in, C_out, kernel_size, stride, padding, affine, track_running_stats=True):
        super().__init__()
        self.op = nn.Sequential(
            nn.ReLU(inplace=False),
            nn.Conv2d(C_in, C_out, kernel_size, stride=stride, padding=padding, bias=False),
            nn.BatchNorm2d(C_out, affine=affine, track_running_stats=track_running_stats),
        )

    def forward(self, x):
        return self.op(x)


class Pooling(nn.Module):
    def __init__(self):
        super().__init__()
        self.op = nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False)

    def forward(self, x):
        return self.op(x)


class Identity(nn.Module):
    def forward(self, x):
        return x


class Zero(nn.Module):
    is_zero = True

    def forward(self, x):
        return x.mul(0.0)


class ResNetBasicblock(nn.Module):
    def __init__(self, inplanes, planes, stride):
        super().__init__()
        self.conv_a = ReLUConvBN(inplanes, planes, 3, stride, 1, True)
        self.conv_b = ReLUConvBN(planes, planes, 3, 1, 1, True)
        self.downsample = nn.Sequential(
            nn.AvgPool2d(kernel_size=2, stride=2, padding=0),
            nn.Conv2d(inplanes, planes, kernel_size=1, stride=1, padding=0, bias=False),
        )

    def forward(self, x):
        return self.downsample(x) + self.conv_b(self.conv_a(x))


class SearchCell(nn.Module):
    """NAS201 search cell: every edge holds all 5 ops (BN affine=False, tracked)."""

    def __init__(self, C):
        super().__init__()
        edges = {}
        for i, j in EDGES:
            edges[f"{i}<-{j}"] = nn.ModuleList([
                Zero(), Identity(), ReLUConvBN(C, C, 1, 1, 0, False), ReLUConvBN(C, C, 3, 1, 1, False),
                Pooling(),
            ])
        self.edges = nn.ModuleDict(edges)

    def forward(self, x, genotype):
        nodes = [x]
        for i in range(1, 4):
            inter = []
            for j in range(i):
                e = EDGES.index((i, j))
                inter.append(self.edges[f"{i}<-{j}"][genotype[e]](nodes[j]))
            nodes.append(sum(inter))
        return nodes[-1]


class TinyNetworkSPOS(nn.Module):
    def __init__(self, C=16, N=5, num_classes=10):
        super().__init__()
        self.C, self.N = C, N
        self.stem = nn.Sequential(nn.Conv2d(3, C, 3, padding=1, bias=False), nn.BatchNorm2d(C))
        cells, c_prev = [], C
        for k in range(3 * N + 2):
            if k in (N, 2 * N + 1):
                cells.append(ResNetBasicblock(c_prev, 2 * c_prev, 2))
                c_prev *= 2
            else:
                cells.append(SearchCell(c_prev))
        self.cells = nn.ModuleList(cells)
        self.lastact = nn.Sequential(nn.BatchNorm2d(c_prev), nn.ReLU(inplace=True))
        self.global_pooling = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(c_prev, num_classes)

    def forward(self, x, paths):
        """x: NCHW; paths: one genotype (6 op indices) per search cell."""
        h = self.stem(x)
        c = 0
        for cell in self.cells:
            if isinstance(cell, SearchCell):
                h = cell(h, paths[c])
                c += 1
            else:
                h = cell(h)
        h = self.lastact(h)
        h = self.global_pooling(h).view(h.size(0), -1)
        return self.classifier(h)


def init_like_tfjs(model, seed, init="pytorch-uniform"):
    """The TypeScript SuperNet's init: one numpy RandomState(seed) stream consumed parameter by
    parameter in state-dict order; conv and Linear weights (and the Linear bias) get
    uniform(-b, b) with b = 1/sqrt(fan_in) ("pytorch-uniform"), or N(0, sqrt(2/fan_in)) for conv,
    N(0, 0.01) for the Linear weight and bias 0 ("normal"); BN gamma 1, beta 0, running stats 0/1."""
    rs = np.random.RandomState(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() == 4 or name == "classifier.weight" or name == "classifier.bias":
                if name.startswith("classifier."):
                    fan_in = model.classifier.in_features
                else:
                    fan_in = p.shape[1] * p.shape[2] * p.shape[3]
                n = p.numel()
                if init == "normal":
                    if name == "classifier.bias":
                        v = np.zeros(n)
                    elif name == "classifier.weight":
                        v = rs.normal(0.0, 0.01, n)
                    else:
                        v = rs.normal(0.0, math.sqrt(2.0 / fan_in), n)
                else:
                    b = 1.0 / math.sqrt(fan_in)
                    v = rs.uniform(-b, b, n)
                p.copy_(torch.from_numpy(v.astype(np.float32).reshape(p.shape)))
            elif name.endswith(".weight"):
                p.fill_(1.0)
            else:
                p.fill_(0.0)
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.reset_running_stats()


def load_weights(model, tensors):
    """Loads {name: ndarray} (PyTorch layout); all parameters must be present."""
    sd = {k: torch.from_numpy(np.asarray(v)) for k, v in tensors.items()}
    dtype = next(model.parameters()).dtype
    sd = {k: v.to(dtype) for k, v in sd.items()}
    missing, unexpected = model.load_state_dict(sd, strict=False)
    missing = [m for m in missing if not m.endswith("num_batches_tracked")]
    missing_params = [m for m in missing if not ("running_mean" in m or "running_var" in m)]
    if missing_params or unexpected:
        raise ValueError(f"missing {missing_params[:3]}..., unexpected {unexpected[:3]}...")


def make_optimizer(model, lr=0.025):
    """SPOS.config: SGD, momentum 0.9, Nesterov, weight decay 5e-4 on every parameter."""
    return torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, nesterov=True, weight_decay=5e-4)


def sample_paths(rng, num_cells=15):
    """Official "urs" sampling with a python `random.Random`: per cell, per node, redraw the
    incoming edges while all are none."""
    out = []
    for _ in range(num_cells):
        g = []
        for i in range(1, 4):
            while True:
                ops = [rng.choice(range(5)) for _ in range(i)]
                if any(o != 0 for o in ops):
                    break
            g += ops
        out.append(g)
    return out


def spos_train_step(model, optimizer, x, y, paths):
    """One SPOS step (PyTorch <= 1.x semantics: zero_grad zeroes, set_to_none=False)."""
    model.train()
    optimizer.zero_grad(set_to_none=False)
    logits = model(x, paths)
    loss = F.cross_entropy(logits, y)
    loss.backward()
    optimizer.step()
    return loss.item()


# ----------------------------------------------------------------------------------------------
# commands
# ----------------------------------------------------------------------------------------------
def _run_case(model, weights, x, case):
    """Returns {name: ndarray} for one case (weights reloaded first)."""
    load_weights(model, weights)
    out = {}
    paths = case["paths"]
    if case["mode"] == "eval":
        model.eval()
        with torch.no_grad():
            out["logits"] = model(x, paths).numpy()
        return out
    model.train()
    model.zero_grad(set_to_none=True)
    logits = model(x, paths)
    loss = F.cross_entropy(logits, torch.tensor(case["labels"], dtype=torch.long))
    loss.backward()
    out["logits"] = logits.detach().numpy()
    out["loss"] = np.array([loss.item()], dtype=np.float32)
    for name, p in model.named_parameters():
        if p.grad is not None:
            out["grad." + name] = p.grad.numpy().copy()
    for name, b in model.state_dict().items():
        if "running_" in name:
            out["buffer." + name] = b.numpy().copy()
    return out


def cmd_run(args):
    weights, meta = read_safetensors(args.checkpoint)
    inputs, _ = read_safetensors(args.inputs)
    with open(args.cases) as f:
        spec = json.load(f)
    model = TinyNetworkSPOS(spec["channels"], spec["cellsPerStage"], spec["numClasses"])
    x = torch.from_numpy(inputs["x"]).permute(0, 3, 1, 2).contiguous()
    if args.double:  # float64 ground truth for judging float32 rounding
        model = model.double()
        x = x.double()
        weights = {k: v.astype(np.float64) for k, v in weights.items()}
    result = {}
    for case in spec["cases"]:
        for k, v in _run_case(model, weights, x, case).items():
            result[f"{case['name']}/{k}"] = v
    write_safetensors(args.out, result, {"torch": torch.__version__, "dtype": "float64" if args.double else "float32"})


def golden_stats(g):
    """[sum, sum of squares, sum of w_i * g_i] with w_i = ((7 i) mod 13 - 6) / 6, PyTorch order."""
    w = ((np.arange(g.size) * 7) % 13 - 6) / 6.0
    return [float(g.sum()), float((g * g).sum()), float((w * g).sum())]


def cmd_golden(args):
    """Golden values for supernet_test.ts: C=4, N=1, 16x16 input, 5 classes, seed 3."""
    torch.manual_seed(0)
    C, N, K, seed, batch = 4, 1, 5, 3, 3
    model = TinyNetworkSPOS(C, N, K)
    init_like_tfjs(model, seed)
    rs = np.random.RandomState(123)
    x_nhwc = rs.standard_normal(batch * 16 * 16 * 3).astype(np.float32).reshape(batch, 16, 16, 3)
    x = torch.from_numpy(x_nhwc).permute(0, 3, 1, 2).contiguous()
    labels = [1, 4, 0]
    train_paths = [[3, 2, 4, 1, 3, 0], [2, 0, 3, 4, 1, 2], [3, 3, 3, 3, 3, 3]]
    eval_genotypes = [[3, 3, 3, 3, 3, 3], [2, 4, 1, 0, 3, 4], [1, 0, 0, 4, 0, 2], [0, 0, 0, 0, 0, 0],
                      [2, 0, 0, 0, 0, 0]]
    model.train()
    logits = model(x, train_paths)
    loss = F.cross_entropy(logits, torch.tensor(labels))
    loss.backward()
    grads, grad_stats = {}, {}
    for n, p in model.named_parameters():
        if p.grad is None:
            continue
        g = p.grad.numpy().ravel().astype(np.float64)
        if g.size <= 600:
            grads[n] = g.tolist()
        else:
            grad_stats[n] = golden_stats(g)
    buffers = {n: b.numpy().ravel().tolist() for n, b in model.state_dict().items() if "running_" in n}
    model.eval()
    evals = []
    with torch.no_grad():
        for g in eval_genotypes:
            evals.append({"genotype": g, "logits": model(x, [g] * (3 * N)).numpy().tolist()})
    out = {
        "about": "PyTorch golden values from tools/pytorch_supernet.py golden (torch "
                 + torch.__version__ + "); SuperNet C=4, N=1, inputSize 16, numClasses 5, seed 3, "
                 "init_like_tfjs; x = RandomState(123).standard_normal(3*16*16*3) as NHWC; one train-mode "
                 "forward (train_paths) + CE(labels) backward, then eval forwards with the updated running stats",
        "config": {"channels": C, "cellsPerStage": N, "numClasses": K, "inputSize": 16, "seed": seed},
        "labels": labels,
        "train_paths": train_paths,
        "train_logits": logits.detach().numpy().tolist(),
        "train_loss": loss.item(),
        "grads": grads,
        "grad_stats": grad_stats,
        "buffers_after_train": buffers,
        "eval": evals,
        "init_first": {n: p.detach().numpy().ravel()[:3].tolist() for n, p in model.named_parameters()
                       if n in ("stem.0.weight", "cells.0.edges.1<-0.2.op.1.weight", "classifier.weight",
                                "classifier.bias")},
    }
    with open(args.out, "w") as f:
        json.dump(out, f, separators=(",", ":"))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--checkpoint", required=True)
    r.add_argument("--inputs", required=True)
    r.add_argument("--cases", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--double", action="store_true", help="run the reference in float64")
    g = sub.add_parser("golden")
    g.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    {"run": cmd_run, "golden": cmd_golden}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
