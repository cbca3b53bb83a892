"""Categories and places on an extensible hierarchy (a DAG of child ⊂ parent edges).

The default event taxonomy is data (``reconcile/data/taxonomy.csv``); user hierarchies come from
``child,parent`` pairs or the ``ID,name,parentID`` CSV of the Heritages/Birthplaces benchmarks
(Jung, Kim & Shim, EDBT 2019), where a claim may name a place at any level. Names are matched
by :func:`reconcile.values.text.fold` (case, punctuation, diacritics) and synonyms; a name that
appears under several parents (London in England and in Ontario) is one node with all of them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from functools import cached_property, lru_cache
from pathlib import Path

from reconcile.values._base import ValueParseError, read_table
from reconcile.values.text import fold

__all__ = ["Taxonomy"]


class Taxonomy:
    """A hierarchy of names: ``canonical``, ``find``, ``relation``, ``depth``, ``agreement``.

    Instances are treated as immutable (``extend``/``merge`` return new ones), so they can key
    caches; equality is identity.
    """

    def __init__(self) -> None:
        self._names: dict[str, str] = {}        # folded name or synonym -> canonical name
        self._parents: dict[str, set[str]] = {}  # canonical -> canonical parents
        self._up: dict[str, frozenset[str]] = {}     # caches of ancestors and descendants
        self._down: dict[str, frozenset[str]] = {}
        self._longest: tuple[int, int] | None = None  # (names counted, words of the longest)

    # -- building ---------------------------------------------------------------------------
    def _add(self, name: str, parent: str | None = None, synonyms: Iterable[str] = ()) -> None:
        key = fold(name)
        if not key:
            return
        canonical = self._names.setdefault(key, name.strip())
        self._parents.setdefault(canonical, set())
        for synonym in synonyms:
            if fold(synonym):
                self._names.setdefault(fold(synonym), canonical)
        if parent is not None and fold(parent):
            self._add(parent)
            parent_name = self._names[fold(parent)]
            if parent_name != canonical:
                self._parents[canonical].add(parent_name)

    @classmethod
    def from_edges(cls, edges: Iterable[tuple[str, str | None]]) -> Taxonomy:
        """A taxonomy of (child, parent) pairs; parent None or "" makes a root."""
        taxonomy = cls()
        for child, parent in edges:
            taxonomy._add(str(child), None if parent is None else str(parent))
        return taxonomy

    @classmethod
    def _from_rows(cls, rows: Iterable[dict[str, str]], where: str) -> Taxonomy:
        rows = list(rows)
        columns = set(rows[0]) if rows else set()
        taxonomy = cls()
        if {"ID", "name", "parentID"} <= columns:
            names = {row["ID"]: row["name"] for row in rows}
            for row in rows:
                taxonomy._add(row["name"], names.get(row["parentID"]))
        elif {"child", "parent"} <= columns:
            for row in rows:
                synonyms = (row.get("synonyms") or "").split("|")
                taxonomy._add(row["child"], row["parent"] or None, synonyms)
        else:
            raise ValueParseError(f"a taxonomy needs columns child,parent[,synonyms] or "
                                  f"ID,name,parentID; found {sorted(columns)}", file=where)
        return taxonomy

    @classmethod
    def from_csv(cls, path: str | Path) -> Taxonomy:
        """Read ``child,parent[,synonyms]`` or ``ID,name,parentID`` (parentID -1 = root)."""
        with open(path, encoding="utf-8", newline="") as handle:
            lines = [line for line in handle if line.strip() and not line.startswith("#")]
        return cls._from_rows(csv.DictReader(lines), str(path))

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Taxonomy:
        """The event taxonomy shipped in ``reconcile/data/taxonomy.csv`` (one shared instance)."""
        return cls._from_rows(read_table("taxonomy.csv"), "reconcile/data/taxonomy.csv")

    def merge(self, other: Taxonomy) -> Taxonomy:
        """A new taxonomy with the names, synonyms and edges of both (self's spelling wins)."""
        merged = Taxonomy()
        for source in (self, other):
            for key, canonical in source._names.items():
                merged._add(canonical)
                merged._names.setdefault(key, merged._names[fold(canonical)])
            for child, parents in source._parents.items():
                for parent in parents:
                    merged._add(child, parent)
        return merged

    def extend(self, edges: Iterable[tuple[str, str | None]]) -> Taxonomy:
        """A new taxonomy: this one plus (child, parent) edges."""
        return self.merge(Taxonomy.from_edges(edges))

    # -- queries ----------------------------------------------------------------------------
    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.canonical(name) is not None

    def __len__(self) -> int:
        return len(self._parents)

    def canonical(self, name: str) -> str | None:
        """The canonical name of ``name`` or of its synonym (a trailing plural "s" is tried too);
        None if unknown."""
        key = fold(name)
        found = self._names.get(key)
        if found is None and key.endswith("s"):
            found = self._names.get(key[:-1])
        return found

    def find(self, text: str) -> str | None:
        """The canonical name of the longest known name or synonym inside ``text``, as whole
        words ("massive car bomb attack on russian vehicles" -> "car bomb"); None if none."""
        key = fold(text)
        best = self.canonical(text)
        if best is not None:
            return best
        words = key.split()
        longest = self._longest_name()  # no known name is longer: the search is linear in the text
        for size in range(min(len(words) - 1, longest), 0, -1):
            for start in range(len(words) - size + 1):
                found = self.canonical(" ".join(words[start:start + size]))
                if found is not None:
                    return found
        return None

    def _longest_name(self) -> int:
        """The number of words of the longest known name or synonym (cached: instances are
        immutable once built)."""
        if self._longest is None or self._longest[0] != len(self._names):
            self._longest = (len(self._names), max((len(k.split()) for k in self._names), default=0))
        return self._longest[1]

    @staticmethod
    def _reach(name: str, edges: dict[str, set[str]], cache: dict[str, frozenset[str]]) -> frozenset[str]:
        """Every node reachable from ``name`` along ``edges`` (not itself; cycles tolerated)."""
        found = cache.get(name)
        if found is None:
            seen: set[str] = set()
            stack = list(edges.get(name, ()))
            while stack:
                node = stack.pop()
                if node not in seen:
                    seen.add(node)
                    stack.extend(edges.get(node, ()))
            seen.discard(name)
            found = cache[name] = frozenset(seen)
        return found

    def ancestors(self, name: str) -> frozenset[str]:
        """All canonical ancestors of a canonical name (not itself)."""
        return self._reach(name, self._parents, self._up)

    def descendants(self, name: str) -> frozenset[str]:
        """All canonical descendants of a canonical name (not itself)."""
        return self._reach(name, self._children, self._down)

    def depth(self, name: str) -> int:
        """1 + the number of ancestors: a specificity measure (roots and unknown names: 1)."""
        return 1 + len(self.ancestors(self.canonical(name) or name))

    @cached_property
    def _children(self) -> dict[str, set[str]]:
        children: dict[str, set[str]] = {}
        for child, parents in self._parents.items():
            for parent in parents:
                children.setdefault(parent, set()).add(child)
        return children

    def relation(self, a: str, b: str) -> str | None:
        """How two names relate: "equal", "ancestor" (a is an ancestor of b), "descendant",
        "overlap" (a common descendant), "disjoint", or None if either is unknown."""
        ca, cb = self.canonical(a), self.canonical(b)
        if ca is None or cb is None:
            return None
        if ca == cb:
            return "equal"
        if ca in self.ancestors(cb):
            return "ancestor"
        if cb in self.ancestors(ca):
            return "descendant"
        shared = (self.descendants(ca) | {ca}) & (self.descendants(cb) | {cb})
        return "overlap" if shared else "disjoint"

    def agreement(self, a: str, b: str) -> float | None:
        """Agreement of two names in [-1, 1], None if either is unknown: equal 1; ancestor and
        descendant 0.5 + 0.3 x depth(general) / depth(specific) (e.g. IED vs car bomb 0.71);
        a shared descendant 0.3; disjoint -1."""
        relation = self.relation(a, b)
        if relation is None:
            return None
        if relation in ("ancestor", "descendant"):
            da, db = self.depth(self.canonical(a)), self.depth(self.canonical(b))  # type: ignore[arg-type]
            return 0.5 + 0.3 * min(da, db) / max(da, db)
        return {"equal": 1.0, "overlap": 0.3, "disjoint": -1.0}[relation]

    def __repr__(self) -> str:
        return f"<Taxonomy with {len(self)} names>"
