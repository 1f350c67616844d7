"""Independent numpy reference of the RLNAS NB201 angle (spec section 3), for golden values.

Rebuilds V(a, W) by literal concatenation (float64) for deterministic integer-formula weights that
`angle_test.ts` regenerates bit-identically, and prints the angles. Run: python3 _angle_reference.py
"""
import numpy as np

C, N, K = 16, 5, 10
EDGES = [(1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2)]
PATHS = [[3], [1, 5], [0, 2, 5], [0, 4]]


def shapes():
    out = [("stem.0.weight", (C, 3, 3, 3)), ("stem.1.weight", (C,)), ("stem.1.bias", (C,))]
    for k in range(3 * N + 2):
        c = C if k < N else (2 * C if k <= 2 * N else 4 * C)
        if k in (N, 2 * N + 1):
            ci = c // 2
            p = f"cells.{k}."
            out += [(p + "conv_a.op.1.weight", (c, ci, 3, 3)), (p + "conv_a.op.2.weight", (c,)),
                    (p + "conv_a.op.2.bias", (c,)), (p + "conv_b.op.1.weight", (c, c, 3, 3)),
                    (p + "conv_b.op.2.weight", (c,)), (p + "conv_b.op.2.bias", (c,)),
                    (p + "downsample.1.weight", (c, ci, 1, 1))]
        else:
            for i, j in EDGES:
                for op in (2, 3):
                    ks = 1 if op == 2 else 3
                    out.append((f"cells.{k}.edges.{i}<-{j}.{op}.op.1.weight", (c, c, ks, ks)))
    out += [("lastact.0.weight", (4 * C,)), ("lastact.0.bias", (4 * C,)),
            ("classifier.weight", (K, 4 * C)), ("classifier.bias", (K,))]
    return out


def weights(trained):
    w = {}
    for t, (name, shape) in enumerate(shapes()):
        i = np.arange(int(np.prod(shape)), dtype=np.int64)
        a = ((i * 7919 + t * 104729) % 2001 - 1000) / 1000.0
        if trained:
            b = ((i * 6007 + t * 1301) % 1999 - 999) / 999.0
            a = 0.8 * a + (0.1 + (t % 7) / 10.0) * b
        w[name] = a.astype(np.float32).reshape(shape)
    return w


def vector(w, g):
    parts = [w["stem.0.weight"], w["stem.1.weight"], w["stem.1.bias"]]
    first = True
    any_path = False
    for path in PATHS:
        if any(g[e] == 0 for e in path):
            continue
        any_path = True
        for k in range(3 * N + 2):
            if k in (N, 2 * N + 1):
                if first:
                    parts += [v for n, v in w.items() if n.startswith(f"cells.{k}.")]
                continue
            for e in path:
                i, j = EDGES[e]
                op = g[e]
                if op == 4:
                    kern = w[f"cells.{k}.edges.{i}<-{j}.3.op.1.weight"]
                    parts.append(np.full(kern.shape[0] * 9, np.float32(1 / 9), np.float32))
                elif op in (2, 3):
                    parts.append(w[f"cells.{k}.edges.{i}<-{j}.{op}.op.1.weight"])
        first = False
    if not any_path:
        return None
    parts += [w["lastact.0.weight"], w["lastact.0.bias"], w["classifier.weight"],
              w["classifier.bias"]]
    return np.concatenate([p.reshape(-1).astype(np.float64) for p in parts])


w0, wt = weights(False), weights(True)
for g in [(3, 3, 3, 3, 3, 3), (4, 4, 4, 4, 4, 4), (1, 2, 3, 4, 0, 1), (3, 0, 0, 3, 0, 0),
          (2, 4, 1, 3, 2, 4), (1, 1, 1, 1, 1, 1), (2, 0, 0, 0, 0, 2)]:
    v0, vt = vector(w0, g), vector(wt, g)
    if v0 is None:
        print(g, 0.0)
        continue
    cos = v0 @ vt / max(np.sqrt((v0 @ v0) * (vt @ vt)), 1e-8)
    print(g, len(v0), repr(float(np.arccos(np.clip(cos, -1, 1)))))
