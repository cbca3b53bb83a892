"""What happened, when and where: event-type words, clock times, dates and place mentions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import Lexicon, alternation, lower_text

__all__ = ["Mention", "find_event_types", "find_times", "find_dates", "find_places"]


@dataclass(frozen=True)
class Mention:
    """A span of the document and what it names (a category, a place, or the span itself)."""

    start: int
    end: int
    text: str
    value: str = ""
    explicit_utc: bool = False


def _patterns(lex: Lexicon) -> dict:
    cache = lex.re.get("_events")
    if cache:
        return cache
    zones = alternation([z for z in lex.words("time_zone_words") if len(z) > 1], word=False)
    utc = lex.set("explicit_utc_words")
    ampm = r"(?:a\.m\.?|p\.m\.?|am|pm)(?![\w])"
    clock = (rf"(?:\d{{1,2}}[:.]\d{{2}}(?:\s*{ampm})?|\d{{1,2}}\s*{ampm}|\d{{4}}(?=\s*(?:gmt|utc)\b)"
             r"|noon|midnight)")
    months = alternation(lex.words("months") + lex.words("month_abbreviations"), word=False)
    day = r"\d{1,2}(?:st|nd|rd|th)?"
    weekdays = alternation(lex.words("weekdays"), word=False)
    relative = alternation(lex.data.get("relative_days", {}), word=False)
    not_places = lex.set("not_places")
    anaphors = alternation(lex.words("place_anaphors"), word=False)
    cap = r"[A-ZÀ-ÞİŞĞÇÖÜ][\w’'\-]+"
    modifiers = alternation(lex.words("place_modifiers"), word=False)
    cache = {
        # time and date scan lower_text(document), case-sensitively; place needs the capitals
        "time": re.compile(rf"(?<![\w:.])(?P<clock>{clock})(?:\s+(?P<zone>{zones})(?![\w]))?"),
        "date": re.compile(
            rf"(?<![\w])(?:(?:(?:{weekdays}),?\s+)?(?:(?:{months})\.?\s+{day}(?:,?\s+\d{{4}})?|{day}\s+(?:{months})(?:\s+\d{{4}})?)"
            rf"|(?:{weekdays})|(?:{relative}))(?![\w])"),
        "place": re.compile(
            rf"(?<![\w])(?:[Ii]n|[Nn]ear|[Oo]utside|off|at)\s+(?:(?:the\s+)?(?:{cap}\s+)?(?:{anaphors})\s+of\s+)?(?:(?:{modifiers})\s+)?"
            rf"(?P<place>{cap}(?:\s+(?:{cap}|(?:de|al|el|of)(?![\w-]))){{0,3}}(?:\s+(?:{anaphors})(?![\w]))?)"),
        "utc": utc,
        "local": lex.set("local_time_words"),
        "not_places": not_places,
    }
    lex.re["_events"] = cache
    return cache


def find_event_types(text: str, lo: int, hi: int, lex: Lexicon, low: str | None = None) -> tuple[bool, list[Mention]]:
    """(whether text[lo:hi] names an event or an event verb, its event-type words as categories);
    generic types ("attack") only when nothing specific is there. One scan (of ``low``, the
    document through :func:`lower_text`) does both."""
    mapping = lex.re["event_type_map"]
    found, trigger = [], False
    ignore = lex.set("not_event_phrases")
    for m in lex.re["event_verb"].finditer(lower_text(text) if low is None else low, lo, hi):
        word = " ".join(m.group().split())
        if word in ignore:
            continue
        trigger = True
        cat = mapping.get(word)
        if cat is not None:
            found.append(Mention(m.start(), m.end(), text[m.start():m.end()], cat))
    generic = lex.set("generic_event_types")
    if any(f.value not in generic for f in found):
        found = [f for f in found if f.value not in generic]
    return trigger, found


def find_times(text: str, lo: int, hi: int, lex: Lexicon, low: str | None = None) -> list[Mention]:
    """Clock times in text[lo:hi]; ``value`` is the named zone ("" when none or local time), and a
    time in GMT/UTC is marked ``explicit_utc`` (``low``: the document through :func:`lower_text`)."""
    p = _patterns(lex)
    out = []
    for m in p["time"].finditer(lower_text(text) if low is None else low, lo, hi):
        zone = m.group("zone") or ""
        if re.fullmatch(r"\d{4}", m.group("clock")) and not zone:
            continue
        if not zone and text.startswith(":", m.end()):
            continue  # "Update 17:10:": a live blog's heading, not the event's time
        local = zone in p["local"]
        out.append(Mention(m.start(), m.end(), text[m.start():m.end()], "" if local else zone,
                           explicit_utc=zone in p["utc"]))
    return out


def find_dates(text: str, lo: int, hi: int, lex: Lexicon, low: str | None = None) -> list[Mention]:
    """Date expressions in text[lo:hi]: "July 14", "14 July 2020", "Tuesday", "yesterday"."""
    scan = lower_text(text) if low is None else low
    return [Mention(m.start(), m.end(), text[m.start():m.end()]) for m in _patterns(lex)["date"].finditer(scan, lo, hi)]


def find_places(text: str, lo: int, hi: int, lex: Lexicon) -> list[Mention]:
    """Place names after in/near/outside ("near the settlement of Erikha" gives "Erikha")."""
    p = _patterns(lex)
    out = []
    for m in p["place"].finditer(text, lo, hi):
        place = m.group("place")
        first = place.split()[0].lower().rstrip("’'s")
        if place.lower() in p["not_places"] or first in p["not_places"]:
            continue
        out.append(Mention(m.start("place"), m.end("place"), place, place))
    return out
