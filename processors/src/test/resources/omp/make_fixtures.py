#!/usr/bin/python3
"""Golden OMP paths from scikit-learn's orthogonal_mp (Debian python3-sklearn).

Writes sklearn_*.json next to this script. Each fixture: a seeded Gaussian matrix X (d x n) whose entries are rounded
to float32 (so Java sees exactly the same numbers), a float64 target y = X[:, support] @ coef + noise, the budget k,
and sklearn's path: the atom added at each step (indices) and the coefficients of the active atoms after each step,
in activation order. Run: /usr/bin/python3 make_fixtures.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn.linear_model import orthogonal_mp

CASES = [
    # name, d, n, k, seed
    ("small", 12, 20, 4, 1),
    ("medium", 64, 150, 12, 2),
    ("wide", 40, 400, 25, 3),
    ("tall", 300, 60, 30, 4),
]


def fixture(d, n, k, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((d, n)).astype(np.float32).astype(np.float64)
    support = rng.choice(n, size=max(1, k // 2), replace=False)
    y = X[:, support] @ rng.uniform(0.5, 2.0, size=support.size) + 0.05 * rng.standard_normal(d)
    path = orthogonal_mp(X, y, n_nonzero_coefs=k, return_path=True)
    order, weights = [], []
    for t in range(path.shape[1]):
        nz = [i for i in np.flatnonzero(path[:, t]) if i not in order]
        if len(nz) != 1:
            raise SystemExit(f"step {t} added {len(nz)} atoms")
        order.append(int(nz[0]))
        weights.append([float(path[i, t]) for i in order])
    return {
        "sklearn": sklearn.__version__,
        "d": d, "n": n, "k": k, "seed": seed,
        "columns": [[float(v) for v in X[:, j]] for j in range(n)],
        "y": [float(v) for v in y],
        "order": order,
        "weights": weights,
    }


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    for name, d, n, k, seed in CASES:
        with open(os.path.join(here, f"sklearn_{name}.json"), "w") as f:
            json.dump(fixture(d, n, k, seed), f, separators=(",", ":"))
            f.write("\n")
