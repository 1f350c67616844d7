#!/usr/bin/env python3
"""PyTorch reference of the zero-cost proxies (`../shared/spec/zero-cost-proxies.md`, restated
from NASLib and zero-cost-nas), checked against `metrics/zc_*.ts` by `metrics/zero_cost_test.ts`.

The network is the standalone NB201 `TinyNetwork` of `tools/pytorch_nb201_network.py` (affine BN,
the variant `search_spaces/nb201/network.ts` builds) with the TypeScript network's deterministic
init (`init_like_tfjs`: PyTorch-default bounds from one numpy RandomState(seed) stream in
state-dict order), built TINY (channels 4, 1 cell per stage, 8x8 input, 10 classes) and FRESH for
every proxy. The batch is numpy RandomState(123).standard_normal (NHWC) with fixed labels; its
values are written into the fixture so the TypeScript test feeds the identical batch.

Every proxy is computed as its definition states, in float32 (synflow in float64), with PyTorch
autograd (grasp: the exact Hessian-gradient product, `create_graph=True`, the reference of the
TypeScript grasp's frozen-mask finite differences). Train mode (batch statistics)
everywhere; "layers" = every Conv2d and Linear weight. NaN / infinite scores are NASLib's -1e8.
The fixture also holds synflow of two full-width (C=16, N=5) networks on an 8x8 input, whose
float64 score is beyond the float32 range.

Opt-in tool, NOT part of CI. Needs torch (Debian's python3-torch: run it with /usr/bin/python3).

Commands:
  golden --out fixtures/zero_cost/pytorch_golden.json
  perf --proxies synflow,snip,nwot --genotypes 333333,... [--batch 64] [--seed 0] [--threads N]
      the PyTorch reference of `deno task perf --proxies` (cli/perf_proxies.ts): per proxy, the
      time per architecture of building the full-size network (C=16, N=5, 10 classes, 32x32
      input, init_like_tfjs(seed)) and computing the proxy on a batch of numpy
      RandomState(seed + 1).standard_normal NHWC images with labels floor(10 * random_sample());
      one untimed warm-up architecture (the first) first. Prints one JSON line.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_nb201_network import TinyNetwork  # noqa: E402
from pytorch_supernet import init_like_tfjs  # noqa: E402

NAN_SCORE = -1e8  # NASLib's value for a NaN / infinite score


def finite(v):
    v = float(v)
    return v if math.isfinite(v) else NAN_SCORE


def layers_of(model):
    """(name, module) of every Conv2d / Linear, module order (= state-dict order)."""
    return [(n, m) for n, m in model.named_modules() if isinstance(m, (nn.Conv2d, nn.Linear))]


def ce_backward(model, x, labels):
    model.train()
    model.zero_grad(set_to_none=True)
    loss = F.cross_entropy(model(x), labels)
    loss.backward()
    return loss


def grad_of(m):
    return m.weight.grad if m.weight.grad is not None else torch.zeros_like(m.weight)


def p_grad_norm(model, x, labels):
    ce_backward(model, x, labels)
    return sum(float(grad_of(m).norm()) for _, m in layers_of(model))


def p_snip(model, x, labels):
    # d L / d mask at mask = 1 equals W * dL/dW
    ce_backward(model, x, labels)
    return sum(float((m.weight.detach() * grad_of(m)).abs().sum()) for _, m in layers_of(model))


def p_plain(model, x, labels):
    ce_backward(model, x, labels)
    return sum(float((m.weight.detach() * grad_of(m)).sum()) for _, m in layers_of(model))


def p_l2_norm(model, x, labels):
    return sum(float(m.weight.detach().norm()) for _, m in layers_of(model))


def _strip_bn(module):
    for name, child in module.named_children():
        if isinstance(child, nn.BatchNorm2d):
            setattr(module, name, nn.Identity())
        else:
            _strip_bn(child)


def p_synflow(model, x, labels):
    """BN -> identity, |every parameter|, float64, input ones[1, 3, H, W], R = sum(output),
    score sum |W * dR/dW|; returns (score, NASLib's log(score) or 0 when the score is 0)."""
    _strip_bn(model)
    model.double()
    with torch.no_grad():
        for p in model.parameters():
            p.abs_()
    model.zero_grad(set_to_none=True)
    ones = torch.ones([1] + list(x.shape[1:]), dtype=torch.float64)
    torch.sum(model(ones)).backward()
    score = sum(float((m.weight.detach() * grad_of(m)).abs().sum()) for _, m in layers_of(model))
    return score, (math.log(score) if score > 0 else 0.0)


def p_nwot(model, x, labels):
    """K = sum over ReLU modules of C C^T + (1-C)(1-C)^T (C = input > 0, per sample), float64;
    score = log|det K|."""
    n = x.shape[0]
    K = np.zeros((n, n))
    hooks = []

    def hook(module, inp, out):
        c = (inp[0].detach().reshape(n, -1) > 0).double()
        K[...] += (c @ c.t() + (1.0 - c) @ (1.0 - c).t()).numpy()

    for _, m in model.named_modules():
        if isinstance(m, nn.ReLU):
            hooks.append(m.register_forward_hook(hook))
    model.train()
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    _, logdet = np.linalg.slogdet(K)
    return finite(logdet)


def p_fisher(model, x, labels):
    """Per output channel k of each layer: 1/2 mean_n (sum_hw act * grad)^2, act the layer's
    output and grad dL/d(output); NASLib broadcasts each channel value over the weight's fan-in
    (weight.shape[1:]) before summing, so a layer contributes fan_in * sum_k."""
    acts, grads = {}, {}
    hooks = []
    for name, m in layers_of(model):
        def fwd(module, inp, out, name=name):
            acts[name] = out.detach()
            out.register_hook(lambda g, name=name: grads.__setitem__(name, g.detach()))
        hooks.append(m.register_forward_hook(fwd))
    ce_backward(model, x, labels)
    for h in hooks:
        h.remove()
    total = 0.0
    for name, m in layers_of(model):
        act, g = acts[name], grads.get(name)
        if g is None:
            continue
        g_nk = (act * g).sum(dim=list(range(2, act.dim()))) if act.dim() > 2 else act * g
        del_k = g_nk.pow(2).mean(0).mul(0.5)
        fan_in = int(np.prod(m.weight.shape[1:]))
        total += float(del_k.abs().sum()) * fan_in
    return total


def batch_jacobian(model, x):
    """d(sum of all logits)/dx of the train-mode forward, flattened per sample (NCHW order)."""
    model.train()
    model.zero_grad(set_to_none=True)
    xx = x.clone().requires_grad_(True)
    y = model(xx)
    y.backward(torch.ones_like(y))
    return xx.grad.detach().reshape(x.shape[0], -1).numpy()


def p_jacov(model, x, labels):
    J = batch_jacobian(model, x)
    try:
        with np.errstate(all="ignore"):
            corrs = np.corrcoef(J)
            v = np.real(np.linalg.eig(corrs)[0])
            k = 1e-5
            return finite(-np.sum(np.log(v + k) + 1.0 / (v + k)))
    except Exception:  # NaN correlation -> LinAlgError: NASLib's NaN
        return NAN_SCORE


def p_epe_nas(model, x, labels):
    """NASLib's eval_score_perclass: per class of the batch, s_c = sum log(|corrcoef(J_c)| + 1e-5)
    (/ len(corrs) when > 100 classes; a class with one sample is then skipped, as NASLib's
    len() of a 0-d array raises); <= 100 classes: sum_c |s_c|, else
    sum_c sum_c' |s_c - s_c'| / (number of classes scored)."""
    J = batch_jacobian(model, x)
    n_classes = model.classifier.out_features
    k = 1e-5
    per_class = {}
    for i, c in enumerate(labels.tolist()):
        per_class[c] = np.vstack((per_class[c], J[i])) if c in per_class else J[i]
    scores = {}
    with np.errstate(all="ignore"):
        for c, rows in per_class.items():
            try:
                corrs = np.array(np.corrcoef(rows))
                s = np.sum(np.log(abs(corrs) + k))
                if n_classes > 100:
                    s /= len(corrs)
            except Exception:
                continue
            scores[c] = s
    score = 0.0
    if n_classes <= 100:
        for c in scores:
            score += np.absolute(scores[c])
    else:
        for c in scores:
            for cj in scores:
                score += np.absolute(scores[c] - scores[cj])
        if len(scores) > 0:
            score /= len(scores)
    return finite(score)


def p_grasp(model, x, labels):
    """g = dL/dW (constant); z = sum g . dL/dW with the graph; Hg = dz/dW; score sum(-W * Hg)."""
    model.train()
    weights = [m.weight for _, m in layers_of(model)]
    model.zero_grad(set_to_none=True)
    loss = F.cross_entropy(model(x), labels)
    g = [t if t is not None else torch.zeros_like(w)
         for t, w in zip(torch.autograd.grad(loss, weights, allow_unused=True), weights)]
    loss = F.cross_entropy(model(x), labels)
    gf = torch.autograd.grad(loss, weights, create_graph=True, allow_unused=True)
    z = sum((gi.detach() * gfi).sum() for gi, gfi in zip(g, gf) if gfi is not None)
    hg = torch.autograd.grad(z, weights, allow_unused=True)
    return sum(float((-w.detach() * h).sum()) for w, h in zip(weights, hg) if h is not None)


def p_zen(model, x, labels, seed):
    """NASLib compute_zen_score (repeat 1, mixup_gamma 0.01), with numpy draws: RandomState(seed)
    gives every Conv / Linear weight N(0, 1) in state-dict order (PyTorch layout), then input and
    input2 (standard normal, NHWC, the batch's shape); Linear bias 0, BN gamma 1 / beta 0.
    Train mode, no gradients; both forwards fold their batch variance into running_var
    (momentum 0.1); score = log(mean_n sum |f(x) - f(x + 0.01 x2)|) + sum_BN log sqrt(mean rv),
    f = the feature map entering the global average pool."""
    rs = np.random.RandomState(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() > 1:
                p.copy_(torch.from_numpy(rs.standard_normal(p.numel()).astype(np.float32).reshape(p.shape)))
            elif name.endswith(".weight"):
                p.fill_(1.0)
            else:
                p.fill_(0.0)
    shape_nhwc = (x.shape[0], x.shape[2], x.shape[3], x.shape[1])
    n = int(np.prod(shape_nhwc))

    def draw():
        a = rs.standard_normal(n).astype(np.float32).reshape(shape_nhwc)
        return torch.from_numpy(a).permute(0, 3, 1, 2).contiguous()

    inp, inp2 = draw(), draw()
    feats = []
    h = model.global_pooling.register_forward_hook(lambda m, i, o: feats.append(i[0]))
    model.train()
    with torch.no_grad():
        model(inp)
        model(inp + 0.01 * inp2)
    h.remove()
    nas = torch.mean(torch.sum(torch.abs(feats[0] - feats[1]), dim=[1, 2, 3]))
    log_bn = 0.0
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            log_bn += float(torch.log(torch.sqrt(torch.mean(m.running_var))))
    return finite(float(torch.log(nas)) + log_bn)


PROXIES = {
    "grad_norm": p_grad_norm,
    "snip": p_snip,
    "plain": p_plain,
    "l2_norm": p_l2_norm,
    "nwot": p_nwot,
    "fisher": p_fisher,
    "jacov": p_jacov,
    "epe_nas": p_epe_nas,
    "grasp": p_grasp,
}


def _f32(a):
    return [float("%.9g" % v) for v in np.asarray(a, dtype=np.float32).ravel()]


def cmd_golden(args):
    torch.manual_seed(0)
    C, N, S, batch = 4, 1, 8, 8
    zen_seed = 5
    rs = np.random.RandomState(123)
    x_nhwc = rs.standard_normal(batch * S * S * 3).astype(np.float32).reshape(batch, S, S, 3)
    x = torch.from_numpy(x_nhwc).permute(0, 3, 1, 2).contiguous()
    specs = [
        # every op but none: avg_pool, conv3x3, conv1x1, skip
        {"genotype": [3, 3, 4, 2, 1, 3], "numClasses": 10, "seed": 7},
        # none edges: the conv of edge 1<-0 feeds only none edges (zero gradient, zero fisher)
        {"genotype": [3, 0, 0, 2, 0, 1], "numClasses": 10, "seed": 8},
        # more than 100 classes (epe_nas' other branch)
        {"genotype": [1, 4, 2, 4, 3, 0], "numClasses": 120, "seed": 9},
        # the cell output is zero: every gradient and the input Jacobian vanish (NaN -> -1e8)
        {"genotype": [3, 0, 0, 0, 0, 0], "numClasses": 10, "seed": 10},
    ]
    labels_by_k = {
        10: [2, 5, 2, 5, 2, 5, 2, 9],
        120: [2, 115, 2, 115, 2, 115, 2, 9],
    }
    cases = []
    for spec in specs:
        labels = torch.tensor(labels_by_k[spec["numClasses"]])

        def fresh():
            m = TinyNetwork(C, N, spec["genotype"], spec["numClasses"])
            init_like_tfjs(m, spec["seed"])
            return m

        case = dict(spec)
        case["labels"] = labels.tolist()
        case["scores"] = {name: fn(fresh(), x, labels) for name, fn in PROXIES.items()}
        raw, log = p_synflow(fresh(), x, labels)
        case["scores"]["synflow"] = log
        case["synflow_raw"] = raw
        case["scores"]["zen"] = p_zen(fresh(), x, labels, zen_seed)
        cases.append(case)
    # synflow on the full-width network (C=16, N=5; 8x8 input), whose float64 score is far beyond the
    # float32 range: checks the TypeScript proxy's exact rescaling
    synflow_full = []
    for g, seed in (([3, 3, 3, 3, 3, 3], 11), ([1, 4, 2, 4, 3, 0], 12)):
        m = TinyNetwork(16, 5, g, 10)
        init_like_tfjs(m, seed)
        raw, log = p_synflow(m, torch.zeros(1, 3, 8, 8), None)
        synflow_full.append({"genotype": g, "seed": seed, "channels": 16, "cellsPerStage": 5,
                             "inputSize": 8, "numClasses": 10, "raw": raw, "log": log})
        print("synflow C=16 N=5", g, raw, log)
    out = {
        "about": "PyTorch golden values from tools/pytorch_zero_cost.py golden (torch " + torch.__version__
                 + "): standalone NB201 TinyNetwork (affine BN) C=4 N=1, inputSize 8, init_like_tfjs(seed), "
                 "fresh per proxy, train mode; x = RandomState(123).standard_normal(8*8*8*3) as NHWC "
                 "(values in x_nhwc); float32 (synflow float64, reported as log); NaN / inf -> -1e8; "
                 "zen draws its weights and inputs from RandomState(zenSeed)",
        "channels": C,
        "cellsPerStage": N,
        "inputSize": S,
        "batch": batch,
        "zenSeed": zen_seed,
        "x_nhwc": _f32(x_nhwc),
        "cases": cases,
        "synflow_full": synflow_full,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    for c in cases:
        print(c["genotype"], c["numClasses"], {k: "%.7g" % v for k, v in c["scores"].items()})


PERF_PROXIES = {
    "synflow": lambda m, x, y: p_synflow(m, x, y)[1],  # the log score, as metrics/zc_synflow.ts
    **PROXIES,
}


def _cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "cpu"


def cmd_perf(args):
    names = [n for n in args.proxies.split(",") if n]
    for n in names:
        if n not in PERF_PROXIES:
            sys.exit(f"error: unknown proxy {n!r}, valid: {', '.join(PERF_PROXIES)}")
    genotypes = []
    for g in args.genotypes.split(","):
        if len(g) != 6 or any(c not in "01234" for c in g):
            sys.exit(f"error: --genotypes: {g!r} is not 6 op digits 0-4")
        genotypes.append([int(c) for c in g])
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    rs = np.random.RandomState(args.seed + 1)
    x_nhwc = rs.standard_normal(args.batch * 32 * 32 * 3).astype(np.float32)
    labels = np.floor(10 * rs.random_sample(args.batch)).astype(np.int64)
    x = torch.from_numpy(x_nhwc.reshape(args.batch, 32, 32, 3)).permute(0, 3, 1, 2).contiguous()
    y = torch.from_numpy(labels)

    def score(name, g):
        m = TinyNetwork(16, 5, g, 10)
        init_like_tfjs(m, args.seed)
        return PERF_PROXIES[name](m, x, y)

    times, cpu, scores = {}, {}, {}
    for name in names:
        score(name, genotypes[0])  # warm-up, untimed
        times[name], cpu[name], scores[name] = [], [], []
        for g in genotypes:
            c0 = time.process_time()
            t0 = time.perf_counter()
            v = score(name, g)
            times[name].append((time.perf_counter() - t0) * 1000.0)
            cpu[name].append((time.process_time() - c0) * 1000.0)
            scores[name].append(float(v))
    print(json.dumps({
        "torch_version": torch.__version__,
        "device": "cpu",
        "device_name": _cpu_name(),
        "threads": torch.get_num_threads(),
        "batch": args.batch,
        "seed": args.seed,
        "labels": labels.tolist(),
        "genotypes": genotypes,
        "times_ms": times,
        "cpu_ms": cpu,
        "scores": scores,
    }))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("golden")
    g.add_argument("--out", required=True)
    p = sub.add_parser("perf")
    p.add_argument("--proxies", required=True, help="comma-separated proxy names")
    p.add_argument("--genotypes", required=True, help="comma-separated 6-digit genotypes")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: torch's)")
    args = ap.parse_args(argv)
    if args.cmd == "golden":
        torch.set_num_threads(1)
    {"golden": cmd_golden, "perf": cmd_perf}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
