"""Canonical sources and subjects.

Sources: the many ways one source is written ("Röpcke", "Julian Röpcke", "Bild's foreign
policy editor Julian Röpcke", "Roepcke"; "@leventkemaI" and "Levent Kemal"; "the Center"
and "Russian Reconciliation Center for Syria") become one canonical name. A user alias
table always wins. Matching runs on the distinct names only, in this order: exact folded
names, handles, surname / short-form containment (when it points to exactly one source),
then rapidfuzz similarity of multi-word names (``process.cdist``, blocked by initial).

Subjects: a synonym lexicon (``data/subject_synonyms.csv``) folds "Russian servicemen" and
"Russian soldiers" into one slot.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd
from anyascii import anyascii
from rapidfuzz import fuzz, process

from .arrays import map_distinct
from .confusables import is_lookalike_of, mixed_scripts, skeleton
from .contract import InputError
from .io import text_column

__all__ = [
    "SourceResolution",
    "resolve_sources",
    "source_roles",
    "read_aliases",
    "fold",
    "resolve_subjects",
    "subject_key",
    "GENERIC_SUBJECT",
]

#: The subject of a count that names no one in particular ("12 were killed", "six people died").
GENERIC_SUBJECT = "people"

#: Two multi-word names at least this similar (rapidfuzz token_sort_ratio) are one source.
NAME_SIMILARITY = 90.0

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                          "ß": "ss"})
# Letters that look alike in handles ("@leventkemaI" is written with a capital i).
_LOOKALIKES = str.maketrans({"i": "l", "1": "l", "|": "l", "0": "o"})
_HANDLE = re.compile(r"@([A-Za-z0-9_]{2,})")
_PARENTHESES = re.compile(r"\([^)]*\)")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_WORD = re.compile(r"\w+")
_LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)


def fold(text: str) -> str:
    """Lower-case ASCII words of ``text``: umlauts expanded (Röpcke -> roepcke), the rest
    transliterated (anyascii), punctuation dropped.

    >>> fold("Bild’s  Röpcke"), fold("Roepcke")
    ('bild s roepcke', 'roepcke')
    """
    if text.isascii():
        return _NON_WORD.sub(" ", text.lower()).strip()
    ascii_text = anyascii(unicodedata.normalize("NFC", text).translate(_UMLAUTS)).lower()
    return _NON_WORD.sub(" ", ascii_text).strip()


@cache
def _source_words() -> dict[str, frozenset[str]]:
    raw = json.loads(resources.files("reconcile").joinpath("data/source_words.json").read_text("utf-8"))
    return {key: frozenset(fold(w) for w in words) for key, words in raw.items() if key != "about"}


@dataclass(frozen=True)
class _Name:
    """One distinct raw name, split into what matching needs."""

    raw: str
    core: str  # the name without descriptor, handle or article, as written
    key: str  # fold(core)
    handle: str  # folded handle without '@', or ''
    described: bool  # a descriptor was stripped ("editor Julian Röpcke"): a weaker canonical form

    @property
    def tokens(self) -> frozenset[str]:
        return frozenset(self.key.split())

    @property
    def is_generic(self) -> bool:
        return self.tokens <= _source_words()["generic"]


def _strip_descriptor(text: str) -> str:
    """'Bild's foreign policy editor Julian Röpcke' -> 'Julian Röpcke';
    'Julian Röpcke, Bild's foreign policy editor' -> 'Julian Röpcke'."""
    roles = _source_words()["roles"]
    head, _, tail = text.partition(",")
    if tail and any(word in roles for word in fold(tail).split()):
        text = head
    words = text.split()
    folded = [fold(w) for w in words]
    last_role = max((i for i, w in enumerate(folded) if w in roles), default=-1)
    if last_role < 0:
        return text
    rest = words[last_role + 1:]
    while rest and not all(w[:1].isupper() for w in rest):
        rest = rest[1:]
    return " ".join(rest) or text


def _parse_name(raw: str) -> _Name:
    handle_match = _HANDLE.search(raw)
    handle = handle_match.group(1).lower().translate(_LOOKALIKES) if handle_match else ""
    core = _PARENTHESES.sub(" ", _HANDLE.sub(" ", raw))
    core = " ".join(core.replace("—", " ").split()).strip(" -–,;:")
    stripped = _strip_descriptor(core)
    described = stripped != core
    core = _LEADING_ARTICLE.sub("", stripped).strip()
    if not fold(core):
        core = handle_match.group(1) if handle_match else raw.strip()
    return _Name(raw=raw, core=core, key=fold(core), handle=handle, described=described)


class _Clusters:
    """Union-find over name indices; the smallest index is the root (deterministic)."""

    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


@dataclass(frozen=True)
class SourceResolution:
    """What :func:`resolve_sources` found: raw name -> canonical name, the type of each, and
    why a name was merged where the reason is not plain spelling (``merges``: raw name ->
    reason, e.g. two spellings of one mayor's name), and per canonical name the look-alike
    spellings that were written to pose as it (``lookalikes``)."""

    canonical: dict[str, str]
    types: dict[str, str]
    merges: dict[str, str] = field(default_factory=dict)
    lookalikes: dict[str, list[str]] = field(default_factory=dict)

    def aliases(self) -> dict[str, list[str]]:
        """Canonical name -> the raw names seen for it, sorted."""
        grouped: dict[str, list[str]] = {}
        for raw, name in sorted(self.canonical.items()):
            grouped.setdefault(name, []).append(raw)
        return grouped


def read_aliases(aliases: Mapping[str, str] | str | PathLike | None) -> dict[str, str]:
    """A user alias table as ``{alias: canonical}``: a dict, or a CSV with columns
    ``alias,canonical`` (a header row is required)."""
    if aliases is None:
        return {}
    if isinstance(aliases, Mapping):
        return {str(k): str(v) for k, v in aliases.items()}
    path = Path(aliases)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError:
        raise InputError("no such alias file", file=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("the alias file is not UTF-8 text", file=str(path)) from None
    if not rows or [c.strip().lower() for c in rows[0][:2]] != ["alias", "canonical"]:
        raise InputError("an alias table needs the header 'alias,canonical'", file=str(path), line=1)
    table = {}
    for number, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise InputError("expected 'alias,canonical' with both filled", file=str(path), line=number)
        table[row[0].strip()] = row[1].strip()
    return table


def source_roles(sources: pd.Series, mentions: pd.Series) -> dict[str, tuple[frozenset, frozenset]]:
    """Per source name, the roles its mentions give it and the other words that qualify them
    ("Mpondwe-Lhubiriha Mayor Selevest Mapoze": the role mayor, qualified by mpondwe lhubiriha),
    for :func:`resolve_sources`; each distinct (source, mention) pair is read once."""
    roles = _source_words()["roles"]
    pairs = pd.DataFrame({"source": text_column(sources), "raw": text_column(mentions)}).drop_duplicates()
    found: dict[str, tuple[set, set]] = {}
    for source, raw in zip(pairs["source"], pairs["raw"]):
        words = fold(raw).split()
        said = [w for w in words if w in roles]
        if not said:
            continue
        name = set(fold(source).split())
        role, qualifiers = found.setdefault(source, (set(), set()))
        role.update(said)
        qualifiers.update(_proper_words(raw) - name - roles - _source_words()["generic"] - _ARTICLES)
    return {source: (frozenset(r), frozenset(q)) for source, (r, q) in sorted(found.items())}


_ARTICLES = frozenset({"the", "a", "an"})


def _proper_words(text: str) -> set[str]:
    """The folded words of ``text`` that were written with a capital (proper nouns)."""
    return {part for word in _WORD.findall(text) if word[:1].isupper() for part in fold(word).split()}


def resolve_sources(names: Iterable[str], aliases: Mapping[str, str] | None = None,
                    counts: Mapping[str, int] | None = None,
                    declared_types: Mapping[str, str] | None = None,
                    roles: Mapping[str, tuple[frozenset, frozenset]] | None = None) -> SourceResolution:
    """Resolve raw source names to canonical ones.

    ``aliases`` (``{alias: canonical}``) always wins; ``counts`` (how often each raw name is
    used) breaks ties when choosing a canonical name; ``declared_types`` (raw -> type) beats
    the type guessed from the name's words; ``roles`` (:func:`source_roles`) lets two spellings
    of one person's name under the same role merge ("Mayor Selevest Mapoze", "Sylvester
    Mapozi, the town mayor").

    >>> r = resolve_sources(["Röpcke", "Bild's foreign policy editor Julian Röpcke",
    ...                      "@leventkemaI", "Levent Kemal", "Roepcke"])
    >>> sorted(set(r.canonical.values()))
    ['Julian Röpcke', 'Levent Kemal']
    """
    raw_names = sorted(set(names))
    parsed = [_parse_name(raw) for raw in raw_names]
    clusters = _Clusters(len(parsed))
    user = {fold(alias): canonical for alias, canonical in (aliases or {}).items()}
    pinned = {i: user[fold(n.raw)] for i, n in enumerate(parsed) if fold(n.raw) in user}
    pinned.update({i: user[n.key] for i, n in enumerate(parsed) if i not in pinned and n.key in user})
    _merge_pinned(clusters, pinned)
    _merge_equal_keys(clusters, parsed, pinned)
    _merge_lookalikes(clusters, parsed, pinned)
    _merge_handles(clusters, parsed, pinned)
    _merge_contained(clusters, parsed, pinned)
    _merge_similar(clusters, parsed, pinned)
    merges = _merge_same_role(clusters, parsed, pinned, roles or {})
    members: dict[int, list[int]] = {}
    for i in range(len(parsed)):
        members.setdefault(clusters.find(i), []).append(i)
    canonical, types, lookalikes = {}, {}, {}
    for group in members.values():
        name = _canonical_name(group, parsed, pinned, counts or {})
        for i in group:
            canonical[parsed[i].raw] = name
        posing = sorted(parsed[i].raw for i in group if is_lookalike_of(parsed[i].core, name))
        if posing:
            lookalikes[name] = posing
        declared = Counter(declared_types[parsed[i].raw] for i in group
                           if declared_types and declared_types.get(parsed[i].raw))
        types[name] = declared.most_common(1)[0][0] if declared else _guess_type(parsed[group[0]], name)
    return SourceResolution(canonical=canonical, types=types, merges=merges, lookalikes=lookalikes)


def _separate(i: int, j: int, clusters: _Clusters, pinned: Mapping[int, str]) -> bool:
    """True when the user's table puts the clusters of i and j apart."""
    a = {pinned[k] for k in pinned if clusters.find(k) == clusters.find(i)}
    b = {pinned[k] for k in pinned if clusters.find(k) == clusters.find(j)}
    return bool(a and b and a != b)


def _merge_pinned(clusters: _Clusters, pinned: Mapping[int, str]) -> None:
    first: dict[str, int] = {}
    for i, canonical in sorted(pinned.items()):
        clusters.union(first.setdefault(canonical, i), i)


def _merge_equal_keys(clusters: _Clusters, parsed: list[_Name], pinned: Mapping[int, str]) -> None:
    first: dict[str, int] = {}
    for i, name in enumerate(parsed):
        j = first.setdefault(name.key, i)
        if j != i and not _separate(i, j, clusters, pinned):
            clusters.union(i, j)


def _merge_lookalikes(clusters: _Clusters, parsed: list[_Name], pinned: Mapping[int, str]) -> None:
    """A name that mixes scripts to look like another ("Reuterѕ" with a Cyrillic ѕ) is that
    source written twice: it joins it, so it can never count as an independent voice."""
    plain: dict[str, int] = {}
    for i, name in enumerate(parsed):
        if not mixed_scripts(name.core):
            plain.setdefault(fold(skeleton(name.core)), i)
    for i, name in enumerate(parsed):
        j = plain.get(fold(skeleton(name.core))) if mixed_scripts(name.core) else None
        if j is not None and not _separate(i, j, clusters, pinned):
            clusters.union(i, j)


def _merge_handles(clusters: _Clusters, parsed: list[_Name], pinned: Mapping[int, str]) -> None:
    by_squeezed: dict[str, set[int]] = {}
    for i, name in enumerate(parsed):
        by_squeezed.setdefault(name.key.replace(" ", "").translate(_LOOKALIKES), set()).add(i)
    for i, name in enumerate(parsed):
        if not name.handle:
            continue
        targets = by_squeezed.get(name.handle, set())
        roots = {clusters.find(j) for j in targets} - {clusters.find(i)}
        if len(roots) == 1 and not _separate(i, next(iter(roots)), clusters, pinned):
            clusters.union(i, roots.pop())


def _merge_contained(clusters: _Clusters, parsed: list[_Name], pinned: Mapping[int, str]) -> None:
    """A short form whose words all appear in exactly one other source's name joins it
    ("Röpcke" -> "Julian Röpcke", "Center" -> "Russian Reconciliation Center for Syria").
    A short form the user's table places is not matched again."""
    generic = _source_words()["generic"]
    token_sets = [n.tokens for n in parsed]
    # Longest short forms first, so "Reconciliation Center" has joined the full name
    # before "the Center" asks how many sources its one word points to.
    order = sorted(range(len(parsed)), key=lambda i: (-len(token_sets[i]), parsed[i].key))
    for i in order:
        distinctive = token_sets[i] - generic
        if not distinctive or parsed[i].is_generic or i in pinned:
            continue
        roots = {clusters.find(j) for j, tokens in enumerate(token_sets)
                 if j != i and tokens > token_sets[i]}
        roots.discard(clusters.find(i))
        if len(roots) == 1 and not _separate(i, next(iter(roots)), clusters, pinned):
            clusters.union(i, roots.pop())


def _merge_similar(clusters: _Clusters, parsed: list[_Name], pinned: Mapping[int, str]) -> None:
    candidates = [i for i, n in enumerate(parsed) if len(n.tokens) >= 2 and not n.is_generic]
    blocks: dict[str, list[int]] = {}
    for i in candidates:
        blocks.setdefault(parsed[i].key.split()[-1][:1], []).append(i)
    for block in blocks.values():
        if len(block) < 2:
            continue
        keys = [parsed[i].key for i in block]
        scores = process.cdist(keys, keys, scorer=fuzz.token_sort_ratio, score_cutoff=NAME_SIMILARITY,
                               dtype=np.uint8)
        for a, b in zip(*np.nonzero(np.triu(scores, k=1))):
            i, j = block[a], block[b]
            if not _separate(i, j, clusters, pinned):
                clusters.union(i, j)


#: Two spellings of a person's name under one role: how close the surnames and the first names
#: must be (rapidfuzz ratio; "Mapoze"/"Mapozi" 83, "Selevest"/"Sylvester" 71, "John"/"Jane" 50).
SURNAME_SIMILARITY = 80.0
FIRST_NAME_SIMILARITY = 65.0


def _merge_same_role(clusters: _Clusters, parsed: list[_Name], pinned: Mapping[int, str],
                     roles: Mapping[str, tuple[frozenset, frozenset]]) -> dict[str, str]:
    """Merge transliteration variants of one person's name: two- to four-word names with a
    role in common, close surnames and first names, and no conflicting qualifier (when both
    name a place or body besides the role, they share one). Returns raw name -> the reason."""
    people: dict[str, list[int]] = {}
    for i, name in enumerate(parsed):
        if name.raw in roles and 2 <= len(name.key.split()) <= 4 and not name.is_generic:
            for role in sorted(roles[name.raw][0]):
                people.setdefault(role, []).append(i)
    merges: dict[str, str] = {}
    for role, block in sorted(people.items()):
        for x, i in enumerate(block):
            for j in block[x + 1:]:
                if clusters.find(i) == clusters.find(j) or _separate(i, j, clusters, pinned):
                    continue
                a, b = parsed[i].key.split(), parsed[j].key.split()
                surname, first = fuzz.ratio(a[-1], b[-1]), fuzz.ratio(a[0], b[0])
                qa, qb = roles[parsed[i].raw][1], roles[parsed[j].raw][1]
                if surname < SURNAME_SIMILARITY or first < FIRST_NAME_SIMILARITY or (qa and qb and not qa & qb):
                    continue
                clusters.union(i, j)
                why = (f"same role ({role}), names spelled closely (surname {surname:.0f}, "
                       f"first name {first:.0f} of 100)")
                merges[parsed[i].raw] = merges[parsed[j].raw] = f"{parsed[i].raw} = {parsed[j].raw}: {why}"
    return merges


def _canonical_name(group: list[int], parsed: list[_Name], pinned: Mapping[int, str],
                    counts: Mapping[str, int]) -> str:
    """The user's canonical name if any; else the multi-word core most tied to the others
    by word containment either way (the full name, rather than a surname, a short form or a
    descriptor-laden form), the longer on a tie."""
    chosen = sorted({pinned[i] for i in group if i in pinned})
    if chosen:
        return chosen[0]

    def rank(i: int) -> tuple:
        name = parsed[i]
        related = sum((name.tokens <= parsed[j].tokens) + (parsed[j].tokens <= name.tokens)
                      for j in group)
        return (not mixed_scripts(name.core), not name.is_generic, len(name.tokens) >= 2, not name.described,
                related, len(name.tokens), counts.get(name.raw, 0), name.core)

    return parsed[max(group, key=rank)].core


def _guess_type(name: _Name, canonical: str) -> str:
    words = _source_words()
    folded = f" {fold(canonical)} "
    if name.key and name.key.split()[-1] in words["anonymous"]:
        return "anonymous"
    for kind in ("media", "government", "organization"):
        if any(f" {w} " in folded for w in words[kind]):
            return kind
    if canonical.isupper() and len(canonical) >= 2:
        return "organization"
    capitalised = [w for w in canonical.split() if w[:1].isupper()]
    return "person" if 2 <= len(capitalised) <= 4 and len(capitalised) == len(canonical.split()) else "unknown"


@cache
def _subject_synonyms() -> tuple[re.Pattern, dict[str, str]]:
    """One pattern matching every synonym (longest first, whole words) and the replacements."""
    text = resources.files("reconcile").joinpath("data/subject_synonyms.csv").read_text("utf-8")
    rows = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    table = {fold(term): fold(canonical) for term, canonical in csv.reader(rows[1:])}
    terms = sorted(table, key=lambda term: (-len(term), term))
    return re.compile(r"\b(?:" + "|".join(map(re.escape, terms)) + r")\b"), table


def subject_key(subject: str) -> str:
    """The canonical form of one subject: folded, articles dropped, synonyms applied.

    >>> subject_key("the Russian Servicemen"), subject_key("Russian soldiers")
    ('russian soldiers', 'russian soldiers')
    """
    pattern, table = _subject_synonyms()
    text = _LEADING_ARTICLE.sub("", fold(str(subject)))
    return " ".join(pattern.sub(lambda found: table[found.group(0)], text).split())


def resolve_subjects(subjects: pd.Series) -> pd.Series:
    """:func:`subject_key` over a column, computed once per distinct subject."""
    return map_distinct(subjects, subject_key)
