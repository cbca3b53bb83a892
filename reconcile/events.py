"""One event, many outlets: cluster reports into real-world events, find republished copies.

A feed mixes many events; reconciliation must happen across the articles about one event and
never across two. The extractor gives each document's claims an event id (``<document>#1`` for
the main event, ``#2``... for a count about another place or occasion). Here:

* :func:`summarize_events` turns each document-event into an :class:`EventSummary` (event type
  on the taxonomy, day and time, places, subjects, the lead text);
* :class:`EventIndex` clusters them incrementally: a new summary joins the best existing event
  or opens a new one. Candidates come only from blocks of (event-type family, day), never all
  pairs; the score combines type compatibility on the taxonomy, date and time proximity, place
  names matched with rapidfuzz after transliteration folding (Erikha / Ariha), shared subjects
  and TF-IDF cosine of the lead sentences. Every assignment records why. The same input in the
  same order gives the same events;
* :func:`find_copies` finds republished wire copies with MinHash (Broder 1997) and LSH banding
  over word shingles, and :func:`find_credits` "citing AFP / according to Reuters" credits, so
  a copy's claims cite the origin and count once;
* :func:`link_events` applies all of it to a claims table; :func:`supersede` lets a source's
  later figure replace its own earlier one per event (:mod:`reconcile.timeline`) and
  :func:`add_history` keeps the values over time on the facts;
* :func:`bcubed` scores a clustering (B-cubed precision and recall, Bagga & Baldwin 1998).
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from .resolve import fold, resolve_subjects
from .values import Taxonomy

__all__ = [
    "EventSummary", "EventIndex", "Assignment", "summarize_events", "cluster_events",
    "find_copies", "find_credits", "link_events", "supersede", "rising_tolls", "add_history", "bcubed",
    "place_similarity", "WIRES",
]

#: News agencies whose stories are republished; a credit to one makes it the origin.
WIRES: tuple[str, ...] = (
    "AFP", "Agence France-Presse", "Reuters", "AP", "Associated Press", "Anadolu Agency",
    "Anadolu", "Xinhua", "TASS", "Interfax", "dpa", "EFE", "ANSA", "PTI", "Kyodo", "Yonhap",
    "Bernama", "UNI", "IANS",
)
_WIRE = "|".join(sorted((re.escape(w) for w in WIRES), key=len, reverse=True))
_CREDIT = re.compile(rf"(?:\bciting|\baccording to|\bsource:|\bvia)\s+(?:the\s+)?(?P<a>{_WIRE})\b"
                     rf"|\((?P<b>{_WIRE})\)|\b(?P<c>{_WIRE})\s+(?:news agency\s+)?(?:reported|reports)\b"
                     rf"|[—–-]\s*(?P<d>{_WIRE})\s*$")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset("""a an the of in on at to for from by with and or but as is are was were be been has
have had it its this that these those he she they them their his her we our you said says say
told after before over under into about than more least most some other also during while near
s t according reported reports report people""".split())
_TRANSLIT = ((re.compile(r"kh"), "h"), (re.compile(r"gh"), "g"), (re.compile(r"sh"), "s"),
             (re.compile(r"ch"), "c"), (re.compile(r"ph"), "f"), (re.compile(r"th"), "t"),
             (re.compile(r"dh"), "d"), (re.compile(r"ou"), "u"), (re.compile(r"q"), "k"),
             (re.compile(r"w"), "v"), (re.compile(r"y"), "i"), (re.compile(r"(.)\1"), r"\1"),
             (re.compile(r"^[aeiou]"), "a"))
_PLACE_WORDS = frozenset("province district region city town village state county area settlement "
                         "governorate near northern southern eastern western central".split())

#: Counts that only rise as reports come in: an earlier lower figure is a lower bound.
RISING: tuple[str, ...] = ("killed", "wounded", "detained", "displaced", "evacuated", "rescued")
#: Score weights of the evidence that two reports are about one event, and the threshold.
WEIGHTS = {"type": 0.2, "date": 0.15, "place": 0.3, "text": 0.25, "subjects": 0.1}
THRESHOLD = 0.5
#: Days two reports of one event may lie apart (a toll reported over several days).
WINDOW_DAYS = 2
_SHINGLE = 5
_PERMUTATIONS, _BANDS = 64, 16
_PRIME = (1 << 61) - 1
_RNG = np.random.default_rng(20201714)
_HASH_A = _RNG.integers(1, _PRIME, _PERMUTATIONS, dtype=np.uint64)
_HASH_B = _RNG.integers(0, _PRIME, _PERMUTATIONS, dtype=np.uint64)


@dataclass(frozen=True)
class EventSummary:
    """What one document says about one of its events (the unit that is clustered)."""

    key: str                              # "<document>#<n>"
    document: str
    outlet: str | None = None
    day: date | None = None               # the event's date (else the publication date)
    time: float | None = None             # POSIX seconds of the event time, when given
    types: tuple[str, ...] = ()           # canonical event types
    places: tuple[str, ...] = ()          # folded place names
    subjects: tuple[str, ...] = ()        # what the counts are about
    lead: str = ""                        # the lead sentences
    parent: str | None = None             # the document's main event, for a secondary event
    dated: bool = True                    # day comes from the text or the publication date
    names: tuple[str, ...] = ()           # place-like names of the lead (see _names)
    focus: tuple[str, ...] = ()           # the most specific of them (see _names)


@dataclass(frozen=True)
class Assignment:
    """Where a summary went: the event id, the event it joined (None: new) and why."""

    key: str
    event: str
    joined: bool
    score: float
    why: str


@dataclass
class _Cluster:
    id: str
    types: set = field(default_factory=set)
    days: set = field(default_factory=set)
    times: list = field(default_factory=list)
    places: set = field(default_factory=set)
    subjects: set = field(default_factory=set)
    names: set = field(default_factory=set)
    tokens: Counter = field(default_factory=Counter)
    members: list = field(default_factory=list)


@lru_cache(maxsize=1 << 16)
def _norm_place(name: str) -> str:
    words = [w for w in fold(name).split() if w not in _PLACE_WORDS]
    out = " ".join(words)
    for pattern, repl in _TRANSLIT:
        out = pattern.sub(repl, out)
    return out


def place_similarity(a: str, b: str) -> float:
    """Similarity of two place names in [0, 1] after folding and transliteration rules
    (kh -> h, q -> k, doubled letters, initial vowel...): "Erikha" and "Ariha" are one place.

    >>> place_similarity("Erikha", "Ariha") >= 0.8, place_similarity("Kabul", "Kandahar") < 0.8
    (True, True)
    """
    x, y = _norm_place(a), _norm_place(b)
    if not x or not y:
        return 0.0
    if x == y:
        return 1.0
    return max(fuzz.ratio(x, y), fuzz.token_set_ratio(x, y) if " " in x or " " in y else 0) / 100


_LOCATIVE = re.compile(r"\b(?:in|near|at|on|of|hit|hits|struck|strikes|outside|across|into|around|off)"
                       r"(?=((?:\s+[\w’'-]+){1,6}))")
_CAPITALISED = re.compile(r"\b[A-ZÀ-Þ][\w-]{3,}")
_NOT_NAMES = frozenset(fold(w) for w in WIRES) | frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split())


def _names(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Place names the extractor may not have taken: capitalised words among the words after a
    locative ("in", "near", "hit"...) that are never written in lower case in ``text``; and the
    focus, the last of each window (the most specific: "the Afghan city of Jalalabad")."""
    lower = set(_WORD.findall(re.sub(r"\b[A-ZÀ-Þ]\w*", " ", text)))
    words, focus = set(), set()
    for m in _LOCATIVE.finditer(text):
        found = [w for w in (fold(c.group(0)) for c in _CAPITALISED.finditer(m.group(1)))
                 if w and w not in _NOT_NAMES and w not in _STOP and w not in lower]
        words.update(found)
        focus.update(found[-1:])
    return tuple(sorted(words)), tuple(sorted(focus))


def _tokens(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text)) if w not in _STOP and not w.isdigit() and len(w) > 2]


def _day(value) -> date | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _lead(text: str, limit: int = 400) -> str:
    body = re.sub(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s", "", text)
    return body.strip()[:limit]


def summarize_events(claims: pd.DataFrame, articles: Iterable[Mapping] = (), *,
                     taxonomy: Taxonomy | None = None) -> list[EventSummary]:
    """One :class:`EventSummary` per (document, event) of an extracted claims table, in
    document order; ``articles`` (``{id, text, published, outlet}``) give lead text and dates."""
    tree = taxonomy or Taxonomy.default()
    by_id = {str(a.get("id")): a for a in articles}
    if "event" not in claims or claims.empty:
        return []
    rows = claims[claims["event"].notna()]
    out = []
    for key, group in rows.groupby("event", sort=False):
        key = str(key)
        document = str(group["document"].iloc[0])
        article = by_id.get(document, {})
        pred = group["predicate"]
        types = tuple(sorted({tree.canonical(str(v)) or str(v) for v in group.loc[pred == "event_type", "value"]}))
        days = [d for d in map(_day, group.loc[pred == "event_date", "value"]) if d]
        day = Counter(days).most_common(1)[0][0] if days else None
        main = key.endswith("#1")
        dated = day is not None or main
        if day is None and main:
            day = _day(article.get("published")) or _day(group["reported_at"].dropna().iloc[0]
                                                          if group["reported_at"].notna().any() else None)
        times = group.loc[pred == "event_time", "value_min"].dropna()
        places = {fold(str(v)) for v in group.loc[pred == "location", "value"]}
        subjects = {str(s) for s in group["subject"] if s != "event"}
        places |= {s.split(" in ", 1)[1] for s in subjects if " in " in s}
        lead = _lead(article["text"]) if main and article.get("text") else " ".join(
            dict.fromkeys(str(e) for e in group["evidence"].dropna()))[:400]
        names, focus = _names(lead) if main else ((), ())
        out.append(EventSummary(
            key=key, document=document, outlet=article.get("outlet"), day=day,
            time=float(times.median()) if len(times) else None, types=types,
            places=tuple(sorted(p for p in places if p)), subjects=tuple(sorted(subjects)),
            lead=lead, names=names, focus=focus, parent=None if main else key.rsplit("#", 1)[0] + "#1", dated=dated))
    return out


class EventIndex:
    """Incremental event clustering: :meth:`add` puts one summary into an existing event or a
    new one and returns the event id. Blocking by (type family, day) keeps it near-linear."""

    def __init__(self, taxonomy: Taxonomy | None = None, *, threshold: float = THRESHOLD,
                 window_days: int = WINDOW_DAYS):
        self.taxonomy = taxonomy or Taxonomy.default()
        self.threshold = threshold
        self.window_days = window_days
        self.clusters: dict[str, _Cluster] = {}
        self.assignments: dict[str, Assignment] = {}
        self._blocks: dict[tuple, list[str]] = defaultdict(list)
        self._df: Counter = Counter()
        self._n = 0
        self._root = self.taxonomy.depth("event") if "event" in self.taxonomy else 0

    def __len__(self) -> int:
        return len(self.clusters)

    # -- features -------------------------------------------------------------------------
    def _families(self, types: Iterable[str]) -> set[str]:
        out = set()
        for t in types:
            if t not in self.taxonomy:
                out.add(t)
                continue
            out |= {a for a in self.taxonomy.ancestors(t) | {t} if self.taxonomy.depth(a) == self._root + 1}
        return out or {"*"}

    def _type_score(self, a: Iterable[str], b: Iterable[str]) -> float | None:
        """Best taxonomy agreement of two type sets (None: one is unknown; < 0: incompatible)."""
        scores = [self.taxonomy.agreement(x, y) if x in self.taxonomy and y in self.taxonomy
                  else (1.0 if x == y else None) for x in a for y in b]
        known = [s for s in scores if s is not None]
        return max(known) if known else None

    def _text_score(self, tokens: Counter, other: Counter) -> float:
        """TF-IDF cosine (idf from the summaries seen so far)."""
        if not tokens or not other:
            return 0.0
        idf = {t: math.log((1 + self._n) / (1 + self._df[t])) + 1 for t in tokens.keys() | other.keys()}
        dot = sum(tokens[t] * other[t] * idf[t] ** 2 for t in tokens.keys() & other.keys())
        na = math.sqrt(sum((c * idf[t]) ** 2 for t, c in tokens.items()))
        nb = math.sqrt(sum((c * idf[t]) ** 2 for t, c in other.items()))
        return dot / (na * nb) if na and nb else 0.0

    def score(self, summary: EventSummary, cluster: _Cluster, tokens: Counter) -> tuple[float, str] | None:
        """The evidence that ``summary`` reports ``cluster``'s event: (score, why), or None when
        something rules it out (incompatible types, days too far apart)."""
        reasons, total = [], 0.0
        if summary.types and cluster.types:
            t = self._type_score(summary.types, cluster.types)
            if t is not None and t <= 0:
                return None
            t = 1.0 if t is None else t
            reasons.append(f"type {'/'.join(summary.types)}~{'/'.join(sorted(cluster.types))} {t:.2f}")
        else:
            t = 0.5
        total += WEIGHTS["type"] * t
        if summary.day and cluster.days:
            gap = min(abs((summary.day - d).days) for d in cluster.days)
            if gap > self.window_days:
                return None
            d = 1 - gap / (self.window_days + 1)
            reasons.append("same day" if gap == 0 else f"{gap} day(s) apart")
            total += WEIGHTS["date"] * d
        if summary.time is not None and cluster.times and min(abs(summary.time - x) for x in cluster.times) <= 3600:
            total += 0.05
            reasons.append("same hour")
        if (summary.places or summary.names) and (cluster.places or cluster.names):
            best, pair = _best_place(summary.places, cluster.places)
            # without places of its own, its most specific place-like name must be the event's
            unfocused = not summary.places and summary.focus and _best_place(
                summary.focus, cluster.places | cluster.names, words=True)[0] < 0.8
            if best < 0.8 and not unfocused:  # a place one names that the other only mentions
                best, pair = max(_best_place(summary.places, cluster.names, words=True),
                                 _best_place(cluster.places, summary.names, words=True), (best, pair))
            if best < 0.8 and not unfocused and not (summary.places and cluster.places):
                # one names no place, both mention a place-like name: worth a little less
                shared = sorted(set(summary.names) & cluster.names)
                best, pair = (0.8, (shared[0], shared[0])) if shared else (best, pair)
            if best >= 0.8:
                total += WEIGHTS["place"] * best
                reasons.append(f"place {pair[0]}={pair[1]}" if pair[0] == pair[1] else f"place {pair[0]}~{pair[1]} {best:.2f}")
            elif summary.places and cluster.places:
                total -= WEIGHTS["place"]
                reasons.append("different places")
        text = self._text_score(tokens, cluster.tokens)
        total += WEIGHTS["text"] * min(1.0, 1.5 * text)
        reasons.append(f"text {text:.2f}")
        named = {s for s in summary.subjects if s not in ("people", "persons")}
        shared = named & cluster.subjects
        if shared:
            total += WEIGHTS["subjects"]
            reasons.append("subjects " + ", ".join(sorted(shared)[:3]))
        return total, "; ".join(reasons)

    # -- adding ---------------------------------------------------------------------------
    def _block_keys(self, summary: EventSummary) -> list[tuple]:
        days = [summary.day.toordinal()] if summary.day else [None]
        return [(f, d) for f in sorted(self._families(summary.types)) for d in days]

    def _candidates(self, summary: EventSummary) -> list[str]:
        seen: dict[str, None] = {}
        families = sorted(self._families(summary.types)) + (["*"] if summary.types else [])
        offsets = range(-self.window_days, self.window_days + 1)
        for f in families:
            if summary.day is None:
                continue
            for off in offsets:
                for cid in self._blocks.get((f, summary.day.toordinal() + off), ()):
                    seen[cid] = None
        if not summary.types:  # untyped: any family on these days
            for (f, d), ids in sorted(self._blocks.items(), key=lambda kv: (str(kv[0][0]), kv[0][1] or 0)):
                if summary.day and d is not None and abs(d - summary.day.toordinal()) <= self.window_days:
                    seen.update(dict.fromkeys(ids))
        return list(seen)

    def add(self, summary: EventSummary) -> str:
        """Put ``summary`` into the best-matching event (score >= threshold) or a new one;
        returns the event id (see :attr:`assignments` for why)."""
        tokens = Counter(_tokens(summary.lead))
        best = None
        if summary.parent is None:
            for cid in self._candidates(summary):
                scored = self.score(summary, self.clusters[cid], tokens)
                if scored and scored[0] >= self.threshold and (best is None or scored[0] > best[1]):
                    best = (cid, scored[0], scored[1])
        else:
            best = self._secondary(summary)
        self._n += 1
        self._df.update(set(tokens))
        if best is None:
            cid = self._new_id(summary)
            self.clusters[cid] = _Cluster(id=cid)
            assignment = Assignment(summary.key, cid, False, 0.0, "new event")
        else:
            cid = best[0]
            assignment = Assignment(summary.key, cid, True, round(best[1], 3), best[2])
        cluster = self.clusters[cid]
        cluster.types |= set(summary.types)
        if summary.day and summary.dated:
            cluster.days.add(summary.day)
        if summary.time is not None:
            cluster.times.append(summary.time)
        cluster.places |= set(summary.places)
        cluster.names |= set(summary.names)
        cluster.subjects |= {s for s in summary.subjects if s not in ("people", "persons")}
        cluster.tokens.update(tokens)
        cluster.members.append(summary.key)
        for key in self._block_keys(summary):
            if cid not in self._blocks[key]:
                self._blocks[key].append(cid)
        self.assignments[summary.key] = assignment
        return cid

    def _secondary(self, summary: EventSummary) -> tuple[str, float, str] | None:
        """A count about another place or occasion joins the same side-event of the same main
        event (its parent's event) when the places match; otherwise it is an event of its own."""
        parent = self.assignments.get(summary.parent or "")
        if parent is None:
            return None
        for cid, cluster in self.clusters.items():
            if not cid.startswith(parent.event + " / ") or not summary.places:
                continue
            for p in summary.places:
                for q in cluster.places:
                    if place_similarity(p, q) >= 0.85:
                        return cid, 1.0, f"side event of {parent.event}: place {p}~{q}"
        return None

    def _new_id(self, summary: EventSummary) -> str:
        if summary.parent is not None:
            parent = self.assignments.get(summary.parent)
            base = parent.event if parent else summary.parent
            label = summary.places[0] if summary.places else (summary.types[0] if summary.types else "other")
            name = f"{base} / {label}"
        else:
            place = min(summary.places, key=lambda p: (-len(p), p)) if summary.places else ""
            kind = summary.types[0] if summary.types else "event"
            specific = [t for t in summary.types if t in self.taxonomy]
            if specific:
                kind = max(specific, key=lambda t: (self.taxonomy.depth(t), t))
            name = " ".join(x for x in (summary.day.isoformat() if summary.day else "", kind, place) if x)
        cid, n = name, 2
        while cid in self.clusters:
            cid, n = f"{name} ({n})", n + 1
        return cid


def _best_place(places: Iterable[str], others: Iterable[str], *, words: bool = False) -> tuple[float, tuple | None]:
    """The most similar pair of place names (``words``: each word of a place of at least four
    letters against single-word names)."""
    best, pair = 0.0, None
    for p in places:
        parts = [w for w in _norm_place(p).split() if len(w) >= 4] if words else [p]
        for part in parts:
            for q in others:
                s = place_similarity(part, q)
                if s > best:
                    best, pair = s, (p, q)
    return best, pair


def _order(summary: EventSummary) -> tuple:
    return (summary.parent is not None, summary.day or date.max, summary.document, summary.key)


def cluster_events(summaries: Sequence[EventSummary], *, taxonomy: Taxonomy | None = None,
                   threshold: float = THRESHOLD) -> dict[str, Assignment]:
    """Cluster document-events into events: ``{summary key: Assignment}`` (event id, why).
    Main events go first (by day, then document), then the side events, so the result does not
    depend on the input order."""
    index = EventIndex(taxonomy, threshold=threshold)
    for summary in sorted(summaries, key=_order):
        index.add(summary)
    return dict(index.assignments)


# -- republished copies ---------------------------------------------------------------------
def _shingles(text: str) -> set[int]:
    words = _WORD.findall(fold(_lead(text, 100_000)))
    return {zlib.crc32(" ".join(words[i:i + _SHINGLE]).encode()) for i in range(max(1, len(words) - _SHINGLE + 1))}


def _signature(shingles: set[int]) -> np.ndarray:
    """MinHash signature (Broder 1997): per permutation (a x + b) mod p, the minimum."""
    x = np.fromiter(shingles, dtype=np.uint64, count=len(shingles))
    with np.errstate(over="ignore"):
        h = (np.outer(_HASH_A, x) + _HASH_B[:, None]) % np.uint64(_PRIME)
    return h.min(axis=1)


def find_copies(articles: Sequence[Mapping], *, similarity: float = 0.8) -> dict[str, tuple[str, float]]:
    """Republished copies: ``{copy id: (origin id, Jaccard)}``. Candidate pairs share an LSH
    band of their MinHash signatures; a pair is a copy when the word 5-shingle Jaccard is at
    least ``similarity``. The origin of a group is its earliest article (then a wire agency's,
    then the first in the feed)."""
    docs = [(str(a.get("id")), a) for a in articles if isinstance(a.get("text"), str)]
    shingles = [_shingles(a["text"]) for _, a in docs]
    rows = _PERMUTATIONS // _BANDS
    buckets: dict[tuple, list[int]] = defaultdict(list)
    for i, sh in enumerate(shingles):
        sig = _signature(sh)
        for band in range(_BANDS):
            buckets[(band, sig[band * rows:(band + 1) * rows].tobytes())].append(i)
    parent = list(range(len(docs)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    jaccard: dict[int, float] = {}
    for members in buckets.values():
        for i in members[1:]:
            j = members[0]
            if find(i) == find(j):
                continue
            sim = len(shingles[i] & shingles[j]) / max(1, len(shingles[i] | shingles[j]))
            if sim >= similarity:
                parent[find(i)] = find(j)
                jaccard[i] = jaccard[j] = max(sim, jaccard.get(i, 0))
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(docs)):
        groups[find(i)].append(i)
    out = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        origin = min(members, key=lambda i: (str(docs[i][1].get("published") or "9999"),
                                             not _is_wire(docs[i][1].get("outlet")), i))
        for i in members:
            if i != origin:
                out[docs[i][0]] = (docs[origin][0], round(jaccard.get(i, similarity), 3))
    return out


def _is_wire(outlet) -> bool:
    return bool(outlet) and re.fullmatch(_WIRE, str(outlet).strip(), re.IGNORECASE) is not None


def find_credits(articles: Sequence[Mapping]) -> dict[str, str]:
    """``{article id: agency}`` for articles that credit a wire agency ("(AFP)", "citing
    Reuters", "according to AP", "Xinhua reported", a closing "— AFP") and are not its own."""
    out = {}
    for a in articles:
        text = a.get("text")
        if not isinstance(text, str):
            continue
        m = _CREDIT.search(text[:300]) or _CREDIT.search(text[-200:])
        if m is None:
            m = re.search(rf"\bciting (?:the\s+)?({_WIRE})\b|\baccording to (?:the\s+)?({_WIRE})\b", text)
        if m is None:
            continue
        agency = next(g for g in m.groups() if g)
        if fold(agency) != fold(str(a.get("outlet") or "")):
            out[str(a.get("id"))] = agency
    return out


# -- applying it to claims ------------------------------------------------------------------
def _timestamp(published) -> str | None:
    """An ISO timestamp when ``published`` has a time of day, else None."""
    if not isinstance(published, str) or len(published) <= 10:
        return None
    try:
        return datetime.fromisoformat(published.replace("Z", "+00:00")).isoformat()
    except ValueError:
        return None


def link_events(claims: pd.DataFrame, articles: Sequence[Mapping], *, taxonomy: Taxonomy | None = None,
                cluster: bool = True) -> pd.DataFrame:
    """The claims of a feed with events across articles and copies counted once.

    ``event`` becomes the cross-article event id (``cluster=False`` keeps the per-document
    ids); the claims a republished copy or a wire-credited article makes in its outlet's name
    get ``cites`` = the origin's outlet (a citing source votes as its origin); ``reported_at``
    keeps the publication time of day when the feed gives one. ``claims.attrs["events"]`` holds
    the assignments (event id and why per document-event) and ``attrs["copies"]`` the copies.
    """
    if "event" not in claims or claims.empty:
        return claims
    claims = claims.copy()
    by_id = {str(a.get("id")): a for a in articles}
    document = claims["document"].astype(str)
    stamps = document.map(lambda d: _timestamp(by_id.get(d, {}).get("published")))
    claims["reported_at"] = stamps.where(stamps.notna(), claims["reported_at"])
    copies = find_copies(articles)
    credits = find_credits(articles)
    origin_outlet = {c: by_id[o].get("outlet") for c, (o, _) in copies.items()}
    for doc, agency in credits.items():
        origin_outlet.setdefault(doc, agency)
    if origin_outlet:
        outlet = document.map(lambda d: by_id.get(d, {}).get("outlet"))
        cited = document.map(origin_outlet)
        own = claims["source"].astype(str).eq(outlet.astype(str)) & cited.notna() & cited.ne(outlet)
        if "cites" not in claims:
            claims["cites"] = None
        claims["cites"] = claims["cites"].astype(object)
        claims.loc[own & claims["cites"].isna(), "cites"] = cited[own & claims["cites"].isna()]
    assignments = cluster_events(summarize_events(claims, articles, taxonomy=taxonomy), taxonomy=taxonomy) \
        if cluster else {}
    if assignments:
        claims["event"] = claims["event"].map(lambda e: assignments[e].event if e in assignments else e)
    claims.attrs["events"] = {k: vars(a) for k, a in assignments.items()}
    claims.attrs["copies"] = {c: {"origin": o, "jaccard": j} for c, (o, j) in copies.items()}
    return claims


def supersede(claims: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The claims that vote and the superseded ones: per event, each source's latest report
    on a slot (:func:`reconcile.timeline.superseded_mask`) supersedes its earlier ones."""
    try:
        from .timeline import superseded_mask  # the jobs' supersession rule, applied per event
    except ImportError:  # pragma: no cover - a tree without the jobs module: nothing supersedes
        return claims, claims.iloc[:0]
    if claims.empty:
        return claims, claims.iloc[:0]
    if "event" in claims and claims["event"].notna().any():
        mask = pd.Series(False, index=claims.index)
        for _, group in claims.groupby(claims["event"].fillna(""), sort=False):
            mask.loc[group.index] = superseded_mask(group).to_numpy()
    else:
        mask = superseded_mask(claims)
    mask = mask.to_numpy(dtype=bool)
    voting = rising_tolls(claims.loc[~mask].reset_index(drop=True))
    return voting, claims.loc[mask].reset_index(drop=True)


def rising_tolls(claims: pd.DataFrame) -> pd.DataFrame:
    """A toll (:data:`RISING`) that another source of the same event reports higher later is
    read as "at least" its figure: 12 killed at 08:00 and 21 killed at 14:00 agree (an update,
    not a conflict)."""
    needed = {"event", "reported_at", "value_min", "value_max", "value_kind", "predicate", "subject"}
    if claims.empty or not needed <= set(claims.columns):
        return claims
    when = pd.to_datetime(claims["reported_at"], utc=True, errors="coerce", format="ISO8601")
    rows = claims["predicate"].isin(RISING) & claims["value_kind"].eq("count") & when.notna() \
        & claims["value_max"].notna() & claims["event"].notna()
    if not rows.any():
        return claims
    claims = claims.copy()
    part = claims.loc[rows].assign(_when=when[rows])
    for _, group in part.groupby(["event", "subject", "predicate"], sort=False):
        later_min = [(t, lo) for t, lo in zip(group["_when"], group["value_min"]) if lo == lo]
        for i, t, hi in zip(group.index, group["_when"], group["value_max"]):
            if any(t2 > t and lo > hi for t2, lo in later_min):
                low = claims.at[i, "value_min"]
                claims.at[i, "value_max"] = np.nan
                claims.at[i, "value"] = f">={int(low) if float(low).is_integer() else low}"
    return claims


def add_history(facts: pd.DataFrame, voting: pd.DataFrame | None, superseded: pd.DataFrame) -> pd.DataFrame:
    """Facts with ``history``: the values of each slot over time (source, value, reported_at,
    superseded) when a source updated itself; the explanation says it was an update."""
    facts = facts.copy()
    facts["history"] = [[] for _ in range(len(facts))]
    if superseded.empty:
        return facts
    keys = [c for c in ("event", "subject", "predicate") if c in facts and c in superseded]
    both = pd.concat([superseded.assign(was_superseded=True), voting.assign(was_superseded=False)],
                     ignore_index=True)
    both["subject"] = resolve_subjects(both["subject"].astype(str))
    both = both[both.set_index(keys).index.isin(both.loc[both["was_superseded"]].set_index(keys).index)]
    index = facts.set_index(keys).index
    for key, group in both.groupby(keys, sort=False):
        where = index.get_indexer([key])[0]
        if where < 0:
            continue
        group = group.sort_values(["reported_at", "source"], kind="stable")
        history = [{"source": r.source, "value": r.value, "reported_at": r.reported_at,
                    "superseded": bool(r.was_superseded)} for r in group.itertuples()]
        facts.at[facts.index[where], "history"] = history
        updates = []
        for source, rows in group.groupby("source", sort=True):
            steps = [(str(v), str(t)[11:16] or str(t)) for v, t in zip(rows["value"], rows["reported_at"])]
            changes = [step for k, step in enumerate(steps) if k == 0 or step[0] != steps[k - 1][0]]
            if len(changes) > 1:
                updates.append(f"{source} " + " → ".join(f"{v} ({t})" for v, t in changes))
        if not updates:
            continue
        facts.at[facts.index[where], "explanation"] = (str(facts.at[facts.index[where], "explanation"])
                                                       + "; updated: " + "; ".join(updates))
    return facts


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering (Bagga & Baldwin 1998): per item, the
    share of its predicted cluster in its gold cluster and vice versa, averaged over items.

    >>> bcubed({"a": 1, "b": 1, "c": 2}, {"a": "x", "b": "x", "c": "y"})
    (1.0, 1.0, 1.0)
    """
    items = [i for i in gold if i in predicted]
    if not items:
        return 0.0, 0.0, 0.0
    pred_groups: dict = defaultdict(set)
    gold_groups: dict = defaultdict(set)
    for i in items:
        pred_groups[predicted[i]].add(i)
        gold_groups[gold[i]].add(i)
    precision = recall = 0.0
    for i in items:
        p, g = pred_groups[predicted[i]], gold_groups[gold[i]]
        both = len(p & g)
        precision += both / len(p)
        recall += both / len(g)
    precision, recall = precision / len(items), recall / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(precision, 4), round(recall, 4), round(f1, 4)
