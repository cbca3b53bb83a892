"""Claims and facts on real published news, scored against a hand-made key.

    python -m benchmarks.real_articles [--split dev|test|all] [-v] [--gold GOLD.json]

The articles and their key are in ``../shared/data/real_articles`` (README inside: 31 real
articles from wire services, broadcasters and papers, split dev/test). Each article goes
through :func:`reconcile.reconcile` as ``reconcile run FILE --published DATE --outlet OUTLET``
would, in-process and on all cores. The rules are those of the reference scorer
``../shared/tools/score_real_articles.py`` (and give its figures):

* claims: a system claim of one of the key's predicates matches a key claim when the predicate
  is equal, its ``source`` or ``source_raw`` matches one of the key's aliases (rapidfuzz
  ``token_set_ratio`` >= 85, case and punctuation ignored) and its [value_min, value_max]
  overlaps the key's interval; matching is one-to-one, and a system claim taken by an
  ``optional`` entry counts neither way;
* facts: the main event's fact of the key's predicate (:func:`main_fact`) passes when one
  accepted value lies in its interval and its status is accepted.

Prints one line per article with ``-v``, then P / R / F1 and facts per split.
"""

from __future__ import annotations

import argparse
import json
import math
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.utils import default_process
from scipy.optimize import linear_sum_assignment

from benchmarks.shared import SHARED

__all__ = ["KEY_PREDICATES", "main_fact", "score_article", "run", "main"]

GOLD = SHARED / "data" / "real_articles" / "gold.json"
#: The predicates the key records.
KEY_PREDICATES = frozenset({"killed", "wounded", "missing", "detained", "displaced", "participants",
                            "kidnapped", "rescued", "evacuated"})


def _number(x) -> float | None:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def _overlap(lo1, hi1, lo2, hi2) -> bool:
    return ((-math.inf if lo1 is None else lo1) <= (math.inf if hi2 is None else hi2)
            and (-math.inf if lo2 is None else lo2) <= (math.inf if hi1 is None else hi1))


def main_fact(facts: list[dict], claims: list[dict], predicate: str,
              predicates=KEY_PREDICATES) -> dict | None:
    """The fact a reader takes as the article's figure for ``predicate``: the main event is the
    event with the most count claims (ties: the first event id in sorted order); of its facts
    of that predicate, the one with the most claims."""
    counts: dict = {}
    for c in claims:
        if c.get("predicate") in predicates:
            counts[c.get("event")] = counts.get(c.get("event"), 0) + 1
    if not counts:
        return None
    main = max(sorted(counts, key=str), key=counts.get)
    candidates = [f for f in facts if f.get("predicate") == predicate and f.get("event") == main]
    return max(candidates, key=lambda f: len(f.get("claim_ids") or [])) if candidates else None


def _key_match(key: dict, claim: dict) -> bool:
    if key["predicate"] != claim.get("predicate"):
        return False
    names = [n for n in (claim.get("source"), claim.get("source_raw")) if n]
    if not any(fuzz.token_set_ratio(a, str(n), processor=default_process) >= 85 for n in names for a in key["source"]):
        return False
    if "min" not in key and "max" not in key:
        return True
    return _overlap(key.get("min"), key.get("max"), _number(claim.get("value_min")), _number(claim.get("value_max")))


def score_article(entry: dict, output: dict) -> tuple[int, int, int, int, int]:
    """(true positives, false positives, false negatives, facts passed, facts) of one article."""
    claims = [c for c in output["claims"] if c.get("predicate") in KEY_PREDICATES]
    keys = [("key", k) for k in entry["claims"]] + [("optional", k) for k in entry.get("optional", [])]
    weight = np.zeros((len(claims), max(1, len(keys))))
    for j, claim in enumerate(claims):
        for i, (kind, key) in enumerate(keys):
            if _key_match(key, claim):
                exact = (key.get("min"), key.get("max")) == (_number(claim.get("value_min")), _number(claim.get("value_max")))
                weight[j, i] = (1000.0 if kind == "key" else 10.0) + (2.0 if exact else 0.0)
    tp, taken = 0, 0
    if claims and keys:
        for j, i in zip(*linear_sum_assignment(-weight)):
            if weight[j, i] > 0:
                taken += 1
                tp += keys[i][0] == "key"
    passed = 0
    for fact in entry.get("facts", []):
        top = main_fact(output["facts"], output["claims"], fact["predicate"])
        if top and top.get("status") in fact["accept_status"] and any(
                _overlap(v, v, _number(top.get("value_min")), _number(top.get("value_max"))) for v in fact["values"]):
            passed += 1
    return tp, len(claims) - taken, len(entry["claims"]) - tp, passed, len(entry.get("facts", []))


def _reconcile(job: tuple[str, dict]) -> dict:
    import reconcile
    path, entry = job
    result = reconcile.reconcile(path, published=(entry.get("published") or "")[:10] or None,
                                 outlet=entry.get("outlet"))
    return result.to_dict()


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run(split: str = "all", gold: Path = GOLD, verbose: bool = False) -> dict[str, dict]:
    """Per split (and ``all``): tp, fp, fn, precision, recall, f1, facts, facts_passed."""
    gold = Path(gold)
    articles = {n: a for n, a in json.loads(gold.read_text(encoding="utf-8"))["articles"].items()
                if split in ("all", a.get("split"))}
    jobs = [(str(gold.parent / name), entry) for name, entry in articles.items()]
    with ProcessPoolExecutor() as pool:
        outputs = dict(zip(articles, pool.map(_reconcile, jobs)))
    totals: dict[str, list[int]] = {}
    for name, entry in articles.items():
        figures = score_article(entry, outputs[name])
        if verbose:
            tp, fp, fn, passed, n_facts = figures
            print(f"{name:44s} {entry.get('split', ''):5s} tp={tp} fp={fp} fn={fn} "
                  f"F1={prf(tp, fp, fn)[2]:.2f} facts={passed}/{n_facts}")
        for key in (entry.get("split", "dev"), "all"):
            total = totals.setdefault(key, [0, 0, 0, 0, 0])
            for i, v in enumerate(figures):
                total[i] += v
    report = {}
    for key in ("dev", "test", "all"):
        if key in totals:
            tp, fp, fn, passed, n_facts = totals[key]
            p, r, f = prf(tp, fp, fn)
            report[key] = {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f,
                           "facts_passed": passed, "facts": n_facts}
    return report


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="all", choices=("dev", "test", "all"))
    ap.add_argument("--gold", default=str(GOLD), help="the key (gold.json beside the articles)")
    ap.add_argument("-v", "--verbose", action="store_true", help="one line per article")
    args = ap.parse_args(argv)
    for key, r in run(args.split, Path(args.gold), args.verbose).items():
        print(f"real articles {key:4s}: claims P {r['precision']:.2f} R {r['recall']:.2f} F1 {r['f1']:.2f}; "
              f"facts {r['facts_passed']}/{r['facts']} = {r['facts_passed'] / max(1, r['facts']):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
