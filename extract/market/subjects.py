"""What a clause's subject names: the whole market, one of its segments or a region."""

from __future__ import annotations

import re
from dataclasses import dataclass

from marketgraph.extract.facts import Ref
from marketgraph.extract.market.segments import _Dimension, _Market, _Member, _Scheme
from marketgraph.extract.market.text import _fold, _known_region, _tokens, _word_set

_MARKET = object()  # the subject is the whole market


@dataclass(slots=True)
class _Resolver:
    market: _Market
    scheme: _Scheme

    def resolve(self, subject: str, context: _Dimension | None) -> object | _Member | Ref | None:
        """What a clause's subject names: the whole market, a segment or region, or None.

        Bracketed asides are ignored; a subject with an appositive ("Road, part of
        the Rail and Road segment,") is tried whole, then up to its first comma.
        """
        subject = re.sub(r"\([^()]*\)", " ", subject).replace("*", " ")
        found = self._resolve(subject, context)
        if found is None and "," in subject:
            found = self._resolve(subject.split(",", 1)[0], context)
        if found is None:
            found = self._headed(subject, context)
        return found

    def _headed(self, subject: str, context: _Dimension | None) -> _Member | None:
        """A segment named after a lower-case head noun ("units below 5 kW", "plants in Asia").

        Only a segment whose full name is what follows the head counts.
        """
        words = subject.split()
        while words and words[0].lower() in ("the", "a", "an"):
            words = words[1:]
        for k in (1, 2):
            # lower-case words, the first perhaps capitalised at the sentence start
            if len(words) <= k or not all(
                w.isalpha() and w[1:].islower() and (n == 0 or w.islower())
                for n, w in enumerate(words[:k])
            ):
                return None
            rest = " ".join(words[k:])
            for dim in self._ordered(context):
                member = dim.member(rest)
                if member is not None:
                    return member
        return None

    def _resolve(self, subject: str, context: _Dimension | None) -> object | _Member | Ref | None:
        words = _tokens(subject)
        while words and words[0].lower() in ("the", "a", "an"):
            words = words[1:]
        if not words:
            return None
        key = " ".join(w.lower() for w in words)
        for dim in self._ordered(context):
            for member in dim.members:
                names = {_fold(member.name)} | {_fold(a) for a in member.aliases}
                if key in names:
                    return member
        if set(key.split()) <= _word_set("market_measures"):
            return _MARKET  # "Gross written premiums are expected to total USD 9 billion"
        words, named = self.market.strip(words)
        market_words = _word_set("market_words")
        named = named or any(w.lower() in market_words for w in words)
        dim_words: set[str] = set()
        for dim in self.scheme.dimensions:
            dim_words |= dim.words()
        noise = _word_set("filler") | dim_words | _word_set("geography_dimensions")
        # The market's own words describe every segment ("epoxy coatings" in a coatings market).
        rest = [
            w
            for w in words
            if not _in_words(w, noise) and not any(_word_match(w, m) for m in self.market.folded)
        ]
        if not rest:
            bare = {w.lower() for w in words} - {"the", "a", "an"}
            if named or (bare and bare <= _word_set("market_measures")):
                return _MARKET
            return None
        best: tuple[float, int, _Member] | None = None
        for rank, dim in enumerate(self._ordered(context)):
            for member in dim.members:
                score = _cover(rest, member)
                if score is None:
                    continue
                key2 = (score, -rank)
                if best is None or key2 > best[:2]:
                    best = (score, -rank, member)
        if best is not None:
            return best[2]
        return _region_in(subject, rest)

    def named_in(self, text: str, context: _Dimension | None) -> Ref | None:
        """The segment or region named last in ``text`` by its full name, or None."""
        folded = f" {_fold(text)} "
        best: tuple[int, Ref] | None = None
        for dim in self._ordered(context):
            for member in dim.members:
                for name in (member.name, *member.aliases):
                    at = folded.rfind(f" {_fold(name)} ")
                    if at >= 0 and (best is None or at > best[0]):
                        best = (at, member.ref)
        if best is not None:
            return best[1]
        words = text.split()
        for size in range(min(4, len(words)), 0, -1):
            for k in range(len(words) - size, -1, -1):
                region = _known_region(" ".join(words[k : k + size]))
                if region is not None:
                    return region
        return None

    def _ordered(self, context: _Dimension | None) -> list[_Dimension]:
        dims = list(self.scheme.dimensions)
        if context is not None and context in dims:
            dims.remove(context)
            dims.insert(0, context)
        return dims


def _region_in(subject: str, rest: list[str]) -> Ref | None:
    """The region a subject names when nothing else is left in it ("The U.S. widget market")."""
    words = subject.split()
    for size in range(min(4, len(words)), 0, -1):
        for k in range(len(words) - size + 1):
            phrase = " ".join(words[k : k + size])
            region = _known_region(phrase)
            if region is None:
                continue
            own = {w.lower() for w in _tokens(phrase)}
            if all(w.lower() in own for w in rest):
                return region
    return None


def _in_words(word: str, words: frozenset[str] | set[str]) -> bool:
    """Whether ``word`` or its singular or plural form is in ``words`` (lower case)."""
    low = word.lower()
    return low in words or low.removesuffix("s") in words or low + "s" in words


def _word_match(mention: str, target: str) -> bool:
    # A short all-capital word ("IT") only matches itself, never the pronoun "it".
    if target.isupper() and len(target) <= 4:
        return mention == target
    m, t = mention.lower(), target.lower()
    if m == t:
        return True
    shorter, longer = sorted((m, t), key=len)
    if len(shorter) >= 3 and longer in (shorter + "s", shorter + "es"):
        return True  # "cat" and "Cats": a plural of a short word
    return len(shorter) >= 4 and longer.startswith(shorter)


def _cover(mention: list[str], member: _Member) -> float | None:
    """The share of the member's words a mention uses, when every mention word is the member's."""
    target = [w for w in member.words if w.lower() not in ("and", "of", "the")]
    for alias in member.aliases:
        target += [w for w in _tokens(alias) if w.lower() not in ("and", "of", "the")]
    if not target:
        return None
    used: set[int] = set()
    for n, word in enumerate(mention):
        hits = [k for k, t in enumerate(target) if _word_match(word, t)]
        # A trailing common noun may name the thing rather than the segment
        # ("fixed-wing units", "utility buyers").
        if not hits and n == len(mention) - 1 and n > 0 and word.islower() and used:
            continue
        if not hits:
            return None
        used.update(hits)
    return len(used) / len(target)
