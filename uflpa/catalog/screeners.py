"""Matchers and Screeners over the lists in use, built once per process and version.

Building the matcher of a list (every name analysed, the indexes) takes a few tenths of a second
and allocates a few hundred thousand long-lived objects, so the result is kept per list version:
a service or a test session screening many times against one version builds it once, and a new
version (after `lists update`) gets a new one on its first use.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import TypeVar

from uflpa.catalog.stored import ListsInUse
from uflpa.match import Matcher
from uflpa.scoring.algorithm import DEFAULT_ALGORITHM
from uflpa.screening import DEFAULT_RULES, Screener, load_ruleset

K = TypeVar("K")
T = TypeVar("T")

_MATCHERS: dict[tuple[str, str], Matcher] = {}
_SCREENERS: dict[tuple[tuple[str, ...], str, str], Screener] = {}
#: Versions kept at once; beyond it the oldest are dropped (a service that outlives updates).
_KEEP = 4


def matchers_for(lists: ListsInUse, algorithm: str = DEFAULT_ALGORITHM) -> tuple[Matcher, ...]:
    """One matcher per list version in use, in order, scoring with `algorithm`."""
    out = []
    for version in lists.versions:
        matcher = _MATCHERS.get((version.label, algorithm))
        if matcher is None:
            matcher = _built(lambda v: Matcher(v, algorithm=algorithm), [version])
            _remember(_MATCHERS, (version.label, algorithm), matcher)
        out.append(matcher)
    return tuple(out)


def screener_for(
    lists: ListsInUse, rules: str = DEFAULT_RULES, algorithm: str = DEFAULT_ALGORITHM
) -> Screener:
    """The Screener over `lists` with the bundled rules version `rules` and the scoring
    `algorithm` (an older one replays a screening recorded with it)."""
    key = (lists.key, rules, algorithm)
    screener = _SCREENERS.get(key)
    if screener is None:
        matchers = matchers_for(lists, algorithm)
        ruleset = load_ruleset(rules)
        screener = _built(Screener, matchers, ruleset)
        _remember(_SCREENERS, key, screener)
    return screener


def _built(build: Callable[..., T], *args: object) -> T:
    """`build(*args)` with the garbage collector off, then frozen out of its sight.

    What a matcher builds (a list's analyses and indexes) lives as long as the process and forms
    no cycles: collecting while it is built only walks it again and again, and every full
    collection afterwards would walk it once more while rows are screened.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return build(*args)
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _remember(cache: dict[K, T], key: K, value: T) -> None:
    while len(cache) >= _KEEP:
        del cache[next(iter(cache))]
    cache[key] = value
