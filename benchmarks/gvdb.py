"""Score the extractor + engine on the Gun Violence Database dev split: document killed / injured.

    python -m benchmarks.gvdb [--split dev] [--jobs N] [-v]

Data: ``../shared/data/gvdb_dev/articles.jsonl`` (400 real US local news articles on shootings, one
crowd annotation each; see its SOURCE.md). Each article runs through :func:`reconcile.reconcile`
as the CLI runs a one-article feed: published = the article's ``date``, outlet = the URL's host.

Definition (document level, per predicate: ``killed`` against ``gold_killed``, ``wounded`` against
``gold_injured``):

- the prediction is the main event's fact for the predicate. The main event is the event with
  the most claims of a count predicate (ties: the smallest event id); of its facts of that predicate, the one
  with the most claims (ties: the first in the facts table). This is the rule of
  ``../shared/tools/score_real_articles.py``.
- a prediction is *right* when its [value_min, value_max] (null = unbounded) contains the gold
  number.
- TP: a right prediction with gold > 0. FP: a prediction that is not right and is positive
  (value_max > 0 or unbounded). FN: gold > 0 without a right prediction. A gold 0 with no positive
  prediction (none, or [0, 0]) counts nowhere.

P = TP / (TP + FP), R = TP / (TP + FN), F1 their harmonic mean. ``-v`` prints one line per miss.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.extraction import COUNT_PREDICATES  # noqa: E402
from benchmarks.shared import shared_path  # noqa: E402

__all__ = ["PREDICATES", "outlet_of", "prediction", "outcome", "tally", "prf", "run", "main"]

#: predicate -> the gold field it is scored against
PREDICATES = {"killed": "gold_killed", "wounded": "gold_injured"}


def outlet_of(url: str | None) -> str | None:
    """The outlet of an article: its URL's host without "www." ("http://www.wral.com/x" -> "wral.com")."""
    host = urlparse(url or "").hostname or ""
    return host.removeprefix("www.") or None


def _bound(x, default: float) -> float:
    return default if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def prediction(claims: list[dict], facts: list[dict], predicate: str) -> dict | None:
    """The main event's fact for ``predicate`` (see the module docstring), or None."""
    counts: dict[str, int] = {}
    for c in claims:
        if c.get("predicate") in COUNT_PREDICATES:
            counts[str(c.get("event"))] = counts.get(str(c.get("event")), 0) + 1
    if not counts:
        return None
    main = max(sorted(counts), key=counts.get)
    candidates = [f for f in facts if f.get("predicate") == predicate and str(f.get("event")) == main]
    return max(candidates, key=lambda f: len(f.get("claim_ids") or ())) if candidates else None


def outcome(fact: dict | None, gold: int) -> str | None:
    """"tp", "fp", "fn", "fp+fn" (a wrong positive prediction of a positive gold) or None."""
    lo = _bound(fact.get("value_min"), -math.inf) if fact else None
    hi = _bound(fact.get("value_max"), math.inf) if fact else None
    right = fact is not None and lo <= gold <= hi
    if right:
        return "tp" if gold > 0 else None
    positive = fact is not None and hi > 0
    if positive:
        return "fp+fn" if gold > 0 else "fp"
    return "fn" if gold > 0 else None


def tally(outcomes) -> dict[str, int]:
    """TP, FP, FN counts of a sequence of :func:`outcome` results."""
    out = {"tp": 0, "fp": 0, "fn": 0}
    for o in outcomes:
        for part in (o or "").split("+"):
            if part:
                out[part] += 1
    return out


def prf(t: dict[str, int]) -> tuple[float, float, float]:
    p = t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else 0.0
    r = t["tp"] / (t["tp"] + t["fn"]) if t["tp"] + t["fn"] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _records(frame) -> list[dict]:
    return json.loads(frame.to_json(orient="records", default_handler=str))


def _predict(article: dict) -> dict:
    """{predicate: (value_min, value_max, value) or None} for one article, run as a one-line feed."""
    import reconcile

    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "article.jsonl"
        feed.write_text(json.dumps({"id": article["id"], "text": article["text"], "published": article["date"],
                                    "outlet": outlet_of(article.get("url")), "url": article.get("url")}) + "\n",
                        encoding="utf-8")
        try:
            result = reconcile.reconcile(str(feed))
        except reconcile.contract.InputError:  # no claims in the text
            return {p: None for p in PREDICATES}
    claims, facts = _records(result.claims), _records(result.facts)
    out = {}
    for predicate in PREDICATES:
        f = prediction(claims, facts, predicate)
        out[predicate] = None if f is None else {k: f.get(k) for k in ("value_min", "value_max", "value")}
    return out


def run(split: str = "dev", jobs: int | None = None) -> tuple[list[dict], list[dict]]:
    """(articles, predictions) of a split, predicted on ``jobs`` processes (None: all cores)."""
    path = shared_path("data", f"gvdb_{split}", "articles.jsonl")
    with open(path, encoding="utf-8") as fh:
        articles = [json.loads(line) for line in fh if line.strip()]
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1:
        return articles, [_predict(a) for a in articles]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return articles, list(pool.map(_predict, articles, chunksize=8))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="dev")
    ap.add_argument("--jobs", type=int, default=None, help="processes (default: all cores)")
    ap.add_argument("-v", "--verbose", action="store_true", help="one line per article scored wrong")
    args = ap.parse_args(argv)
    articles, predictions = run(args.split, args.jobs)
    for predicate, field in PREDICATES.items():
        results = [outcome(pred[predicate], int(a[field])) for a, pred in zip(articles, predictions)]
        if args.verbose:
            for a, pred, o in zip(articles, predictions, results):
                if o and o != "tp":
                    got = pred[predicate]
                    print(f"{predicate:8s} {o:6s} id={a['id']:>6s} gold={a[field]} "
                          f"got={None if got is None else got['value']}  {a['title'][:70]}")
        t = tally(results)
        p, r, f = prf(t)
        print(f"gvdb {args.split} {predicate:8s}: P {p:.2f} R {r:.2f} F1 {f:.2f} "
              f"(tp {t['tp']}, fp {t['fp']}, fn {t['fn']}, {len(articles)} articles)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
