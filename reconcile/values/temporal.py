"""Times and dates with real time zones (zoneinfo), as intervals of POSIX seconds.

Reads ISO 8601, "2020-07-14 08:50 Europe/Moscow", "8:50 Moscow time", "0117 GMT", "7:10 a.m.",
"7:10aDec 1", "12/01/2011 08:00 PM", "Fri 02-Dec-2011", "Thu 22:15", "1:50 p.m. (+8:00)",
"July 14, 2020", "Tuesday" and the other formats of the Flight benchmark (Li et al., PVLDB
2013). Zone words are data (``reconcile/data/zones.csv``).

Conventions: a time is an instant, value "2020-07-14T05:50:00Z", min == max. A date is its whole
local day, value "2020-07-14", [00:00, next 00:00) of that day in the given zone, in UTC if
none; "July 2020" and "2020" are dates at coarser precision ("2020-07", "2020") covering the
month or the year. Without a zone a time is naive and read as UTC. Numeric dates are month first
("12/01/2011" is 1 December) unless the first number is over 12. A partial date (no year, a
weekday, "yesterday") is resolved against ``reference``: a weekday is the latest such day on or
before it (a report looks back: "on Monday" in Friday's paper is four days earlier), a day and
month the nearest such date; with no
reference a time keeps only its time of day: value "07:10", min == max == seconds since
midnight (UTC; a named zone uses its offset on 1 January, as no date is known). A time with no
date and a reference takes the reference's date.
"""

from __future__ import annotations

import calendar
import html
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from reconcile.values._base import ParsedValue, ValueParseError, read_table
from reconcile.values.text import is_missing

__all__ = ["DAY", "as_date", "parse_temporal"]

DAY = 86400.0
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = (r"(?P<mon>january|february|march|april|may|june|july|august|september|sept|october|"
          r"november|december|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\.?(?![a-z])")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY = re.compile(r"(?<![a-z])(?P<wd>mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|"
                      r"urday|s|r|rs)?\.?(?![a-z])", re.IGNORECASE)
_RELATIVE = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}
_RELATIVE_RE = re.compile(r"\b(?P<rel>yesterday|today|tonight|tomorrow)\b", re.IGNORECASE)

_OFFSETS = (
    re.compile(r"\(\s*(?:utc|gmt)?\s*(?P<sign>[+-])(?P<h>\d{1,2}):?(?P<m>\d{2})?\s*\)", re.IGNORECASE),
    re.compile(r"\b(?:utc|gmt)\s*(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?(?!\d)", re.IGNORECASE),
    re.compile(r"(?<=\d)\s?(?P<sign>[+-])(?P<h>\d{2}):?(?P<m>\d{2})(?![\d:-])"),
)
_IANA = re.compile(r"\b[A-Z][A-Za-z_]+(?:/[A-Za-z_+\-0-9]+)+")
_TIMES = (
    re.compile(r"(?<![\d:])(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?\s*"
               r"(?:(?P<ap>[aApP])\.?\s?(?:[mM]\.?)?(?![a-z])|(?P<word>noon|midnight))?"),
    re.compile(r"(?<![\d:])(?P<h>\d{1,2})\s*(?P<ap>[aApP])\.?\s?[mM]\.?(?![a-z])"),
    re.compile(r"(?<![a-z])(?P<word>noon|midnight)(?![a-z])", re.IGNORECASE),
)
#: "0117 GMT", "0800 hrs": four digits are a time only next to a zone or "hrs" (else a year).
_MILITARY = re.compile(r"(?<![\d,])(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)(?!\d)(?P<hrs>\s*hrs?\b)?",
                       re.IGNORECASE)
_DATES = (
    re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<![\d/])(?P<mo>\d{1,2})/(?P<d>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?(?![\d/])"),
    re.compile(r"(?<![\d-])(?P<mo>\d{1,2})-(?P<d>\d{1,2})-(?P<y>\d{4}|\d{2})(?![\d-])"),
    re.compile(r"(?<![\w])(?P<d>\d{1,2})(?:st|nd|rd|th)?[\s-]+" + _MONTH + r"(?:[\s,-]+(?P<y>\d{4}))?(?!\d)",
               re.IGNORECASE),
    re.compile(r"(?<![A-Za-z])" + _MONTH + r"\s*(?P<d>\d{1,2})(?:st|nd|rd|th)?(?!\d)"
               r"(?:,?\s*(?P<y>\d{4})(?!\d))?", re.IGNORECASE),
)
#: A month of a year ("July 2020") or a year alone: a date at coarser precision.
_MONTH_YEAR = re.compile(r"(?<![A-Za-z])" + _MONTH + r"[\s,]*(?P<y>1[6-9]\d\d|2\d\d\d)(?!\d)", re.IGNORECASE)
_YEAR = re.compile(r"^\s*(?:in\s+)?(?P<y>1[6-9]\d\d|2\d\d\d)\s*$", re.IGNORECASE)
#: Words a time text may carry besides the time: they are dropped; any other word is an error.
_NOISE = re.compile(r"\([^)\d]*\)|[*,.()]|\b(?:at|on|in|by|of|the|about|around|approximately|roughly|"
                    r"circa|some|just|after|before|local|time|hrs?|hours|estimated|expected|runway|gate|"
                    r"scheduled|actual|delayed|landed|departed|arrived|early|late|morning|afternoon|"
                    r"evening|night|midday)\b", re.IGNORECASE)
_UTC = UTC


@cache
def _zone_words() -> tuple[tuple[re.Pattern, dict[str, str]], ...]:
    """Two patterns (upper-case abbreviations, case-sensitive; other names, any case), each an
    alternation of the names, longest first, and the zone spec of each (lower-cased) name."""
    rows = sorted(read_table("zones.csv"), key=lambda r: -len(r["name"]))
    patterns = []
    for upper in (True, False):
        zones = {r["name"].lower(): r["zone"] for r in rows if r["name"].isupper() == upper}
        names = "|".join(re.escape(r["name"]) for r in rows if r["name"].isupper() == upper)
        patterns.append((re.compile(rf"(?<![\w/])(?:{names})(?![\w/])", 0 if upper else re.IGNORECASE), zones))
    return tuple(patterns)


def _tz(spec: str) -> tzinfo:
    """An IANA name or a fixed offset "+05:30" -> tzinfo."""
    if spec[0] in "+-":
        sign = -1 if spec[0] == "-" else 1
        hours, _, minutes = spec[1:].partition(":")
        return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes or 0)))
    return ZoneInfo(spec)


def as_date(reference: object) -> date | None:
    """A reference (date, datetime, pandas Timestamp, ISO string or None) as a date."""
    if reference is None or reference != reference:  # noqa: PLR0124 (NaN and NaT)
        return None
    if isinstance(reference, datetime):
        return reference.date()
    if isinstance(reference, date):
        return reference
    try:
        return date.fromisoformat(str(reference)[:10])
    except ValueError:
        day = parse_temporal(str(reference), "date")
    return date.fromisoformat(day.value)


class _Fields:
    """What the scanner found in a time text."""

    def __init__(self) -> None:
        self.zone: tzinfo | None = None
        self.time: tuple[int, int, int] | None = None
        self.ymd: tuple[int | None, int, int] | None = None
        self.weekday: int | None = None
        self.relative: int | None = None


def _take(pattern: re.Pattern, s: str) -> tuple[re.Match | None, str]:
    match = pattern.search(s)
    if match is None:
        return None, s
    return match, s[:match.start()] + " " + s[match.end():]


def _scan_zone(s: str, f: _Fields, text: str) -> str:
    for pattern in _OFFSETS:
        match, s = _take(pattern, s)
        if match:
            if int(match["h"]) > 14 or int(match["m"] or 0) > 59:
                raise ValueParseError(f"cannot read {text!r}: {match.group().strip()!r} is not a UTC offset")
            f.zone = _tz(f"{match['sign']}{int(match['h']):02d}:{match['m'] or '00'}")
            return s
    for match in _IANA.finditer(s):
        try:
            f.zone = ZoneInfo(match.group())
        except (ValueError, KeyError):
            continue
        return s[:match.start()] + " " + s[match.end():]
    for pattern, zones in _zone_words():
        match, s = _take(pattern, s)
        if match:
            f.zone = _tz(zones[match.group().lower()])
            return s
    return s


def _clock(h: int, mi: int, sec: int, ap: str | None, word: str | None, text: str) -> tuple[int, int, int]:
    word = (word or "").lower()
    if word == "noon" and ":" not in text:
        h = 12
    elif word == "midnight":
        h = 0 if h in (0, 12) else h
    ap = (ap or "").lower()
    if ap and not 1 <= h <= 12:
        raise ValueParseError(f"cannot read {text!r} as a time: hour {h} with a.m./p.m.")
    if ap == "p" and h < 12:
        h += 12
    elif ap == "a" and h == 12:
        h = 0
    if h > 23 or mi > 59 or sec > 59:
        raise ValueParseError(f"cannot read {text!r} as a time: {h}:{mi:02d} is not a clock time")
    return h, mi, sec


def _scan_time(s: str, f: _Fields) -> str:
    for pattern in _TIMES:
        match, s = _take(pattern, s)
        if match:
            groups = match.groupdict()
            h = int(groups.get("h") or 12)
            f.time = _clock(h, int(groups.get("mi") or 0), int(groups.get("s") or 0),
                            groups.get("ap"), groups.get("word"), match.group())
            return s
    return s


def _scan_date(s: str, f: _Fields, text: str) -> str:
    for pattern in _DATES:
        match, s = _take(pattern, s)
        if match:
            mon = match.groupdict().get("mon")
            month = _MONTHS.index(mon[:3].lower()) + 1 if mon else int(match["mo"])
            day = int(match["d"])
            if not mon and month > 12 and day <= 12:
                month, day = day, month
            year = match["y"]
            y = None if year is None else int(year) + (0 if len(year) == 4 else 2000 if int(year) < 70 else 1900)
            f.ymd = (y, month, day)
            if y is not None:
                _checked_date(y, month, day, text)
            break
    match, s = _take(_WEEKDAY, s)
    if match:
        f.weekday = _WEEKDAYS.index(match["wd"].lower())
    match, s = _take(_RELATIVE_RE, s)
    if match:
        f.relative = _RELATIVE[match["rel"].lower()]
    return s


def _checked_date(y: int, m: int, d: int, text: str) -> date:
    try:
        return date(y, m, d)
    except ValueError as exc:
        raise ValueParseError(f"cannot read {text!r} as a date: {exc}") from exc


def _resolve_date(f: _Fields, ref: date | None, text: str) -> date | None:
    """The calendar date the fields name, using the reference for partial dates."""
    if f.ymd is not None and f.ymd[0] is not None:
        return _checked_date(*f.ymd, text)  # type: ignore[misc]
    if ref is None:
        return None
    if f.ymd is not None:
        _, m, d = f.ymd
        candidates = [_checked_date(y, m, d, text) for y in (ref.year - 1, ref.year, ref.year + 1)
                      if (m, d) != (2, 29) or calendar.isleap(y)]
        if not candidates:
            raise ValueParseError(f"cannot read {text!r} as a date: no 29 February within a year of {ref}")
        return min(candidates, key=lambda c: abs((c - ref).days))
    if f.weekday is not None:
        return ref - timedelta(days=(ref.weekday() - f.weekday) % 7)
    if f.relative is not None:
        return ref + timedelta(days=f.relative)
    return ref if f.time is not None else None


def _iso(dt: datetime) -> str:
    return dt.astimezone(_UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def _day(day: date, zone: tzinfo | None) -> ParsedValue:
    zone = zone or _UTC
    start = datetime(day.year, day.month, day.day, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return ParsedValue(day.isoformat(), "date", start.timestamp(), end.timestamp())


def _period(year: int, month: int | None, zone: tzinfo | None) -> ParsedValue:
    """A month ("2020-07") or a year ("2020") as a date interval."""
    zone = zone or _UTC
    start = datetime(year, month or 1, 1, tzinfo=zone)
    end = (datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone) if month
           else datetime(year + 1, 1, 1, tzinfo=zone))
    value = f"{year:04d}-{month:02d}" if month else f"{year:04d}"
    return ParsedValue(value, "date", start.timestamp(), end.timestamp())


def _time_of_day(clock: tuple[int, int, int], zone: tzinfo | None) -> ParsedValue:
    h, mi, sec = clock
    offset = (zone.utcoffset(datetime(2000, 1, 1)) if zone else None) or timedelta(0)
    seconds = (h * 3600 + mi * 60 + sec - offset.total_seconds()) % DAY
    h, rem = divmod(int(seconds), 3600)
    text = f"{h:02d}:{rem // 60:02d}" + (f":{rem % 60:02d}" if rem % 60 else "")
    return ParsedValue(text, "time", seconds, seconds)


def _iso_fast(text: str, kind: str) -> ParsedValue | None:
    """ISO 8601 strings through :meth:`datetime.fromisoformat`."""
    if not re.match(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$", text):
        return None
    parsed = datetime.fromisoformat(text)
    zone = parsed.tzinfo
    if kind == "date" or len(text) == 10:
        return _day(parsed.date(), zone)
    return ParsedValue(_iso(parsed.replace(tzinfo=zone or _UTC)), "time",
                       *(2 * (parsed.replace(tzinfo=zone or _UTC).timestamp(),)))


@lru_cache(maxsize=1 << 18)
def parse_temporal(text: str, kind: str = "time", reference: date | None = None) -> ParsedValue:
    """Parse a time or date; ``kind`` "date" always yields a date. See the module docstring.

    >>> parse_temporal("8:50 Moscow time", reference=date(2020, 7, 14)).value
    '2020-07-14T05:50:00Z'
    >>> parse_temporal("7:10aDec 1").value
    '07:10'
    """
    try:
        return _parse(text, kind, reference)
    except ValueParseError:
        raise
    except (ValueError, OverflowError) as exc:  # out-of-range dates, ISO strings fromisoformat refuses
        raise ValueParseError(f"cannot read {text!r} as a {kind}: {exc}") from exc


def _parse(text: str, kind: str, reference: date | None) -> ParsedValue:
    s = " ".join(unicodedata.normalize("NFKC", html.unescape(str(text)).replace("&nbsp", " ")).split())
    fast = _iso_fast(s, kind)
    if fast is not None:
        return fast
    f = _Fields()
    s = _scan_zone(s, f, text)
    s = _scan_time(s, f)
    s = _scan_date(s, f, text)
    period = None
    if f.time is None and f.ymd is None:
        period, s = _take(_MONTH_YEAR, s)
        military = _MILITARY.search(s) if period is None else None
        if military and (f.zone is not None or military["hrs"]):
            f.time = _clock(int(military["h"]), int(military["mi"]), 0, None, None, text)
            s = s[:military.start()] + " " + s[military.end():]
        elif period is None:
            period, s = _take(_YEAR, s)
    rest = " ".join(_NOISE.sub(" ", s).split())
    if rest and is_missing(rest):
        return ParsedValue(None, kind, None, None)
    if f.time is None and f.ymd is None and f.weekday is None and f.relative is None and period is None:
        raise ValueParseError(f"cannot read {text!r} as a {kind}: no date or time found")
    if rest:
        raise ValueParseError(f"cannot read {text!r} as a {kind}: unexpected {rest!r}")
    if period is not None and f.weekday is None and f.relative is None:
        mon = period.groupdict().get("mon")
        return _period(int(period["y"]), _MONTHS.index(mon[:3].lower()) + 1 if mon else None, f.zone)
    day = _resolve_date(f, reference, text)
    if kind == "date" or (f.time is None and day is not None):
        if day is None:
            raise ValueParseError(f"cannot read {text!r} as a date: a partial date needs a reference date")
        return _day(day, f.zone)
    if f.time is None:
        raise ValueParseError(f"cannot read {text!r} as a {kind}: a partial date needs a reference date")
    if day is None:
        return _time_of_day(f.time, f.zone)
    moment = datetime(day.year, day.month, day.day, *f.time, tzinfo=f.zone or _UTC)
    return ParsedValue(_iso(moment), "time", moment.timestamp(), moment.timestamp())
