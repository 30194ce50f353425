"""The ``mg_entity_rules`` spaCy component: merge model, gazetteer and rule spans, add cues."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from marketgraph.extract.entities.datasets import _datasets
from marketgraph.extract.entities.lexicon import (
    GAZETTEER_KEY,
    VALUE_LABELS,
    lexicon,
    zipf_frequency,
)
from marketgraph.extract.entities.names import is_suffix
from marketgraph.extract.entities.ner_spans import _model_entity
from marketgraph.extract.entities.organizations import (
    _JOINERS,
    _citations,
    _inside_org_name,
    _suffix_orgs,
)
from marketgraph.extract.entities.products import _products
from marketgraph.extract.entities.regulations import _regulations
from marketgraph.extract.entities.spans import (
    _Candidate,
    _category_lists,
    _common_words,
    _heading_like,
    _opens_noun_list,
    _quoted_titles,
    _with,
)
from marketgraph.extract.regions import gazetteer


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


def _listed_pair(span: Span) -> bool:
    """Whether a paired country name ("Australia and New Zealand") closes a list of places.

    After "China, " the two names are the list's last items, each a place of its own; the
    gazetteer ruler's matches for each of them stand instead.
    """
    gaz = gazetteer()
    words = span.text.split(" and ")
    # Only two countries: "Middle East and Africa" is one reporting region even in a list.
    if len(words) != 2 or not all(gaz.is_country(gaz.canonical(w) or "") for w in words):
        return False
    before = [t for t in span.doc[: span.start] if not t.is_space]
    return bool(before) and before[-1].text == ","


def _join_generic_tails(doc: Doc, chosen: list[_Candidate], lex) -> list[_Candidate]:
    """Join "Name and Generic Org-word" read as two names into one ("Dale Savings and Loan Bank").

    A name made of ordinary words ending in an organization word ("Loan
    Association", "Trust Company") right after a name and a joining word
    says nothing on its own: it closes the name before it.
    """
    out: list[_Candidate] = []
    for cand in chosen:
        prev = out[-1] if out else None
        words = [t for t in doc[cand.start : cand.end] if t.is_alpha]
        if (
            prev is not None
            and prev.label == "ORG"
            and cand.label == "ORG"
            and cand.start == prev.end + 1
            and doc[prev.end].lower_ in _JOINERS
            and 1 <= len(words) == cand.end - cand.start <= 3
            and all(t.text[:1].isupper() and zipf_frequency(t.lower_, "en") >= 3.0 for t in words)
            and (words[-1].lower_ in lex.org_words or words[-1].lower_ in lex.descriptors)
            and not any(is_suffix(t.text) for t in (*words, doc[prev.end - 1]))
        ):
            out[-1] = _Candidate(
                prev.start, cand.end, "ORG", tuple(sorted({*prev.cues, *cand.cues}))
            )
            continue
        out.append(cand)
    return out


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

        suffix_orgs = _suffix_orgs(doc, self.lex)
        for span in doc.spans.get(GAZETTEER_KEY, []):
            if span.label_ == "REGION" and (
                _inside_org_name(doc, span, suffix_orgs) or _listed_pair(span)
            ):
                continue
            picked.append(
                (0, _with(span, "GPE" if span.label_ == "REGION" else "LAW", "gazetteer"))
            )
        if "  " in doc.text:
            picked += [(0, s) for s in _wrapped_regions(doc)]
        picked += [(1, s) for s in suffix_orgs]
        # A regulation name outranks the region that opens it ("EU ... Act").
        picked += [(0, s) for s in _regulations(doc, self.lex)]
        picked += [(1, s) for s in _citations(doc)]
        picked += [(2, s) for s in _datasets(doc, weak, self.lex)]
        if not weak:
            # A name that takes in its model number ("Widget 20") outranks the bare number.
            picked += [
                (1 if s.end > s.start and doc[s.end - 1].like_num else 3, s)
                for s in _products(doc, self.lex)
            ]
        for ent in doc.ents:
            span = _model_entity(ent, weak)
            if span is not None:
                picked.append((4 if span.label not in VALUE_LABELS else 1, span))

        chosen: list[_Candidate] = []
        taken: set[int] = set()
        for _, span in sorted(picked, key=lambda p: (p[0], -(p[1].end - p[1].start), p[1].start)):
            if span.start >= span.end or taken.intersection(range(span.start, span.end)):
                continue
            chosen.append(span)
            taken.update(range(span.start, span.end))
        chosen = _join_generic_tails(doc, sorted(chosen, key=lambda c: c.start), self.lex)
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
