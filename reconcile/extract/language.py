"""Light offline language identification from the stopwords and letters of the lexicon files."""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import available_languages, get_lexicon, lower_text

__all__ = ["detect_language"]



@lru_cache(maxsize=None)
def _others(default: str) -> tuple:
    out = []
    for code in available_languages():
        if code != default:
            lex = get_lexicon(code)
            chars = "".join(sorted(lex.re["chars"]))
            out.append((code, lex.re["stopword_re"],
                        re.compile(rf"[^\W\d_]*[{re.escape(chars)}][^\W\d_]*") if chars else None))
    return tuple(out)


def detect_language(text: str, default: str = "en") -> str:
    """The ISO 639-1 code whose lexicon best fits ``text`` (its stopwords, and words with its own letters).

    >>> detect_language("İdlib’te ortak devriye sırasında bir bombalı araç saldırısı gerçekleşti.")
    'tr'
    >>> detect_language("Three soldiers were wounded in the attack, officials said.")
    'en'
    """
    best, best_score = default, 1
    base = None
    low = lower_text(text)
    for code, stop_re, char_re in _others(default):
        score = len(stop_re.findall(low))
        if char_re is not None:  # words with the language's own letters; capitalised names count less
            score += sum(2 if w[0].islower() else 1 for w in char_re.findall(text))
        if score <= best_score:
            continue
        if base is None:
            base = len(get_lexicon(default).re["stopword_re"].findall(low))
        if score > base:
            best, best_score = code, score
    return best
