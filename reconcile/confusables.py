"""Look-alike names: "Reuterѕ" (with a Cyrillic ѕ) and "AFР" (a Cyrillic Р) pose as Reuters
and AFP. Unicode's confusable mappings (UTS #39, the data of ``confusable_homoglyphs``) give
each name a *skeleton*, the Latin letters it looks like; two names with one skeleton of which
one mixes scripts are one source written twice, the mixed one a look-alike spelling.
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from importlib import resources

__all__ = ["skeleton", "mixed_scripts", "is_lookalike_of"]


@cache
def _ascii_homoglyphs() -> dict[str, str]:
    """Character -> the ASCII character it is confusable with (the smallest, for a stable
    choice), for every non-ASCII character that has one."""
    data = json.loads(resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8"))
    out = {}
    for char, entry in data.items():  # character -> the characters it looks like
        if char.isascii():
            continue
        ascii_forms = sorted(h["c"] for h in entry if len(h["c"]) == 1 and h["c"].isascii()
                             and h["c"].isalnum())
        if ascii_forms:
            out[char] = ascii_forms[0]
    return out


@cache
def skeleton(name: str) -> str:
    """The ASCII letters ``name`` looks like: compatibility-normalised, each confusable
    character replaced by its ASCII look-alike (other characters kept).

    >>> skeleton("Reuterѕ") == skeleton("Reuters") == "Reuters"
    True
    """
    text = unicodedata.normalize("NFKC", name)
    if text.isascii():
        return text
    table = _ascii_homoglyphs()
    return "".join(table.get(c, c) for c in text)


def _script(char: str) -> str:
    """The script of a letter, from its Unicode name ("CYRILLIC SMALL LETTER DZE" -> CYRILLIC)."""
    return unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]


def mixed_scripts(name: str) -> bool:
    """True when the letters of ``name`` come from more than one script ("AFР": Latin and
    Cyrillic); digits, spaces and punctuation do not count.

    >>> mixed_scripts("AFР"), mixed_scripts("Москва"), mixed_scripts("Röpcke")
    (True, False, False)
    """
    if name.isascii():
        return False
    return len({_script(c) for c in unicodedata.normalize("NFKC", name) if c.isalpha()}) > 1


def is_lookalike_of(name: str, other: str) -> bool:
    """``name`` is written to look like ``other``: the same skeleton, other letters, and
    ``name`` mixes scripts where ``other`` does not."""
    return (name != other and skeleton(name) == skeleton(other) and mixed_scripts(name)
            and not mixed_scripts(other))
