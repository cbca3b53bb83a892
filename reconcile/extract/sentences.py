"""Sentence and quote segmentation with character offsets into the document."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "Quote", "split_sentences", "find_quotes", "split_paragraphs", "is_headline",
           "MAX_SENTENCE"]

_NEWLINES = re.compile(r"\n\s*")
_PARA_END = frozenset(".!?”\"’:")
_BOUNDARY = re.compile(r"[.!?…]+[”\"’)\]]*(?=\s+[“\"‘(\[]?[A-ZÀ-ÞİŞĞÇÖÜ0-9@])")
_PREV_TOKEN = re.compile(r"([\w.]+)[.!?…]*[”\"’)\]]*$")
_QUOTE = re.compile(r"“[^“”]*”|\"[^\"\n]*\"|«[^«»]*»|„[^„“”]*[“”]")


@dataclass(frozen=True)
class Sentence:
    """One sentence: document offsets, its text and its paragraph's index."""

    start: int
    end: int
    text: str
    paragraph: int


@dataclass(frozen=True)
class Quote:
    """A quoted passage: offsets of the whole quote, marks included."""

    start: int
    end: int
    text: str


def split_paragraphs(text: str, start: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each non-empty paragraph at or after ``start``: a blank line, or a line
    break after sentence-final punctuation, ends one; so does the line break after a headline
    (see :func:`is_headline`)."""
    out, pos = [], start
    for m in _NEWLINES.finditer(text, start):
        brk = m.group().count("\n") > 1
        if not brk:
            k = m.start()
            while k > pos and text[k - 1] in " \t":
                k -= 1
            brk = k > pos and text[k - 1] in _PARA_END or (not out and is_headline(text, pos, k, m.end()))
        if brk:
            if text[pos:m.start()].strip():
                out.append(_strip(text, pos, m.start()))
            pos = m.end()
    if text[pos:].strip():
        out.append(_strip(text, pos, len(text)))
    return out


#: A headline: one short line without sentence-final punctuation ("41 Killed After Militants
#: Attack School"), followed by a line that opens a new sentence.
_HEADLINE_MAX = 200
_NEXT_OPENS = re.compile(r"[“\"‘(\[]?[A-ZÀ-ÞİŞĞÇÖÜ0-9]")


def is_headline(text: str, a: int, b: int, next_start: int) -> bool:
    """Whether the first line text[a:b] is a headline: short, without final punctuation or a
    dangling comma, and the next line (at ``next_start``) opens with a capital or a digit."""
    line = text[a:b].strip()
    return (0 < len(line) <= _HEADLINE_MAX and "\n" not in line and line[-1] not in _PARA_END
            and line[-1] not in ",;-–—(" and _NEXT_OPENS.match(text, next_start) is not None)


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


#: Longer "sentences" (lists, tables, text without punctuation) are cut at whitespace.
MAX_SENTENCE = 1500


def _bounded(text: str, s: int, e: int, paragraph: int) -> list[Sentence]:
    out = []
    while e - s > MAX_SENTENCE:
        cut = text.rfind(" ", s + MAX_SENTENCE // 2, s + MAX_SENTENCE)
        cut = cut if cut > s else s + MAX_SENTENCE
        a, b = _strip(text, s, cut)
        if b > a:
            out.append(Sentence(a, b, text[a:b], paragraph))
        s, e = _strip(text, cut, e)
    if e > s:
        out.append(Sentence(s, e, text[s:e], paragraph))
    return out


def split_sentences(text: str, abbreviations: frozenset = frozenset(), start: int = 0,
                    paragraphs: list[tuple[int, int]] | None = None) -> list[Sentence]:
    """Sentences of ``text`` from ``start`` on (within ``paragraphs`` when given); abbreviations
    ("mr", "a.m") never end one.

    >>> [s.text for s in split_sentences("He said 2 died. Dr. Roe said so.", frozenset({"dr"}))]
    ['He said 2 died.', 'Dr. Roe said so.']
    """
    out: list[Sentence] = []
    for p_index, (a, b) in enumerate(split_paragraphs(text, start) if paragraphs is None else paragraphs):
        pos = a
        for m in _BOUNDARY.finditer(text, a, b):
            if m.group().startswith(".") and _is_abbreviation(text[pos:m.start() + 1], abbreviations):
                continue
            out.extend(_bounded(text, *_strip(text, pos, m.end()), p_index))
            pos = m.end()
        out.extend(_bounded(text, *_strip(text, pos, b), p_index))
    return out


def _is_abbreviation(head: str, abbreviations: frozenset) -> bool:
    m = _PREV_TOKEN.search(head)
    if not m:
        return False
    token = m.group(1).rstrip(".").lower()
    if len(token) == 1 and token.isalpha():
        return True
    return token in abbreviations or token.split(".")[-1] in abbreviations and "." in token


def find_quotes(text: str, start: int = 0, end: int | None = None) -> list[Quote]:
    """Quoted passages (curly, straight, guillemets) between ``start`` and ``end``."""
    return [Quote(m.start(), m.end(), m.group()) for m in _QUOTE.finditer(text, start, len(text) if end is None else end)]
