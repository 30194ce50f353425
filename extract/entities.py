"""Entity typing and resolution beyond the statistical NER.

Two stages. :class:`EntityRules` is a spaCy component that runs after
``ner`` on one text unit: it merges the model's entities with gazetteer
matches (regions, well-known regulations) and rule spans (corporate
suffixes, "... Act", dataset and product patterns), rejects what is not a
name (percentages, money, generic terms), and records on each entity the
context cues it saw (``ent._.cues``: subject of "acquired", "X, a ...
company", a corporate suffix ...). :func:`resolve_entities` then works on a
whole report: it folds surface forms into one entity ("Acme, Inc.",
"Acme's", "The Acme" -> Acme; "Full Name (FN)" -> one entity), votes one
type per entity over all its mentions, adds :class:`Entity` records to the
report's facts and sets ``ent._.ref`` on every mention.

>>> canonical_org_name("Acme Widgets, Inc.")
'Acme Widgets'
>>> canonical_org_name("The Acme Group's")
'Acme Group'
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from rapidfuzz import fuzz
from spacy.language import Language
from spacy.tokens import Doc, Span

from marketgraph.extract.facts import Entity, Ref, ReportFacts
from marketgraph.extract.facts import Span as TextSpan
from marketgraph.extract.regions import gazetteer

try:  # word frequencies tell a coined name ("Zyphra") from a dictionary word ("Cloud")
    from wordfreq import zipf_frequency
except ImportError:  # pragma: no cover - the project depends on wordfreq

    def zipf_frequency(word: str, lang: str) -> float:
        return 0.0


#: The labels this module gives final entities, by entity kind.
KIND_LABELS = {
    "org": "ORG",
    "person": "PERSON",
    "region": "GPE",
    "regulation": "LAW",
    "dataset": "DATASET",
    "product": "PRODUCT",
}
#: Entity labels of the statistical model kept as they are (numbers, dates ...).
VALUE_LABELS = {"MONEY", "DATE", "PERCENT", "CARDINAL", "QUANTITY", "ORDINAL", "TIME"}
GAZETTEER_KEY = "mg_gazetteer"

_MONEY = re.compile(
    r"^(?:[$€£¥]|[A-Z]{3}\s)?\s*[\d.,]+\s*(?:%|percent|million|billion|trillion|mln|bln|bn|m|k)?"
    r"(?:\s+(?:[A-Z]{3}|dollars?|dlrs|euros?|pounds?|yen))?$",
    re.IGNORECASE,
)
_HAS_DIGIT_ONLY = re.compile(r"^[\d\W]+$")
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"}  # fmt: skip
_LICENSE = re.compile(
    r"\b(?:CC[- ]?(?:BY|0)(?:[- ](?:SA|NC|ND))*(?:[- ]\d\.\d)?|CC0|Apache[- ]2\.0|"
    r"MIT License|ODC[- ]By(?:[- ]\d\.\d)?|ODbL|CDLA[- ][A-Za-z]+(?:[- ]\d\.\d)?|"
    r"GPL-?\d(?:\.\d)?|LGPL-?\d(?:\.\d)?|BSD[- ]\d[- ]Clause)\b"
)
_DATASET_TOKEN = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)+(?![\w-])")
_SIZE = re.compile(
    r"\b\d[\d.,]*\s*(?:TB|GB|PB|MB|terabytes?|petabytes?|gigabytes?)\b|"
    r"\b\d[\d.,]*\s*(?:million|billion|trillion)[- ]tokens?\b|"
    r"\b\d[\d.,]*\s*(?:million|billion|trillion)?\s*(?:hours|images|tokens|trajectories|samples)\b",
    re.IGNORECASE,
)
_ACRONYM_DEF = re.compile(
    r"\b((?:[A-Z][\w&'.-]*)(?:\s+(?:of|and|for|the|&|[A-Z][\w&'.-]*)){1,8})\s+\(([A-Z][A-Za-z0-9&.-]{1,9})\)"
)
# A cited source: "[3] Jane Doe, “Title,” Trade Weekly, example.com". The name before
# the opening quote is the author; the name after the closing quote the publication.
_NAME_WORDS = r"[A-Z][\w&.'’-]*(?:\s+(?:of|for|and|&|[A-Z][\w&.'’-]*)){0,5}"
_CITED_AUTHOR = re.compile(
    r"(?:^|\]|[.;]\s)\s*(?P<name>[A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'’-]+){1,2})"
    r"\s*,\s*[“\"]"
)
_CITED_SOURCE = re.compile(rf",\s*[”\"]\s*(?P<name>{_NAME_WORDS})\s*,\s*\S*\.[a-z]{{2,}}")
_URLISH = re.compile(r"(?:\.(?:com|org|net|io|ai|edu|gov)\b|https?:|www\.)", re.IGNORECASE)


# ---------------------------------------------------------------- word lists


@dataclass(frozen=True)
class Lexicon:
    """The generic word lists of ``data/gazetteer.json``."""

    suffixes: frozenset[str]
    suffixes_needing_more: frozenset[str]
    descriptors: frozenset[str]
    org_words: frozenset[str]
    generic_terms: frozenset[str]
    deal_verbs: frozenset[str]
    deal_nouns: frozenset[str]
    org_appositives: frozenset[str]
    person_roles: frozenset[str]
    dataset_heads: frozenset[str]
    dataset_cues: frozenset[str]
    model_cues: frozenset[str]
    product_heads: frozenset[str]
    product_appositives: frozenset[str]
    launch_verbs: frozenset[str]
    regulation_heads: frozenset[str]
    regulator_words: frozenset[str]
    obligation_verbs: frozenset[str]
    regulations: tuple[dict[str, Any], ...]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The packaged word lists, loaded once."""
    raw = json.loads(
        resources.files(__package__).joinpath("data/gazetteer.json").read_text("utf-8")
    )
    sets = {
        key: frozenset(raw[key])
        for key in (
            "descriptors", "org_words", "generic_terms", "deal_verbs", "deal_nouns",
            "org_appositives", "person_roles", "dataset_heads", "dataset_cues", "model_cues",
            "product_heads", "product_appositives", "launch_verbs", "regulation_heads",
            "regulator_words", "obligation_verbs",
        )
    }  # fmt: skip
    return Lexicon(
        suffixes=frozenset(raw["corporate_suffixes"]),
        suffixes_needing_more=frozenset(raw["suffixes_needing_more"]),
        regulations=tuple(raw["regulations"]),
        **sets,
    )


@lru_cache(maxsize=1)
def regulation_index() -> dict[str, tuple[str, str | None]]:
    """Surface form -> (canonical name, jurisdiction) for the well-known regulations."""
    out: dict[str, tuple[str, str | None]] = {}
    for item in lexicon().regulations:
        for form in (item["name"], *item["aliases"]):
            out[form] = (item["name"], item["jurisdiction"])
    return out


def gazetteer_patterns() -> list[dict[str, Any]]:
    """SpanRuler phrase patterns: every region form (REGION) and well-known regulation (LAW)."""
    patterns = [
        {"label": "REGION", "pattern": form, "id": name}
        for form, name in gazetteer().surface_forms()
    ]
    patterns += [
        {"label": "LAW", "pattern": form, "id": name}
        for form, (name, _) in regulation_index().items()
    ]
    return patterns


# ---------------------------------------------------------------- names


def _word(text: str) -> str:
    return text.lower().rstrip(".")


def is_suffix(token_text: str) -> bool:
    """Whether a token is a corporate suffix ("Inc.", "GmbH", "Ltd").

    >>> is_suffix("Inc."), is_suffix("Robots")
    (True, False)
    """
    word = _word(token_text)
    if word in ("sa", "ag", "ab", "se", "kg", "as", "nv", "bv") and not token_text[:2].isupper():
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
    ):
        return words[0]
    return name


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
    if len(words) > 1 and words[-1] == "&":
        words.pop()
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
    if zipf_frequency(first.lower(), "en") >= 3.0:
        return None
    return first


def market_entry_object(verb) -> Any:
    """What a verb phrase puts on the market without a launch verb, or None.

    "brought Widget Pro to market", "made its Widget Hub generally
    available": the brought or made thing is launched.
    """
    lemma = verb.lemma_.lower()
    if lemma == "bring" and any(
        c.dep_ == "prep" and c.lower_ == "to" and any(o.lemma_ == "market" for o in c.children)
        for c in verb.children
    ):
        return next((c for c in verb.children if c.dep_ == "dobj"), None)
    if lemma == "make":
        for c in verb.children:
            if c.lemma_.lower() != "available":
                continue
            # The parser reads "made X available" as a small clause: X is its subject.
            inner = next((g for g in c.children if g.dep_ == "nsubj"), None)
            return inner or next((g for g in verb.children if g.dep_ == "dobj"), None)
    return None


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


# ---------------------------------------------------------------- the component


def _cues(span: Span) -> list[str]:
    return list(span._.cues or [])


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A proposed entity: token range, label and the cues that proposed it."""

    start: int
    end: int
    label: str
    cues: tuple[str, ...]


def _with(span: Span, label: str, *cues: str) -> _Candidate:
    return _Candidate(span.start, span.end, label, tuple(sorted(set(cues))))


def _heading_like(doc: Doc) -> bool:
    """A short title-cased line without a final period: a heading or a table label."""
    words = [t for t in doc if t.is_alpha and len(t.text) > 3 and not t.is_stop]
    if not words or len(doc) > 20 or doc.text.rstrip().endswith((".", "?", "!")):
        return False
    return sum(1 for t in words if t.text[0].isupper()) / len(words) > 0.75


def _quoted_titles(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of quoted, title-cased phrases: cited article titles, not names."""
    out = []
    for m in re.finditer(r"[“\"]([^”\"]{8,200})[”\"]", doc.text):
        words = [w for w in m.group(1).split() if w[:1].isalpha() and len(w) > 3]
        if len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) > 0.6:
            out.append((m.start(1), m.end(1)))
    return out


def _category_lists(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of parenthesised lists of three or more items: "(Maize, Wheat, Barley)"."""
    return [
        (m.start(1), m.end(1))
        for m in re.finditer(r"\(([^()]{5,400})\)", doc.text)
        if m.group(1).count(",") >= 2
    ]


def _opens_noun_list(ent: Span) -> bool:
    """Whether a capitalised common word only opens a list of things ("Fraud, theft, and ...").

    The first item of a sentence-initial list is capitalised like a name; when
    the items after it are lower-case nouns, it is one of them.
    """
    doc = ent.doc
    if ent.start != ent.sent.start or ent.end + 1 >= len(doc) or doc[ent.end].text != ",":
        return False
    nxt = doc[ent.end + 1]
    if not (nxt.text.islower() and nxt.pos_ in {"NOUN", "ADJ"}):
        return False
    # a list item joins the name as a conjunct; an appositive ("Jo Li, head of ...") does not
    joined = any(
        t.dep_ == "conj" and ent.start <= t.head.i < ent.end
        for t in doc[ent.end + 1 : min(len(doc), ent.end + 8)]
    )
    # Dictionary words, rare ones too ("Keyloggers"); a coined firm name is in no dictionary.
    known = all(zipf_frequency(t.lower_, "en") >= 1.5 for t in ent if t.is_alpha)
    return joined and ent.label_ != "PERSON" and known and len(ent) <= 2


def _common_words(text: str) -> bool:
    """Whether every word of a name is an ordinary English word ("Cloud Storage")."""
    words = [w for w in re.split(r"[\s\-/&]+", text) if w and w.lower() not in {"and", "of"}]
    return bool(words) and all(zipf_frequency(w.lower(), "en") >= 2.5 for w in words)


def _name_token(token) -> bool:
    text = token.text
    if text in {"&", "-"}:
        return True
    if is_suffix(text) or not any(c.isalpha() for c in text):
        return False
    return any(c.isupper() for c in text) or text[0].isdigit()


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading determiner or sentence-opening common word, and trailing "'s"."""
    while start < end and (
        doc[start].lower_ in {"the", "a", "an", "&", "-", "and"}
        or (_opener(doc[start]) and end - start > 1)
    ):
        start += 1
    while end > start and (
        doc[end - 1].text in {"'s", "’s", "'", "’", ",", "-", "&", "and", "of"}
        or (doc[end - 1].is_lower and doc[end - 1].is_alpha)
    ):
        end -= 1
    return start, end


def _outside_brackets(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Cut a span at a bracket it does not close: "Animal Type (Dogs, Cats" -> "Animal Type".

    A name may hold a whole "(...)" group, but a span that opens or closes
    one half-way ran across the edge of a parenthesised list.
    """
    depth = 0
    for i in range(start, end):
        if doc[i].text == "(":
            depth += 1
        elif doc[i].text == ")":
            if depth == 0:
                return _trim(doc, i + 1, end)
            depth -= 1
    if depth == 0:
        return start, end
    cut = next(i for i in range(start, end) if doc[i].text == "(")
    return _trim(doc, start, cut)


def _opener(token) -> bool:
    """A sentence's capitalised first word that is not part of a name ("Yesterday", "In")."""
    return (
        token.is_sent_start
        and token.tag_ not in {"NNP", "NNPS"}
        and (token.is_stop or token.pos_ in {"ADV", "ADP", "DET", "PRON", "SCONJ", "CCONJ", "VERB"})
    )


_BILL = re.compile(r"(?:SB|HB|AB)\s\d{1,4}(?![\d.,%])")
_YEARLIKE = re.compile(r"(?:19|20)\d{2}")


def _bill_numbers(doc: Doc) -> list[_Candidate]:
    """Legislative bills cited by chamber and number ("SB 54", "AB 1305").

    A year after the letters is no bill number, and "AB" after a capitalized word
    is a Nordic company suffix ("Acme AB 12"), not an Assembly Bill.
    """
    out = []
    for m in _BILL.finditer(doc.text):
        number = m.group(0).split()[1]
        if _YEARLIKE.fullmatch(number):
            continue
        span = doc.char_span(m.start(), m.end())
        if span is None:
            continue
        if m.group(0).startswith("AB") and span.start > 0 and doc[span.start - 1].is_title:
            continue
        out.append(_with(span, "LAW", "regulation-pattern"))
    return out


@lru_cache(maxsize=1)
def _wrapped_region_pattern() -> re.Pattern[str]:
    """Multi-word region names with any run of spaces between words ("Middle   East")."""
    forms = sorted(
        {form for form, _ in gazetteer().surface_forms() if " " in form}, key=len, reverse=True
    )
    body = "|".join(r"\s+".join(re.escape(w) for w in form.split()) for form in forms)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


def _wrapped_regions(doc: Doc) -> list[_Candidate]:
    """Region names cut by a hard line wrap, which the phrase matcher cannot see."""
    out = []
    for m in _wrapped_region_pattern().finditer(doc.text):
        if " " * 2 not in m.group(0) and "\n" not in m.group(0):
            continue  # the gazetteer ruler already has it
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is not None:
            out.append(_with(span, "GPE", "gazetteer"))
    return out


def _org_headed(ent: Span) -> bool:
    """A PERSON span ending in a company word ("Software", "Technologies"): a firm misread."""
    lex = lexicon()
    last = ent[-1].lower_
    return ent.label_ == "PERSON" and (last in lex.descriptors or last in lex.org_words)


def _extend_left(ent: Span) -> int:
    """The start of an ORG span widened over proper nouns the model left out before it.

    The small model often drops a name's first word ("[Lumen] Crest Partners").
    """
    start = ent.start
    doc = ent.doc
    # A one-word "person" or "product" that proper nouns before it modify ("[Acme Auto] Glass")
    # is the tail of a longer name the model split.
    split = (
        len(ent) == 1
        and ent.label_ in {"PERSON", "PRODUCT"}
        and start > ent.sent.start
        and doc[start - 1].dep_ == "compound"
        and doc[start - 1].head.i == start
    )
    if ent.label_ != "ORG" and not _org_headed(ent) and not split:
        return start
    while (
        start > ent.sent.start
        and ent.start - start < 3
        and doc[start - 1].tag_ == "NNP"
        and doc[start - 1].text[:1].isupper()
        and doc[start - 1].ent_iob_ == "O"
        and doc[start - 1].is_alpha
        and gazetteer().canonical(doc[start - 1].text) is None
        and doc[start - 1].lower_ not in lexicon().person_roles
    ):
        start -= 1
    return start


class EntityRules:
    """The spaCy component that types entities in one text unit.

    It reads ``doc.ents`` (the statistical NER) and ``doc.spans["mg_gazetteer"]``
    (the gazetteer ruler), adds rule spans, and writes the merged, typed
    entities back to ``doc.ents`` with their context cues in ``ent._.cues``.
    Labels: ORG, PERSON, GPE (a gazetteer region), LAW, DATASET, PRODUCT and
    the model's value labels (MONEY, DATE, PERCENT ...).
    """

    def __init__(self, nlp: Language, name: str = "mg_entity_rules"):
        self.name = name
        self.lex = lexicon()

    def __call__(self, doc: Doc) -> Doc:
        weak = _heading_like(doc)
        picked: list[tuple[int, Span]] = []  # (priority, span): lower wins

        suffix_orgs = self._suffix_orgs(doc)
        for span in doc.spans.get(GAZETTEER_KEY, []):
            if span.label_ == "REGION" and self._inside_org_name(doc, span, suffix_orgs):
                continue
            picked.append(
                (0, _with(span, "GPE" if span.label_ == "REGION" else "LAW", "gazetteer"))
            )
        if "  " in doc.text:
            picked += [(0, s) for s in _wrapped_regions(doc)]
        picked += [(1, s) for s in suffix_orgs]
        # A regulation name outranks the region that opens it ("EU ... Act").
        picked += [(0, s) for s in self._regulations(doc)]
        picked += [(1, s) for s in self._citations(doc)]
        picked += [(2, s) for s in self._datasets(doc, weak)]
        if not weak:
            # A name that takes in its model number ("Widget 20") outranks the bare number.
            picked += [
                (1 if s.end > s.start and doc[s.end - 1].like_num else 3, s)
                for s in self._products(doc)
            ]
        for ent in doc.ents:
            span = self._model_entity(ent, weak)
            if span is not None:
                picked.append((4 if span.label not in VALUE_LABELS else 1, span))

        chosen: list[_Candidate] = []
        taken: set[int] = set()
        for _, span in sorted(picked, key=lambda p: (p[0], -(p[1].end - p[1].start), p[1].start)):
            if span.start >= span.end or taken.intersection(range(span.start, span.end)):
                continue
            chosen.append(span)
            taken.update(range(span.start, span.end))
        cues = {(c.start, c.end): c.cues for c in chosen}
        doc.ents = [
            Span(doc, c.start, c.end, label=c.label) for c in sorted(chosen, key=lambda c: c.start)
        ]
        titles = _quoted_titles(doc)
        lists = _category_lists(doc)
        for ent in doc.ents:
            extra = self._context_cues(ent)
            inside = any(s <= ent.start_char and ent.end_char <= e for s, e in titles) or (
                _common_words(ent.text)
                and any(s <= ent.start_char and ent.end_char <= e for s, e in lists)
            )
            if weak or inside or _opens_noun_list(ent):
                extra.append("weak")
            if ent.start == ent.sent.start:
                extra.append("sent-initial")
            ent._.cues = tuple(sorted(set(cues.get((ent.start, ent.end), ())) | set(extra)))
        return doc

    # -- spans of the statistical model

    def _model_entity(self, ent: Span, weak: bool) -> _Candidate | None:
        label = ent.label_
        if label in VALUE_LABELS:
            return _with(ent, label)
        start, end = _trim(ent.doc, _extend_left(ent), ent.end)
        start, end = _outside_brackets(ent.doc, start, end)
        # "Segmented by Region", "Backed by Acme": a passive verb and its "by" are no name.
        for k in range(start, end - 1):
            if ent.doc[k].tag_ == "VBN" and ent.doc[k + 1].lower_ == "by":
                start = k + 2
        if start >= end:
            return None
        span = ent.doc[start:end]
        text = span.text
        if _MONEY.match(text) or re.match(r"^[+-]?[\d.,]+\s*%$", text):
            return _with(span, "MONEY" if "%" not in text else "PERCENT")
        if is_generic(text) or not any(c.isupper() for c in text):
            return None
        if text.startswith("Article ") or _LICENSE.fullmatch(text):
            return None
        if _LICENSE.match(ent.doc.text, span.start_char):
            return None  # "CC" of "CC BY 4.0"
        if "©" in text:
            # A copyright line ("Image © Acme Research") names its holder after the sign.
            mark = max(t.i for t in span if "©" in t.text)
            if mark + 1 >= end:
                return None
            span = ent.doc[mark + 1 : end]
            text = span.text
        if (
            span[-1].lower_ in {"dataset", "corpus", "benchmark"}
            and len(span) > 1
            and text[:1].isupper()
        ):
            return _with(span, "DATASET", "dataset-name", "ner")
        if _org_headed(ent):
            label = "ORG"
        if label in {"ORG", "PERSON", "GPE", "LOC", "FAC", "PRODUCT", "LAW"}:
            # A place the gazetteer does not know (a city) is not a region; it may still be
            # an org the model mistook for a place, which context cues must then show.
            mapped = {"LOC": "PLACE", "GPE": "PLACE", "FAC": "ORG"}.get(label, label)
            if label in {"GPE", "LOC"} and gazetteer().canonical(text) is not None:
                mapped = "GPE"
            return _with(span, mapped, "ner", f"ner-{label.lower()}")
        return None

    def _inside_org_name(
        self, doc: Doc, span: Span, suffix_orgs: Sequence[_Candidate] = ()
    ) -> bool:
        """A region word inside a longer company name ("Acme China Holdings").

        The name is the model's ORG or a suffixed name the rules found; a state
        opening one ("Ohio Harbor Foods Inc.") is part of the name, not a place.
        """
        orgs = [(e.start, e.end) for e in doc.ents if e.label_ == "ORG"]
        orgs += [(c.start, c.end) for c in suffix_orgs]
        for start, end in orgs:
            if start <= span.start and span.end <= end:
                if (start, end) == (span.start, span.end):
                    return False
                rest = [t for t in doc[start:end] if t.i < span.start or t.i >= span.end]
                words = [t for t in rest if not is_suffix(t.text) and t.text not in {",", "&"}]
                if words and all(t.text[:1].isupper() and t.is_alpha for t in words):
                    return not {t.lower_ for t in words} <= {"the"}
        return False

    # -- rule spans

    def _suffix_orgs(self, doc: Doc) -> list[_Candidate]:
        out = []
        regions = {
            i
            for span in doc.spans.get(GAZETTEER_KEY, [])
            if span.label_ == "REGION"
            for i in range(span.start, span.end)
        }
        i = 0
        while i < len(doc):
            if not is_suffix(doc[i].text) or i == 0:
                i += 1
                continue
            # the suffix run: "Co., Ltd.", "Private Limited", "Pvt. Ltd."
            end = i + 1
            while end < len(doc) and (
                is_suffix(doc[end].text)
                or (
                    doc[end].text in {",", "."}
                    and end + 1 < len(doc)
                    and is_suffix(doc[end + 1].text)
                )
            ):
                end += 1
            start = i
            if start > 0 and doc[start - 1].text == ",":
                start -= 1
            first = start
            joined = False
            while first > 0 and first > start - 7:
                prev = doc[first - 1]
                if prev.lower_ in {"and", "&"} and not joined and first >= 2:
                    # "Dunmore and Vale Printers Inc": one name around a single "and"
                    before = doc[first - 2]
                    if (
                        _name_token(before)
                        and first < start
                        and not _opener(before)
                        and before.i not in regions
                    ):
                        joined = True
                        first -= 1
                        continue
                    break
                if not _name_token(prev):
                    break
                if _opener(prev):
                    break
                first -= 1
            lead = _word(doc[i].text)
            if first == start or (lead in self.lex.suffixes_needing_more and end == i + 1):
                i = end
                continue
            if lead in {"company", "co"} and not doc[i].text[0].isupper():
                i = end
                continue
            s, e = _trim(doc, first, end)
            if e > s and not is_generic(doc[s:e].text):
                out.append(_with(doc[s:e], "ORG", "suffix"))
            i = end
        return out

    def _citations(self, doc: Doc) -> list[_Candidate]:
        """The author and the publication of a cited source ("Jane Doe, “Title,” Weekly, x.com")."""
        out = []
        for pattern, label, cue in (
            (_CITED_AUTHOR, "PERSON", "cited-author"),
            (_CITED_SOURCE, "ORG", "publication"),
        ):
            for m in pattern.finditer(doc.text):
                span = doc.char_span(m.start("name"), m.end("name"), alignment_mode="contract")
                if span is not None and len(span) > 0 and not is_generic(span.text):
                    out.append(_with(span, label, cue))
        return out

    def _regulations(self, doc: Doc) -> list[_Candidate]:
        out = self._regulator_rules(doc) + _bill_numbers(doc)
        for tok in doc:
            if tok.lower_ not in self.lex.regulation_heads or not tok.text[0].isupper():
                continue
            start = tok.i
            while start > 0 and start > tok.i - 9:
                prev = doc[start - 1]
                # "of", "on", "in" join the words of a long title ("Safety in Mines Act");
                # a lower-case word after a hyphen ends a compound ("F-gas", "Anti-fraud").
                if (
                    prev.text[:1].isupper()
                    or prev.text in {"-"}
                    or prev.lower_ in {"of", "and", "on", "in"}
                    or (prev.is_alpha and start > 1 and doc[start - 2].text == "-")
                ):
                    start -= 1
                else:
                    break
            while start < tok.i and not doc[start].text[:1].isupper():
                start += 1
            s, e = _trim(doc, start, tok.i + 1)
            if e - s >= 2:
                out.append(_with(doc[s:e], "LAW", "regulation-pattern"))
        return out

    def _regulator_rules(self, doc: Doc) -> list[_Candidate]:
        """A regulator's named rule that binds someone: "the Authority's Fair Duty requires ...".

        The rule's name need not end in "Act": what marks it is its owner, a
        public body, and a verb of obligation it is the subject of.
        """
        out = []
        for tok in doc:
            if tok.text not in {"'s", "’s"} or tok.i == 0:
                continue
            if doc[tok.i - 1].lower_ not in self.lex.regulator_words:
                continue
            start = end = tok.i + 1
            while end < len(doc) and doc[end].text[:1].isupper() and doc[end].is_alpha:
                end += 1
            if end - start < 2 or end >= len(doc):
                continue
            head = doc[end - 1]
            verb = head.head
            if head.dep_ == "nsubj" and verb.lemma_.lower() in self.lex.obligation_verbs:
                out.append(_with(doc[start:end], "LAW", "regulation-pattern"))
        return out

    def _sentence_has(self, sent: Span, words: Iterable[str]) -> bool:
        low = sent.text.lower()
        return any(re.search(rf"\b{re.escape(w)}\b", low) for w in words)

    def _datasets(self, doc: Doc, weak: bool) -> list[_Candidate]:
        out = []
        text = doc.text
        # Coined, dataset-like tokens ("ABC-2T", "FooBench3-Chat") next to dataset words.
        for m in _DATASET_TOKEN.finditer(text):
            token = m.group(0)
            if _LICENSE.fullmatch(token) or not self._dataset_like(token):
                continue
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is None or not self._sentence_has(span.sent, self.lex.dataset_cues):
                continue
            after = doc[span.end].lower_ if span.end < len(doc) else ""
            if after in self.lex.model_cues:
                continue
            out.append(_with(span, "DATASET", "dataset-token"))
        # Capitalised names headed by a dataset word: "Open Robot Motion Dataset".
        for tok in doc:
            if tok.lower_ not in {"dataset", "corpus", "benchmark"}:
                continue
            end = tok.i + 1
            if tok.text[0].isupper():
                if end < len(doc) and doc[end].text[:1].isupper() and doc[end].is_alpha:
                    continue  # the head is inside a longer title ("... Dataset Market")
                if weak:
                    continue
                start = tok.i
                while start > 0 and _name_token(doc[start - 1]) and doc[start - 1].text != "-":
                    prev = doc[start - 1]
                    if prev.tag_.startswith("VB") or prev.ent_type_ in {"ORG", "PERSON"}:
                        break  # "Acme Unveils Foo Dataset": the name starts after the verb
                    start -= 1
                if start < tok.i:
                    out.append(_with(doc[start:end], "DATASET", "dataset-name"))
            else:
                # "the Foo dataset": the capitalised words before a lower-case head
                start = tok.i
                while start > 0 and _name_token(doc[start - 1]):
                    start -= 1
                if start < tok.i and doc[start - 1].lower_ in {"the", "its", "their"}:
                    span = doc[start : tok.i]
                    if not is_generic(span.text) and gazetteer().canonical(span.text) is None:
                        out.append(_with(span, "DATASET", "dataset-name"))
        return out

    @staticmethod
    def _dataset_like(token: str) -> bool:
        parts = re.split(r"[-.]", token)
        if len(parts) < 2 or any(not p for p in parts):
            return False
        if all(p.isdigit() for p in parts[1:]) and parts[0].isalpha() and len(parts[0]) <= 3:
            return False  # "ISO-27001"-like codes and version numbers
        has_digit = any(c.isdigit() for c in token) and any(c.isalpha() for c in token)
        camel = any(re.search(r"[a-z][A-Z]", p) for p in parts)
        caps = sum(1 for p in parts if p.isupper() and len(p) >= 2)
        return caps == len(parts) or ((has_digit or camel) and any(c.isupper() for c in token))

    def _products(self, doc: Doc) -> list[_Candidate]:
        out = []
        for tok in doc:
            # "<Org>'s <Capitalised Name>": a named offer of the possessor.
            if tok.text in {"'s", "’s"} and tok.i + 1 < len(doc):
                start = end = tok.i + 1
                while (
                    end < len(doc)
                    and _name_token(doc[end])
                    and doc[end].ent_type_ not in {"DATE", "MONEY", "CARDINAL", "PERCENT"}
                ):
                    end += 1
                while end > start and doc[end - 1].text in {"-", "&"}:
                    end -= 1
                if end - start >= 2 or (
                    end - start == 1 and doc[start].lower_ in self.lex.product_heads
                ):
                    span = doc[start:end]
                    owner = self._possessor(doc, tok.i)
                    if owner is not None:
                        out.append(_with(owner, "ORG", "possessor"))
                    if doc[end - 1].lower_ in self.lex.dataset_heads:
                        out.append(_with(span, "DATASET", "dataset-name", "possessed"))
                    elif (
                        doc[end - 1].lower_ in self.lex.product_heads
                        and not is_generic(span.text)
                        and doc[start].lower_ not in _MONTHS
                    ):
                        out.append(_with(span, "PRODUCT", "product-name", "possessed"))
            # Objects of launch verbs: "launched the Widget Studio".
            if tok.pos_ == "VERB" and tok.lemma_ in self.lex.launch_verbs:
                for child in tok.children:
                    if child.dep_ not in {"dobj", "nsubjpass"}:
                        continue
                    span = self._name_phrase(doc, child) or self._named_head(doc, child)
                    if span is not None:
                        out.append(_with(span, "PRODUCT", "launch-object"))
            entry = market_entry_object(tok) if tok.pos_ == "VERB" else None
            if entry is not None:
                span = self._name_phrase(doc, entry) or self._named_head(doc, entry)
                if span is not None:
                    out.append(_with(span, "PRODUCT", "launch-object"))
            # What is licensed is an offer: "licensed the Acme Pricing Index from ...",
            # "licenses the Zorb routing engine"; the licensor and licensee are firms.
            if tok.pos_ == "VERB" and tok.lemma_.lower() in {"license", "licence"}:
                for child in tok.children:
                    if child.dep_ not in {"dobj", "nsubjpass"}:
                        continue
                    span = self._name_phrase(doc, child) or self._named_head(doc, child)
                    if span is not None:
                        out.append(_with(span, "PRODUCT", "product-name"))
            # "<Name>, a suite of ...": an appositive saying what the thing is.
            if tok.dep_ == "appos" and tok.lemma_ in self.lex.product_appositives:
                head = tok.head
                span = self._name_phrase(doc, head)
                if span is not None and head.i < tok.i:
                    out.append(_with(span, "PRODUCT", "product-appos"))
        return out

    @staticmethod
    def _possessor(doc: Doc, clitic: int) -> Span | None:
        """The capitalised name before a possessive "'s", or None."""
        start = clitic
        while start > 0 and _name_token(doc[start - 1]) and clitic - start < 6:
            start -= 1
        start, end = _trim(doc, start, clitic)
        if end <= start or is_generic(doc[start:end].text):
            return None
        return doc[start:end]

    @staticmethod
    def _name_phrase(doc: Doc, head) -> Span | None:
        """The capitalised compound around ``head`` ("Widget Studio"), or None."""
        if not head.text[:1].isupper():
            return None
        start = head.i
        while (
            start > 0
            and doc[start - 1].dep_ in {"compound", "amod", "nmod", "punct"}
            and (_name_token(doc[start - 1]))
        ):
            start -= 1
        end = head.i + 1
        # "launched the Widget T40 Sprayer" may be parsed with "Widget" as the object.
        while (
            end < len(doc)
            and doc[end].tag_ in {"NNP", "NNPS"}
            and _name_token(doc[end])
            and doc[end].dep_ in {"compound", "dep", "appos", "npadvmod", "nummod", "dobj"}
        ):
            end += 1
        span = doc[start:end]
        if is_generic(span.text) or any(t.ent_type_ in VALUE_LABELS for t in span):
            return None
        # A model number closing the name ("Widget 20, a compact unit ..."): a short
        # bare number that ends the phrase, not a quantity with a unit after it.
        if (
            end + 1 < len(doc)
            and re.fullmatch(r"\d{1,3}", doc[end].text)
            and doc[end + 1].text in {",", ".", ";", ":", ")"}
        ):
            return doc[start : end + 1]
        return span

    def _named_head(self, doc: Doc, head) -> Span | None:
        """The capitalised name before a lower-case offer word ("the Zorb routing engine")."""
        if head.text[:1].isupper() or head.lower_ not in self.lex.product_heads:
            return None
        end = head.i
        # at most two lower-case modifiers between the name and the head ("routing")
        while end > head.i - 2 and end > 0 and doc[end - 1].text.islower():
            end -= 1
        start = end
        if start > 1 and re.fullmatch(r"\d{1,3}", doc[start - 1].text):
            start -= 1  # a model number closing the name ("the Widget 4 noise logger")
        while start > 0 and _name_token(doc[start - 1]) and doc[start - 1].text[:1].isupper():
            start -= 1
        if doc[start].like_num:
            return None  # a bare number with no name before it
        if start == end or start == 0 or doc[start - 1].lower_ not in {"the", "its", "their"}:
            return None
        span = doc[start:end]
        if is_generic(span.text) or gazetteer().canonical(span.text) is not None:
            return None
        return span

    # -- context cues

    def _context_cues(self, ent: Span) -> list[str]:
        cues = []
        root = ent.root
        head = root.head
        lex = self.lex
        # What is launched or released is a product, not a party: only its subject is an org.
        launched = root.dep_ in {"dobj", "nsubjpass"} and head.lemma_ in lex.launch_verbs
        if (
            not launched
            and root.dep_ in {"nsubj", "nsubjpass", "dobj", "conj", "agent"}
            and (
                head.lemma_ in lex.deal_verbs
                or (head.dep_ == "conj" and head.head.lemma_ in lex.deal_verbs)
            )
        ):
            if root.dep_ == "conj":
                cues.append("deal-party")
            else:
                cues.append("deal-subject" if root.dep_.startswith("nsubj") else "deal-party")
        if (
            root.dep_ == "conj"
            and head.dep_ in {"nsubj", "dobj"}
            and head.head.lemma_ in lex.deal_verbs
        ):
            cues.append("deal-party")
        if (
            root.dep_ == "pobj"
            and head.dep_ == "prep"
            and head.head.lemma_ in lex.deal_nouns
            # "licensing in the North Sea": a place the model saw is where, not who
            and not (ent.label_ == "PLACE" and head.lower_ in {"in", "at", "across", "within"})
        ):
            cues.append("deal-party")
        if root.dep_ == "pobj" and head.lower_ == "by" and head.head.lemma_ in lex.deal_verbs:
            cues.append("deal-party")
        if root.dep_ == "poss" and head.lower_ in lex.deal_nouns:
            cues.append("deal-party")
        nxt = ent.doc[ent.end : ent.end + 8]
        if nxt and nxt[0].text == "," and len(nxt) > 2 and nxt[1].lower_ in {"a", "an", "the"}:
            for t in nxt[2:]:
                if t.lemma_.lower() in lex.org_appositives:
                    cues.append("org-appos")
                    break
                if t.lower_ in lex.person_roles:
                    cues.append("person-appos")
                    break
                if t.text in {",", ".", ";"}:
                    break
        if nxt and nxt[0].text == "," and len(nxt) > 1 and nxt[1].lower_ in lex.person_roles:
            cues.append("person-appos")
        if any(t.lower_ in {"'s", "’s"} for t in nxt[:1]):
            cues.append("possessor")
        return cues


@Language.factory("mg_entity_rules")
def make_entity_rules(nlp: Language, name: str) -> EntityRules:
    """Factory of :class:`EntityRules` (``nlp.add_pipe("mg_entity_rules", after="ner")``)."""
    return EntityRules(nlp, name)


def register_extensions() -> None:
    """Register ``Span._.ref`` (the resolved :class:`Ref`) and ``Span._.cues``."""
    if not Span.has_extension("ref"):
        Span.set_extension("ref", default=None)
    if not Span.has_extension("cues"):
        Span.set_extension("cues", default=())


register_extensions()


# ---------------------------------------------------------------- resolution


@dataclass
class Mention:
    """One entity mention in a report: where, as what, with which cues."""

    unit: int
    ent: Span
    offset: int  # the unit's start in the report's text
    label: str
    text: str  # as written, trimmed
    cues: tuple[str, ...]

    @property
    def start(self) -> int:
        return self.offset + self.ent.start_char

    @property
    def end(self) -> int:
        return self.offset + self.ent.end_char


@dataclass
class _Group:
    key: str
    mentions: list[Mention] = field(default_factory=list)
    region: str | None = None
    regulation: str | None = None
    jurisdiction: str | None = None
    kind: str | None = None
    name: str = ""
    aliases: set[str] = field(default_factory=set)

    def cues(self) -> Counter:
        return Counter(c for m in self.mentions for c in set(m.cues))

    def labels(self) -> Counter:
        return Counter(m.label for m in self.mentions)


def resolve_entities(
    units: Sequence[tuple[int, Doc]],
    facts: ReportFacts,
    text: str,
    weak_names: Iterable[str] = (),
) -> dict[Ref, Entity]:
    """Resolve every entity mention of a report and add the entities to ``facts``.

    Args:
        units: (offset into ``text``, processed Doc) for each text unit, in order.
        facts: the report's facts; entities are added to ``facts.entities``.
        text: the report's text (provenance spans index into it).
        weak_names: texts of headings and table cells; a name seen only there
            (a segment such as "Cloud Services") needs a stronger cue than the NER.

    Returns:
        The entities added, by Ref. Each kept mention gets ``ent._.ref``; mentions
        that were rejected are removed from their Doc's ``ents``.
    """
    mentions = _collect(units)
    groups = _group(mentions, text)
    weak_keys = {name_key(w) for w in weak_names if w.strip()}
    weak_text = " | ".join(w.lower() for w in weak_names)
    for group in groups:
        _vote(group, weak_keys, weak_text)
    named_regions = {g.region for g in groups if g.kind == "region" and g.region}
    refs: dict[int, Ref] = {}
    added: dict[Ref, Entity] = {}
    by_key: dict[str, Ref] = {}
    for group in groups:
        if group.kind is None:
            continue
        ref = Ref(group.kind, group.name)
        entity = facts.entity(ref)
        entity.aliases.update(a for a in group.aliases if a != group.name)
        if group.kind == "region":
            entity.country = gazetteer().is_country(group.name)
            parent = gazetteer().parent_in(group.name, named_regions)
            if parent is not None:
                entity.part_of = Ref("region", parent)
        if group.kind == "regulation" and group.jurisdiction:
            entity.jurisdiction = Ref("region", group.jurisdiction)
        seen = {(s.start, s.end) for s in entity.mentions}
        for m in group.mentions:
            refs[id(m.ent)] = ref
            sent = _sentence_span(m, text)
            if (sent.start, sent.end) not in seen:
                seen.add((sent.start, sent.end))
                entity.mentions.append(sent)
        added[ref] = entity
        by_key[group.key] = ref
    _link_attributes(groups, facts, by_key, text)
    _write_back(units, mentions, refs)
    return added


def _sentence_span(m: Mention, text: str) -> TextSpan:
    sent = m.ent.sent
    start, end = m.offset + sent.start_char, m.offset + sent.end_char
    chunk = text[start:end]
    stripped = chunk.strip()
    start += len(chunk) - len(chunk.lstrip())
    return TextSpan(start, start + len(stripped), stripped)


def _collect(units: Sequence[tuple[int, Doc]]) -> list[Mention]:
    out = []
    for i, (offset, doc) in enumerate(units):
        for ent in doc.ents:
            if ent.label_ in VALUE_LABELS:
                continue
            out.append(Mention(i, ent, offset, ent.label_, strip_name(ent.text), tuple(ent._.cues)))
    return out


def _acronyms(text: str) -> dict[str, str]:
    """Acronym -> full name for "Full Name (FN)" definitions whose initials fit."""
    out = {}
    for m in _ACRONYM_DEF.finditer(text):
        full, short = m.group(1), m.group(2)
        words = full.split()
        initials_all = "".join(w[0] for w in words if w[0].isalpha()).upper()
        initials_caps = "".join(w[0] for w in words if w[0].isupper())
        letters = "".join(c for c in short if c.isalpha()).upper()
        for k in range(len(words)):
            tail = words[k:]
            caps = "".join(w[0] for w in tail if w[0].isupper())
            if caps == letters or "".join(w[0] for w in tail).upper() == letters:
                out[short] = " ".join(tail)
                break
        else:
            if letters in (initials_all, initials_caps):
                out[short] = full
    return out


def _group(mentions: list[Mention], text: str) -> list[_Group]:
    gaz = gazetteer()
    regs = regulation_index()
    acronyms = _acronyms(text)
    # An acronym defined after a regulation's name ("... Act (ABCA)") is that regulation.
    laws = {m.text for m in mentions if m.label == "LAW"}
    groups: dict[str, _Group] = {}
    for m in mentions:
        region = gaz.canonical(m.text)
        reg = regs.get(m.text)
        if reg is None and m.label == "LAW":
            # "Acme Act Safe Harbor": a known regulation opening a longer name
            reg = next((v for k, v in regs.items() if m.text.startswith(k + " ")), None)
        if region is not None and m.label in {"GPE", "ORG", "PERSON", "LAW"}:
            key = "region:" + region
        elif reg is not None:
            key = "law:" + reg[0]
        else:
            full = acronyms.get(m.text)
            key = name_key(full if full else m.text)
            if m.label == "LAW":
                key = "law:" + _law_key(m.text)
            elif full in laws:
                key = "law:" + _law_key(full)
        group = groups.setdefault(key, _Group(key))
        group.mentions.append(m)
        if region is not None and key.startswith("region:"):
            group.region = region
        if reg is not None and key.startswith("law:"):
            group.regulation, group.jurisdiction = reg
    _split_joined(groups)
    _merge_prefixes(groups)
    _merge_title_echoes(groups)
    _merge_fuzzy(groups)
    return list(groups.values())


def _split_joined(groups: dict[str, _Group]) -> None:
    """Drop a name that is two other names joined by "and" ("Acme Mutual and Beta Labs").

    The NER reads the last two items of a list of firms as one name; when
    each half is a name of its own elsewhere in the report, or the form
    closes a comma list and its second half is a name elsewhere, the joined
    form is that misreading and is dropped.
    """
    for key in [k for k in groups if ":" not in k]:
        words = key.split()
        halves = [
            (" ".join(words[:i]), " ".join(words[i + 1 :]))
            for i, word in enumerate(words)
            if word in {"and", "&"} and 0 < i < len(words) - 1
        ]
        listed = all(
            m.ent.start > 0 and m.ent.doc[m.ent.start - 1].text == "," for m in groups[key].mentions
        )
        if any(right in groups and (listed or left in groups) for left, right in halves):
            del groups[key]


def _law_key(text: str) -> str:
    """A regulation key, leading jurisdiction folded ("EU Foo Act" ~ "European Union Foo Act")."""
    words = text.split()
    gaz = gazetteer()
    for k in range(min(3, len(words) - 1), 0, -1):
        region = gaz.canonical(" ".join(words[:k]))
        if region is not None:
            return region.lower() + "|" + name_key(" ".join(words[k:]))
    return "|" + name_key(text)


def _merge_into(groups: dict[str, _Group], small: str, big: str) -> None:
    target = groups[big]
    source = groups.pop(small)
    target.mentions.extend(source.mentions)
    target.region = target.region or source.region
    target.regulation = target.regulation or source.regulation
    target.jurisdiction = target.jurisdiction or source.jurisdiction


def _merge_prefixes(groups: dict[str, _Group]) -> None:
    """Fold a shorter form into the one longer name it opens ("Acme" -> "Acme Robotics")."""
    # Regulations: "Foo Act" without jurisdiction joins the one "<Region> Foo Act".
    for key in [k for k in groups if k.startswith("law:|")]:
        rest = key.split("|", 1)[1]
        longer = [k for k in groups if k.startswith("law:") and k != key and k.endswith("|" + rest)]
        if len(longer) == 1:
            _merge_into(groups, key, longer[0])
    plain = [k for k in groups if ":" not in k]
    for key in sorted(plain, key=len):
        if key not in groups:
            continue
        words = key.split()
        longer = [
            k for k in groups
            if ":" not in k and k != key and k.split()[: len(words)] == words
        ]  # fmt: skip
        if len(longer) != 1:
            continue
        small, big = groups[key], groups[longer[0]]
        tail = set(longer[0].split()[len(words) :])
        if tail & _DISTINCT_TAILS or not _org_like(small) or not _org_like(big):
            continue  # "Acme News" is not Acme; datasets and products keep their names
        if (
            len(words) == 1
            and zipf_frequency(words[0], "en") >= 4.5
            and not any(m.text[:1].isupper() and not m.ent[0].is_sent_start for m in small.mentions)
        ):
            continue
        _merge_into(groups, key, longer[0])


def _merge_title_echoes(groups: dict[str, _Group]) -> None:
    """Fold "Acme Unveils Foo Dataset" into "Foo Dataset": a longer name ending in a known one."""
    named = [k for k in groups if ":" not in k and not _org_like(groups[k])]
    for key in sorted(named, key=len, reverse=True):
        ends = [k for k in named if k != key and k in groups and key.endswith(" " + k)]
        if key in groups and len(ends) >= 1:
            _merge_into(groups, key, max(ends, key=len))


# Public bodies are known by their full name: "Lindholm Marine Institute" is not "Lindholm".
_INSTITUTION_WORDS = {"institute", "agency", "commission", "ministry", "department", "council",
                      "authority", "association", "society", "academy", "centre", "center",
                      "laboratory", "observatory", "consortium", "initiative"}  # fmt: skip
_DISTINCT_TAILS = {"news", "blog", "journal", "magazine", "times", "post", "review", "press",
                   "foundation", "university", "school", "college", "hospital",
                   "museum"}  # fmt: skip


def _org_like(group: _Group) -> bool:
    labels = group.labels()
    return labels.get("ORG", 0) + labels.get("PERSON", 0) >= max(
        labels.get("DATASET", 0), labels.get("PRODUCT", 0), 1
    )


def _merge_fuzzy(groups: dict[str, _Group]) -> None:
    """Fold near-identical spellings ("Acme Roboticss" ~ "Acme Robotics")."""
    plain = sorted((k for k in groups if ":" not in k and len(k) >= 8), key=lambda k: -len(k))
    for i, key in enumerate(plain):
        if key not in groups:
            continue
        for other in plain[i + 1 :]:
            if other in groups and fuzz.ratio(key, other) >= 94:
                _merge_into(groups, other, key)


_STRONG_ORG = {
    "suffix": 5,
    "deal-subject": 3,
    "deal-party": 3,
    "org-appos": 3,
    "publication": 3,
    "possessor": 1,
}


# A sentence that lists a report's segments: "The report is segmented by Material (...)".
_SEGMENT_LIST = re.compile(r"\bsegment(?:ed|s)?\s+(?:by|into|on\s+the\s+basis\s+of)\b", re.I)


def _vote(group: _Group, weak_keys: set[str], weak_text: str) -> None:
    """Choose the group's kind (or None to reject it), canonical name and aliases."""
    cues = group.cues()
    labels = group.labels()
    texts = Counter(m.text for m in group.mentions if "weak" not in m.cues or "suffix" in m.cues)
    if not texts:
        texts = Counter(m.text for m in group.mentions)
    if group.region:
        group.kind, group.name = "region", group.region
        group.aliases = {t for t in texts if t != group.region}
        return
    if group.regulation or (
        labels.get("LAW", 0) and (cues.get("regulation-pattern") or cues.get("gazetteer"))
    ):
        group.kind = "regulation"
        if group.regulation:
            group.name = group.regulation
        else:
            group.name = max(
                texts, key=lambda t: (len(t.split()) > 1 and " " in t, texts[t], len(t))
            )
            group.jurisdiction = _jurisdiction_of(group.name)
        group.aliases = set(texts)
        return

    running = [m for m in group.mentions if "weak" not in m.cues]
    strong_org = sum(w * cues.get(c, 0) for c, w in _STRONG_ORG.items())
    scores: Counter = Counter()
    for m in group.mentions:
        w = 1 if "weak" not in m.cues else 0.25
        if m.label == "DATASET":
            scores["dataset"] += 4 * w
        elif m.label == "PRODUCT":
            scores["product"] += 3 * w
        elif m.label == "ORG":
            scores["org"] += w
        elif m.label == "PERSON":
            scores["person"] += w
    scores["org"] += strong_org
    display = _display_name(texts)
    if scores["person"] and (not person_shaped(display) or cues.get("org-appos")):
        # An organization word in the name ("... Robotics") settles it; otherwise keep a doubt.
        weight = 1.0 if _has_org_word(display) else 0.5
        scores["org"] += weight * scores.pop("person")
    if person_shaped(display) and (cues.get("person-appos") or cues.get("cited-author")):
        scores["person"] += 3
    if scores["person"] and scores["org"] and person_shaped(display) and not strong_org:
        scores["org"] = 0
    if not scores:
        return
    kind, best = scores.most_common(1)[0]

    key = group.key
    strong = (
        strong_org
        or cues.get("dataset-token")
        or cues.get("dataset-name")
        or cues.get("launch-object")
        or cues.get("product-name")
        or cues.get("product-appos")
    )
    if not strong:
        if not running:
            return  # seen only in headings, table rows or title-case lines
        if key in weak_keys or (len(key) > 3 and f"{key}" in weak_text and len(key.split()) > 1):
            return  # a heading's or table cell's words (a segment), not a name
        if (
            len(key.split()) == 1
            and re.search(rf"\b{re.escape(key)}\b", weak_text)
            and all(_SEGMENT_LIST.search(m.ent.sent.text) for m in running)
        ):
            return  # a word of a listed segment ("Bio-based Resin"), met only in the list
        words = key.split()
        if len(words) == 1 and not display.isupper() and zipf_frequency(words[0], "en") >= 3.0:
            return  # "Healthcare is growing ...": a capitalised common word, no name cue
        if all(m.label == "PERSON" for m in running) and kind != "person":
            return
        if kind == "person" and not person_shaped(display):
            return
    if kind == "org" and best < 1 and not strong:
        return
    group.kind = kind
    if kind == "org":
        forms = Counter(canonical_org_name(t) for t in texts.elements())
        group.name = max(forms, key=lambda f: (forms[f], -len(f)))
        group.aliases = {t for t in texts if t != group.name and not _is_variant(t, group.name)}
        group.aliases |= {legal_name(t) for t in texts} - {group.name}
        short = short_alias(group.name)
        if short:
            group.aliases.add(short)
    else:
        group.name = display
        group.aliases = {t for t in texts if t != display}


def _has_org_word(text: str) -> bool:
    lex = lexicon()
    return any(
        w.lower() in lex.org_words or w.lower() in lex.descriptors or is_suffix(w)
        for w in strip_name(text).split()
    )


def _display_name(texts: Counter) -> str:
    return max(texts, key=lambda t: (texts[t], len(t)))


def _is_variant(text: str, name: str) -> bool:
    """ "Acme's" or "The Acme" is the same form as "Acme", not an alias worth keeping."""
    return strip_name(text) == name


def _jurisdiction_of(name: str) -> str | None:
    words = name.split()
    gaz = gazetteer()
    for k in range(min(3, len(words) - 1), 0, -1):
        region = gaz.canonical(" ".join(words[:k]))
        if region is not None:
            return region
    return None


def _link_attributes(
    groups: list[_Group], facts: ReportFacts, by_key: dict[str, Ref], text: str
) -> None:
    """Publisher, licence and size of datasets; provider of products."""
    org_of: dict[tuple[int, int, int], Ref] = {}
    for group in groups:
        if group.kind == "org":
            for m in group.mentions:
                org_of[_ent_key(m.ent)] = by_key[group.key]
    for group in groups:
        if group.kind not in {"dataset", "product"}:
            continue
        ref = by_key[group.key]
        entity = facts.entities[ref]
        for m in group.mentions:
            owner = _owner(m.ent, org_of)
            if owner is not None:
                if group.kind == "dataset" and entity.publisher is None:
                    entity.publisher = owner
                if group.kind == "product" and entity.provider is None:
                    entity.provider = owner
            if group.kind == "dataset":
                sent = m.ent.sent.text
                if entity.license is None and (lic := _LICENSE.search(sent)):
                    entity.license = lic.group(0)
                if entity.size is None and (size := _SIZE.search(sent)):
                    entity.size = size.group(0)


def _ent_key(ent: Span) -> tuple[int, int, int]:
    return id(ent.doc), ent.start, ent.end


def _owner(ent: Span, org_of: dict[tuple[int, int, int], Ref]) -> Ref | None:
    """The organization that owns, released or launched the thing named by ``ent``."""
    doc = ent.doc
    orgs = [e for e in doc.ents if _ent_key(e) in org_of]
    # "<Org>'s <thing>"
    if ent.start >= 2 and doc[ent.start - 1].text in {"'s", "’s"}:
        for o in orgs:
            if o.end == ent.start - 1:
                return _ref_of(o, org_of)
    # "Foo, published by Acme", "Foo, which was put together by Acme"
    for clause in ent.root.children:
        if clause.dep_ in {"acl", "relcl"} and clause.tag_ == "VBN":
            for agent in clause.children:
                if agent.dep_ == "agent" or (agent.dep_ == "prep" and agent.lower_ == "by"):
                    for o in orgs:
                        if any(o.start <= c.i < o.end for c in agent.children):
                            return _ref_of(o, org_of)
    # the subject of the clause that releases or launches it
    sent_orgs = [o for o in orgs if o.sent == ent.sent and o.start < ent.start]
    lex = lexicon()
    verb = ent.root
    while verb.dep_ != "ROOT" and verb.pos_ != "VERB":
        verb = verb.head
    if verb.pos_ == "VERB":
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
        cue = verb.lemma_ in lex.launch_verbs or re.search(
            r"\b(?:release[sd]?|launch(?:e[sd])?|publish(?:e[sd])?|unveil(?:e[sd])?)\b",
            ent.sent.text.lower(),
        )
        if cue:
            for o in sent_orgs:
                if any(o.start <= s.i < o.end for s in subjects):
                    return _ref_of(o, org_of)
    return None


def _ref_of(ent: Span, org_of: dict[tuple[int, int, int], Ref]) -> Ref | None:
    return org_of.get(_ent_key(ent))


def _write_back(units: Sequence[tuple[int, Doc]], mentions: list[Mention], refs: dict) -> None:
    """Relabel each Doc's entities by their resolved kind and set ``ent._.ref``."""
    by_doc: dict[int, dict[tuple[int, int], Ref | None]] = defaultdict(dict)
    for m in mentions:
        by_doc[m.unit][(m.ent.start, m.ent.end)] = refs.get(id(m.ent))
    for i, (_, doc) in enumerate(units):
        resolved = by_doc.get(i, {})
        ents = []
        for ent in doc.ents:
            if ent.label_ in VALUE_LABELS:
                ents.append(ent)
                continue
            ref = resolved.get((ent.start, ent.end))
            if ref is None:
                continue
            new = Span(doc, ent.start, ent.end, label=KIND_LABELS[ref.kind])
            new._.cues = ent._.cues
            ents.append(new)
        doc.ents = ents
        for ent in doc.ents:
            key = (ent.start, ent.end)
            if key in resolved:
                ent._.ref = resolved[key]


def find_ref(facts: ReportFacts, surface: str, kinds: Iterable[str] = ("org",)) -> Ref | None:
    """The Ref of a resolved entity that ``surface`` names, or None.

    Compares folded names (case, "the", possessive, legal suffix) with each
    entity's canonical name and aliases, so "Acme Widgets, Inc." finds the
    entity "Acme Widgets".

    >>> facts = ReportFacts("r.txt", "0", "")
    >>> facts.entity(Ref("org", "Acme Widgets")).aliases.add("Acme Widgets Ltd")
    >>> find_ref(facts, "Acme Widgets, Inc.")
    Ref(kind='org', name='Acme Widgets', scope=None)
    """
    kinds = set(kinds)
    want = name_key(surface)
    if not want:
        return None
    if "region" in kinds and (region := gazetteer().canonical(surface)) is not None:
        ref = Ref("region", region)
        if ref in facts.entities:
            return ref
    for ref, entity in facts.entities.items():
        if ref.kind in kinds and (
            name_key(ref.name) == want or any(name_key(a) == want for a in entity.aliases)
        ):
            return ref
    return None


#: Event roles only an organization plays: a name found in one is a firm, whatever the NER said.
ORG_ROLES = frozenset(
    {"acquirer", "acquired", "seller", "investee", "participant", "licensor", "licensee",
     "launchedBy"}
)  # fmt: skip


#: Roles only a firm can act in: a "product" found raising money or launching is a misread firm.
_ACTING_ROLES = frozenset({"acquirer", "investee", "participant", "licensee", "launchedBy"})


def promote_parties(facts: ReportFacts) -> None:
    """Retype as organizations the persons that buy, sell, raise, partner, license or launch.

    The statistical NER reads many coined company names ("Orrin Vale")
    as people, and some ("Loopwise") as products; being a party to a deal
    is document-level evidence that outweighs it. Investors are left
    alone: people do invest. A product may still be what is bought or licensed.

    >>> from marketgraph.extract.facts import Event
    >>> facts = ReportFacts("r.txt", "0", "")
    >>> vale = Ref("person", "Orrin Vale")
    >>> _ = facts.entity(vale)
    >>> facts.events.append(Event("Partnership", roles={"participant": [vale]}))
    >>> promote_parties(facts)
    >>> sorted(ref.kind for ref in facts.entities), facts.events[0].roles["participant"][0].kind
    (['org'], 'org')
    """
    moved: dict[Ref, Ref] = {}
    for event in facts.events:
        for role, refs in event.roles.items():
            if role in ORG_ROLES:
                for ref in refs:
                    if ref.kind == "person" or (ref.kind == "product" and role in _ACTING_ROLES):
                        moved[ref] = Ref("org", canonical_org_name(ref.name))
    _move_refs(facts, moved)


def link_launches(facts: ReportFacts) -> None:
    """Give a launched dataset its publisher, a launched product its provider, when unknown.

    Whoever releases a dataset publishes it; the rules that read the
    dataset's own sentence miss a releaser the NER did not tag.

    >>> from marketgraph.extract.facts import Event
    >>> facts = ReportFacts("r.txt", "0", "")
    >>> data, lab = Ref("dataset", "Foo-9"), Ref("org", "Acme Lab")
    >>> _ = facts.entity(data)
    >>> facts.events.append(Event("Launch", roles={"launchedBy": [lab], "launched": [data]}))
    >>> link_launches(facts)
    >>> facts.entities[data].publisher
    Ref(kind='org', name='Acme Lab', scope=None)
    """
    for event in facts.events:
        if event.type != "Launch":
            continue
        by = [r for r in event.parties("launchedBy") if r.kind == "org"]
        if not by:
            continue
        for thing in event.parties("launched"):
            entity = facts.entities.get(thing)
            if entity is None:
                continue
            if thing.kind == "dataset" and entity.publisher is None:
                entity.publisher = by[0]
            elif thing.kind == "product" and entity.provider is None:
                entity.provider = by[0]


def adopt_deal_names(facts: ReportFacts) -> None:
    """Rename an organization to the fuller name its deals use, when its own forms agree.

    A leader list's "Acme Pet Holdings LLC" canonicalises to the coined
    "Acme", while the running text calls the firm "Acme Pet" in its deals.
    When a deal party is no entity yet, and an entity's name opens it while
    one of the entity's longer forms extends it, both are the one firm,
    known by the name the text uses.

    >>> from marketgraph.extract.facts import Event
    >>> facts = ReportFacts("r.txt", "0", "")
    >>> facts.entity(Ref("org", "Acme")).aliases.add("Acme Pet Holdings LLC")
    >>> facts.events.append(Event("Partnership", roles={"participant": [Ref("org", "Acme Pet")]}))
    >>> adopt_deal_names(facts)
    >>> sorted(ref.name for ref in facts.entities)
    ['Acme Pet']
    """
    orgs = [ref for ref in facts.entities if ref.kind == "org"]
    moved: dict[Ref, Ref] = {}
    for event in facts.events:
        for refs in event.roles.values():
            for ref in refs:
                if ref.kind != "org" or ref in facts.entities or ref in moved.values():
                    continue
                words = _plain_words(ref.name)
                for known in orgs:
                    have = _plain_words(known.name)
                    if known in moved or not have or len(have) >= len(words):
                        continue
                    if words[: len(have)] != have:
                        continue
                    forms = [_plain_words(a) for a in facts.entities[known].aliases]
                    if any(len(f) > len(words) and f[: len(words)] == words for f in forms):
                        moved[known] = ref
                        break
    _move_refs(facts, moved)


def _plain_words(name: str) -> list[str]:
    """The folded words of a name without its legal suffix, coined-word shortening left out."""
    return re.sub(r"[^\w&]+", " ", legal_name(name).lower()).split()


def _move_refs(facts: ReportFacts, moved: dict[Ref, Ref]) -> None:
    """Replace entities by others everywhere: entities, event roles, links and leaders."""
    if not moved:
        return
    for old, new in moved.items():
        entity = facts.entities.pop(old, None)
        if entity is None:
            continue
        target = facts.entity(new)
        target.aliases.update(a for a in entity.aliases | {old.name} if a != new.name)
        for span in entity.mentions:
            if span not in target.mentions:
                target.mentions.append(span)
    for event in facts.events:
        for role, refs in event.roles.items():
            event.roles[role] = list(dict.fromkeys(moved.get(r, r) for r in refs))
    for entity in facts.entities.values():
        for attr in ("publisher", "provider"):
            value = getattr(entity, attr)
            if value in moved:
                setattr(entity, attr, moved[value])
        entity.leaders = list(dict.fromkeys(moved.get(r, r) for r in entity.leaders))
    if facts.publisher in moved:
        facts.publisher = moved[facts.publisher]
