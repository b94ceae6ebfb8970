"""BM25 passage search over canonical keys: single syllables plus adjacent syllable pairs.

Pure Python on purpose (bm25s pulls numpy/scipy and was not more accurate on our evaluation
set, see bench/eval_qa.py). Weights are precomputed when the index is built, so a query only
sums a few posting lists. Query syllables unknown to the index are corrected to the nearest
indexed syllable (one edit), which absorbs most typos.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

T = TypeVar("T")

K1 = 1.2
B = 0.75
PAIR_WEIGHT = 1.5  # a matching syllable pair says more than its two syllables
COMMON_SHARE = 0.05  # a term in more than this share of the items adds only to found items


# Vietnamese writes final "i"/"y" after a consonant both ways: "tỉ lệ"/"tỷ lệ", "quí"/"quý",
# "kĩ"/"kỹ". Index terms use "i" for both.
_FINAL_Y = re.compile(r"^(qu|ngh|ng|[bcdghklmnprstvx]h?|tr)y$")


def spelling(token: str) -> str:
    """The index form of a folded syllable: consonant + final "y" is written with "i"."""
    return _FINAL_Y.sub(r"\1i", token) if token.endswith("y") else token


def terms(tokens: Sequence[str]) -> list[str]:
    """Index terms of a token sequence: each syllable and each adjacent pair ("a_b")."""
    tokens = [spelling(t) for t in tokens]
    out = list(tokens)
    out.extend(f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False))
    return out


@dataclass(frozen=True)
class Hit(Generic[T]):
    item: T
    score: float
    coverage: float  # share of the query's weight (idf) found in this passage, 0..1
    matched_pairs: int  # how many of the query's syllable pairs the passage contains


class BM25Index(Generic[T]):
    """An immutable BM25 index of items, each with a canonical key (space-separated tokens)."""

    def __init__(self, items: Iterable[tuple[T, str]]) -> None:
        self.items: list[T] = []
        docs_terms: list[Counter[str]] = []
        for item, key in items:
            self.items.append(item)
            docs_terms.append(Counter(terms(key.split())))
        n = len(self.items)
        lengths = [sum(c.values()) for c in docs_terms]
        avgdl = (sum(lengths) / n) if n else 1.0
        df: Counter[str] = Counter()
        for c in docs_terms:
            df.update(c.keys())
        self.idf: dict[str, float] = {
            t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()
        }
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        for i, c in enumerate(docs_terms):
            norm = K1 * (1 - B + B * lengths[i] / avgdl)
            for t, tf in c.items():
                postings[t][i] = self.idf[t] * tf * (K1 + 1) / (tf + norm)
        self.postings: dict[str, dict[int, float]] = dict(postings)
        self.vocabulary: list[str] = sorted(t for t in df if "_" not in t)
        self._vocab_set = frozenset(self.vocabulary)

    def __len__(self) -> int:
        return len(self.items)

    def correct(self, tokens: Sequence[str]) -> list[str]:
        """Replace syllables the index has never seen by the closest known one (one edit, a
        swap of two neighbouring letters counting as one: "coa" → "cao"). Among equally close
        syllables, the one that forms a known pair with a neighbour wins ("bao coa" → "bao
        cao")."""
        out: list[str] = list(tokens)
        for i, tok in enumerate(tokens):
            if tok in self._vocab_set or len(tok) < 3 or tok.isdigit():
                continue
            found = process.extract(
                tok, self.vocabulary, scorer=OSA.distance, score_cutoff=1, limit=30
            )
            if found:
                prev = out[i - 1] if i else ""
                after = tokens[i + 1] if i + 1 < len(tokens) else ""
                out[i] = max(
                    (c for c, _, _ in found), key=lambda c: self._fit(tok, c, prev, after)
                )
        return out

    def _fit(self, tok: str, candidate: str, prev: str, after: str) -> tuple[int, int, int, float]:
        paired = f"{prev}_{candidate}" in self.idf or f"{candidate}_{after}" in self.idf
        return (
            paired,
            sorted(candidate) == sorted(tok),
            len(candidate) == len(tok),
            -self.idf.get(candidate, 0.0),  # the commoner syllable
        )

    def query_terms(self, key: str) -> list[str]:
        return terms(self.correct([spelling(t) for t in key.split()]))

    def search(
        self,
        key: str,
        *,
        limit: int = 10,
        allow: Callable[[T], bool] | None = None,
    ) -> list[Hit[T]]:
        """Best items for a canonical query key, highest score first."""
        qterms = list(dict.fromkeys(self.query_terms(key)))
        if not qterms:
            return []
        total = 0.0
        known: list[tuple[str, float, bool]] = []
        for t in qterms:
            idf = self.idf.get(t)
            is_pair = "_" in t
            boost = PAIR_WEIGHT if is_pair else 1.0
            # Unknown terms still count in the denominator: they are what we could not find.
            total += (idf if idf is not None else self._unknown_idf()) * boost
            if idf is not None:
                known.append((t, idf * boost, is_pair))
        scores = self._accumulate(known, limit)
        items = self.items
        candidates = ((s, -i) for i, s in scores.items() if allow is None or allow(items[i]))
        hits: list[Hit[T]] = []
        for s, neg in heapq.nlargest(limit, candidates):
            i = -neg
            mass = 0.0
            pairs = 0
            for t, weight, is_pair in known:
                if i in self.postings[t]:
                    mass += weight
                    pairs += is_pair
            hits.append(Hit(items[i], s, mass / total if total else 0.0, pairs))
        return hits

    def _accumulate(self, known: list[tuple[str, float, bool]], limit: int) -> dict[int, float]:
        """Item index -> score. Rare terms first; a common term (in more than COMMON_SHARE of
        the items) only adds to items a rarer term already found, once there are enough of
        them: an item matching common words alone cannot reach the top, and on a large base
        those posting lists are most of the cost of a query."""
        scores: dict[int, float] = {}
        common = max(50, int(COMMON_SHARE * len(self.items)))
        for t, _weight, is_pair in sorted(known, key=lambda k: len(self.postings[k[0]])):
            boost = PAIR_WEIGHT if is_pair else 1.0
            posting = self.postings[t]
            get = scores.get
            if len(posting) > common and len(scores) >= 4 * limit:
                for i in [i for i in scores if i in posting]:
                    scores[i] += posting[i] * boost
                continue
            for i, w in posting.items():
                scores[i] = get(i, 0.0) + w * boost
        return scores

    def _unknown_idf(self) -> float:
        n = len(self.items)
        return math.log(1 + (n + 0.5) / 0.5) if n else 1.0


OPENING_SLACK = 3  # words the opening of an item may hold beyond the topic's own
OPENING_MIN_WORDS = 3


def opens_with(item_key: str, topic: str) -> bool:
    """Whether an item begins with the topic's words, in order ("ai chủ trì triển khai thực
    hiện nghị quyết của" names the task that opens with those words, not a duty that merely
    contains them): people name a task by its first words. The item's opening may hold a few
    words the topic lost (question words such as "của"), hence the slack."""
    wanted = [spelling(t) for t in topic.split()]
    if len(wanted) < OPENING_MIN_WORDS:
        return False
    opening = iter(spelling(t) for t in item_key.split()[: len(wanted) + OPENING_SLACK])
    return all(any(word == seen for seen in opening) for word in wanted)
