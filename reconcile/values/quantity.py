"""Counts and numbers as closed intervals [min, max] (None = unbounded).

Reads digits with separators ("8,000", "1.5 million"), number words (text2num's ``alpha2digit``
for en, fr, es, de, pt, it, nl; ``reconcile/data/number_words.csv`` for Turkish), ranges ("between 5 and 7", "5-7"), bounds ("at least 3",
"3 or more", "fewer than 10", "about 100") and vague quantities ("several", "dozens",
"no one"). Every phrase list is data: ``reconcile/data/quantities.csv`` (bounds justified in its
header) and ``reconcile/data/units.csv``.

The normalised ``value``: an exact count is an int, an exact number an int or float; an
approximation ("about 100", "nearly 100") keeps N; other intervals are written ">=3", "<=10"
or "5-7" ("[-5, -3]" when a bound is negative).
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from functools import cache, lru_cache
from typing import NamedTuple

from text_to_num import alpha2digit

from reconcile.values._base import ParsedValue, ValueParseError, read_table

__all__ = ["NUMBER_WORD_LANGUAGES", "compose_number_words", "parse_quantity", "unit_base"]

#: Languages tried, in order, for number words (those text2num supports).
NUMBER_WORD_LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "de", "pt", "it", "nl")

_PLAIN = re.compile(r"^\s*(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)\s*$")
_NUM = re.compile(r"-?(?:\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?")
_SYMBOLS = (("≥", " at least "), (">=", " at least "), ("≤", " at most "), ("<=", " at most "),
            (">", " more than "), ("<", " less than "), ("~", " about "), ("≈", " about "))
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2012": "-", "\u00a0": " ",
                         "\u202f": " ", "\u2009": " "})
_THOUSANDS = re.compile(r"(?<=\d)[, ](?=\d{3}(?!\d))")
_PLUS = re.compile(r"(?<=\d)\s*\+")
_CURRENCY = re.compile(r"^([$€])\s*(?=\d)")
_VULGAR = re.compile(r"(\d*)\s*([\u00bc-\u00be\u2150-\u215e])")
_FRACTION = re.compile(r"(?<![\d/.])(?:(\d+)\s+)?(\d+)\s*[/\u2044]\s*(\d+)(?![\d/.])")  # "1 1/2"
_WORD_PUNCT = re.compile(r"[^\w\s%$€°.\-]|(?<!\d)\.|\.(?!\d)")


class _Lexicon(NamedTuple):
    amounts: dict[str, tuple[float, float]]
    scales: dict[str, tuple[float, bool]]  # factor, only attached to the digits
    pre: dict[str, tuple[str, float, float]]
    post: dict[str, tuple[str, float, float]]
    units: dict[str, tuple[str, str, float, float]]  # alias -> unit, base, factor, offset


def _num(text: str, default: float) -> float:
    return float(text) if text else default


@cache
def _lexicon() -> _Lexicon:
    lex = _Lexicon({}, {}, {}, {}, {})
    for row in read_table("quantities.csv"):
        phrase, kind = row["phrase"], row["type"]
        if kind == "amount":
            lex.amounts[phrase] = (_num(row["min"], 0.0), _num(row["max"], math.inf))
        elif kind == "scale":
            lex.scales[phrase] = (float(row["min"]), row["position"] == "attached")
        else:
            table = lex.post if row["position"] == "post" else lex.pre
            table[phrase] = (kind, _num(row["min"], 1.0), _num(row["max"], 1.0))
    for row in read_table("units.csv"):
        lex.units[row["alias"]] = (row["unit"], row["base"], float(row["factor"]), _num(row["offset"], 0.0))
    return lex


@cache
def _unit_bases() -> dict[str, tuple[str, float, float]]:
    units = _lexicon().units
    bases = {alias: (base, factor, offset) for alias, (_, base, factor, offset) in units.items()}
    bases.update({canonical: (base, factor, offset) for canonical, base, factor, offset in units.values()})
    return bases


def unit_base(unit: str | None) -> tuple[str, float, float] | None:
    """The base unit, factor and offset of a unit, canonical or as written ("km" or
    "kilometres" -> ("m", 1000.0, 0.0); "°F" -> ("°C", 5/9, -160/9)); None for a unit outside
    ``units.csv`` (or no unit)."""
    if not unit:
        return None
    bases = _unit_bases()
    return bases.get(unit) or bases.get(unit.strip().casefold())


def _fraction(match: re.Match) -> str:
    whole, numerator, denominator = match.group(1), int(match.group(2)), int(match.group(3))
    return repr((int(whole) if whole else 0) + numerator / denominator) if denominator else match.group()


def _vulgar(match: re.Match) -> str:
    return repr(int(match.group(1) or 0) + unicodedata.numeric(match.group(2)))


def _prepare(text: str) -> str:
    text = _VULGAR.sub(_vulgar, html.unescape(text))
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).casefold()
    for symbol, words in _SYMBOLS:
        text = text.replace(symbol, words)
    text = _FRACTION.sub(_fraction, _PLUS.sub(" or more", _THOUSANDS.sub("", text)))
    return " ".join(_WORD_PUNCT.sub(" ", text).split())


def _longest_prefix(text: str, table: dict) -> str | None:
    """The longest key of ``table`` (of at most 5 words) that ``text`` starts with, as whole words."""
    words = text.split(" ", 5)
    for size in range(min(5, len(words)), 0, -1):
        key = " ".join(words[:size])
        if key in table:
            return key
    return None


def _finite(x: float, text: str) -> float:
    if not math.isfinite(x):
        raise ValueParseError(f"cannot read {text!r} as a quantity: not a finite number")
    return x


def _amount(text: str) -> tuple[float, float, str] | None:
    """Read one amount at the start of ``text``: (min, max, rest) or None."""
    lex = _lexicon()
    word = _longest_prefix(text, lex.amounts)
    if word is not None:
        lo, hi = lex.amounts[word]
        end = len(word)
    else:
        match = _NUM.match(text)
        if match is None:
            return None
        lo = hi = _finite(float(match.group()), text)
        end = match.end()
    rest = text[end:].strip()
    scale = _longest_prefix(rest, lex.scales)
    if scale is not None and (text[end:end + 1] != " " or not lex.scales[scale][1]):
        factor = lex.scales[scale][0]
        lo, hi, rest = lo * factor, hi * factor, rest[len(scale):].strip()
    if rest.startswith("of ") and word is not None:
        rest = rest[3:]
    return lo, hi, rest


@cache
def _number_words() -> dict[str, tuple[float, str]]:
    return {row["word"]: (float(row["value"]), row["role"]) for row in read_table("number_words.csv")}


def compose_number_words(text: str) -> str | None:
    """Leading number words of ``reconcile/data/number_words.csv`` as digits ("iki yüz otuz beş
    asker" -> "235.0 asker"), or None when the (lower-case) text does not start with one."""
    table, words = _number_words(), text.split(" ")
    total = group = 0.0
    used = 0
    for word in words:
        if word not in table:
            break
        value, role = table[word]
        if role == "digit":
            group += value
        elif role == "multiplier":
            group = (group or 1.0) * value
        else:
            total, group = total + (group or 1.0) * value, 0.0
        used += 1
    return None if not used else " ".join([repr(total + group), *words[used:]])


def _amount_with_words(text: str) -> tuple[float, float, str] | None:
    """:func:`_amount`, converting number words to digits first if needed (text2num, then the
    number-word table for other languages)."""
    found = _amount(text)
    if found is not None:
        return found
    for lang in NUMBER_WORD_LANGUAGES:
        converted = alpha2digit(text, lang, threshold=0)
        if converted != text and _NUM.search(converted):
            converted = re.sub(r"^(?:a|an|one)\s+(?=\d)", "", converted)
            return _amount(_prepare(converted))
    composed = compose_number_words(text)
    return None if composed is None else _amount(composed)


def _amount_or_range(text: str) -> tuple[float, float, str] | None:
    """One amount, or a range "between X and Y", "from X to Y", "X-Y", "X to Y", "X or Y"
    -> (min, max, rest)."""
    first = _amount_with_words(re.sub(r"^(?:between|from)\s+", "", text))
    if first is None:
        return None
    match = re.match(r"(?:-|to|and|or)\s*(?=\S)", first[2])
    second = None
    if match is not None and _longest_prefix(first[2], _lexicon().post) is None:
        second = _amount_with_words(first[2][match.end():])
    if second is None:
        return first
    return min(first[0], second[0]), max(first[1], second[1]), second[2]


def _bound(n_lo: float, n_hi: float, rule: str, f_lo: float, f_hi: float, count: bool) -> tuple[float, float]:
    """Apply a bound rule to the amount [n_lo, n_hi] (N is n_lo for lower, n_hi for upper rules)."""
    step = 1.0 if count else 0.0
    floor = 0.0 if count else -math.inf
    if rule == "at_least":
        return n_lo, math.inf
    if rule == "more_than":
        return n_lo + step, math.inf
    if rule == "at_most":
        return floor, n_hi
    if rule == "less_than":
        return floor, n_hi - step
    lo, hi = sorted((n_lo * f_lo, n_hi * f_hi))
    if count:  # an open end ("about some": some is unbounded) stays open
        lo = math.floor(round(lo, 9)) if math.isfinite(lo) else lo
        hi = math.ceil(round(hi, 9)) if math.isfinite(hi) else hi
    return lo, hi


def _canonical(lo: float, hi: float, count: bool, exact: float | None) -> object:
    def show(x: float) -> object:
        return int(x) if float(x).is_integer() and abs(x) < 2**53 else x

    if exact is not None:
        return show(exact)
    if lo == hi:
        return show(lo)
    if hi == math.inf:
        return f">={show(lo)}"
    if lo == (0.0 if count else -math.inf):
        return f"<={show(hi)}"
    if lo < 0:
        return f"[{show(lo)}, {show(hi)}]"
    return f"{show(lo)}-{show(hi)}"


def _unit(rest: str, count: bool, prefix_unit: str | None, original: str) -> str | None:
    if count:
        if re.search(r"\d", rest):
            raise ValueParseError(f"cannot read {original!r} as a count: unexpected {rest!r}")
        return None
    if not rest:
        return prefix_unit
    known = _lexicon().units.get(rest) or _lexicon().units.get(rest.split()[0])
    if known:
        return known[0]
    if re.search(r"\d", rest):
        raise ValueParseError(f"cannot read {original!r} as a number: unexpected {rest!r}")
    return rest


@lru_cache(maxsize=1 << 18)
def parse_quantity(text: str | float, kind: str = "count") -> ParsedValue:
    """Parse a count or number into an interval; see the module docstring.

    >>> parse_quantity("at least 3 soldiers")
    ParsedValue(value='>=3', kind='count', min=3.0, max=None, unit=None)
    >>> parse_quantity("30 kilometers", "number")
    ParsedValue(value=30, kind='number', min=30.0, max=30.0, unit='km')
    """
    count = kind == "count"
    original = str(text)
    lex = _lexicon()
    rule, f_lo, f_hi = "exact", 1.0, 1.0
    prefix_unit = None
    plain = _PLAIN.match(original) if isinstance(text, str) else None
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        found: tuple[float, float, str] | None = (_finite(float(text), original),) * 2 + ("",)
    elif plain:  # the common case of structured input: "1,234", "-3.5"
        found = (float(plain.group(1).replace(",", "")),) * 2 + ("",)
    else:
        s = _prepare(original)
        currency = _CURRENCY.match(s)
        if currency:
            prefix_unit = lex.units[currency.group(1)][0]
            s = s[currency.end():]
        pre = _longest_prefix(s, lex.pre)
        found = _amount_or_range(s[len(pre):].strip()) if pre is not None else None
        if found is not None:
            rule, f_lo, f_hi = lex.pre[pre]  # type: ignore[index]
        else:  # no bound, or a bound word that is an amount itself ("some")
            found = _amount_or_range(s)
    if found is None:
        raise ValueParseError(f"cannot read {original!r} as a {kind}: no number or quantity word")
    lo, hi, rest = found
    post = _longest_prefix(rest, lex.post)
    if post is not None and rule == "exact":
        rule, f_lo, f_hi = lex.post[post]
        rest = rest[len(post):].strip()
    exact = None
    if rule in ("approx", "nearly") and lo == hi:
        exact = lo
    if rule != "exact":
        lo, hi = _bound(lo, hi, rule, f_lo, f_hi, count)
    if count and (lo < 0 or not (float(lo).is_integer() and (hi == math.inf or float(hi).is_integer()))):
        raise ValueParseError(f"cannot read {original!r} as a count: counts are whole numbers >= 0")
    if lo > hi:
        raise ValueParseError(f"cannot read {original!r} as a {kind}: no {kind} fits it")
    unit = _unit(rest, count, prefix_unit, original)
    return ParsedValue(_canonical(lo, hi, count, exact), kind,
                       None if lo == -math.inf else float(lo), None if hi == math.inf else float(hi),
                       unit)
