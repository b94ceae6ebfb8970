"""Typo tolerance: misspelt words of a question corrected against the knowledge base's words.

A phone user swaps two letters ("nihệm vụ", "thoe kế hoạch", "CHCC") or drops one ("Qunả lý").
Before the question is parsed, each word that is neither a word of the documents, of a unit's
names, nor of the question vocabulary (lexicon, intents) is replaced by the closest such word:
one edit away (a swap of two neighbouring letters counting as one). A word that is itself a
well-formed Vietnamese syllable is only corrected when the fix is a swap of its own letters, so
real words the documents happen not to use ("học phí", "mầm non") are left alone, and a question
outside the documents gains no words that would make it look answerable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from types import ModuleType

from rapidfuzz import process
from rapidfuzz.distance import OSA

from knowledge import intents, lexicon, windows
from knowledge.kb import Snapshot
from knowledge.mentions import initial_runs
from knowledge.normalize import ABBREVIATIONS, fold
from knowledge.search import spelling

_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
_NUCLEUS = (
    "oai|oao|oay|oeo|uay|uoi|uou|uya|uye|uyu|yeu|ieu|uai|uau|"
    "ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|ye|a|e|i|o|u|y"
)
_SYLLABLE = re.compile(rf"^{_ONSET}(?:{_NUCLEUS})(?:ng|nh|ch|[cmnpt])?$")
_WORD = re.compile(r"\w+")
_MIN_LENGTH = 3
_TELEX_TONES = frozenset("sfrxj")  # Telex keys for the tone marks


_TELEX_MARKS = re.compile(r"(?<=[aeiouy])[sfrxj](?=[a-z])|(?<=[aou])w")
_TELEX_DOUBLES = re.compile(r"dd|aa|ee|oo")


def telex_bare(word: str) -> str:
    """A folded word typed in Telex with its keys left in, as the letters they mark: "giaam"
    (giâm) → "giam", "vieejc" (việc) → "viec", "truwowng" (trường) → "truong"; a tone key
    left at the very end is tried by the caller."""
    bare = _TELEX_DOUBLES.sub(lambda m: m.group(0)[0], word)
    return _TELEX_MARKS.sub("", bare).replace("w", "u") or word  # a lone "w" is "ư"


def _piece(word: str) -> bool:
    """A syllable, or shorthand the lexicon knows ("bcquy" is "bc quy")."""
    return is_syllable(word) or word in lexicon.SHORTHAND or word in ABBREVIATIONS


def is_syllable(word: str) -> bool:
    """Whether a folded word has the shape of a Vietnamese syllable ("nhiem" yes, "nihem" no)."""
    return bool(_SYLLABLE.match(word))


def _pattern_words(module: ModuleType) -> set[str]:
    """Words written in a module's regular expressions and word tables (its vocabulary)."""
    found: set[str] = set()
    for value in vars(module).values():
        texts: Iterable[str] = ()
        if isinstance(value, re.Pattern):
            texts = (value.pattern,)
        elif isinstance(value, dict):
            texts = [str(k) for k in value] + [str(v) for v in value.values()]
        elif isinstance(value, list | tuple):
            texts = [str(v) for v in value]
        for text in texts:
            found.update(w for w in re.findall(r"[a-z]+", text) if len(w) >= 2)
    return found


def question_words() -> set[str]:
    """The words the question parser itself knows: lexicon, intents and date windows."""
    words = set(ABBREVIATIONS)
    for expansion in ABBREVIATIONS.values():
        words.update(expansion.split())
    for phrase in lexicon.SET_PHRASES:
        words.update(re.findall(r"[a-z]+", phrase.pattern + " " + phrase.canonical))
    for module in (lexicon, intents, windows):
        words.update(_pattern_words(module))
    return words


class Speller:
    """Corrects the misspelt words of questions against a fixed vocabulary."""

    def __init__(self, vocabulary: Iterable[str], pairs: frozenset[str] = frozenset()) -> None:
        self.known = frozenset(spelling(w) for w in vocabulary if w)
        self.choices = sorted(w for w in self.known if len(w) >= 2 and not w.isdigit())
        self.pairs = pairs  # "a_b" syllable pairs of the documents, to choose among equals

    @classmethod
    def for_snapshot(cls, snap: Snapshot) -> Speller:
        words = set(snap.index.vocabulary) | question_words()
        for unit in snap.units:
            for key in unit.keys:
                words.update(key.split())
                words.update(initial_runs(key))  # "csvc" of "… cơ sở vật chất" is no typo
        for doc in snap.docs.values():
            words.update(doc.words)
        pairs = frozenset(t for t in snap.index.idf if "_" in t)
        return cls(words, pairs)

    def correct(self, question: str) -> str:
        """The question with each misspelt word replaced by its folded correction."""
        out: list[str] = []
        last = 0
        previous = ""
        matches = list(_WORD.finditer(question))
        for n, match in enumerate(matches):
            word = fold(match.group())
            after = fold(matches[n + 1].group()) if n + 1 < len(matches) else ""
            fixed = self.fix(word, previous, after)
            if fixed != word:
                out += [question[last : match.start()], fixed]
                last = match.end()
            previous = fixed
        out.append(question[last:])
        return "".join(out)

    def fix(self, word: str, previous: str = "", after: str = "") -> str:
        """One folded word corrected, or itself when known, short, numeric or not a typo."""
        if (
            len(word) < _MIN_LENGTH
            or " " in word
            or word in self.known
            or not word.isalpha()
            or spelling(word) in self.known
        ):
            return word
        swapped = self._swaps(word)
        if swapped:  # two letters swapped ("gdthr" for "gdtrh") before anything else
            return max(swapped, key=lambda c: self._fit(word, c, previous, after))
        bare = telex_bare(word)
        for telex in (bare, bare[:-1] if bare[-1] in _TELEX_TONES else ""):
            if telex and telex != word and self._knows(telex):  # "giaam", "truwowngf", "hanj"
                return telex
        if word[-1] in _TELEX_TONES and len(word) > _MIN_LENGTH:
            # a Telex tone key left at the end ("ngayf", "ngyaf"): the word without it
            bare = self.fix(word[:-1], previous, after)
            if spelling(bare) in self.known:
                return bare
        joined = self._split_paired(word)
        if joined:
            return joined
        well_formed = is_syllable(word)
        if well_formed and len(word) <= _MIN_LENGTH:
            return word
        found = process.extract(word, self.choices, scorer=OSA.distance, score_cutoff=1, limit=40)
        candidates = [c for c, _, _ in found]
        if well_formed or len(word) <= _MIN_LENGTH:
            candidates = [
                c
                for c in candidates
                if sorted(c) == sorted(word) or self._pairs_with(c, previous, after)
            ]
        if not candidates:  # no word one slip away: two words run together ("ngaynao")?
            return word if well_formed else self._split_known(word, previous, after) or word
        return max(candidates, key=lambda c: self._fit(word, c, previous, after))

    def _swaps(self, word: str) -> list[str]:
        """Known words that are this one with two neighbouring letters swapped."""
        out = []
        for i in range(len(word) - 1):
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            if swapped != word and spelling(swapped) in self.known:
                out.append(swapped)
        return out

    def _split_paired(self, word: str) -> str:
        """Two syllables typed without the space between them that the documents use side by
        side ("nhiemvu")."""
        for cut in range(2, len(word) - 1):
            left, right = word[:cut], word[cut:]
            if (
                is_syllable(left)
                and is_syllable(right)
                and f"{spelling(left)}_{spelling(right)}" in self.pairs
            ):
                return f"{left} {right}"
        return ""

    def _split_known(self, word: str, previous: str, after: str) -> str:
        """Two known words (syllables or shorthand) run together: "ngaynao", "conkip",
        "bcquy"; tried when no word is one slip away ("nggay" is "ngay", not "ng gay")."""
        known = [
            (left, right)
            for left, right in ((word[:cut], word[cut:]) for cut in range(2, len(word) - 1))
            if _piece(left) and _piece(right) and self._knows(left) and self._knows(right)
        ]
        if not known:
            return ""
        # a cut that pairs with a neighbour as the documents do, else the longest first
        # syllable ("tinhai" is "tinh ai", not "tin hai": a final "nh" is kept whole)
        left, right = max(
            known,
            key=lambda c: (
                self._pairs_with(c[0], previous, "") + self._pairs_with(c[1], "", after),
                len(c[0]),
            ),
        )
        return f"{left} {right}"

    def _knows(self, word: str) -> bool:
        return spelling(word) in self.known

    def _pairs_with(self, candidate: str, previous: str, after: str) -> bool:
        """Whether a candidate forms a pair of the documents with a known neighbour: a slip
        that left a real syllable ("nhim vụ", "nhệm vụ") is still corrected in context."""
        c = spelling(candidate)
        return (bool(previous) and f"{spelling(previous)}_{c}" in self.pairs) or (
            bool(after) and self._knows(after) and f"{c}_{spelling(after)}" in self.pairs
        )

    def _fit(self, word: str, candidate: str, previous: str, after: str) -> tuple[int, ...]:
        paired = f"{previous}_{candidate}" in self.pairs or f"{candidate}_{after}" in self.pairs
        return (
            paired,
            sorted(candidate) == sorted(word),
            is_syllable(candidate),
            len(candidate) == len(word),
        )


def speller(snap: Snapshot) -> Speller:
    """The snapshot's speller, built once per knowledge-base version."""
    built: Speller = snap.memoized(("speller",), lambda: Speller.for_snapshot(snap))
    return built
