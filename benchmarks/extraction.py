"""Score reconcile.extract against a gold.json answer key: claim precision/recall, fact status, MB/s.

    python benchmarks/extraction.py [--gold PATH] [--json]

PATH is a folder holding gold.json and the articles it names (default: the shared dev set).
Matching (as the key's "about" says): a found claim matches a key claim when the predicate is
equal, the found source (or source_raw) matches one of the key's names (case-insensitive
containment either way, or rapidfuzz token_set_ratio >= 85), a listed subject word occurs in the
found subject, the found [value_min, value_max] overlaps the key's [min, max] (event_time: the
same ISO value) and, where the key says so, ``hedged`` is equal. Scope: count predicates and
event_time. Precision = found claims matching a required key claim / found claims not matching an
optional one; recall = required key claims matched by at least one found claim.
Fact status (needs reconcile.reconcile): each key fact is met when the article's fact with that
predicate and subject (the best-supported one) has an accepted status and value.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.shared import SHARED  # noqa: E402
from reconcile.extract import extract_claims, extract_documents  # noqa: E402
from reconcile.extract.lexicon import get_lexicon  # noqa: E402

__all__ = ["load_gold", "score_article", "score_facts", "run", "throughput", "main"]

DEFAULT_GOLD = SHARED / "data" / "dev_articles"
#: The count predicates the extractor reads (the English lexicon's, in its order).
COUNT_PREDICATES = tuple(get_lexicon("en").data["count_predicates"])
SCOPE = COUNT_PREDICATES + ("event_time",)


def load_gold(path) -> tuple[Path, dict]:
    """(folder of the articles, the key's "articles" mapping) from a folder or a gold.json path."""
    path = Path(path)
    gold_file = path / "gold.json" if path.is_dir() else path
    with open(gold_file, encoding="utf-8") as fh:
        return gold_file.parent, json.load(fh)["articles"]


def _name_match(names, found) -> bool:
    for f in found:
        if not isinstance(f, str) or not f:
            continue
        f = f.lower().removeprefix("the ").strip()
        for g in names:
            g = g.lower().removeprefix("the ").strip()
            if g in f or f in g or fuzz.token_set_ratio(g, f) >= 85:
                return True
    return False


def _bound(x, default):
    return default if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def claim_matches(key: dict, row) -> bool:
    """Whether one found claim (a row) matches one key claim."""
    if row.predicate != key["predicate"]:
        return False
    if not _name_match(key.get("source", []), (row.source, row.source_raw)):
        return False
    if key.get("subject") and not any(w.lower() in str(row.subject).lower() for w in key["subject"]):
        return False
    if "hedged" in key and bool(row.hedged) != bool(key["hedged"]):
        return False
    if key["predicate"] == "event_time" or "value" in key:
        return "value" not in key or str(row.value) == str(key["value"])
    if "min" not in key and "max" not in key:
        return True
    lo, hi = _bound(row.value_min, -math.inf), _bound(row.value_max, math.inf)
    klo, khi = _bound(key.get("min"), -math.inf), _bound(key.get("max"), math.inf)
    return lo <= khi and klo <= hi


def score_article(claims: pd.DataFrame, entry: dict) -> dict:
    """Precision and recall of one article's claims against its key entry."""
    scoped = claims[claims["predicate"].isin(SCOPE)]
    required, optional = entry.get("claims", []), entry.get("optional", [])
    tp = fp = 0
    misses, extras = [], []
    for row in scoped.itertuples(index=False):
        if any(claim_matches(k, row) for k in required):
            tp += 1
        elif not any(claim_matches(k, row) for k in optional):
            fp += 1
            extras.append(f"{row.source}: {row.predicate}({row.subject})={row.value}")
    hit = 0
    for k in required:
        if any(claim_matches(k, row) for row in scoped.itertuples(index=False)):
            hit += 1
        else:
            misses.append(f"{k['source'][0]}: {k['predicate']}({'/'.join(k.get('subject', []))})")
    return {"tp": tp, "fp": fp, "found": tp + fp, "hit": hit, "required": len(required),
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": hit / len(required) if required else 1.0,
            "misses": misses, "extras": extras}


def _reconcile_fn():
    try:
        from reconcile import reconcile
    except ImportError:
        return None
    return reconcile


def _fact_ok(key: dict, fact) -> bool:
    if fact is None or fact.status not in key.get("accept_status", [fact.status]):
        return False
    values = key.get("values", [])
    lo, hi = _bound(fact.value_min, -math.inf), _bound(fact.value_max, math.inf)
    if key.get("open"):
        ok = all(lo <= v <= hi for v in values)
    else:
        ok = not values or any(str(fact.value) == str(v) or lo == hi == v for v in values)
    if "not_value" in key and (str(fact.value) == str(key["not_value"]) or lo == hi == key["not_value"]):
        ok = False
    if "min_sources" in key:
        sources = fact.sources if isinstance(fact.sources, (list, tuple)) else str(fact.sources).split(";")
        ok = ok and len(sources) >= key["min_sources"]
    return ok


def score_facts(claims: pd.DataFrame, entry: dict, reconcile_fn=None) -> dict | None:
    """Fact-status accuracy of one article, or None when the engine is not available."""
    keys = entry.get("facts", [])
    reconcile_fn = reconcile_fn or _reconcile_fn()
    if reconcile_fn is None or not keys:
        return None
    try:
        facts = reconcile_fn(claims).facts
    except Exception as exc:  # the engine is another module: report, do not hide the claim scores
        return {"ok": 0, "total": len(keys), "accuracy": 0.0,
                "notes": [f"engine failed: {type(exc).__name__}: {exc}"]}
    ok, notes = 0, []
    for key in keys:
        cand = facts[facts["predicate"] == key["predicate"]]
        if key.get("subject"):
            cand = cand[cand["subject"].astype(str).str.lower().apply(
                lambda s: any(w.lower() in s for w in key["subject"]))]
        best = None
        if len(cand):
            support = cand["claim_ids"].apply(lambda c: len(c) if isinstance(c, (list, tuple)) else 1)
            best = cand.loc[support.idxmax()]
        if _fact_ok(key, best):
            ok += 1
        else:
            got = "no fact" if best is None else f"{best.status} {best.value}"
            notes.append(f"{key['predicate']}({'/'.join(key.get('subject', []))}): {got}, "
                         f"want {key.get('accept_status')} {key.get('values')}")
    return {"ok": ok, "total": len(keys), "accuracy": ok / len(keys), "notes": notes}


def _extract(folder: Path, name: str, entry: dict) -> pd.DataFrame:
    text = (folder / name).read_text(encoding="utf-8")
    return extract_claims(text, published=entry.get("published"), outlet=entry.get("outlet"), document=name)


def throughput(texts: list[str], seconds: float = 2.0, rounds: int = 5) -> float:
    """MB of UTF-8 text per CPU-second on one core, extracting the texts as one feed of ~200 kB;
    the best of ``rounds`` rounds (CPU time, so other jobs on the machine disturb it less)."""
    size = sum(len(t.encode("utf-8")) for t in texts)
    docs = [{"text": t, "published": "2024-01-01", "id": f"t{i}"} for i, t in enumerate(texts)]
    copies = max(1, int(200_000 / max(size, 1)))
    feed = docs * copies
    extract_documents(docs)  # warm the caches and compiled lexicons
    best, spent = math.inf, 0.0
    for _ in range(rounds):
        start = time.process_time()
        extract_documents(feed)
        elapsed = time.process_time() - start
        best, spent = min(best, elapsed), spent + elapsed
        if spent >= seconds:
            break
    return size * copies / best / 1e6


def run(gold=DEFAULT_GOLD, facts: bool = True, speed: bool = True) -> dict:
    """Scores of every article of a key, and the totals."""
    folder, articles = load_gold(gold)
    fn = _reconcile_fn() if facts else None
    per, texts = {}, []
    for name, entry in articles.items():
        claims = _extract(folder, name, entry)
        texts.append((folder / name).read_text(encoding="utf-8"))
        per[name] = score_article(claims, entry)
        per[name]["facts"] = score_facts(claims, entry, fn) if fn else None
    tp = sum(a["tp"] for a in per.values())
    found = sum(a["found"] for a in per.values())
    hit = sum(a["hit"] for a in per.values())
    req = sum(a["required"] for a in per.values())
    fact_ok = sum(a["facts"]["ok"] for a in per.values() if a["facts"])
    fact_n = sum(a["facts"]["total"] for a in per.values() if a["facts"])
    total = {"precision": tp / found if found else 1.0, "recall": hit / req if req else 1.0,
             "fact_accuracy": fact_ok / fact_n if fact_n else None,
             "mb_per_s": throughput(texts) if speed else None}
    return {"articles": per, "overall": total}


def main(argv=None) -> int:
    """The command line: print per-article and overall scores."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", default=str(DEFAULT_GOLD), help="folder with gold.json (or the gold.json file)")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    ap.add_argument("--no-facts", action="store_true", help="skip fact-status scoring")
    ap.add_argument("--verbose", "-v", action="store_true", help="list misses and extras")
    args = ap.parse_args(argv)
    result = run(args.gold, facts=not args.no_facts)
    if args.json:
        print(json.dumps(result, indent=1, default=str))
        return 0
    print(f"{'article':28} {'P':>6} {'R':>6} {'facts':>7}  found/req")
    for name, a in result["articles"].items():
        f = a["facts"]
        fs = f"{f['ok']}/{f['total']}" if f else "-"
        print(f"{name:28} {a['precision']:6.2f} {a['recall']:6.2f} {fs:>7}  {a['found']}/{a['required']}")
        if args.verbose:
            for m in a["misses"]:
                print(f"    miss  {m}")
            for e in a["extras"]:
                print(f"    extra {e}")
            for n in (f or {}).get("notes", []):
                print(f"    fact  {n}")
    o = result["overall"]
    fa = "-" if o["fact_accuracy"] is None else f"{o['fact_accuracy']:.2f}"
    print(f"{'OVERALL':28} {o['precision']:6.2f} {o['recall']:6.2f} {fa:>7}")
    print(f"throughput: {o['mb_per_s']:.2f} MB/s (one core, extraction only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
