#!/usr/bin/env python3
"""PyTorch reference timings of the NB201 SuperNet SPOS training step (opt-in, not part of CI).

Times the same work as `deno task perf` (cli/perf.ts) on the TinyNetworkSPOS re-implementation of
tools/pytorch_supernet.py (same parameter names, same init): a training step at batch B on
CIFAR-10 shapes (train-mode forward with one random genotype per search cell, cross-entropy, backward,
SGD Nesterov momentum 0.9 / weight decay 5e-4 with PyTorch 1.x `zero_grad` semantics, `loss.item()`)
and a train-mode forward alone. Paths come from the official "urs" per-cell sampling driven by a
seeded `random.Random`, so every run times the same sequence of paths; warm-up steps are not timed;
the summary is the median. On CUDA every timed step ends with `torch.cuda.synchronize()`.

Usage (this machine: Debian's torch, `/usr/bin/python3`; GPU machine: its `python3`):

  /usr/bin/python3 tools/pytorch_perf.py --threads 2 --device cpu --steps 10 --warmup 2
  python3 tools/pytorch_perf.py --device cuda --steps 50 --warmup 5

Prints one JSON object on stdout:
  {"torch_version", "device", "device_name", "threads", "batch", "warmup", "steps", "seed",
   "train_step_ms": [...], "forward_ms": [...], "train_step_cpu_ms": [...] (process CPU time, all
   threads), "train_step_median_ms", "forward_median_ms",
   "images_per_s", "losses": [...]}
"""
import argparse
import json
import os
import platform
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from pytorch_supernet import (  # noqa: E402
    TinyNetworkSPOS,
    init_like_tfjs,
    make_optimizer,
    sample_paths,
)


def _cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "cpu"


def median(xs):
    """Median of a non-empty list (mean of the two middle values for an even count)."""
    if not xs:
        raise ValueError("median of an empty list")
    return float(statistics.median(xs))


def _sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_steps(model, optimizer, x, y, paths, warmup, device):
    """Times len(paths) - warmup training steps (the first `warmup` paths are warm-up)."""
    times, cpu, losses = [], [], []
    model.train()
    for i, p in enumerate(paths):
        _sync(device)
        c0 = time.process_time()
        t0 = time.perf_counter()
        optimizer.zero_grad(set_to_none=False)
        logits = model(x, p)
        loss = F.cross_entropy(logits, y)
        loss.backward()
        optimizer.step()
        value = loss.item()  # a host read-back, as the tfjs timing does
        _sync(device)
        dt = (time.perf_counter() - t0) * 1000.0
        dc = (time.process_time() - c0) * 1000.0
        if i >= warmup:
            times.append(dt)
            cpu.append(dc)
            losses.append(value)
    return times, cpu, losses


def time_forward(model, x, paths, warmup, device):
    """Times train-mode forwards without autograd (BN running statistics are updated)."""
    times = []
    model.train()
    with torch.no_grad():
        for i, p in enumerate(paths):
            _sync(device)
            t0 = time.perf_counter()
            logits = model(x, p)
            logits.sum().item()
            _sync(device)
            dt = (time.perf_counter() - t0) * 1000.0
            if i >= warmup:
                times.append(dt)
    return times


def parse_args(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    ap.add_argument("--threads", type=int, default=0,
                    help="torch.set_num_threads (default: leave torch's default)")
    ap.add_argument("--steps", type=int, default=10, help="timed steps (median reported)")
    ap.add_argument("--warmup", type=int, default=2, help="untimed warm-up steps")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--seed", type=int, default=0, help="weights, inputs and path seed")
    ap.add_argument("--channels", type=int, default=16)
    ap.add_argument("--cells", type=int, default=5, help="search cells per stage")
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--no-forward", action="store_true", help="skip the forward-only timing")
    args = ap.parse_args(argv)
    for name in ("steps", "batch", "channels", "cells", "classes"):
        if getattr(args, name) < 1:
            ap.error(f"--{name} must be >= 1, got {getattr(args, name)}")
    if args.warmup < 0:
        ap.error(f"--warmup must be >= 0, got {args.warmup}")
    if args.threads < 0:
        ap.error(f"--threads must be >= 0, got {args.threads}")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    if args.device == "cuda" and not torch.cuda.is_available():
        print("error: --device cuda but torch.cuda.is_available() is False", file=sys.stderr)
        return 1
    device = torch.device(args.device)
    torch.manual_seed(args.seed)
    model = TinyNetworkSPOS(args.channels, args.cells, args.classes)
    init_like_tfjs(model, args.seed)
    model.to(device)
    optimizer = make_optimizer(model, lr=0.025)
    rs = np.random.RandomState(args.seed + 1)
    x_nhwc = rs.standard_normal(args.batch * 32 * 32 * 3).astype(np.float32)
    x = torch.from_numpy(x_nhwc.reshape(args.batch, 32, 32, 3)).permute(0, 3, 1, 2).contiguous()
    x = x.to(device)
    y = torch.from_numpy(rs.randint(0, args.classes, args.batch).astype(np.int64)).to(device)
    rng = random.Random(args.seed)
    n = args.warmup + args.steps
    paths = [sample_paths(rng, 3 * args.cells) for _ in range(n)]

    step_ms, step_cpu_ms, losses = time_steps(model, optimizer, x, y, paths, args.warmup, device)
    fwd_ms = [] if args.no_forward else time_forward(model, x, paths, args.warmup, device)
    step_med = median(step_ms)
    out = {
        "torch_version": torch.__version__,
        "device": args.device,
        "device_name": torch.cuda.get_device_name(device) if device.type == "cuda" else _cpu_name(),
        "threads": torch.get_num_threads(),
        "batch": args.batch,
        "warmup": args.warmup,
        "steps": args.steps,
        "seed": args.seed,
        "train_step_ms": step_ms,
        "forward_ms": fwd_ms,
        "train_step_cpu_ms": step_cpu_ms,
        "train_step_median_ms": step_med,
        "forward_median_ms": median(fwd_ms) if fwd_ms else None,
        "images_per_s": args.batch / (step_med / 1000.0),
        "losses": losses,
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
