"""An inverted index from name keys to name ids, weighted by rarity.

Keys are the trade-name tokens, character trigrams of the joined trade name (so typos and
pinyin/English spellings still meet), Han-character bigrams, and initials; names without a trade
name fall back to their place and industry concepts. A query gathers the postings of its keys,
skipping keys so common they cannot discriminate, and returns the best-supported names. The rarest
keys are read first and at most `postings_budget` postings per query, so the cost of a query is
bounded whatever the list size; memory is one int32 per posting. A long query is also looked up
as the start of the names (a sorted list and two binary searches), for names cut at a field limit.
"""

from __future__ import annotations

import math
import struct
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, cast

from uflpa.names.analyze import NameAnalysis

# A query this long (compact) may be a listed name cut at a field limit: the names it is the
# start of are candidates whatever keys they share ('CHINA COTTON GROUP SHANDO' has no trade
# name left). The same minimum as the truncated_prefix feature.
PREFIX_MIN = 18
PREFIX_CANDIDATES = 10
# Up to this many names, postings stay plain lists and queries never touch numpy (its import is
# a tenth of a second of every start-up); above it, they are int32 arrays, a third the memory.
SMALL_INDEX = 50_000

# One key's postings: a list of name ids on a small index, an int32 numpy array on a large one.
Postings = Any


def name_keys(a: NameAnalysis) -> set[str]:
    """The index keys of one analysed name."""
    keys: set[str] = set()
    for token in a.trade:
        keys.add("t:" + token)
    trade = a.trade_key
    if trade:
        padded = f"#{trade}#"
        keys.update("g:" + padded[i : i + 3] for i in range(len(padded) - 2))
    core = a.han_core
    if core:
        if len(core) == 1:
            keys.add("h:" + core)
        keys.update("h:" + core[i : i + 2] for i in range(len(core) - 1))
    if a.acronym:
        keys.add("a:" + a.acronym)
    keys.update("a:" + i for i in a.initials)
    # Concepts, so that a name cut before its trade name still meets its candidates; they are
    # common, and the index skips them where they cannot discriminate.
    keys.update("c:" + c for c in a.industries)
    keys.update("c:" + p for p in a.places)
    # A place word may be another name's trade name (Kunyu, 昆玉市, vs 坤宇).
    keys.update("t:" + p.split(":", 1)[1] for p in a.places)
    return keys


def query_keys(a: NameAnalysis) -> set[str]:
    keys = name_keys(a)
    if len(a.trade) == 1 and 3 <= len(a.trade_key) <= 6:
        keys.add("a:" + a.trade_key)  # the query may be the initials of a listed name
    keys.update("t:" + i for i in a.initials)  # or its pinyin trade name may be initials
    return keys


class CandidateIndex:
    """Postings from key to name ids; `search` returns the ids with the most shared rare keys."""

    def __init__(
        self,
        analyses: Iterable[NameAnalysis],
        *,
        max_df_share: float = 0.05,
        postings_budget: int = 40_000,
    ) -> None:
        # Postings hold one shared int object per name: typed `object`, so that the compiled
        # build (mypyc keeps an `int` unboxed) does not box a new one per posting, which cost a
        # million-name build 0.4 GB of peak memory.
        postings: dict[str, list[object]] = defaultdict(list)
        compacts: list[str] = []
        count = 0
        for i, a in enumerate(analyses):
            name_id: object = i
            for key in name_keys(a):
                postings[key].append(name_id)
            compacts.append(a.compact)
            count = i + 1
        order = sorted(range(count), key=compacts.__getitem__)
        self._starts = [compacts[i] for i in order]  # compact names, sorted
        self.size = count
        self._max_df = max(50, int(count * max_df_share))
        self._budget = postings_budget
        self._postings: dict[str, Postings]
        self._start_ids: Postings
        if count <= SMALL_INDEX:
            self._postings = dict(postings)
            self._start_ids = order
        else:
            import numpy as np

            self._postings = {k: np.asarray(v, dtype=np.int32) for k, v in postings.items()}
            self._start_ids = np.asarray(order, dtype=np.int32)
        # While the index is small, a query's postings are counted in a dict
        # (`_accumulate_small`): for the hundred or so postings of a query on a list of hundreds
        # of names, numpy's fixed cost per call would be most of the work.
        self._small = 2_000 if count <= SMALL_INDEX else 0
        # A key's weight: its rarity, doubled for whole tokens, Han bigrams and initials (they
        # say more than one trigram); float32-rounded, as the numpy path sums them.
        self._weight = {
            k: _float32(math.log(1 + count / len(v)) * (2.0 if k[0] in "tha" else 1.0))
            for k, v in postings.items()
        }

    def __len__(self) -> int:
        return self.size

    def search(self, query: NameAnalysis, k: int = 30) -> list[int]:
        return [i for i, _ in self.search_scored(query, k)]

    def search_scored(
        self,
        query: NameAnalysis,
        k: int = 30,
        *,
        min_share: float = 0.0,
        min_query_share: float = 0.0,
    ) -> list[tuple[int, float]]:
        """Name ids with their support, best first. `min_share` drops names whose support is
        below that share of the best one; `min_query_share` those sharing less than that share
        of the query's own key weight (scoring them costs, and they cannot be the answer). Names
        the query is the start of follow, with no support of their own."""
        found = self._by_keys(query, k, min_share, min_query_share)
        if len(query.compact) < PREFIX_MIN:
            return found
        seen = {i for i, _ in found}
        extra = [(i, 0.0) for i in self.started_by(query.compact) if i not in seen]
        return found + extra

    def started_by(self, prefix: str) -> list[int]:
        """Ids of the names whose compact form starts with `prefix` (and is longer), at most
        PREFIX_CANDIDATES of them."""
        lo = bisect_left(self._starts, prefix)
        hi = bisect_left(self._starts, prefix + "\U0010ffff", lo)
        out = [
            int(i) for j, i in enumerate(self._start_ids[lo:hi]) if self._starts[lo + j] != prefix
        ]
        return sorted(out)[:PREFIX_CANDIDATES]

    def _by_keys(
        self, query: NameAnalysis, k: int, min_share: float, min_query_share: float
    ) -> list[tuple[int, float]]:
        eligible = []
        for key in query_keys(query):
            ids = self._postings.get(key)
            if ids is not None and len(ids) <= self._max_df:
                eligible.append((len(ids), key, ids))
        # Bounded work per query: the rarest keys first, until the postings budget is spent.
        # Ties break on the key, so that the answer never depends on set order (hash seeds).
        eligible.sort(key=lambda e: (e[0], e[1]))
        spent = 0
        chosen: list[tuple[Postings, float]] = []
        for df, key, ids in eligible:
            if spent and spent + df > self._budget:
                break
            spent += df
            chosen.append((ids, self._weight[key]))
        if not chosen:
            return []
        own = sum(weight for _, weight in chosen)
        if spent <= self._small:
            return _accumulate_small(chosen, k, own, min_share, min_query_share)
        import numpy as np

        ids = np.concatenate([np.asarray(ids, dtype=np.int32) for ids, _ in chosen])
        w = np.concatenate([np.full(len(ids), weight, dtype=np.float32) for ids, weight in chosen])
        unique, inverse = np.unique(ids, return_inverse=True)
        sums = np.bincount(inverse, weights=w)
        # The k best by support, ties by id (`unique` is sorted): every name tying the k-th is
        # kept through the sort, so which of them make the cut never depends on the partition.
        if len(unique) > k:
            kth = sums[np.argpartition(-sums, k - 1)[:k]].min()
            top = np.flatnonzero(sums >= kth)
        else:
            top = np.arange(len(unique))
        top = top[np.lexsort((top, -sums[top]))][:k]
        floor = max(float(sums[top[0]]) * min_share, own * min_query_share)
        return [(int(unique[i]), float(sums[i])) for i in top if sums[i] >= floor]

    def stats(self) -> dict[str, int]:
        return {
            "names": self.size,
            "keys": len(self._postings),
            "postings": int(sum(len(v) for v in self._postings.values())),
        }


def _float32(x: float) -> float:
    """`x` rounded to the nearest float32, as numpy's float32 conversion rounds it."""
    rounded: float = struct.unpack("f", struct.pack("f", x))[0]
    return rounded


def _accumulate_small(
    chosen: list[tuple[Postings, float]],
    k: int,
    own: float,
    min_share: float,
    min_query_share: float,
) -> list[tuple[int, float]]:
    """The general path's answer for few postings, without numpy. A name's sum adds its keys'
    weights in the order chosen, as there (each name is once in a key's postings), so the
    scores are the same floats; ties rank by id, as there. Only the names at or above the
    floor are sorted (a few of the hundred or so a query reaches)."""
    sums: dict[object, float] = {}
    get = sums.get
    for ids, weight in chosen:
        for i in ids:
            sums[i] = get(i, 0.0) + weight
    # Names under the floor would be dropped after the sort anyway: drop them before it.
    floor = max(max(sums.values()) * min_share, own * min_query_share)
    ranked = sorted([(-score, cast(int, i)) for i, score in sums.items() if score >= floor])
    return [(i, -neg) for neg, i in ranked[:k]]
