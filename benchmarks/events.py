"""Events across outlets: clustering quality and fact accuracy per event on a keyed feed.

    python -m benchmarks.events                                   # data/feeds/events.jsonl
    python -m benchmarks.events FEED.jsonl KEY.json [--scale N]

The feed goes through :func:`reconcile.reconcile` end to end (extraction, events, copies,
supersession, consensus). Printed:

* clustering: B-cubed precision, recall and F1 (Bagga & Baldwin 1998) of the articles' main
  events against the key, and the number of predicted / gold events;
* the same B-cubed when an incremental index takes the articles one by one in feed order;
* mixing: facts whose claims come from articles of two different gold events (must be 0);
* copies: the republished copies found against the key's, and facts in which a copy and its
  origin vote as two sources (must be 0);
* per gold event: its facts, each right when the fact of the event the most of its articles
  went to, for the key's subject and predicate, has an interval holding the key's value;
* ``--scale N``: the time of clustering N summaries made from the feed's (shifted by day),
  to show the blocking keeps it near-linear.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import reconcile
from reconcile.events import EventIndex, bcubed, find_copies, summarize_events
from reconcile.extract import read_articles
from reconcile.pipeline import load_claims

FEED = Path("data/feeds/events.jsonl")
KEY = Path("data/feeds/events_gold.json")


def evaluate(feed: Path = FEED, key: Path = KEY) -> dict:
    """The figures of the module docstring, as a dict."""
    gold = json.loads(Path(key).read_text(encoding="utf-8"))
    result = reconcile.reconcile(str(feed))
    claims = result.claims
    doc_event = claims.drop_duplicates("document").set_index("document")["event"]
    main = {}
    for doc in gold["articles"]:
        rows = claims[(claims["document"] == doc) & claims["event"].notna()]
        if len(rows):  # the main event: the one its event claims are about, else its first
            typed = rows[rows["subject"] == "event"]
            main[doc] = Counter((typed if len(typed) else rows)["event"]).most_common(1)[0][0]
        elif doc in doc_event:
            main[doc] = doc_event[doc]
    precision, recall, f1 = bcubed(main, gold["articles"])
    gold_of = gold["articles"]
    by_id = claims.set_index("claim_id")
    mixed = 0
    for ids in result.facts["claim_ids"]:
        events = {gold_of.get(by_id.loc[i, "document"]) for i in ids if i in by_id.index}
        mixed += len(events - {None}) > 1
    copies = find_copies(read_articles(feed))
    double = 0
    for ids in result.facts["claim_ids"]:
        docs = {by_id.loc[i, "document"]: by_id.loc[i, "source"] for i in ids if i in by_id.index}
        for copy, (origin, _) in copies.items():
            cited = by_id[by_id["document"] == copy]["cites"].dropna()
            if copy in docs and origin in docs and docs[copy] != docs[origin] and cited.empty:
                double += 1
    per_event = {}
    for event, facts in gold["facts"].items():
        docs = [d for d, e in gold_of.items() if e == event and d in main]
        predicted = Counter(main[d] for d in docs).most_common(1)[0][0] if docs else None
        right = 0
        for fact in facts:
            rows = result.facts[(result.facts["event"] == predicted) & (result.facts["subject"] == fact["subject"])
                                & (result.facts["predicate"] == fact["predicate"])]
            if len(rows):
                lo, hi = rows.iloc[0]["value_min"], rows.iloc[0]["value_max"]
                right += (lo != lo or lo <= fact["value"]) and (hi != hi or fact["value"] <= hi)
        per_event[event] = (right, len(facts), predicted)
    return {"precision": precision, "recall": recall, "f1": f1, "events": len(set(main.values())),
            "gold_events": len(set(gold_of.values())), "mixed_facts": mixed, "copies_found": copies,
            "copies_gold": gold.get("copies", {}), "copies_double_counted": double, "per_event": per_event}


def incremental(feed: Path = FEED, key: Path = KEY) -> tuple[float, float, float]:
    """B-cubed of the main events when an :class:`EventIndex` takes the articles one by one in
    feed order (as a scheduled job does), not sorted by day first."""
    gold = json.loads(Path(key).read_text(encoding="utf-8"))["articles"]
    frame, _ = load_claims(str(feed), events=False)
    summaries = summarize_events(frame.assign(event=frame["document"] + "#1"), read_articles(feed))
    index = EventIndex()
    predicted = {s.document: index.add(s) for s in summaries}
    return bcubed(predicted, gold)


def scale(feed: Path, n: int) -> tuple[int, float]:
    """Cluster ``n`` summaries (the feed's, repeated on later days) with one index: (events, seconds)."""
    articles = read_articles(feed)
    frame, _ = load_claims(str(feed), events=True)
    base = [s for s in summarize_events(frame.assign(event=frame["document"] + "#1"), articles)]
    index = EventIndex()
    start = time.perf_counter()
    for k in range(n):
        s = base[k % len(base)]
        shift = timedelta(days=7 * (k // len(base)))
        index.add(replace(s, key=f"{s.key}@{k}", day=s.day + shift if s.day else None))
    return len(index), time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("feed", nargs="?", default=str(FEED))
    parser.add_argument("key", nargs="?", default=str(KEY))
    parser.add_argument("--scale", type=int, default=0, help="also time clustering N summaries")
    args = parser.parse_args(argv)
    r = evaluate(Path(args.feed), Path(args.key))
    print(f"clustering  B-cubed P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}  "
          f"({r['events']} events found, {r['gold_events']} in the key)")
    p, rc, f = incremental(Path(args.feed), Path(args.key))
    print(f"incremental one by one in feed order: B-cubed P {p:.3f}  R {rc:.3f}  F1 {f:.3f}")
    print(f"mixing      facts with claims from two gold events: {r['mixed_facts']}")
    found = {c: o for c, (o, _) in r["copies_found"].items()}
    print(f"copies      found {len(found)} (key {len(r['copies_gold'])}, matching "
          f"{sum(found.get(c) == o for c, o in r['copies_gold'].items())}); counted twice: "
          f"{r['copies_double_counted']}")
    total = right = 0
    for event, (ok, n, predicted) in r["per_event"].items():
        total, right = total + n, right + ok
        print(f"  {event:<5} facts {ok}/{n}  -> {predicted}")
    print(f"facts       {right}/{total} right ({right / max(1, total):.3f})")
    if args.scale:
        events, seconds = scale(Path(args.feed), args.scale)
        print(f"scale       {args.scale} summaries -> {events} events in {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
