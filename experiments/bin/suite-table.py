#!/usr/bin/env python3
"""The suite table of reports/README.md, from each report's results.json (field names as the experiments write them).

Usage: experiments/bin/suite-table.py reports/<name> [reports/<name> ...]
"""
import json
import sys
from pathlib import Path


def pct(x):
    return f"{100 * x:.0f} %"


def row(report: Path) -> str:
    r = json.loads((report / "results.json").read_text())
    method = r["primary_method"]
    budget = r["headline_budget"]
    owner_rows = [o for o in r["vs_random_by_owner"] if o["method"] == method and o["budget"] == budget]
    beats = sum(1 for o in owner_rows if o["points"]["low"] > 0)
    loses = sum(1 for o in owner_rows if o["points"]["high"] < 0)
    runs = [p["run"] for p in r["pipeline"]]
    compared = sum(p["subsets_compared"] for p in runs)
    identical = sum(p["subsets_identical"] for p in runs)
    audit = "identical" if all(p["audit_identical"] for p in runs) else "DIFFERS"
    vs = r["vs_random_points"]
    n = len(r["seeds"])
    judged = n > 1 and r.get("kendall_tau") is not None

    def f(v):
        return f"{v:.3f}" if judged and v is not None else "n/a"

    tmc = r.get("tau_minus_ceiling")
    interval = f"{tmc['mean']:.3f} [{tmc['low']:.3f}, {tmc['high']:.3f}]" if judged and tmc else "n/a"
    detectable = r.get("detectable_difference_points")
    cells = [
        f"[{report.name}]({report.name}/README.md)", str(n), str(len(r["owners"])), method,
        f(r.get("kendall_tau")), f(r.get("noise_ceiling_tau")), interval, f(r.get("kendall_tau_all_owners")),
        pct(r["top1_correct_rate"]), f"{vs['mean']:+.1f} ± {vs['std']:.1f} (B = {budget})",
        f"{detectable:.1f}" if detectable is not None else "n/a", f"{beats} / {loses} of {len(owner_rows)}",
        "yes" if r["budget_honoured"] else "NO", f"{identical} of {compared}", audit,
    ]
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit("usage: suite-table.py REPORT_DIR [REPORT_DIR ...]")
    print("| Scenario | Seeds | Owners | primary method | τ (like with like) | ceiling | τ − ceiling [95%] | τ all owners "
          "| top-1 right | primary vs random on the top owner, points | detectable, points "
          "| owners where the primary method beats / loses to random (95%) | budget honoured | streamed = batch | audit |")
    print("|" + "---|" * 15)
    for d in sys.argv[1:]:
        print(row(Path(d)))


if __name__ == "__main__":
    main()
