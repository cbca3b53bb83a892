"""What was counted: find count mentions (digits, number words, vague quantities, bounds, zeros)
and tie each to a count predicate (killed, wounded, missing, detained, displaced, evacuated, kidnapped,
rescued, participants)
and its subject."""

from __future__ import annotations

import re
from dataclasses import dataclass

from functools import lru_cache

from ..resolve import GENERIC_SUBJECT
from .lexicon import Lexicon, get_lexicon, lower_text

__all__ = ["CountMention", "find_counts", "normalise_subject", "settled_people"]

_FROM = re.compile(r"(?<!\w)from\s+$", re.IGNORECASE)
_DET_END = re.compile(r"(?<!\w)(?:the|its|their|his|her|our)\s+$", re.IGNORECASE)
_RANGE_TO = re.compile(r"\s+to\s+", re.IGNORECASE)
_DETERMINERS = re.compile(r"^(?:of\s+)?(?:(?:the|its|their|those|these|his|her|our|whom|all|own)\s+)*", re.IGNORECASE)
#: "the number of inmates killed at 18": the noun the count is of.
_NUMBER_OF = re.compile(r"number\s+of\s+(?P<noun>[\w’'-]+)\s+[^,;:.]{0,60}$")
#: "[three] Tajik servicemen and one civilian had died": a count that shares the next one's verb.
_COORDINATED = re.compile(r"(?P<subj>(?:\s+[\w’'-]+){1,3}?)\s+and\s+")
#: Between a count with a subject and a later one without: "16 inmates were killed and [nine] injured".
_ELLIPSIS = re.compile(r"[^.;:!?]{0,60}(?:,|\band)\s+$")


@dataclass
class CountMention:
    """A count tied to a predicate: document offsets of the value, the subject as written."""

    predicate: str
    start: int
    end: int
    value_text: str
    subject: str
    zero: bool = False
    existential: bool = False
    singular: bool = False  # people written without a numeral: ``people`` of them
    people: int = 1
    denied: bool = False  # "denied that anyone was missing": zero, said by the one who denies
    phrase_end: int = -1  # where the subject + predicate phrase after the count ends


def normalise_subject(words: str, lex: Lexicon) -> str:
    """A short lower-case noun phrase; generic nouns ("people", "others", "of them") give "people".

    >>> from reconcile.extract.lexicon import get_lexicon
    >>> normalise_subject(" of its Fighters", get_lexicon("en"))
    'fighters'
    >>> normalise_subject(" of worshippers", get_lexicon("en"))
    'worshippers'
    """
    return _normalise_subject(words, lex.language)


@lru_cache(maxsize=1 << 14)
def _normalise_subject(words: str, language: str) -> str:
    lex = get_lexicon(language)
    s = " ".join(words.replace("’", "'").split()).lower()
    s = _DETERMINERS.sub("", s).strip()
    s = re.sub(r"'s$", "", s)
    generic = lex.set("generic_subjects")
    if not s or s in generic or s.split()[-1] in generic and len(s.split()) <= 2:
        return GENERIC_SUBJECT
    return s


def _left(text: str, lo: int, end: int, lex: Lexicon) -> str | None:
    """The predicate whose verb or toll phrase ends just before text[end] ("killing", "toll rose to")."""
    rx = lex.re["left"]
    last = text[max(lo, end - 30):end].rsplit(None, 1)[-1:]
    if rx is None or not last or last[0].lower().lstrip("“\"‘'([") not in lex.re["left_last"]:
        return None
    m = rx.search(text, max(lo, end - 160), end)
    if m is None:
        return None
    name = m.lastgroup or ""
    return name[5:] if name.startswith("toll_") else name


def _best_right(text: str, pos: int, endpos: int, lex: Lexicon):
    """(predicate, match) of the longest subject + predicate phrase at text[pos:], or None."""
    names = set()
    after_word = lex.re["after_word"]
    for w in lex.re["any_after"].finditer(text, pos, endpos):
        names |= after_word.get(" ".join(w.group().lower().split()), set())
    best, best_key = None, None
    for name in (n for n in lex.re["right"] if n in names):  # the lexicon's order, never a set's
        rm = lex.re["right"][name].match(text, pos, endpos)
        key = rm and (rm.end(), -rm.start("pred"))  # the longest phrase, then the longest predicate
        if rm and (best is None or key > best_key):
            best, best_key = (name, rm), key
    if best is not None and _DET_END.search(text, pos, best[1].start("pred")):
        return None  # "of the trapped miners": the predicate word is an adjective here
    return best


def find_counts(text: str, lo: int, hi: int, lex: Lexicon, low: str | None = None) -> list[CountMention]:
    """Count mentions in text[lo:hi] that a predicate of the lexicon governs (``low`` is
    ``lower_text(text)``, scanned instead of ``text``; spans are the same)."""
    if low is None:
        low = lower_text(text)
    out: list[CountMention] = []
    if not lex.re["count_gate"].search(low, lo, hi):
        return out
    count_re = lex.re["count"]
    pending = []  # counts without a predicate of their own yet
    for m in count_re.finditer(low, lo, hi):
        start, end = m.start(), m.end()
        if m.group("tail") and _FROM.search(low[max(lo, start - 8):start]):
            to = list(_RANGE_TO.finditer(low, start, end))
            if to:
                start = to[-1].end()
        if lex.re["not_count"].match(low, end, hi) or lex.re["not_count_before"].search(low, max(lo, start - 16), start):
            continue  # "0630 GMT", "30 kilometres", "6.1 magnitude", "under the age of 12": a measure, not a count
        zero = bool(m.group("zero"))
        pred = None if zero else _left(low, lo, start, lex)
        bm = lex.re["bound_prefix"].match(low, start, end) if pred is None and not zero else None
        if bm:  # "rose to" + "up to 121": the bound belongs to the verb
            pred = _left(low, lo, bm.end(), lex)
            if pred is not None:
                start = bm.end()
        if pred is not None and low[max(lo, start - 12):start].split()[-1:] and \
                low[max(lo, start - 12):start].split()[-1] in lex.set("weak_before"):
            best = _best_right(low, end, min(hi, end + 100), lex)  # "claimed 12 militants were arrested"
            if best is not None and best[1].group("subj").strip() and best[0] != pred:
                pred = None
        if pred is not None:
            outcome = _OUTCOME_NOUN.match(low, end, hi)
            if outcome and lex.data.get("outcome_nouns", {}).get(outcome.group(1)):
                pred = lex.data["outcome_nouns"][outcome.group(1)]  # "pulled 17 bodies": the noun says what happened
            sm = lex.re["subject_after"].match(low, end, min(hi, end + 100))
            subject = _written_subject(sm) if sm else ""
            if not subject.strip():
                nm = _NUMBER_OF.search(low, max(lo, start - 80), start)
                if nm and nm.group("noun") not in lex.re["after_word"]:
                    subject = nm.group("noun")
            out.append(CountMention(pred, start, end, text[start:end], subject, zero))
            continue
        best = _best_right(low, end, min(hi, end + 100), lex)
        if best is not None and _pred_form(best[1]) in lex.set("single_only_forms"):
            best = None  # "11 patients ..., two of them in critical condition": a state, not a count of wounded
        if best is not None:
            rm = best[1]
            subject = _written_subject(rm)
            if not rm.group("subj").strip() and not low[end:rm.start("pred")].strip() and \
                    rm.group("pred") in lex.set("adjective_predicates"):
                subject = _noun_after(low, rm.end("pred"), hi, lex)  # "15 wounded soldiers"
            out.append(CountMention(best[0], start, end, text[start:end], subject, zero, phrase_end=rm.end()))
        elif zero and lex.re["zero_noun"] is not None:  # "no casualties were reported"
            zm = lex.re["zero_noun"].match(low, end, hi)
            if zm:
                noun = " ".join(zm.group().lower().split())
                out.append(CountMention(lex.data["zero_nouns"][noun], start, end, text[start:end], "", True))
        else:
            pending.append((start, end))
    out += _coordinated(pending, out, text, low)
    da = lex.re.get("denied_any")
    if da is not None:
        for m in da.finditer(low, lo, hi):
            best = _best_right(low, m.end("zero"), min(hi, m.end("zero") + 100), lex)
            if best is not None:
                rm = best[1]
                out.append(CountMention(best[0], m.start("zero"), m.end("zero"), text[m.start("zero"):m.end("zero")],
                                        _written_subject(rm), True, denied=True,
                                        phrase_end=rm.end()))
    aa = lex.re.get("all_accounted")
    if aa is not None:
        for m in aa.finditer(low, lo, hi):
            out.append(CountMention("missing", m.start(), m.start() + 3, text[m.start():m.start() + 3],
                                    _head_noun(m.group("subj"), lex), True, denied=True, phrase_end=m.end()))
    out = _shared_subjects(_outside_phrases(out), low)
    sg = lex.re.get("singular")
    if sg is not None:
        out += _single_people(text, low, lo, hi, {c.start for c in out}, lex)
    ex = lex.re.get("existential")
    if ex is not None:
        preds = lex.data.get("existential_predicates", {})
        for m in ex.finditer(low, lo, hi):
            pred = preds.get(m.group("pred").lower())
            if pred:
                out.append(CountMention(pred, m.start(), m.end("pred"), text[m.start():m.end("pred")],
                                        m.group("subj"), existential=True))
    return out


def _single_people(text: str, low: str, lo: int, hi: int, taken: set, lex: Lexicon) -> list[CountMention]:
    """People written without a numeral: "a 17-year-old boy died", "the victim was pronounced
    dead", "killing a teenager", "he was taken to a hospital with gunshot wounds" (one each), and
    "a man and a woman were shot dead" (two, sharing the verb)."""
    sg, joiner = lex.re["singular"], lex.re["singular_and"]
    out: list[CountMention] = []
    pos = lo
    for m in sg.finditer(low, lo, hi):
        if m.start() < pos or m.start() in taken or m.group("pronoun") and not _clause_start(low, lo, m.start(), lex):
            continue
        chain, links = [m], []
        while not chain[-1].group("pronoun"):
            j = joiner.match(low, chain[-1].end(), hi)
            nxt = sg.match(low, j.end(), hi) if j else None
            if nxt is None or nxt.group("pronoun"):
                break
            chain.append(nxt)
            links.append(j.group().strip())
        if links and links[-1] == ",":  # "a man, a father of two, ...": an apposition, one person
            chain = chain[:1]
        end = chain[-1].end()
        pos = end
        rel = lex.re["relative_clause"].match(low, end, hi)
        after = rel.end() if rel else end + 1 if low.startswith(",", end) and low[max(lo, m.start() - 2):m.start()] == ", " else end
        rm = _best_right(low, after, min(hi, after + 100), lex)  # "Name, a 41-year-old man, died"
        pred = _left(low, lo, m.start(), lex) if len(chain) == 1 else None  # "killing a teenager", "the body of a man"
        if pred is not None and pred not in lex.set("no_single_object_predicates"):
            rm = None
        elif _one_persons_predicate(text, low, after, rm, lex):
            pred = rm[0]
        elif m.group("adj"):  # "the injured man was driven to a hospital"
            rm, pred = None, min(lex.re["after_word"][" ".join(m.group("adj").split())])
        else:
            rm = pred = None
        if pred in lex.set("victim_predicates") and m.group("noun") in lex.set("perpetrator_nouns"):
            continue  # "the gunman was shot dead": not a victim
        if pred is None:
            continue
        noun = "people" if len(chain) > 1 else m.group("noun") or lex.data.get("pronoun_subject", "")
        if lex.re["age_noun"].match(noun):  # "a 13-year-old": a person
            noun = "people"
        denied = rm is not None and lex.re["single_denial"].search(low[after:rm[1].start("pred")])
        out.append(CountMention(pred, m.start(), end, text[m.start():end], noun, singular=True,
                                people=0 if denied else len(chain)))
    names = lex.re.get("named_person")
    for m in names.finditer(text, lo, hi) if names is not None else ():
        first = m.group("name").split()[0].lower()
        if first in lex.re["not_names"] or m.start() in taken or not _clause_start(low, lo, m.start(), lex) or \
                any(c.start <= m.start() < c.end for c in out):
            continue
        name = m.group("name")
        if " " not in name and m.start("name") == m.start() and not re.search(rf"[a-z,]\s+{re.escape(name)}\b", text):
            continue  # one capitalised word, never written mid-sentence: a common noun ("Detectives went ...")
        rm = _best_right(low, m.end(), min(hi, m.end() + 100), lex)
        if not _one_persons_predicate(text, low, m.end(), rm, lex) or \
                lex.re["single_denial"].search(low[m.end():rm[1].start("pred")]):
            continue
        out.append(CountMention(rm[0], m.start(), m.end(), text[m.start():m.end()], lex.data.get("pronoun_subject", ""),
                                singular=True))
    return out


def _one_persons_predicate(text: str, low: str, pos: int, rm, lex: Lexicon) -> bool:
    """Whether a subject + predicate match right after a person (at ``pos``) tells what happened
    to that person: nothing between them, a form said of one person, and not the active voice
    of a killer ("he killed people", "the clerk shot a robber": no auxiliary, an object next)."""
    if rm is None or rm[1].group("subj").strip() or _pred_form(rm[1]) in lex.set("not_single_forms"):
        return False
    if _pred_form(rm[1]) not in lex.set("transitive_forms") or \
            set(low[pos:rm[1].start("pred")].split()) & lex.set("passive_auxiliaries"):
        return True
    nxt = text[rm[1].end():rm[1].end() + 30].split()[:1]
    if not nxt:  # the text ends at the predicate: no object, so nothing was done to another
        return True
    word = nxt[0].lower().removesuffix("'s").removesuffix("’s").strip(",.;:")
    return not (word in lex.set("object_starts") or nxt[0][:1].isupper() and word not in lex.re["not_names"])


def _pred_form(m: re.Match) -> str:
    """The predicate words of a subject + predicate match, spaces normalised."""
    return " ".join(m.group("pred").split())


def _clause_start(low: str, lo: int, pos: int, lex: Lexicon) -> bool:
    """Whether a pronoun opens its clause ("He died", "..., where she was pronounced dead")."""
    before = low[max(lo, pos - 12):pos].split()
    return not before or before[-1].rstrip(",;") != before[-1] or before[-1] in lex.set("clause_openers")


def settled_people(mentions: list[tuple[CountMention, str, float | None]], lex: Lexicon) -> set[int]:
    """Indexes of one-person mentions (each with its event and lowest value) that other counts
    of the document already tell:

    - one person reported wounded whom a one-person killed mention of the same event tells the
      end of: "a 32-year-old man with a gunshot wound ... He was taken to a hospital, where he
      later died" is one man killed, not also one wounded. The same noun, a wounded re-mention
      ("the victim had been shot in the back") or a killed re-mention after the wounded one
      ("... He died later") is the same person; different people ("a man was killed and a woman
      wounded", "He died. Another teen was wounded") stay apart;
    - one person of a group the document counts with a numeral for the same predicate and event:
      "Two men were wounded ... one man was shot in the leg" is a part of the two, not a toll."""
    anyone = lex.data.get("pronoun_subject")
    killed = [(c.subject, c.start, event) for c, event, _ in mentions
              if c.singular and c.people == 1 and c.predicate == "killed"]
    groups = {(c.predicate, event) for c, event, low in mentions if not c.singular and low is not None and low >= 2}
    drop = set()
    for i, (c, event, _) in enumerate(mentions):
        if not c.singular or c.people != 1:
            continue
        if (c.predicate, event) in groups or c.predicate == "wounded" and any(
                e == event and (k == c.subject or c.subject == anyone or k == anyone and start > c.start)
                for k, start, e in killed):
            drop.add(i)
    return drop


#: The word right after a count, for :data:`outcome_nouns` ("bodies", "corpses").
_OUTCOME_NOUN = re.compile(r"\s+([a-z]+)\b")


def _written_subject(m: re.Match) -> str:
    """The subject a subject + predicate match wrote, with its "of" ("of its fighters")."""
    return (m.group("of") or "") + " " + m.group("subj")


def _noun_after(low: str, pos: int, hi: int, lex: Lexicon) -> str:
    """The noun a predicate adjective qualifies ("wounded" + " soldiers who..." -> "soldiers"),
    or "" when a count or a stop word follows."""
    sm = lex.re["subject_after"].match(low, pos, min(hi, pos + 60))
    if sm is None or sm.group("of"):
        return ""
    first_word = sm.end("subj") - len(sm.group("subj").lstrip())
    return "" if lex.re["count"].match(low, first_word) else sm.group("subj")


def _head_noun(words: str, lex: Lexicon) -> str:
    """The first word of a noun phrase after its determiners ("those on board" -> "",
    "passengers listed on its manifest" -> "passengers")."""
    rest = _DETERMINERS.sub("", words.strip() + " ").split()
    return rest[0] if rest and rest[0] not in lex.set("subject_stop_words") else ""


def _coordinated(pending: list[tuple[int, int]], found: list[CountMention], text: str, low: str) -> list[CountMention]:
    """Counts joined by "and" to the next count, which has the verb: "three Tajik servicemen and
    one civilian had died" -> three servicemen died too."""
    starts = {c.start: c for c in found}
    out = []
    for start, end in pending:
        m = _COORDINATED.match(low, end)
        if m and m.end() in starts:
            nxt = starts[m.end()]
            out.append(CountMention(nxt.predicate, start, end, text[start:end], m.group("subj")))
    return out


def _outside_phrases(found: list[CountMention]) -> list[CountMention]:
    """Without the counts inside another count's phrase ("2,000 residents of [two] villages
    were evacuated": the villages are not the evacuees)."""
    spans = [(c.start, c.phrase_end) for c in found if c.phrase_end > c.end]
    return [c for c in found if not any(a < c.start and c.end <= b for a, b in spans)]


def _shared_subjects(found: list[CountMention], low: str) -> list[CountMention]:
    """A count without a subject right after one with a subject shares it: "16 inmates were
    killed and nine injured" -> nine inmates."""
    found = sorted(found, key=lambda c: c.start)
    for before, c in zip(found, found[1:]):
        if not c.subject.strip() and before.subject.strip() and _ELLIPSIS.fullmatch(low, before.end, c.start):
            c.subject = before.subject
    return found
