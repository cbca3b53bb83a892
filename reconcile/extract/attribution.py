"""Who said it: find the speaker of a sentence or quote and give one name per speaker per document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from .lexicon import Lexicon, alternation, get_lexicon, lower_text

__all__ = ["Speaker", "SpeakerRegistry", "Attribution", "Said", "find_attribution",
           "quote_attribution", "headline_attribution", "sentence_subject", "find_tweet", "split_name"]

_CONNECTORS = frozenset({"for", "of", "and", "de", "del", "al", "el", "bin", "ibn", "van", "von", "der",
                         "la", "du", "da", "di", "&"})
_PREPOSITIONS = frozenset({"in", "at", "from", "near", "on", "with", "of", "for", "to", "by", "inside",
                           "outside", "across"})
_ARTICLES = ("the ", "a ", "an ")
_ABBR = re.compile(r"^(?P<head>.*?)\s*\((?P<abbr>[A-Z][\w.&-]{1,14}(?:\s[A-Z][\w.&-]{1,14}){0,2})\)\s*$")
_TOKEN = re.compile(r"\S+")
_TWEET = re.compile(
    r"(?:pic\.twitter\.com/\S+\s*)?[—–―-]{1,2}\s*(?P<name>[^()\n—–]{2,60}?)\s*\(@(?P<handle>\w{1,30})\)"
    r"\s*(?P<date>[A-Z][a-z]+\.? \d{1,2}, \d{4})?\s*$")
_NOT_NP = re.compile(r"\d(?![\w-]*\s+[A-Z])|[!?]")  # "444 Brigade" is a name, "12 people" is not
_QUOTED_AS = re.compile(r"\s+(?P<np>[^,;:.“”\"]{2,80}?)\s+as\s+(?:saying|telling|stating|writing)\b")
#: A headline's source tag: "Toll rises to 812 - Ministry Of Health", "... killed: rights group".
_HEADLINE_TAG = re.compile(r"(?:\s+[-–—]+\s+|:\s+)(?P<np>[^-–—:,;“”\"]{2,50}?)\s*$")
#: "NADMO disagreed, saying three traders were missing", "the sheriff put the toll higher, telling
#: KOCO that ...", "the governor declared an emergency and said ...": the sentence's subject speaks.
_SAYING = re.compile(r"\s*(?P<np>[^,;:“”\"]{2,80}?)\s+(?:\w+ed|put|set|gave|made|took|offered|cut)\b"
                     r"(?:[^,;:“”\"]{0,50},\s+(?:saying|telling|adding|noting|stating|insisting|arguing|explaining)"
                     r"|[^,;:“”\"]{0,80}\s+and\s+(?:said|told|added|wrote))\b")
#: Adverbs between a speaker and the verb: "The navy, which sent boats, also put the toll at 7".
_ADVERBS_BEFORE_VERB = re.compile(r"(?:\s+(?:also|later|earlier|then|separately|meanwhile|now|further|subsequently))+$",
                                  re.IGNORECASE)
#: A role in apposition, up to a relative clause: "the town council mayor of Mpondwe (where ...)".
_ROLE_APPOSITIVE = re.compile(r"(?:the |a |an )?[^,;:]{0,60}?(?=\s+(?:where|who|which|that|whose|when)\b|$)")
_PROGRESSIVE = re.compile(r"\s+(?:is|are|was|were|(?:has|have|had) been)$", re.IGNORECASE)
_NOT_APPOSITIVE = re.compile(r"(?:were|was|is|are|had|have|has|will|would|could|can|and|but|or|been|being)\b")
_ACCORDING = ("according to", "as per", "as reported by", "in the words of", "provided by", "released by",
              "was disputed by", "was confirmed by", "was denied by", "were disputed by", "were confirmed by")
_CITING = ("citing", "quoting", "as quoted by", "cited by")


@dataclass(eq=False)
class Speaker:
    """One speaker of a document; ``canonical`` may grow to a longer full name later."""

    canonical: str
    type: str
    descriptor: str = ""
    aliases: set = field(default_factory=set)
    words: set = field(default_factory=set)

    def names(self) -> set:
        """Lower-case names this speaker answers to."""
        return {self.canonical.lower()} | {a.lower() for a in self.aliases}


@dataclass
class Attribution:
    """A speaker mention: the raw phrase, its document offsets and whom it cites."""

    raw: str
    start: int
    end: int
    cites: str | None = None
    anonymous: bool = False
    #: how the speaker was found: ``named`` in the clause, ``adjacent`` (the paragraph before or
    #: after), ``pronoun`` (he/she/it/they), ``outlet`` (the outlet's own voice, the headline)
    how: str = "named"


class Said(NamedTuple):
    """Who says a claim: the speaker, the phrase that names it, whom it cites, and how it was
    found (one of :data:`reconcile.contract.ATTRIBUTIONS`)."""

    speaker: Speaker
    raw: str
    cites: str | None
    how: str


def _strip_article(np: str) -> str:
    low = np.lower()
    for art in _ARTICLES:
        if low.startswith(art):
            return np[len(art):]
    return np


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper() or tok.startswith("@")


def split_name(np: str, lex: Lexicon) -> tuple[str | None, str, frozenset]:
    """Split a speaker phrase into (proper name or None, descriptor, aliases).

    >>> from reconcile.extract.lexicon import get_lexicon
    >>> split_name("Bild’s foreign policy editor Julian Röpcke", get_lexicon("en"))[:2]
    ('Julian Röpcke', 'Bild’s foreign policy editor')
    """
    return _split_name(np, lex.language)


@lru_cache(maxsize=1 << 14)
def _split_name(np: str, language: str) -> tuple[str | None, str, frozenset]:
    lex = get_lexicon(language)
    head, comma, tail = np.partition(", ")
    if comma and any(w.lower() in lex.set("roles") for w in tail.split()):  # "Sylvester Mapozi, the mayor"
        name, descriptor, aliases = _split_name(head, language)
        if name:
            return name, " ".join((descriptor + " " + tail).split()), aliases
    aliases = set()
    m = _ABBR.match(np)
    if m:
        np, abbr = m.group("head"), m.group("abbr")
        aliases.add(abbr)
    np = _strip_article(np.strip())
    toks = np.split()
    if not toks:
        return None, "", frozenset(aliases)
    i = len(toks)
    while i > 0:
        t = toks[i - 1]
        if _is_cap(t) and not t.endswith(("’s", "'s")):
            i -= 1
        elif t.lower() in _CONNECTORS and i - 1 > 0 and i < len(toks) and _is_cap(toks[i - 2]):
            i -= 1
        else:
            break
    run = toks[i:]
    roles = lex.set("roles")
    anonymous = lex.set("anonymous_heads")
    if not run or (i > 0 and toks[i - 1].lower() in _PREPOSITIONS):
        return None, np, frozenset(aliases)
    if i == 0 and (toks[0].lower() in anonymous or toks[0].lower() in lex.set("determiners")):
        return None, np, frozenset(aliases)
    last_role = max((k for k, t in enumerate(run) if t.lower() in roles), default=-1)
    if last_role < 0 and any(t.lower() in roles for t in toks[:i]):  # "the head of the X Agency Abdul Rayan"
        bodies = lex.set("organization_words") | lex.set("government_words") | lex.set("media_words")
        last_role = max((k for k, t in enumerate(run[:-2]) if t.lower() in bodies), default=-1)
    name_toks = run[last_role + 1:]
    if not name_toks or name_toks[0].lower() in _CONNECTORS:
        return None, np, frozenset(aliases)
    name = " ".join(name_toks)
    descriptor = " ".join(toks[:i] + run[:last_role + 1])
    return name, descriptor, frozenset(aliases)


@lru_cache(maxsize=1 << 14)
def _type_of(np: str, name: str | None, language: str, anonymous: bool) -> str:
    lex = get_lexicon(language)
    low = " " + np.lower() + " "
    words = set(re.findall(r"[\w’'.]+", low))
    has = lambda key: any((" " + w + " ") in low for w in lex.words(key))  # noqa: E731
    person_word = any(w in words for w in lex.set("person_words")) or any(
        w in words for w in lex.set("roles"))
    head = np.split()[-1].lower() if np.split() else ""
    personal = person_word and not head.endswith("s") or (name is not None and person_word)
    if anonymous or (name is None and (head in lex.set("anonymous_heads") or has("anonymity_markers"))):
        return "anonymous"
    named_body = name is not None and any(  # "the official Xinhua News Agency": the name is an organisation's
        (" " + w + " ") in f" {name.lower()} " for key in ("media_words", "government_words", "organization_words")
        for w in lex.words(key))
    if name is not None and person_word and not named_body or head in {"he", "she"}:
        return "person"
    if has("media_words"):
        return "media"
    if has("government_words"):
        return "person" if personal else "government"
    if has("organization_words"):
        return "organization"
    toks = name.split() if name else []
    if 2 <= len(toks) <= 4 and all(t[:1].isupper() and t[1:].islower() for t in toks):
        return "person"  # "Serhan Aktoprak": a proper name and nothing that says organisation
    return "person" if personal else "organization"


@lru_cache(maxsize=1 << 14)
def _plural(np: str, language: str) -> bool:
    """Whether a speaker phrase is plural or collective ("officials", "the coast guard and
    police", "police"); a proper name is singular ("Reuters", "Amnesty International")."""
    lex = get_lexicon(language)
    words = re.findall(r"[\w’'.-]+", np)
    if not words:
        return False
    head = words[-1]
    return (" and " in f" {np.lower()} " or head.lower() in lex.set("collective_nouns")
            or (head[:1].islower() and head.lower().endswith("s") and not head.lower().endswith(("ss", "us"))))


class SpeakerRegistry:
    """The speakers of one document, in order of appearance, with their aliases."""

    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.speakers: list[Speaker] = []
        self.last: Speaker | None = None
        self._follow = lex.data.get("follow_up", {})
        self._cache: dict[str, Speaker] = {}
        self._pronouns = frozenset(self._follow.get("person_pronouns", []) + self._follow.get("any_pronouns", []))
        #: what a pronoun can reach back to, latest last: (phrase, speaker or None, person, plural)
        self._antecedents: list[tuple[str, Speaker | None, bool, bool]] = []

    def _new(self, canonical: str, np: str, name, descriptor, aliases, anonymous) -> Speaker:
        sp = Speaker(canonical, _type_of(np, name, self.lex.language, anonymous), descriptor, set(aliases),
                     set(re.findall(r"[\w’'.-]+", np.lower())))
        self.speakers.append(sp)
        return sp

    def _seen(self, sp: Speaker, np: str | None = None) -> Speaker:
        self.last = sp
        phrase = np or sp.canonical
        self._antecedents.append((phrase, sp, sp.type == "person", _plural(phrase, self.lex.language)))
        return sp

    def is_pronoun(self, np: str) -> bool:
        """Whether a speaker phrase is a bare pronoun ("he", "It", "they")."""
        return np.strip().lower() in self._pronouns

    def note_subject(self, np: str) -> None:
        """A sentence's subject that names a source without speaking ("Police earlier blamed the
        group"): a later "they said" may mean it.  A pronoun subject ("But it disputed the
        report") keeps its antecedent the latest one."""
        if self.is_pronoun(np):
            found = self._antecedent(np.strip().lower())
            if found is not None:
                self._antecedents.append(found)
            return
        words = np.split()
        if not _names_a_source(words, self.lex) and self._match(np, *split_name(np, self.lex)[::2]) is None:
            return
        typ = _type_of(np, split_name(np, self.lex)[0], self.lex.language, False)
        self._antecedents.append((np, None, typ == "person", _plural(np, self.lex.language)))

    def _antecedent(self, pronoun: str):
        """The nearest antecedent a pronoun agrees with: he/she a person; it a singular
        organisation; they a plural or collective one (an organisation when there is none)."""
        if pronoun in self._follow.get("person_pronouns", []):
            fits = lambda person, plural: person and not plural  # noqa: E731
        elif pronoun == "it":
            fits = lambda person, plural: not person and not plural  # noqa: E731
        else:
            fits = lambda person, plural: plural  # noqa: E731
        for found in reversed(self._antecedents):
            if fits(found[2], found[3]):
                return found
        if pronoun not in self._follow.get("person_pronouns", []):
            return next((f for f in reversed(self._antecedents) if not f[2]), None)
        return self._antecedents[-1] if self._antecedents else None

    def _resolve_pronoun(self, pronoun: str) -> Speaker | None:
        found = self._antecedent(pronoun)
        if found is None:
            return None
        if found[1] is None:
            return self.resolve(found[0])
        self._antecedents.append(found)
        self.last = found[1]
        return self.last

    def add_handle(self, name: str, handle: str) -> Speaker:
        """Register an embedded-tweet signature: ``name`` with its ``@handle``."""
        sp = self.resolve(name, register=True)
        sp.aliases.add("@" + handle)
        sp.aliases.add(handle)
        sp.type = "person" if len(name.split()) in (2, 3) else sp.type
        return sp

    def resolve(self, np: str, anonymous: bool = False, register: bool = True) -> Speaker | None:
        """The speaker a phrase names: pronouns, "the statement", surnames, short forms, aliases."""
        np = np.strip().strip(",;:").strip()
        low = _strip_article(np.lower())
        if self.is_pronoun(np):
            return self._resolve_pronoun(np.lower())
        if low.split()[-1:] and low.split()[-1] in self._follow.get("statement", []) and len(low.split()) <= 2 \
                and np.lower().startswith(("the ", "its ", "their ", "his ", "her ")) and self.last is not None:
            return self.last  # "the statement said", "the announcement says"
        cached = self._cache.get(np)
        if cached is not None:
            return self._seen(cached, np)
        if np.startswith("@"):
            for sp in reversed(self.speakers):
                if np.lower() in sp.names():
                    return self._seen(sp, np)
        name, descriptor, aliases = split_name(np, self.lex)
        found = self._match(np, name, aliases)
        if found is not None:
            if name and len(found.canonical.split()) == 1 and len(name) > len(found.canonical) \
                    and name.lower().endswith(found.canonical.lower()):
                found.aliases.add(found.canonical)
                found.canonical = name
            found.aliases |= aliases
            if descriptor and not found.descriptor:
                found.descriptor = descriptor
            found.words |= set(re.findall(r"[\w’'.-]+", np.lower()))
            self._cache[np] = found
            return self._seen(found, np)
        if not register:
            return None
        canonical = name or (sorted(aliases)[0] if aliases else _strip_article(np))  # "... office (OCHA)": OCHA
        sp = self._cache[np] = self._new(canonical, np, name, descriptor, aliases, anonymous)
        return self._seen(sp, np)

    def _match(self, np: str, name: str | None, aliases: set) -> Speaker | None:
        low = np.lower()
        keys = ({name.lower()} if name else {_strip_article(low)}) | {a.lower() for a in aliases}
        for sp in reversed(self.speakers):
            if keys & sp.names():
                return sp
        padded = f" {low} "
        for sp in reversed(self.speakers):  # a known full name inside a longer phrase
            if " " in sp.canonical and f" {sp.canonical.lower()} " in padded:
                return sp
        if name:
            toks = name.lower().split()
            for sp in reversed(self.speakers):
                parts = sp.canonical.lower().split()
                if len(toks) == 1 and sp.type == "person" and toks[0] == parts[-1]:
                    return sp
                if len(parts) == 1 and len(toks) >= 2 and parts[0] == toks[-1] and sp.type == "person":
                    return sp
        if low.startswith("the ") and (name is None or len(name.split()) == 1):
            words = low.split()
            head = words[-1]
            personal = head in self.lex.set("roles") or head in self.lex.set("person_words")
            fits = [sp for sp in reversed(self.speakers)  # "the group": "..., one of the volunteer groups"
                    if (head in sp.words or head + "s" in sp.words or head in sp.canonical.lower().split())
                    and (personal or sp.type != "person")]
            if fits:  # "the local disaster agency": the disaster agency rather than the rescue agency's head
                return max(fits, key=lambda sp: len(sp.words.intersection(words)))
        return None


def find_tweet(paragraph: str) -> re.Match | None:
    """The signature of an embedded tweet at the end of a paragraph ("— Name (@handle) Date")."""
    return _TWEET.search(paragraph) if "(@" in paragraph else None


def _compiled(lex: Lexicon) -> dict:
    cache = lex.re.get("_attribution")
    if cache:
        return cache
    patterns = "|".join(f"(?:{p})" for p in lex.words("reporting_patterns"))
    verb_body = alternation(lex.words("reporting_verbs"), word=False) + (f"|{patterns}" if patterns else "")
    verbs = rf"(?<![\w@-])(?:{verb_body})(?![\w])"
    inverted = alternation(lex.words("inverted_verbs"))
    np = r"[^\s,;:“”\"()][^,;:“”\"]{0,80}?"
    day = (r"(?:later\s+|earlier\s+)?(?:on\s+)?(?:" + alternation(lex.words("weekdays"), word=False)
           + r")(?:\s+(?:morning|afternoon|evening|night))?")
    reports = alternation(lex.words("report_nouns"), word=False)
    statements = tuple(lex.data.get("follow_up", {}).get("statement", []))
    cache = {
        "events": re.compile(
            r"(?<![\w@-])(?:(?P<acc>" + alternation(_ACCORDING, word=False) + r")|(?P<cite>"
            + alternation(_CITING, word=False) + r")|(?P<verb>" + verb_body + r"))(?![\w])"),  # scans lower_text
        "np_after": re.compile(r"\s+(?P<np>[^,;:.“”\"]+(?:\.[A-Z][^,;:.“”\"]*)*)"),
        "after_quote": re.compile(rf"\s*,?\s*(?P<np>{np})(?:,\s*(?P<appos>[^,;:“”\"]{{2,60}}),)?\s+(?P<verb>{verbs})",
                                  re.IGNORECASE),
        "after_quote_inv": re.compile(rf"\s*,?\s*(?P<verb>{inverted})\s+(?P<np>[^,;:.“”\"]{{2,80}})",
                                      re.IGNORECASE),
        "before_quote": re.compile(rf"(?P<np>[^,;:“”\".]{{2,80}}?)\s+(?P<verb>{verbs})(?:\s+[\w’']+){{0,4}}\s*[:,]\s*$",
                                   re.IGNORECASE),
        "connective": re.compile(r"^(?:" + alternation(lex.words("connectives"), word=False)
                                 + r"|" + day + r")\s*,?\s+", re.IGNORECASE),
        "trailing": re.compile(r"(?:\s+(?:" + alternation(lex.words("np_trailing_words"), word=False)
                               + r"|[a-z]+(?:al|ous|ive|ent|ant|ic|ful|ate|ed|less)ly|" + day + r"))+$"
                               + r"|\s+(?:in|on|at)\s+(?:a|an|its|their|his|her|the)\s+(?:[\w-]+\s+)?(?:"
                               + alternation(statements + ("interview", "briefing", "press conference"), word=False)
                               + r")\b.*$", re.IGNORECASE),
        "reports_from": re.compile(r"(?:[\w-]+\s+){0,2}(?:" + reports + r")\s+(?:(?:provided|released|compiled|"
                                   r"published|issued|given)\s+)?(?:from|by|of)\s+", re.IGNORECASE),
        "possessive_report": re.compile(r"(?P<np>.+?)[’']s?\s+(?:[\w-]+\s+){0,2}(?:" + reports + r")$",
                                        re.IGNORECASE),
        "report_first": re.compile(r"(?:[\w-]+\s+){0,2}(?:" + reports + r")\b", re.IGNORECASE),
        "inverted_set": frozenset(w.lower() for w in lex.words("inverted_verbs")),
        "evidence_set": frozenset(lex.words("evidence_verbs")),
        "report_set": frozenset(lex.words("report_nouns")),
        "report_modifier": re.compile(r"(?<![\w-])(?:" + alternation(lex.words("report_modifiers"), word=False)
                                      + r")\s+$", re.IGNORECASE),
        "quantity_words": frozenset(w.split()[0] for key in ("number_words", "vague_quantities", "bounds")
                                    for w in lex.words(key)) - frozenset(lex.words("determiners")),
    }
    lex.re["_attribution"] = cache
    return cache


_BAD_LAST = frozenset({"a", "an", "the", "were", "was", "is", "are", "be", "been", "being", "not", "did", "does", "do",
                       "had", "has", "have", "who", "which", "that", "it's", "also", "would", "will", "and", "or", "but"})
_BAD_FIRST = _PREPOSITIONS | frozenset({"that", "which", "who", "when", "where", "while", "as", "if",
                                        "because", "after", "before", "said", "but", "including", "among",
                                        "citing", "quoting"})  # "X, citing initial reports, said"


def _clean_np(text: str, start: int, end: int, lex: Lexicon) -> tuple[int, int] | None:
    """Trim a candidate speaker phrase (connectives, trailing adverbs); None if it is no noun phrase."""
    c = _compiled(lex)
    seg = text[start:end]
    m = c["connective"].match(seg)
    while m and m.end() > 0:
        if seg[m.end():].split(None, 1)[:1] and seg[m.end():].split(None, 1)[0].lower() in c["report_set"]:
            break  # "Earlier reports said": the reports are the speaker, "earlier" says which
        start += m.end()
        seg = text[start:end]
        m = c["connective"].match(seg)
    t = c["trailing"].search(seg)
    if t:
        end = start + t.start()
    a, b = start, end
    while a < b and not (text[a].isalnum() or text[a] == "@"):
        a += 1
    while b > a and not (text[b - 1].isalnum() or text[b - 1] == ")"):
        b -= 1
    words = text[a:b].split()
    if not words or len(words) > 12 or _NOT_NP.search(text[a:b]):
        return None
    if words[-1].lower() in _BAD_LAST or words[0].lower() in _BAD_FIRST:
        return None
    if words[0].lower() in c["quantity_words"] and not _names_a_source(words, lex):
        return None  # "Dozens feared dead": a quantity, not a speaker
    if len(words) > 4 and not any(w[:1].isupper() for w in words) and words[0].lower() != "the" \
            and not _names_a_source(words, lex):
        return None
    return a, b


def _word_end(text: str, pos: int) -> int:
    """The end of the word that starts at ``pos``."""
    m = _TOKEN.match(text, pos)
    return m.end() if m else pos


def _names_a_source(words: list, lex: Lexicon) -> bool:
    """Whether a phrase has a word that names a speaker (a role, an anonymous head, an
    organisation or a government word): "two witnesses", "four police officers"."""
    low = [w.lower().strip(".,") for w in words]
    return any(w in lex.set("roles") or w in lex.set("anonymous_heads") or w in lex.set("person_words")
               or w in lex.set("government_words") or w in lex.set("organization_words") for w in low)


def _possessor(text: str, span: tuple[int, int], lex: Lexicon) -> tuple[int, int]:
    """"the ministry's figures", "figures from the ministry": the ministry (the span of the owner)."""
    c = _compiled(lex)
    a, b = span
    m = c["reports_from"].match(text, a, b)
    if m and m.end() < b:
        return m.end(), b
    m = c["possessive_report"].fullmatch(text, a, b)
    if m and m.end("np") > a:
        return a, m.end("np")
    return a, b


#: "according to BBC Urdu the quake did little damage": a proper name, then a clause of its own.
_NAME_THEN_CLAUSE = re.compile(r"(?P<np>(?:the\s+)?[A-Z][\w’'.&-]*(?:\s+(?:of\s+|de\s+)?[A-Z][\w’'.&-]*)*)"
                               r"(?=\s+(?:the|a|an|it|its|they|their|there|he|she|this|these|no|only)\s)")
_APPOSITIVE_NAME = re.compile(r",\s+(?P<name>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){1,3})\s*(?:,|$)")


def _appositive_name(text: str, a: int, b: int, hi: int, lex: Lexicon) -> tuple[int, int]:
    """"the deputy minister, Mawlawi Sharafuddin, said": the name in apposition to a title."""
    m = _APPOSITIVE_NAME.match(text, b, hi)
    if m and split_name(text[a:b], lex)[0] is None:
        return m.span("name")
    return a, b


def _np_before(text: str, lo: int, verb_start: int, lex: Lexicon) -> tuple[int, int, bool] | None:
    """The speaker phrase ending just before a reporting verb, skipping an appositive."""
    pre = _ADVERBS_BEFORE_VERB.sub("", text[lo:verb_start].rstrip())
    if text.startswith("ing", _word_end(text, verb_start) - 3):  # "the agency is now reporting"
        pre = _ADVERBS_BEFORE_VERB.sub("", _PROGRESSIVE.sub("", pre))
    anonymous = False
    if pre.endswith(","):
        body = pre[:-1]
        k = body.rfind(",")
        appos = body[k + 1:].lower().strip() if k >= 0 else ""
        if _NOT_APPOSITIVE.match(appos):  # "..., were wounded in the blast, said X": no speaker before
            return None
        anonymous = any(w in appos for w in lex.words("anonymity_markers"))
        name = body[k + 1:].strip()
        if k >= 0 and 2 <= len(name.split()) <= 4 and all(t[:1].isupper() for t in name.split()):
            span = _clean_np(text, lo + k + 1, lo + len(body), lex)  # "the director, Carlos Quispe, said"
            if span:
                return span[0], span[1], anonymous
        pre = body[:k]
        role = _ROLE_APPOSITIVE.match(appos)
        role_end = lo + k + 1 + len(body[k + 1:]) - len(body[k + 1:].lstrip()) + role.end() \
            if role and any(w in lex.set("roles") for w in role.group().split()) else None
    else:
        role_end = None
    cut = max(pre.rfind(ch) for ch in ",;:—–“”\"")
    start = lo + cut + 1
    while start < lo + len(pre) and text[start].isspace():
        start += 1
    span = _clean_np(text, start, lo + len(pre), lex)
    if span and role_end and split_name(text[span[0]:span[1]], lex)[0]:
        return span[0], role_end, anonymous  # "Sylvester Mapozi, the town council mayor of X, said": the role kept
    return (*_possessor(text, span, lex), anonymous) if span else None


def find_attribution(text: str, lo: int, hi: int, lex: Lexicon, masked: str | None = None,
                     masked_low: str | None = None) -> Attribution | None:
    """The speaker of the sentence text[lo:hi] (quoted passages blanked out in ``masked``, and
    ``masked_low`` its :func:`lower_text`)."""
    c = _compiled(lex)
    src = masked if masked is not None else text
    found = list(c["events"].finditer(lower_text(src) if masked_low is None else masked_low, lo, hi))
    if not found:
        return _subject_saying(text, src, lo, hi, lex, None)
    cites = None
    for m in found:
        if m.lastgroup == "cite":
            np = c["np_after"].match(src, m.end(), hi)
            span = _clean_np(text, np.start("np"), np.end("np"), lex) if np else None
            if span:
                cites = _strip_article(text[span[0]:span[1]])
                break
    hedges = lex.re["hedge"]
    for m in found:
        if m.lastgroup == "acc":
            np = c["np_after"].match(src, m.end(), hi)
            clause = _NAME_THEN_CLAUSE.match(text, np.start("np"), np.end("np")) if np else None
            span = _clean_np(text, *_possessor(text, clause.span("np") if clause else np.span("np"), lex), lex) \
                if np else None
            if span and not hedges.search(lower_text(text[span[0]:span[1]])):
                a, b = _appositive_name(text, *_possessor(text, span, lex), hi, lex)
                return Attribution(text[a:b], a, b, cites)
    verbs = [m for m in found if m.lastgroup == "verb"]
    for k, m in enumerate(verbs):
        word = m.group().lower()
        if c["reports_from"].match(text, m.start(), hi) or (word in c["report_set"] and k + 1 < len(verbs)):
            continue  # "reports from police", "earlier reports indicated": a noun here
        modifier = c["report_modifier"].search(text, lo, m.start()) if word in c["report_set"] else None
        if modifier:  # "Earlier reports put the number at 74": the reports speak
            return Attribution(text[modifier.start():m.end()], modifier.start(), m.end(), cites)
        if word in c["evidence_set"] and not c["report_first"].search(text, lo, m.start()):
            continue  # "figures show", "the ministry's data showed"; not "photos show"
        got = _np_before(text, lo, m.start(), lex)
        if got:
            if cites is None and m.group().lower() in ("quoted", "cited"):  # "media quoted X as saying"
                qm = _QUOTED_AS.match(src, m.end(), hi)
                span = _clean_np(text, qm.start("np"), qm.end("np"), lex) if qm else None
                cites = _strip_article(text[span[0]:span[1]]) if span else None
            return Attribution(text[got[0]:got[1]], got[0], got[1], cites, got[2])
        if m.group().lower() in c["inverted_set"]:
            inv = c["np_after"].match(src, m.end(), hi)
            span = _clean_np(text, inv.start("np"), inv.end("np"), lex) if inv else None
            if span and (text[span[0]].isupper() or text[span[0]:span[1]].lower().startswith(("the ", "a ", "an "))):
                return Attribution(text[span[0]:span[1]], span[0], span[1], cites)
    return _subject_saying(text, src, lo, hi, lex, cites)


def _subject_saying(text: str, src: str, lo: int, hi: int, lex: Lexicon, cites: str | None) -> Attribution | None:
    """The subject of "NADMO disagreed, saying ..." / "X gave a different account, saying ..."."""
    m = _SAYING.match(src, lo, hi)
    span = _clean_np(text, m.start("np"), m.end("np"), lex) if m else None
    return Attribution(text[span[0]:span[1]], span[0], span[1], cites) if span else None


def quote_attribution(text: str, q_start: int, q_end: int, hi: int, lo: int, lex: Lexicon) -> Attribution | None:
    """The speaker of a quotation text[q_start:q_end]: '“…,” X said', '“…,” said X' or 'X said: “…”'."""
    c = _compiled(lex)
    inner_end = text[q_start:q_end].rstrip("”\"»“")
    closes_clause = inner_end.endswith((",", ".", "?", "!", "…")) or text[q_end:q_end + 2].lstrip().startswith(",")
    if closes_clause:
        m = c["after_quote"].match(text, q_end, hi)
        if m:
            span = _clean_np(text, m.start("np"), m.end("np"), lex)
            if m.group("appos") and m.group("appos").strip()[:1].isupper():  # "the director, Carlos Quispe, told"
                span = _clean_np(text, m.start("appos"), m.end("appos"), lex) or span
            if span:
                return Attribution(text[span[0]:span[1]], span[0], span[1])
        m = c["after_quote_inv"].match(text, q_end, hi)
        if m:
            span = _clean_np(text, m.start("np"), m.end("np"), lex)
            if span:
                return Attribution(text[span[0]:span[1]], span[0], span[1])
    head = text[max(lo, q_start - 120):q_start].rstrip()
    m = c["before_quote"].search(text, max(lo, q_start - 120), q_start) if head.endswith((":", ",")) else None
    if m:
        span = _clean_np(text, m.start("np"), m.end("np"), lex)
        if span:
            return Attribution(text[span[0]:span[1]], span[0], span[1])
    return None


def headline_attribution(text: str, lo: int, hi: int, lex: Lexicon) -> Attribution | None:
    """The source tag of a headline text[lo:hi]: "Toll rises to 812 - Ministry Of Health",
    "Five killed in clashes: rights group"; a tag that is a report ("...: official report")
    leaves the headline to the outlet."""
    m = _HEADLINE_TAG.search(text, lo, hi)
    if not m:
        return None
    span = _clean_np(text, m.start("np"), m.end("np"), lex)
    if not span:
        return None
    words = text[span[0]:span[1]].split()
    if len(words) > 6 or words[-1].lower() in _compiled(lex)["report_set"] or not (
            _names_a_source(words, lex) or any(w.lower() in lex.set("media_words") for w in words)):
        return None
    return Attribution(text[span[0]:span[1]], span[0], span[1])


_SUBJECT = re.compile(r"\s*(?P<np>[^,;:“”\"()]{2,60}?)(?:\s+(?:[a-z]+ly|also|earlier|later|then|still|now|not))*"
                      r"\s+(?:has|have|had|is|are|was|were|did|does|do|will|would|could|can|[a-z]+ed)\b")


def sentence_subject(text: str, lo: int, hi: int, lex: Lexicon) -> str | None:
    """The subject phrase a sentence opens with ("Police earlier blamed ...", "But it
    disputed ..."), or None."""
    m = _SUBJECT.match(text, lo, hi)
    span = _clean_np(text, m.start("np"), m.end("np"), lex) if m else None
    return text[span[0]:span[1]] if span else None
