"""News text to attributed claims: sentences, speakers, counts, events, times, places."""

from __future__ import annotations

import bisect
import re
from datetime import date, timedelta
from typing import Iterable

import pandas as pd

from reconcile.contract import CLAIM_COLUMNS, OPTIONAL_CLAIM_COLUMNS, claim_id, claim_ids
from reconcile.timeline import INCREMENT

from .attribution import (Said, Speaker, SpeakerRegistry, find_attribution, find_tweet, headline_attribution,
                          quote_attribution, sentence_subject)
from .events import find_dates, find_event_types, find_places, find_times
from .language import detect_language
from .lexicon import Lexicon, get_lexicon, lower_text
from .quantities import find_counts, normalise_subject, settled_people
from .sentences import Sentence, find_quotes, is_headline, split_paragraphs, split_sentences

__all__ = ["extract_claims", "extract_documents", "COLUMNS", "EXTRACTOR"]

EXTRACTOR = "reconcile.extract/0.1"
#: The columns of the frame :func:`extract_claims` returns.
COLUMNS: tuple[str, ...] = CLAIM_COLUMNS + OPTIONAL_CLAIM_COLUMNS
_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s")
_FOREIGN = re.compile(r"[À-ɏͰ-ӿ\u0590-\u06ff\u0900-\u0dff\u3040-\u9fff\uac00-\ud7af]")
_CLOCKISH = re.compile(r"\d|noon|midnight")  # on lower_text
_DATEISH = re.compile(r"\d|day|night|morning|evening|afternoon")  # on lower_text
#: Another occasion than the article's own event ("last year's attack", "in 2015", "three weeks ago");
#: not the span of this one ("in the last week", "erupted a week ago").
_OCCASION = re.compile(r"\b(?<!the )(?:(?:last|previous|past) (?:year|month|week)(?:'s|’s)?"
                       r"|(?:two|three|four|five|six|several|\d+) weeks ago"
                       r"|(?:a|an|one|two|three|four|five|six|several|\d+) (?:months?|years?|decades?) ago"
                       r"|earlier this (?:year|month)|(?:in|a|an) (?P<year>(?:19|20)\d\d))\b")  # on lower_text
#: A wire dateline, "BOGOTA, March 13 (Reuters) - ": its date is the report's, not the event's.
_DATELINE = re.compile(r"[^\n()]{0,80}?\([^()\n]{1,40}\)\s*[-–—]+\s")
_NEIGHBOUR = re.compile(r"neighbou?ring|nearby|adjacent|another|separate|elsewhere|other", re.IGNORECASE)


def _parse_value():
    from reconcile.values import parse_value  # the values package owns normalisation
    return parse_value


def _as_date(published) -> date | None:
    """The publication date, or None when it is missing or unreadable."""
    from reconcile.values.temporal import as_date
    try:
        return as_date(published)
    except ValueError:
        return None


def _document_language(head: str) -> str:
    """The language of an article from its opening (English unless other letters or words show)."""
    return detect_language(head) if _FOREIGN.search(head) else "en"


def _norm_tokens(text: str) -> set:
    return {w.lower().removesuffix("’s").removesuffix("'s") for w in re.findall(r"[A-ZÀ-Þİ][\w’'\-]+", text)}


class _Doc:
    """The state of one document while it is read: speakers, quotes, the lede, the rows."""

    def __init__(self, text, published, outlet, document, language):
        self.text = text
        self.ref = _as_date(published)
        self.reported_at = self.ref.isoformat() if self.ref else None
        self.document = document
        self.lex = get_lexicon(language or "en")
        self.registry = SpeakerRegistry(self.lex)
        self.default = Speaker(outlet or "unattributed", "media" if outlet else "anonymous")
        self.outlet = Said(self.default, self.default.canonical, None, "outlet")
        self.rows: list[list] = []
        self.count_rows: list[tuple] = []  # (row, mention, event, lowest value) of each count claim
        self.seen: set = set()
        self.parse = _parse_value()
        self.event_date: str | None = None
        self.dateline_end = 0
        self.lede_places: set = set()
        self._places_of, self._places = None, []
        self._all_places = None
        self.low = self.masked_low = text
        self.main_event = f"{document}#1"
        self.sentence_event = self.main_event
        self._other_events: dict[str, str] = {}
        self._last_paragraph, self._last_event = None, self.main_event
        self.revised: set[int] = set()  # rows of a revised figure ("rose to 14")
        self.paragraph_of_last_count = None

    def event_id(self, qualifier: str | None) -> str:
        """The document's event id for a count about another place or occasion (``<doc>#2``...),
        or the sentence's event when there is no qualifier."""
        if not qualifier:
            return self.sentence_event
        return self._other_events.setdefault(qualifier, f"{self.document}#{len(self._other_events) + 2}")

    def occasion(self, s: Sentence) -> str:
        """The event of a sentence: another occasion's when it names one ("last year's attack"),
        or the other incident's, at its place ("Separately, in Celaya, a fire killed four"); a
        sentence that goes on in the paragraph of another occasion stays with it ("On Thursday,
        a mine flooded in Jixi. Three bodies were found.")."""
        event = self._occasion(s)
        if event == self.main_event and self._last_paragraph == s.paragraph:
            event = self._last_event
        self._last_paragraph, self._last_event = s.paragraph, event
        return event

    def _occasion(self, s: Sentence) -> str:
        for m in _OCCASION.finditer(self.low, s.start, s.end):
            if m.group("year") and self.ref and int(m.group("year")) == self.ref.year:
                continue
            return self.event_id(m.group(0).removesuffix("'s").removesuffix("’s"))
        if _separate(self, s):
            place = _location_qualifier(self, s, s.start, False)
            if place:
                return self.event_id(place)
        return self.main_event

    def places(self, s: Sentence) -> list:
        """Place mentions of a sentence (computed once), without the places where something was
        only said ("he told a briefing in Geneva")."""
        if self._places_of is not s:
            venue = self.lex.re["venue_before"]
            self._places_of, self._places = s, [
                p for p in find_places(self.text, s.start, s.end, self.lex)
                if not venue.search(self.low, max(s.start, p.start - 40), max(s.start, p.start - 3))]
        return self._places

    def all_places(self) -> list:
        """Place mentions of the whole document (computed once, on demand)."""
        if self._all_places is None:
            self._all_places = find_places(self.text, 0, len(self.text), self.lex)
        return self._all_places

    # -- rows ---------------------------------------------------------------------------------
    def add(self, said: Said, subject, predicate, parsed, start, end, sentence, lang,
            hedged=False, negated=False, event=None, part=None, earlier=False):
        if parsed.value is None:  # a word the parser reads as "no value" is no claim
            return
        event = event or self.sentence_event
        speaker = said.speaker
        key = (id(speaker), subject, predicate, str(parsed.value), negated, lang, event, earlier)  # restated in another language: kept
        if key in self.seen:
            return
        self.seen.add(key)
        # in COLUMNS order; claim_id, source and source_type are filled in at the end
        self.rows.append([None, speaker, said.raw, subject, predicate, parsed.value, self.text[start:end],
                          parsed.kind, parsed.min, parsed.max, parsed.unit, bool(hedged), bool(negated),
                          self.reported_at, self.document, sentence.text, start, end, EXTRACTOR, said.cites,
                          speaker, lang, event, said.how, part, bool(earlier)])

    def finish(self) -> list[tuple]:
        """The rows, with each speaker's final canonical name and type; a speaker's generic event
        types ("attack") go when the same speaker names a specific one ("car bomb"), and a
        speaker's other figures of a slot it revised ("the toll rose to 14") are earlier ones."""
        current = {_slot_key(self.rows[i]): self.rows[i][_VALUE] for i in sorted(self.revised)}
        for i, row in enumerate(self.rows):
            if i not in self.revised and current.get(_slot_key(row), row[_VALUE]) != row[_VALUE]:
                row[_EARLIER] = True
        settled = settled_people([found for _, *found in self.count_rows], self.lex)
        if settled:  # one person reported wounded, then dead; one of "two men wounded"
            gone = {id(self.count_rows[i][0]) for i in settled}
            self.rows = [r for r in self.rows if id(r) not in gone]
        self._lone_phrase_parts_are_totals()
        generic = _generic_types(self)
        specific = {id(r[_SOURCE]) for r in self.rows if r[_PRED] == "event_type" and r[_VALUE] not in generic}
        self.rows = [r for r in self.rows if not (r[_PRED] == "event_type" and r[_VALUE] in generic
                                                  and id(r[_SOURCE]) in specific)]
        for row in self.rows:
            row[_SOURCE] = row[_SOURCE].canonical
            row[_TYPE] = row[_TYPE].type
        return self.rows


    def _lone_phrase_parts_are_totals(self) -> None:
        """A figure given only with a part phrase ("both were pronounced dead at the scene") or
        as a share of another kind's figure ("nine were rescued, one of whom was hurt") is the
        event's figure when the article gives no total of its kind and no other part: the one
        figure there is, not a part of an unstated total. Breakdowns by place stay parts."""
        phrases = self.lex.set("part_phrases")
        by_kind: dict = {}
        for row in self.rows:
            if row[_KIND] == "count":
                by_kind.setdefault((row[_EVENT], row[_PRED]), []).append(row)
        for rows in by_kind.values():
            parts = {r[_PART] for r in rows}
            part = next(iter(parts))
            if len(parts) == 1 and part and (part in phrases or part.startswith("of ")):  # a phrase or a share
                for row in rows:
                    row[_SUBJECT] = row[_SUBJECT].removesuffix(f" {row[_PART]}")
                    row[_PART] = None


_SOURCE, _TYPE = COLUMNS.index("source"), COLUMNS.index("source_type")
_PRED, _VALUE = COLUMNS.index("predicate"), COLUMNS.index("value")
_SUBJECT, _EVENT, _EARLIER = COLUMNS.index("subject"), COLUMNS.index("event"), COLUMNS.index("earlier")
_KIND, _PART = COLUMNS.index("value_kind"), COLUMNS.index("part")


def _slot_key(row: list) -> tuple:
    """(speaker, event, subject, predicate) of a row: one speaker's figure of one slot."""
    return id(row[_SOURCE]), row[_EVENT], row[_SUBJECT], row[_PRED]


def _generic_types(doc: "_Doc") -> frozenset:
    """The generic event types of the document's lexicon, as normalised values."""
    got = doc.lex.re.get("_generic_values")
    if got is None:
        got = doc.lex.re["_generic_values"] = frozenset(
            _category(doc, name).value for name in doc.lex.words("generic_event_types"))
    return got


def _frame(rows: list) -> pd.DataFrame:
    """The claims frame of extracted rows (columns :data:`COLUMNS`)."""
    frame = pd.DataFrame(rows, columns=list(COLUMNS)) if rows else pd.DataFrame(columns=list(COLUMNS))
    frame["value_min"] = frame["value_min"].astype("float64")
    frame["value_max"] = frame["value_max"].astype("float64")
    frame["start"] = frame["start"].astype("int64")
    frame["end"] = frame["end"].astype("int64")
    frame["hedged"] = frame["hedged"].astype(bool)
    frame["negated"] = frame["negated"].astype(bool)
    if rows:
        frame["claim_id"] = claim_ids(frame[["source_raw", "subject", "predicate", "value_text",
                                             "document", "start"]])
    return frame


def _mask(text: str, quotes) -> str:
    """The document with quoted passages blanked, quote marks and offsets kept."""
    parts, pos = [], 0
    for q in quotes:
        parts.append(text[pos:q.start + 1])
        parts.append(" " * max(0, q.end - q.start - 2))
        pos = q.end - 1
    parts.append(text[pos:])
    return "".join(parts)


def _foreign_quotes(doc: _Doc, s: Sentence, quotes, quote_starts, lang: str):
    """The parts of a sentence quoted in another language than the sentence's, with that language."""
    k = max(0, bisect.bisect_right(quote_starts, s.start) - 1)
    while k < len(quotes) and quotes[k].start < s.end:
        q = quotes[k]
        k += 1
        a, b = max(q.start, s.start), min(q.end, s.end)
        if b - a < 12:
            continue
        qlang = detect_language(doc.text[a:b], doc.lex.language)
        if qlang != lang:
            yield Sentence(a, b, doc.text[a:b], s.paragraph), qlang


def _speaker_of(doc: _Doc, attr) -> Said:
    """Who says what an attribution covers; the outlet when there is none."""
    if attr:
        sp = doc.registry.resolve(attr.raw, attr.anonymous)
        if sp is not None:
            return Said(sp, attr.raw, attr.cites, "pronoun" if doc.registry.is_pronoun(attr.raw) else attr.how)
    return doc.outlet


class _Voices:
    """Who speaks each sentence and each paragraph: a sentence's own attribution; a quoted
    passage with none is the speaker's of the paragraph before (or after) it; the rest is the
    outlet's voice."""

    def __init__(self, doc: _Doc, paragraphs: list, sentences: list, masked: str):
        self.doc, self.paragraphs, self.masked = doc, paragraphs, masked
        self.by_paragraph: dict[int, list[Sentence]] = {}
        for s in sentences:
            self.by_paragraph.setdefault(s.paragraph, []).append(s)
        self.last_named: dict[int, Said] = {}
        self._ahead: dict[int, Said | None] = {}

    def heard(self, paragraph: int, said: Said | None) -> None:
        """Record a speaker found in a paragraph (the last one is the paragraph's)."""
        if said is not None and said.how in ("named", "pronoun"):
            self.last_named[paragraph] = said

    def of_sentence(self, s: Sentence) -> Said:
        doc = self.doc
        said = _speaker_of(doc, find_attribution(doc.text, s.start, s.end, doc.lex, self.masked, doc.masked_low))
        if said.how == "outlet" and _inside_quote(doc.text, self.paragraphs[s.paragraph][0], s.start):
            said = self.adjacent(s.paragraph)
        self.heard(s.paragraph, said)
        return said

    def adjacent(self, paragraph: int) -> Said:
        """The speaker of a quote with no attribution of its own: the one named last in the
        paragraph before, else the first one named in the paragraph after; else the outlet."""
        before = self.last_named.get(paragraph - 1) or self.last_named.get(paragraph)
        if before is None:
            before = self._first_named(paragraph + 1)
        if before is None:
            return self.doc.outlet
        return before._replace(how="adjacent")

    def _first_named(self, paragraph: int) -> Said | None:
        if paragraph not in self._ahead:
            doc, found = self.doc, None
            for s in self.by_paragraph.get(paragraph, ()):
                attr = find_attribution(doc.text, s.start, s.end, doc.lex, self.masked, doc.masked_low)
                if attr is None:
                    for q in find_quotes(doc.text, s.start, s.end):
                        attr = quote_attribution(doc.text, q.start, q.end, s.end, s.start, doc.lex)
                        if attr:
                            break
                if attr is not None and not doc.registry.is_pronoun(attr.raw):
                    found = _speaker_of(doc, attr)
                    break
            self._ahead[paragraph] = found
        return self._ahead[paragraph]


def _inside_quote(text: str, paragraph_start: int, pos: int) -> bool:
    """Whether ``pos`` lies inside a quotation opened earlier in its paragraph and not yet
    closed (a quoted paragraph whose speaker is named elsewhere)."""
    head = text[paragraph_start:pos + 1]
    return head.count("“") > head.count("”") or (head.count('"') % 2 == 1 and head.lstrip().startswith('"'))


def _clauses(doc: _Doc, s: Sentence, masked: str, sent: Said) -> list:
    """Clauses with a speaker of their own ("Police put it at 24,000, while organisers said...")."""
    seps = list(doc.lex.re["clause_sep"].finditer(doc.masked_low, s.start, s.end))
    if not seps:
        return []
    starts = [s.start] + [m.end() for m in seps]
    ends = [m.start() for m in seps] + [s.end]
    out = []
    for a, b in zip(starts, ends):
        attr = find_attribution(doc.text, a, b, doc.lex, masked, doc.masked_low)
        if attr:
            who = _speaker_of(doc, attr)
            out.append((a, b, who if who.how != "outlet" else sent))
    return out


def _location_qualifier(doc: _Doc, s: Sentence, start: int, zero: bool, speaker: str = "") -> str | None:
    """A place that sets this count apart from the main event's ("no deaths in neighbouring X",
    "Separately, in X, two people died"); not one in the speaker's name ("the civil hospital in
    Bharuch said")."""
    text = doc.text
    named = speaker.lower()
    places = [p for p in doc.places(s) if p.value.lower() not in named]
    if not places:
        return None
    after = [p for p in places if p.start > start]
    first_comma = text.find(",", s.start, s.end)
    initial = [p for p in places if first_comma >= p.end and p.start - s.start <= 30]
    separate = _separate(doc, s)
    place = places[0] if separate else after[0] if after else (initial[0] if initial else None)
    if place is None:
        return None
    name = place.value
    words = name.split()
    if words and words[0].lower() in doc.lex.set("place_anaphors") or name.lower().startswith("the "):
        return None
    cue = _NEIGHBOUR.search(text[max(s.start, place.start - 30):place.start])
    known = name.lower() in doc._other_events  # "six people had died in Celaya", the other incident's place
    if not (zero or cue or separate or known or place in initial):
        return None
    if _norm_tokens(name) & doc.lede_places:
        return None
    anaphors = "|".join(doc.lex.words("place_anaphors"))
    name = re.sub(rf"\s+(?:{anaphors})$", "", name, flags=re.IGNORECASE)
    return name.lower()


def _part(doc: _Doc, s: Sentence, c, found: list, speaker: Speaker, raw: str) -> str | None:
    """The part of the event a count is about, None for the event's total: "more" for an
    increment ("seven more deaths", but not "14 killed and 30 more hurt"; "another four" after
    the same speaker's count of the same kind), the place of a breakdown ("11 in Dantakuri and
    4 in Tsayau"; a place alone may name the whole event's area, "seven deaths in Lincoln
    County"), a place phrase ("13 died at the scene") or the group of a share ("of whom three",
    "eight of the victims")."""
    low, rx = doc.low, doc.lex.re
    others = any(o.start < c.start and o.predicate != c.predicate for o in found)  # "14 killed, 30 more hurt"
    if rx["increment_after"].match(low, c.end) and not others or (
            rx["increment_before"].search(low, max(s.start, c.start - 16), c.start + len(_BOUND_WORD.match(
                low, c.start).group(0))) and any(r[_PRED] == c.predicate and r[_SOURCE] is speaker
                                                 for r in doc.rows)):
        return INCREMENT
    phrase_end = max(c.end, c.phrase_end)
    reach = min(s.end, phrase_end + 40)
    stop = next((m.start() for m in _CLAUSE_END.finditer(low, phrase_end, reach)), reach)
    place = _place_after(doc, s, c.end, stop, raw)
    if place is not None:
        listed = _NEXT_ITEM.match(low, place.end) or sum(
            _place_after(doc, s, o.end, min(s.end, max(o.end, o.phrase_end) + 40), raw) is not None
            for o in found if o.predicate == c.predicate and not o.singular) >= 2  # counted figures only
        if listed:
            return place.value.lower()
    phrase = rx["part_phrase"].match(low, phrase_end) or rx["part_phrase"].match(low, c.end)
    if phrase:
        return " ".join(phrase.group(0).split())
    if rx["share_after"].match(low, c.end) or rx["share_before"].search(low, s.start, c.start):
        share = _SHARE_OF.match(low[c.end:stop])
        if share and share.group(1) in ("whom", "them"):  # "one of whom suffered burns": of the group before
            return "of them"
        words = _SHARE_OF.sub("", low[c.end:stop]).split()[:3]
        return " ".join(["of", *words]) if words else "of them"
    return None


#: The next item of a breakdown after a place: "23 in Florida[ and 10 in] other states".
_NEXT_ITEM = re.compile(r"\s*(?:,|and|while)\s+(?:and\s+)?(?:[\d,.]+|[a-z]+)\s+(?:(?:more|others|people)\s+)?(?:in|at)\s")
_SHARE_OF = re.compile(r"^\s*of\s+(the|those|them|whom|these)\b")
_POSSESSIVE = re.compile(r"['’]s\b")
_BOUND_WORD = re.compile(r"(?:another|a further|further|additional|an additional)?")
_CLAUSE_END = re.compile(r"[;:()]|,\s+(?:and|but|while|who|which)\b|\band\s+(?:\d|[a-z]+\s+(?:were|was|had|have))")


def _clause_start(low: str, lo: int, pos: int) -> int:
    """Where the clause holding text[pos] begins ("Earlier reports said 280, [but the agency
    now says 1,000]")."""
    return max((m.end() for m in _CONTRAST.finditer(low, lo, pos)), default=lo)


_CONTRAST = re.compile(r"[;:]|\bbut\b|\bwhile\b|\bwhereas\b|\bnow\b|\bhowever\b")


def _place_after(doc: _Doc, s: Sentence, lo: int, hi: int, speaker: str):
    """The first place named in text[lo:hi] ("killed 11 in Dantakuri"), not the speaker's."""
    named = speaker.lower()
    for p in doc.places(s):
        if lo <= p.start < hi and p.value.lower() not in named:
            words = p.value.split()
            if words[0].lower() in doc.lex.set("place_anaphors") or p.value.lower().startswith("the "):
                return None
            return p
    return None


def _separate(doc: _Doc, s: Sentence) -> bool:
    """Whether a sentence reports another incident: "Separately, ...", "In the second
    incident, ...", or it opens on another day than the story's event."""
    return doc.lex.re["separate_occasion"].match(doc.low, s.start) is not None or _another_day(doc, s)


def _another_day(doc: _Doc, s: Sentence) -> bool:
    """Whether the sentence opens on another day than the story's event ("On Sunday, a fire at
    a market in Celaya killed four people" in a story about Tuesday's blast)."""
    if doc.event_date is None:
        return False
    first = next(iter(_dates(doc, s.start, min(s.end, s.start + 16))), None)
    return first is not None and first[1].value != doc.event_date


def _province_anaphor(doc: _Doc, s: Sentence, start: int) -> str | None:
    """"in the province" after "In Eastern Samar province" names Eastern Samar."""
    m = re.compile(r"\bin the (" + "|".join(doc.lex.words("place_anaphors")) + r")\b").search(
        doc.text, start, s.end)
    if not m:
        return None
    kind = m.group(1)
    found = None
    for p in doc.all_places():
        if p.start >= m.start():
            break
        if p.value.lower().endswith(" " + kind):
            found = p.value[: -len(kind) - 1]
    return found.lower() if found and not (_norm_tokens(found) & doc.lede_places) else None


def _breakdown(doc: _Doc, s: Sentence, found: list, who, lang: str) -> dict:
    """The parts a breakdown lists under a count ("Florida (11), Georgia (17)"; "including 112
    women and seven children"), as parts of the sentence's count, or of the paragraph's last one
    (their predicate and subject) when the sentence has none. Returns {offset: part} of the
    items, counts the sentence found itself included."""
    kin = next((r for r in reversed(doc.rows) if r[_KIND] == "count" and r[_PART] is None), None) \
        if not found else None
    if not found and (kin is None or doc.paragraph_of_last_count != s.paragraph):
        return {}
    predicate = found[0].predicate if found else kin[_PRED]
    base = normalise_subject(found[0].subject, doc.lex) if found else kin[_SUBJECT]
    taken = [(c.start, c.end) for c in found]
    items = [(m.start("n"), m.end("n"), m.group("name").lower(), f"{base} in {m.group('name').lower()}")
             for m in _PAREN_ITEM.finditer(doc.text, s.start, s.end)]
    if len(items) < 2:
        items = []
        intro = next((m for m in _LIST_ITEMS.finditer(doc.low, s.start, s.end)
                      if doc.lex.re["breakdown_intro"].search(doc.low, s.start, m.start())), None)
        for m in _LIST_ITEM.finditer(doc.low, intro.start(), intro.end()) if intro else ():
            noun = normalise_subject(m.group("noun"), doc.lex)
            items.append((m.start("n"), m.end("n"), noun, noun))
    for start, end, part, subject in items:
        if any(a <= start < b for a, b in taken):
            continue
        try:
            value = doc.parse(doc.text[start:end], "count")
        except ValueError:
            continue
        doc.add(who(start), subject, predicate, value, start, end, s, lang, part=part)
    return {start: part for start, _, part, _ in items}


_PAREN_ITEM = re.compile(r"(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3})\s+\((?P<n>\d[\d,]*)\)")
_NUMBER = r"(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|[a-z]+ty(?:-[a-z]+)?)"
_LIST_ITEM = re.compile(rf"(?P<n>{_NUMBER})\s+(?P<noun>[a-z][\w’'-]+)")
_LIST_ITEMS = re.compile(rf"{_NUMBER}\s+[a-z][\w’'-]+(?:(?:,\s*|,?\s+and\s+){_NUMBER}\s+[a-z][\w’'-]+)+")


def _counts(doc: _Doc, s: Sentence, slex: Lexicon, who, lang: str):
    text = doc.text
    found = find_counts(text, s.start, s.end, slex, doc.low)
    if doc.lex.re["habitual"].search(doc.low, s.start, s.end):
        return
    listed = _breakdown(doc, s, found, who, lang)
    if not found:
        return
    doc.paragraph_of_last_count = s.paragraph
    hedged, denial = False, None
    low = doc.low
    for m in doc.lex.re["hedge_denial"].finditer(low, s.start, s.end):
        if m.lastgroup == "hedge":
            hedged = True
        elif denial is None:
            denial = m
    if slex is not doc.lex and not hedged:
        hedged = bool(slex.re["hedge"].search(low, s.start, s.end))
    for c in found:
        value_text = ("at least one" if c.existential else str(c.people) if c.singular else "none" if c.denied
                      else c.value_text)
        try:
            parsed = doc.parse(value_text, "count")
        except ValueError:  # a bound the values parser does not know ("a further 13"): the number alone
            bm = slex.re["bound_prefix"].match(doc.low, c.start, c.end)
            if bm is None or c.existential or c.singular:
                continue
            try:
                parsed = doc.parse(text[bm.end():c.end], "count")
            except ValueError:
                continue
            c.start, c.value_text = bm.end(), text[bm.end():c.end]
        subject = normalise_subject(c.subject, slex)
        said = who(c.start)
        place = _location_qualifier(doc, s, c.start, parsed.max == 0, said.raw) or (
            _province_anaphor(doc, s, c.end) if parsed.max == 0 else None)
        event = doc.event_id(place)
        part = None if place else listed.get(c.start) or _part(doc, s, c, found, said.speaker, said.raw)
        if place:
            subject = f"{subject} in {place}"
        elif part and part != subject:
            subject = f"more {subject}" if part == INCREMENT else f"{subject} {part}"
        negated = bool(denial and denial.start() < c.start and not c.denied and not doc.lex.re[
            "denial_breaker"].search(low, denial.end(), c.start))
        clause = _clause_start(low, s.start, c.start)
        earlier = doc.lex.re["earlier"].search(low, clause, c.start) is not None
        added = len(doc.rows)
        doc.add(said, subject, c.predicate, parsed, c.start, c.end, s, lang,
                hedged=hedged, negated=negated, event=event, part=part, earlier=earlier)
        if len(doc.rows) > added:
            doc.count_rows.append((doc.rows[-1], c, event, parsed.min))
            if not earlier and doc.lex.re["revision"].search(low, clause, c.start):
                doc.revised.add(len(doc.rows) - 1)
        if part and not place:
            base = subject.removesuffix(f" {part}")
            for start, end, where, value in _elided_parts(doc, s, c, found, said.raw):
                doc.add(said, f"{base} {where}", c.predicate, value, start, end, s, lang,
                        hedged=hedged, event=event, part=where, earlier=earlier)


def _elided_parts(doc: _Doc, s: Sentence, c, found: list, raw: str):
    """(start, end, place, parsed) of the items a breakdown by place elides after a count:
    "14 were killed in Kurmin[, 5 in Dogo] and 7 in Gidan Dutse"."""
    place = _place_after(doc, s, c.end, s.end, raw)
    while place is not None:
        m = _ELIDED.match(doc.low, place.end)
        following = _place_after(doc, s, m.end(), m.end() + 1, raw) if m else None
        if following is None:
            return
        if not any(o.start <= m.start("n") < o.end for o in found):  # not a count of its own already
            try:
                value = doc.parse(doc.text[m.start("n"):m.end("n")], "count")
            except ValueError:
                return
            yield m.start("n"), m.end("n"), following.value.lower(), value
        place = following


_ELIDED = re.compile(r"\s*(?:,|and|while)\s+(?:and\s+)?(?P<n>[\d,]+|[a-z-]+)\s+(?:(?:more|others|people)\s+)?"
                     r"(?:in|at)\s+")


def _events(doc: _Doc, s: Sentence, slex: Lexicon, who, lang: str):
    text = doc.text
    if doc.lex.re["page_stamp"].match(doc.low, s.start):
        return  # "Updated 10:40 GMT": the page's time, not the event's
    trigger, types = find_event_types(text, s.start, s.end, slex, doc.low)
    if slex is not doc.lex and not types:
        trigger, types = find_event_types(text, s.start, s.end, doc.lex, doc.low)
    if not trigger:
        if doc.event_date is None and doc.sentence_event == doc.main_event:
            doc.event_date = _first_date(doc, s)  # "gas leaked on Thursday night": the day, unclaimed
        # no event word, but a clock time with a named zone ("at 1:15 p.m. (0815 GMT)") still dates it
        zoned = [t for t in find_times(text, s.start, s.end, doc.lex, doc.low) if t.value] \
            if _CLOCKISH.search(doc.low, s.start, s.end) else ()
        if zoned:
            _event_time(doc, s, zoned, None, who, lang)
        return
    for ev in types:
        doc.add(who(ev.start), "event", "event_type",
                _category(doc, ev.value), ev.start, ev.end, s, lang)
    day = None
    for d, parsed in _dates(doc, s.start, s.end):
        day = parsed.value
        if doc.event_date is None:
            doc.event_date = day
        doc.add(who(d.start), "event", "event_date", parsed, d.start, d.end, s, lang)
        break
    times = find_times(text, s.start, s.end, doc.lex, doc.low) if _CLOCKISH.search(doc.low, s.start, s.end) else ()
    if times:
        _event_time(doc, s, times, day, who, lang)
    for p in doc.places(s):
        try:
            parsed = doc.parse(p.value, "place")
        except ValueError:
            continue
        doc.add(who(p.start), "event", "location", parsed, p.start, p.end, s, lang)


def _dates(doc: _Doc, lo: int, hi: int):
    """(mention, parsed date) of the dates in text[lo:hi] that parse, in order."""
    if not _DATEISH.search(doc.low, lo, hi):
        return
    statement = doc.lex.re["statement_date_before"]
    for d in find_dates(doc.text, lo, hi, doc.lex, doc.low):
        if d.start < doc.dateline_end:
            continue
        if statement.search(doc.low, max(lo, d.start - 48), d.start) and not _POSSESSIVE.match(doc.low, d.end):
            continue  # "the ministry said on Tuesday": the day of the statement, not of the event
        try:
            yield d, doc.parse(doc.text[d.start:d.end], "date", reference=doc.ref)
        except ValueError:
            continue


def _first_date(doc: _Doc, s: Sentence) -> str | None:
    return next((parsed.value for _, parsed in _dates(doc, s.start, s.end)), None)


def _event_time(doc: _Doc, s: Sentence, times: list, day, who, lang: str):
    """One event_time claim: a GMT/UTC time wins, then a zoned one; without a zone, a time of day.
    A day right after the time is its own ("9:10 p.m. on Tuesday (0210 GMT on Wednesday)")."""
    best = next((t for t in times if t.explicit_utc), next((t for t in times if t.value), times[0]))
    own = next(iter(_dates(doc, best.end, min(s.end, best.end + 30))), None)
    day = day or doc.event_date
    if own is not None and doc.text[best.end:own[0].start].strip().lower() in ("", "on", ","):
        day = own[1].value
    elif best.explicit_utc and day is not None:
        local = next((t for t in times if not t.explicit_utc and t.start < best.start), None)
        shift = _utc_day_shift(doc, local.text, best.text) if local is not None else 0
        if shift and _as_date(day) is not None:
            day = (_as_date(day) + timedelta(days=shift)).isoformat()
    ref = (_as_date(day) or doc.ref) if best.value else None
    try:
        parsed = doc.parse(best.text, "time", reference=ref)
    except ValueError:
        return
    doc.add(who(best.start), "event", "event_time", parsed, best.start, best.end, s, lang)


def _utc_day_shift(doc: _Doc, local: str, utc: str) -> int:
    """Days from a local clock time's day to its GMT equivalent's: "11:40 p.m. (0440 GMT)" is
    the next day in GMT (a zone is 14 hours ahead of GMT at most and 12 behind)."""
    try:
        gap = doc.parse(utc, "time").min - doc.parse(local, "time").min
    except (ValueError, TypeError):
        return 0
    return 1 if gap < -14 * 3600 else -1 if gap > 12 * 3600 else 0


def _category(doc: _Doc, name: str):
    try:
        return doc.parse(name, "category")
    except ValueError:
        from reconcile.values import ParsedValue
        return ParsedValue(name, "category", None, None)


def extract_claims(text: str, published=None, outlet: str | None = None, document: str | None = None,
                   language: str | None = None) -> pd.DataFrame:
    """Attributed claims of one news article, one row per claim (see :data:`COLUMNS`).

    ``published`` (ISO date) anchors "Tuesday" and clock times; ``outlet`` speaks for unattributed
    sentences; ``document`` names the article (default: a hash of the text).

    >>> df = extract_claims("Two people were killed in the blast, police said.", published="2024-05-02")
    >>> df[["source", "subject", "predicate", "value"]].values.tolist()[0]
    ['police', 'people', 'killed', 2]
    """
    return _frame(_rows(text, published, outlet, document, language))


def _rows(text, published, outlet, document, language) -> list:
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    header = _HEADER.match(text)
    body = header.end() if header else 0
    if published is None and header:
        published = header.group(1)
    document = document or f"doc-{claim_id(text)[:10]}"
    paragraphs = split_paragraphs(text, body)
    doc = _Doc(text, published, outlet, document, language or _document_language(text[body:(paragraphs[0][1] if paragraphs else body)][:600]))
    lex = doc.lex
    sentences = split_sentences(text, lex.set("abbreviations"), body, paragraphs)
    if not sentences:
        return []
    headline = 0 if len(paragraphs) > 1 and is_headline(text, *paragraphs[0], paragraphs[1][0]) else None
    in_headline = sum(1 for x in sentences if x.paragraph == 0) if headline == 0 else 0
    lede = sentences[:in_headline + 1]  # the headline (if any) and the first sentence
    doc.lede_places = _norm_tokens(" ".join(x.text for x in lede))
    dateline = _DATELINE.match(text, lede[-1].start)
    doc.dateline_end = dateline.end() if dateline else 0
    tweets = {}
    for i, (a, b) in enumerate(paragraphs):
        m = find_tweet(text[a:b])
        if m:
            sp = doc.registry.add_handle(m.group("name").strip(), m.group("handle"))
            raw = text[a + m.start("name"):a + m.end("handle") + 1]
            tweets[i] = (Said(sp, raw, None, "named"), a + m.start())
    quotes = [q for a, b in paragraphs for q in find_quotes(text, a, b)]
    quote_starts = [q.start for q in quotes]
    quote_who: dict[int, Said | None] = {}
    masked = _mask(text, quotes)
    doc.low = lower_text(text)
    doc.masked_low = _mask(doc.low, quotes)
    voices = _Voices(doc, paragraphs, sentences, masked)

    for s in sentences:
        lang = detect_language(s.text, lex.language) if _FOREIGN.search(s.text) else lex.language
        slex = get_lexicon(lang)
        a, b = paragraphs[s.paragraph]
        tweet = tweets.get(s.paragraph)
        if tweet and s.start < tweet[1]:
            sent = tweet[0]
        elif s.paragraph == headline:
            sent = _speaker_of(doc, headline_attribution(text, s.start, s.end, lex))
        else:
            sent = voices.of_sentence(s)
        clauses = _clauses(doc, s, masked, sent)

        def who(pos, _sent=sent, _s=s, _a=a, _b=b, _clauses=clauses) -> Said:
            k = bisect.bisect_right(quote_starts, pos) - 1
            if k >= 0 and quotes[k].start <= pos < quotes[k].end:
                if k not in quote_who:
                    q = quotes[k]
                    qa = quote_attribution(text, q.start, q.end, _b, max(_s.start, _a), lex)
                    said = _speaker_of(doc, qa) if qa else None
                    if (said is None or said.how == "outlet") and _sent.how == "outlet" and not _clauses:
                        said = voices.adjacent(_s.paragraph)  # a quote nobody in its sentence says
                    quote_who[k] = said if said is not None and said.how != "outlet" else None
                    voices.heard(_s.paragraph, said)
                if quote_who[k]:
                    return quote_who[k]
            for start, end, clause_sent in _clauses:
                if start <= pos < end:
                    return clause_sent
            return _sent

        doc.sentence_event = doc.occasion(s)
        _counts(doc, s, slex, who, lang)
        _events(doc, s, slex, who, lang)
        for qs, qlang in _foreign_quotes(doc, s, quotes, quote_starts, lang):  # "“Murieron 29 personas…,” he said."
            _counts(doc, qs, get_lexicon(qlang), who, qlang)
            _events(doc, qs, get_lexicon(qlang), who, qlang)
        k = bisect.bisect_left(quote_starts, s.start)  # quotes ending here: their speaker is now the last one
        while k < len(quotes) and quotes[k].start < s.end:
            if s.start < quotes[k].end <= s.end:
                who(quotes[k].start)
            k += 1
        k = bisect.bisect_right(quote_starts, s.start) - 1
        if 0 <= k < len(quotes) and quotes[k].start < s.start < quotes[k].end <= s.end:
            who(quotes[k].start)
        if sent.how == "outlet" and s.paragraph != headline:
            subject = sentence_subject(masked, s.start, s.end, lex)
            if subject:
                doc.registry.note_subject(subject)
    return doc.finish()


def extract_documents(docs: Iterable) -> pd.DataFrame:
    """Claims of many articles (dicts with text, id, published, outlet, language; or plain strings)."""
    rows: list = []
    for i, d in enumerate(docs):
        if isinstance(d, str):
            d = {"text": d}
        if not isinstance(d.get("text"), str):
            raise TypeError(f"document {i}: 'text' must be a string")
        rows.extend(_rows(d["text"], d.get("published"), d.get("outlet"),
                          d.get("id") or d.get("document") or f"doc{i}", d.get("language")))
    return _frame(rows)
