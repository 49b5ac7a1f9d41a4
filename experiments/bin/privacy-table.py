#!/usr/bin/env python3
"""The rows of reports/privacy.md's tables from the sweep's results.json files (experiments/bin/privacy-sweep.sh).

Usage: experiments/bin/privacy-table.py REPORTS_DIR SCENARIO METHOD "inf 4 1 0.5"
  reads REPORTS_DIR/<SCENARIO>-eps-<ε>/<SCENARIO>/results.json; METHOD is the primary method whose subset of the live
  top owner is scored. Per ε: τ like with like, τ all owners, top-1 right, per seed τ_b(live, full information) and
  τ_b(live, live at ε = ∞), the mean live score per owner, the held-out D_hard accuracy of METHOD's subset at the
  headline budget on the live top owner (mean ± std over seeds), METHOD − random (vs_random_points), its label purity,
  streamed = batch and the audit.
"""
import json
import math
import statistics
import sys


def tau_b(x, y):
    """Kendall's τ_b of two score lists (ties in either count as in scipy.stats.kendalltau)."""
    concordant = discordant = ties_x = ties_y = 0
    for i in range(len(x)):
        for j in range(i + 1, len(x)):
            a = (x[i] > x[j]) - (x[i] < x[j])
            b = (y[i] > y[j]) - (y[i] < y[j])
            if a == 0 and b == 0:
                continue
            if a == 0:
                ties_x += 1
            elif b == 0:
                ties_y += 1
            elif a == b:
                concordant += 1
            else:
                discordant += 1
    denominator = math.sqrt((concordant + discordant + ties_x) * (concordant + discordant + ties_y))
    return (concordant - discordant) / denominator if denominator else float("nan")


def per_seed(results, seed):
    """(live scores, full-information gains, owners) of one seed, owners in name order."""
    rows = sorted((p for p in results["per_seed"] if p["seed"] == seed), key=lambda p: p["owner"])
    return [p["live_score"] for p in rows], [p["full_information_gain"] for p in rows], [p["owner"] for p in rows]


def main(root, scenario, method, epsilons):
    load = lambda eps: json.load(open(f"{root}/{scenario}-eps-{eps}/{scenario}/results.json"))
    exact = load("inf")
    numbers = lambda xs: ", ".join(f"{x:.2f}" for x in xs)
    for eps in epsilons:
        r = load(eps)
        vs_full, vs_exact, top = [], [], {}
        for seed in r["seeds"]:
            live, full, owners = per_seed(r, seed)
            vs_full.append(tau_b(live, full))
            vs_exact.append(tau_b(live, per_seed(exact, seed)[0]))
            top[seed] = owners[max(range(len(live)), key=lambda i: live[i])]
        owners = sorted({p["owner"] for p in r["per_seed"]})
        means = [statistics.mean(p["live_score"] for p in r["per_seed"] if p["owner"] == o) for o in owners]
        chosen = [s for s in r["selections"] if s["method"] == method and s["budget"] == r["headline_budget"]
                  and s["owner"] == top[s["seed"]]]
        accuracy = [s["held_out_hard"] for s in chosen]
        purity = [s["label_purity"] for s in chosen if s["label_purity"] is not None]
        vs_random = r["vs_random_points"]
        identical = sum(p["run"]["subsets_identical"] for p in r["pipeline"])
        compared = sum(p["run"]["subsets_compared"] for p in r["pipeline"])
        audit = "identical" if all(p["run"]["audit_identical"] for p in r["pipeline"]) else "DIFFERS"
        print(f"| {eps} | {r['kendall_tau']:.2f} | {r['kendall_tau_all_owners']:.2f} | {100 * r['top1_correct_rate']:.0f} % "
              f"| {numbers(vs_full)} | {numbers(vs_exact)} | {' / '.join(f'{m:.3f}' for m in means)} "
              f"| {100 * statistics.mean(accuracy):.1f} ± {100 * statistics.stdev(accuracy):.1f} % "
              f"| {vs_random['mean']:+.1f} ± {vs_random['std']:.1f} | {statistics.mean(purity):.2f} "
              f"| {identical} of {compared} | {audit} |")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split())
