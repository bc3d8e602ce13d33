"""Which header in a user's file holds each column uflpa needs.

Exports spell the same column many ways ("Supplier Name", "supplier_name", "供应商名称"), so each
canonical column has accepted spellings compared without case, spaces, underscores or hyphens, and
the user can always say it outright (``--column name="Vendor Nm"``). When a needed column cannot
be found the error lists what the file has and how to map it, since that is the fix.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from uflpa.errors import InputError, UsageError
from uflpa.io.hints import ALL, Hints

_IGNORED = str.maketrans("", "", " \t\n\r_-.")


def header_key(text: str) -> str:
    """The form two header spellings are compared in: NFKC, case-folded, no spaces, _ - or ."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(folded.split()).translate(_IGNORED)


def parse_column_options(options: Sequence[str]) -> dict[str, str]:
    """Turn repeated ``--column NAME=HEADER`` options into a `column_map` for `open_table`.

    The header may contain spaces and '=' (only the first '=' splits); a malformed option or
    the same NAME twice is a usage error.
    """
    mapping: dict[str, str] = {}
    for option in options:
        name, sep, header = option.partition("=")
        name, header = name.strip(), header.strip()
        if not sep or not name or not header:
            raise UsageError(f"--column {option!r}: expected NAME=HEADER, e.g. name=Supplier Name")
        if name in mapping:
            raise UsageError(f"--column {name}=...: given twice")
        mapping[name] = header
    return mapping


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Canonical column -> header text and its 0-based position; notes for the user; the
    columns of the file that nothing reads (named in the run summary)."""

    columns: dict[str, str]
    positions: dict[str, int]
    notes: tuple[str, ...]
    unused: tuple[str, ...] = ()


def map_columns(
    headers: Sequence[str],
    *,
    file: str,
    required: Sequence[str],
    optional: Sequence[str] = (),
    aliases: Mapping[str, Sequence[str]] | None = None,
    column_map: Mapping[str, str] | None = None,
    exclusive: Sequence[str] = (),
    hints: Hints = ALL,
) -> ColumnMapping:
    """Find each required and optional column among `headers` (already stripped).

    An explicit `column_map` entry wins; otherwise the canonical name, then each alias in the
    order given. Raises `InputError` when a required column is missing or when two headers
    match the same column (which one to read would be a guess), and `UsageError` when
    `column_map` names a column the caller does not read, or when two different headers could
    each be one of the `exclusive` columns (the party names: `name` and `supplier`) and the
    user has not said which. `hints` says which fixes the messages may name (`uflpa.io.hints`).
    """
    aliases = aliases or {}
    wanted = list(dict.fromkeys([*required, *optional]))
    explicit = dict(column_map or {})
    unknown = [c for c in explicit if c not in wanted]
    if unknown:
        raise UsageError(
            f"--column {unknown[0]}=...: unknown column {unknown[0]!r}; "
            f"columns that can be mapped: {', '.join(wanted)}"
        )
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, header in enumerate(headers):
        if header:
            by_key[header_key(header)].append(i)

    # Explicit mappings first, so that an alias never takes a header the user assigned.
    positions = {c: _explicit(c, h, headers, by_key, file) for c, h in explicit.items()}
    claimed = set(positions.values())
    for canonical in wanted:
        if canonical in positions:
            continue
        spellings = [canonical, *aliases.get(canonical, ())]
        found = _first_match(canonical, spellings, headers, by_key, claimed, file, hints)
        if found is not None:
            positions[canonical] = found
            claimed.add(found)

    missing = [c for c in required if c not in positions]
    if missing:
        raise InputError(_missing_message(missing, headers, aliases, hints), file=file)
    for canonical in exclusive:
        if canonical in positions and canonical not in explicit:
            spellings = [canonical, *aliases.get(canonical, ())]
            _refuse_a_second_candidate(
                canonical, spellings, positions[canonical], headers, claimed, file, hints
            )
    notes = _duplicate_notes(headers, by_key, claimed)
    positions = {c: positions[c] for c in wanted if c in positions}
    columns = {c: headers[i] for c, i in positions.items()}
    unused = tuple(
        h or f"column {i + 1} (no header)" for i, h in enumerate(headers) if i not in claimed
    )
    return ColumnMapping(columns=columns, positions=positions, notes=notes, unused=unused)


def _refuse_a_second_candidate(
    canonical: str,
    spellings: Sequence[str],
    chosen: int,
    headers: Sequence[str],
    claimed: set[int],
    file: str,
    hints: Hints = ALL,
) -> None:
    """Two headers that could each be a party column (`name` and `supplier`, `Company Name`
    and `Supplier Name`): reading the first and ignoring the other would screen one party and
    could report a listed one clear, so the user must say which."""
    keys = {header_key(s) for s in spellings}
    others = [i for i, h in enumerate(headers) if h and i not in claimed and header_key(h) in keys]
    if not others:
        return
    found = " and ".join(f"{headers[i]!r} (column {i + 1})" for i in sorted([chosen, *others]))
    if hints.column:
        fix = (
            f"choose one with --column {canonical}=HEADER "
            f'(e.g. --column {canonical}="{headers[others[0]]}"; to screen both, run once per '
            "column), or rename the other"
        )
    else:
        fix = (
            f"choose one by renaming or removing the other (to screen both, run once with each "
            f"named {canonical!r})"
        )
    raise UsageError(
        f"{file}: {found} could each be the {canonical!r} column, and uflpa will not screen one "
        f"and ignore the other; {fix}"
    )


def _explicit(
    canonical: str, header: str, headers: Sequence[str], by_key: Mapping[str, list[int]], file: str
) -> int:
    exact = [i for i, h in enumerate(headers) if h and h == header.strip()]
    matches = exact or by_key.get(header_key(header), [])
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise InputError(
            f"--column {canonical}={header}: the file has {len(matches)} columns with that "
            f"header ({_positions(matches)}); rename one so uflpa knows which to read",
            file=file,
            column=header,
        )
    raise InputError(
        f"--column {canonical}={header}: no header {header!r} in the file; "
        f"headers found: {_listing(headers)}",
        file=file,
        column=header,
    )


def _first_match(
    canonical: str,
    spellings: Sequence[str],
    headers: Sequence[str],
    by_key: Mapping[str, list[int]],
    claimed: set[int],
    file: str,
    hints: Hints = ALL,
) -> int | None:
    for spelling in spellings:
        matches = [i for i in by_key.get(header_key(spelling), []) if i not in claimed]
        if len(matches) == 1:
            return matches[0]
        if matches:
            found = ", ".join(f"{headers[i]!r}" for i in matches)
            raise InputError(
                f"several headers could be the {canonical!r} column ({found} at "
                f"{_positions(matches)}); choose one {hints.choose_column(canonical)}"
                + (" or rename the others" if hints.column else ""),
                file=file,
                column=headers[matches[0]],
            )
    return None


def _missing_message(
    missing: Sequence[str],
    headers: Sequence[str],
    aliases: Mapping[str, Sequence[str]],
    hints: Hints = ALL,
) -> str:
    parts = []
    for canonical in missing:
        accepted = ", ".join(dict.fromkeys([canonical, *aliases.get(canonical, ())]))
        parts.append(f"no header matches the required column {canonical!r} (accepted: {accepted})")
    hint = missing[0]
    guess = _closest(headers, [hint, *aliases.get(hint, ())])
    return (
        f"{'; '.join(parts)}; headers found: {_listing(headers)}; "
        f"say which header holds it {hints.map_column(hint, guess)}"
    )


def _closest(headers: Sequence[str], spellings: Sequence[str]) -> str | None:
    """The header most like an accepted spelling, when it is close (a typo, a cut-off word)."""
    best, score = None, 0.0
    for header in headers:
        key = header_key(header)
        for spelling in spellings:
            ratio = difflib.SequenceMatcher(None, key, header_key(spelling)).ratio()
            if key and ratio > score:
                best, score = header, ratio
    return best if score >= 0.75 else None


def _duplicate_notes(
    headers: Sequence[str], by_key: Mapping[str, list[int]], claimed: set[int]
) -> tuple[str, ...]:
    notes = []
    for indexes in by_key.values():
        if len(indexes) > 1 and not claimed.intersection(indexes):
            names = ", ".join(dict.fromkeys(repr(headers[i]) for i in indexes))
            notes.append(
                f"duplicate header {names} at {_positions(indexes)} ignored: "
                "uflpa does not read that column"
            )
    return tuple(notes)


def _positions(indexes: Sequence[int]) -> str:
    return "columns " + ", ".join(str(i + 1) for i in indexes)


def _listing(headers: Sequence[str]) -> str:
    shown = [repr(h) if h else "(blank)" for h in headers[:30]]
    more = f" and {len(headers) - 30} more" if len(headers) > 30 else ""
    return (", ".join(shown) + more) if shown else "(none)"
