"""Name shapes: suffixes, canonical and legal names, folded keys, generic terms, person names."""

from __future__ import annotations

import re

from marketgraph.extract.entities.lexicon import lexicon, zipf_frequency
from marketgraph.extract.regions import gazetteer

_MONEY = re.compile(
    r"^(?:[$€£¥]|[A-Z]{3}\s)?\s*[\d.,]+\s*(?:%|percent|million|billion|trillion|mln|bln|bn|m|k)?"
    r"(?:\s+(?:[A-Z]{3}|dollars?|dlrs|euros?|pounds?|yen))?$",
    re.IGNORECASE,
)
_HAS_DIGIT_ONLY = re.compile(r"^[\d\W]+$")
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"}  # fmt: skip
# Short month forms, as deal logs and tables date their rows ("**Feb 2026** - ...").
_MONTH_ABBREVIATIONS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
                        "nov", "dec"}  # fmt: skip
_URLISH = re.compile(r"(?:\.(?:com|org|net|io|ai|edu|gov)\b|https?:|www\.)", re.IGNORECASE)


# Public bodies are known by their full name: "Lindholm Marine Institute" is not "Lindholm".
_INSTITUTION_WORDS = {"institute", "agency", "commission", "ministry", "department", "council",
                      "authority", "association", "society", "academy", "centre", "center",
                      "laboratory", "observatory", "consortium", "initiative"}  # fmt: skip
# Words that name a part of a firm rather than the firm: "Acme Pumps Division".
_UNIT_WORDS = {"division", "unit", "subsidiary", "branch", "operations", "of"}
_DISTINCT_TAILS = {"news", "blog", "journal", "magazine", "times", "post", "review", "press",
                   "foundation", "university", "school", "college", "hospital",
                   "museum"}  # fmt: skip


# Legal forms that are also ordinary words or abbreviations ("Sa", "As", "Sae"): suffixes
# only when written in capitals.
_SHORT_SUFFIXES = {"sa", "ag", "ab", "se", "kg", "as", "nv", "bv", "sca", "sae", "sro", "s.l"}


def _word(text: str) -> str:
    return text.lower().rstrip(".")


def is_suffix(token_text: str) -> bool:
    """Whether a token is a corporate suffix ("Inc.", "GmbH", "Ltd").

    >>> is_suffix("Inc."), is_suffix("Robots")
    (True, False)
    """
    word = _word(token_text)
    if word in _SHORT_SUFFIXES and not token_text[:2].isupper():
        return False  # "Sa", "As": ordinary words unless written in capitals
    return word in lexicon().suffixes


def strip_name(surface: str) -> str:
    """A surface form without a leading "the", a trailing possessive or punctuation."""
    text = " ".join(surface.split())
    text = re.sub(r"^(?:the|The|THE)\s+", "", text)
    text = re.sub(r"(?:'s|’s|'|’)$", "", text)
    return text.strip(' ,;:()[]"“”')


def canonical_org_name(surface: str) -> str:
    """The short common name of an organization: no legal suffix, "the" or possessive.

    A coined brand word followed by two or more ordinary words ("Zentrixa
    Cloud Services") is known by the brand word alone.

    >>> canonical_org_name("Widget Works Private Limited")
    'Widget Works'
    >>> canonical_org_name("Zentrixa Cloud Services, Inc.")
    'Zentrixa'
    """
    name = legal_name(surface)
    words = name.split()
    if (
        len(words) >= 3
        and words[-1].lower() not in _DISTINCT_TAILS | _INSTITUTION_WORDS
        and is_coined(words[0])
        and all(zipf_frequency(w.lower(), "en") >= 3.0 for w in words[1:])
        and not names_part([w.lower() for w in words[1:]])
    ):
        return words[0]
    return name


def names_part(tail: list[str]) -> bool:
    """Whether the words a longer name adds make it a part of a firm: a place or a unit word.

    >>> names_part(["south", "africa"]), names_part(["robotics"])
    (True, False)
    """
    if set(tail) & _UNIT_WORDS:
        return True
    gaz = gazetteer()
    return any(
        gaz.canonical(" ".join(tail[i:j])) is not None
        for i in range(len(tail))
        for j in range(i + 1, min(len(tail), i + 3) + 1)
    )


def is_coined(word: str) -> bool:
    """Whether a word is rare enough in English to be a coined name ("Zyphra", not "Cloud").

    >>> is_coined("Zyphra"), is_coined("Cloud")
    (True, False)
    """
    return (
        len(word) >= 3
        and word[:1].isalpha()
        and not word.isupper()
        and zipf_frequency(word.lower(), "en") < 2.5
    )


def legal_name(surface: str) -> str:
    """A name without legal suffix, leading "the" or possessive ("Acme Widgets")."""
    text = strip_name(surface)
    words = text.split()
    while len(words) > 1 and (is_suffix(words[-1].strip(",")) or words[-1] in {",", "&"}):
        words.pop()
        if words:
            words[-1] = words[-1].rstrip(",")
    if len(words) > 1 and words[-1].lower() in {"&", "and", "und", "et", "y"}:
        words.pop()  # "Harlan Brook and Co" -> "Harlan Brook"
    return " ".join(words).rstrip(",") or text


def name_key(surface: str) -> str:
    """A comparable key: case, punctuation, "the", possessive and legal suffix folded."""
    text = canonical_org_name(surface).lower().replace("’", "'")
    return " ".join(re.sub(r"[^\w&]+", " ", text).split())


def short_alias(name: str) -> str | None:
    """A shorter everyday name: the coined first word of a longer company name.

    "Zyntrix Data Services" is often written "Zyntrix"; a dictionary first
    word ("Universal ...") is not a name on its own.

    >>> short_alias("Zyntrix Data Services")
    'Zyntrix'
    >>> short_alias("Universal Widgets") is None
    True
    """
    words = name.split()
    if len(words) < 2:
        return None
    first = words[0]
    if first.isupper() or not first[:1].isalpha() or len(first) < 4:
        return None
    if names_part([w.lower() for w in words[1:]]):
        return None  # "Zyntrix Brazil" is one arm of Zyntrix, not known as "Zyntrix"
    if zipf_frequency(first.lower(), "en") >= 3.0:
        return None
    return first


def is_generic(text: str) -> bool:
    """Whether a candidate name is a generic term, a number, money or a date."""
    words = text.lower().split()
    if not words:
        return True
    if text.lower() in lexicon().generic_terms:
        return True
    if _HAS_DIGIT_ONLY.match(text) or _MONEY.match(text):
        return True
    if words[0] in _MONTHS and len(words) <= 3 and any(w[:1].isdigit() for w in words[1:]):
        return True
    month = words[0].rstrip(".")
    if month in _MONTH_ABBREVIATIONS and (
        len(words) == 1 or (len(words) <= 3 and any(w[:1].isdigit() for w in words[1:]))
    ):
        return True  # "Feb", "Sept. 2025": a date, not a name
    if all(w in lexicon().generic_terms for w in words):
        return True
    return bool(_URLISH.search(text))


def person_shaped(text: str) -> bool:
    """Two to four capitalised alphabetic words, none of them an organization word."""
    words = strip_name(text).split()
    if not 2 <= len(words) <= 4:
        return False
    lex = lexicon()
    for w in words:
        bare = w.replace("-", "").replace("'", "").replace(".", "")
        if not bare.isalpha() or not w[0].isupper() or (w.isupper() and len(w) > 2):
            return False
        if w.lower() in lex.org_words or w.lower() in lex.descriptors or is_suffix(w):
            return False
    return gazetteer().canonical(text) is None
