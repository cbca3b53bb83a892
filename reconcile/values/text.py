"""Text and person-name normalisation, missing markers, and rapidfuzz text agreement.

Names are compared as sets: an author list ("Knuth, Donald E.; Fuller, John") is split into
names, each normalised to "given names surname" order, and two lists agree by how well their
names match one to one (the Book benchmark of Dong et al., VLDB 2009, needs exactly this).
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache, lru_cache

import pandas as pd
from anyascii import anyascii
from rapidfuzz import fuzz

from reconcile.values._base import read_table

__all__ = [
    "NAME_SEPARATOR",
    "fold",
    "is_missing",
    "name_list",
    "normalize_name",
    "normalize_text",
    "numbers_differ",
    "split_names",
    "text_agreement",
]

#: Joins the names of a normalised name list ("donald e knuth; john fuller"). Plain normalised
#: text never contains it, because :func:`normalize_text` removes punctuation.
NAME_SEPARATOR = "; "

_APOSTROPHE = re.compile(r"(?<=\w)['\u2019](?:s\b)?(?=\w|\b)")
_PUNCT = re.compile(r"[^\w\s]|_", re.UNICODE)
_SPACE = re.compile(r"\s+")
_ROLE = (r"\((?:joint\s+)?(?:author|editor|ed|eds|translator|illustrator|foreword|introduction|"
         r"compiler|contributor)s?\.?\)")
_LIST_SEP = re.compile(rf"\s*(?:;|/|&|\band\b|\bwith\b|\bby\s*{_ROLE}|{_ROLE}|^\s*by\b|"
                       r"\bedited by\b)\s*", re.IGNORECASE)
_NAME_STRAY = re.compile(r"\([^)]*\)?|\bet al\b\.?", re.IGNORECASE)
_GLUED = re.compile(r"([A-Z][a-z]+)(?=[A-Z][a-z])")
_PREFIXES = {"Mc", "Mac", "De", "Di", "Da", "Du", "La", "Le", "Van", "Von", "Del", "Della", "Fitz", "St"}
_NUMBERS = re.compile(r"\d+")
_NAME_NOISE = {"dr", "prof", "mr", "mrs", "ms", "jr", "sr", "ii", "iii", "iv", "phd", "md"}


def _demojibake(text: str) -> str:
    """Undo UTF-8 read as Latin-1 ("KÃ¶nig" -> "König"); other text is returned unchanged."""
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


@lru_cache(maxsize=1 << 18)
def normalize_text(text: str) -> str:
    """NFKC, HTML entities decoded, case-folded, possessive "'s" and apostrophes inside words
    dropped ("Syria's" -> "syria", "O'Leary" -> "oleary"), other punctuation to spaces,
    whitespace collapsed.

    >>> normalize_text("  Car-Bomb  ATTACK! "), normalize_text("İdlib")
    ('car bomb attack', 'idlib')
    """
    text = unicodedata.normalize("NFKC", _demojibake(html.unescape(str(text)).replace("&nbsp", " ")))
    # casefold turns Turkish "İ" into "i" + a combining dot: drop the dot ("İdlib" -> "idlib")
    text = _APOSTROPHE.sub("", text.casefold().replace("\u0307", ""))
    return _SPACE.sub(" ", _PUNCT.sub(" ", text)).strip()


@lru_cache(maxsize=1 << 18)
def fold(text: str) -> str:
    """:func:`normalize_text` transliterated to ASCII (anyascii): the matching key of names.

    >>> fold("County of Vlorë")
    'county of vlore'
    """
    return normalize_text(anyascii(normalize_text(text)))


@cache
def _markers() -> frozenset[str]:
    return frozenset(row["marker"] for row in read_table("missing_markers.csv")) | {""}


@cache
def _name_like_markers() -> frozenset[str]:
    return frozenset(row["marker"] for row in read_table("missing_markers.csv") if row["name_like"] == "1")


#: Kinds whose values are names: a marker that is also a name, written as one, is that name.
_NAME_KINDS = frozenset({"place", "text", "category"})


def is_missing(text: object, kind: str | None = None) -> bool:
    """True for None, NaN and missing markers ("Not Available", "N/A", "unknown", "-", ...).

    "none" is a missing marker except for counts, where it means zero. For places, names and
    categories, a marker that is also a name written in title case ("Nan", a province of
    Thailand; "Na") is the name.
    """
    if not isinstance(text, str):
        return text is None or bool(pd.api.types.is_scalar(text) and pd.isna(text))
    if text[:1].isdigit():  # no marker starts with a digit: skip normalising numbers
        return False
    key = normalize_text(text)
    if key in _name_like_markers() and kind in _NAME_KINDS and text.strip().istitle():
        return False
    return key in _markers() or (key == "none" and kind != "count")


def numbers_differ(a: str, b: str) -> bool:
    """Whether both texts carry numbers and not the same ones: then they name different
    things however alike they are as strings ("label 0" / "label 3", "B-12" / "B-13").

    >>> numbers_differ("label 0", "label 3"), numbers_differ("B-12", "b 12"), numbers_differ("Route 9", "Route")
    (True, False, False)
    """
    ours, theirs = _NUMBERS.findall(a), _NUMBERS.findall(b)
    return bool(ours) and bool(theirs) and [int(n) for n in ours] != [int(n) for n in theirs]


def _name_tokens(name: str) -> list[str]:
    return [t for t in fold(name).split() if t not in _NAME_NOISE]


def normalize_name(name: str) -> str:
    """One person's name as "given names surname", ASCII, lower case, initials without dots.

    >>> normalize_name("Knuth, Donald E.") == normalize_name("Donald E. Knuth") == "donald e knuth"
    True
    """
    name = _NAME_STRAY.sub(" ", name)
    if "," in name:
        surname, _, given = name.partition(",")
        return " ".join(_name_tokens(given) + _name_tokens(surname))
    return " ".join(_name_tokens(name))


def _comma_parts_are_names(parts: list[str]) -> bool:
    """Whether comma-separated parts are whole names ("A. Smith, B. Jones") rather than
    "Surname, Given" halves: every part has at least two words."""
    return len(parts) > 1 and all(len(_name_tokens(p)) >= 2 for p in parts)


def _comma_parts_are_chained(parts: list[str]) -> bool:
    """Whether commas chain "Surname, Given Surname2, Given2" (names run together): at least
    three parts, and every middle part has two or more words, the last not an initial."""
    middle = [_name_tokens(p) for p in parts[1:-1]]
    return len(parts) >= 3 and all(len(t) >= 2 and len(t[-1]) > 1 for t in middle)


def _unglue(text: str) -> str:
    """Separate names glued together: "Mark DowdJohn McDonald" and an HTML line break left as
    "GeorgeBRDollimore" (a capital after two lower-case letters starts a name, except after a
    Mc/Mac/De-style prefix)."""
    text = re.sub(r"(?<=[a-z])BR(?=[A-Z])", "; ", text)
    return _GLUED.sub(lambda m: m.group(1) + ("" if m.group(1) in _PREFIXES else "; "), text)


def split_names(text: str) -> list[str]:
    """Split an author list into normalised names (separators ; / & and, "(Author)" markers;
    commas separate names only when every part is a whole name, else they mark "Surname, Given").

    >>> split_names("Russell, Stuart J.; Norvig, Peter")
    ['stuart j russell', 'peter norvig']
    >>> split_names("Kenneth L. Calvert, Michael J. Donahoo")
    ['kenneth l calvert', 'michael j donahoo']
    """
    text = html.unescape(re.sub(r"and(apos|amp|quot);", r"&\1;", text))  # "O&apos;" typed as "Oandapos;"
    chunks = [_NAME_STRAY.sub(" ", c).strip(" ,.") for c in _LIST_SEP.split(_unglue(_demojibake(text)))]
    chunks = [c for c in chunks if c]
    # "Coulouris, Dollimore & Kindberg": surnames only, so commas separate names.
    plain = [c for c in chunks if "," not in c]
    surnames_only = len(chunks) > 1 and bool(plain) and all(len(_name_tokens(c)) == 1 for c in plain)
    names: list[str] = []
    for chunk in chunks:
        parts = [p for p in chunk.split(",") if _name_tokens(p)]
        if _comma_parts_are_names(parts) or (surnames_only and all(len(_name_tokens(p)) == 1 for p in parts)):
            names.extend(normalize_name(p) for p in parts)
        elif _comma_parts_are_chained(parts):
            # "Adams, Tyrone Scollard, Sharon": each middle part is "Given Surname-of-the-next".
            surnames = [parts[0]] + [p.split()[-1] for p in parts[1:-1]]
            givens = [" ".join(p.split()[:-1]) for p in parts[1:-1]] + [parts[-1]]
            names.extend(normalize_name(f"{s}, {g}") for s, g in zip(surnames, givens))
        else:
            # "Surname, Given, Surname2, Given2": pair the halves up.
            names.extend(normalize_name(", ".join(parts[i:i + 2])) for i in range(0, len(parts), 2))
    return [n for n in dict.fromkeys(names) if n]


def name_list(text: str) -> str:
    """The canonical value of an author list: normalised names joined by :data:`NAME_SEPARATOR`."""
    return NAME_SEPARATOR.join(split_names(text))


def _given_compatible(a: list[str], b: list[str]) -> bool:
    """Given names agree where both are present; an initial matches a name with that letter."""
    return all(x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y))
               for x, y in zip(a, b))


def _item_agreement(a: str, b: str) -> float:
    """Agreement of two normalised names or texts, in [-1, 1].

    Same last word and compatible earlier words (initials, missing given names) -> 1 when the
    word lists are equal, 0.9 when one has initials the other spells out, 0.7 when one lacks
    words; the same words in another order ("knuth donald") -> 1; otherwise rapidfuzz
    ``token_sort_ratio`` mapped linearly from 75 -> 0 to 100 -> 1 and 50 -> -1.  Items whose
    numbers differ (:func:`numbers_differ`) conflict (-1) however alike their letters are.
    """
    if a == b:
        return 1.0
    if numbers_differ(a, b):
        return -1.0
    ta, tb = a.split(), b.split()
    if ta and tb and ta[-1] == tb[-1] and _given_compatible(ta[:-1], tb[:-1]):
        return 0.9 if len(ta) == len(tb) else 0.7
    if sorted(ta) == sorted(tb):
        return 1.0
    return max(-1.0, min(1.0, (fuzz.token_sort_ratio(a, b) - 75.0) / 25.0))


@lru_cache(maxsize=1 << 16)
def text_agreement(a: str, b: str) -> float:
    """Agreement in [-1, 1] of two normalised texts or name lists (split on :data:`NAME_SEPARATOR`).

    Items are matched one to one, best first (only matches > 0 count). All matched and equal
    counts -> mean item agreement; every item of the shorter list matched -> 0.3 + 0.5 x
    (shorter / longer) x the weakest match (compatible, less specific); some matched -> 2F - 1
    with F the F1 of the matching; none -> the best (least negative) item agreement. A single
    item with exactly the words of a longer list (names not split) -> 0.9.
    """
    la, lb = a.split(NAME_SEPARATOR), b.split(NAME_SEPARATOR)
    if min(len(la), len(lb)) == 1 < max(len(la), len(lb)) and sorted(a.replace(";", "").split()) == sorted(
            b.replace(";", "").split()):
        return 0.9  # the same names, one side not split ("Jennifer Widom Stefano Ceri")
    pairs = sorted(((_item_agreement(x, y), i, j) for i, x in enumerate(la) for j, y in enumerate(lb)),
                   reverse=True)
    used_a: set[int] = set()
    used_b: set[int] = set()
    scores = []
    for score, i, j in pairs:
        if score > 0 and i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            scores.append(score)
    m, short, long_ = len(scores), min(len(la), len(lb)), max(len(la), len(lb))
    if m == short == long_:
        return sum(scores) / m
    if m == short:
        return 0.3 + 0.5 * short / long_ * min(scores)
    f1 = 2.0 * m / (len(la) + len(lb))
    return 2.0 * f1 - 1.0 if m else pairs[0][0]
