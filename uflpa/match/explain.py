"""The evidence of a match or a comparison in words an analyst reads.

The evidence itself stays structured (feature values and what they compared, for machines and
for replay); this module is the one place that turns it into sentences, for every surface that
shows it to a person: the CLI table, the service and its web pages, the HTML reports. Each
feature is put as the question it tests (`explain.yml`) with whether it held, never as the
finding its docstring states, so a feature that did not hold cannot read as a reason. What a
feature compared is rendered generically (strings, numbers, lists, parts, aligned pairs), so a
new feature reads in words without code here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from uflpa.match.matcher import MatchResult
from uflpa.names.chinese import han_syllables
from uflpa.scoring.features import FEATURES, LEGAL_FAMILY, QUALIFIERS
from uflpa.text.script import has_han, is_han

HELD = "held"
PARTLY = "held in part"
NOT_HELD = "did not hold"
NOT_APPLICABLE = "n/a"

#: The country codes the evidence gives for a listed entity, as a reader names the place.
_PLACES = {"cn": "China", "hk": "Hong Kong, China", "mo": "Macao, China"}


@cache
def _table() -> dict[str, Any]:
    text = resources.files("uflpa.match").joinpath("explain.yml").read_text(encoding="utf-8")
    table: dict[str, Any] = yaml.safe_load(text)
    return table


@dataclass(frozen=True, slots=True)
class Finding:
    """One feature of one comparison: what it tests, whether it held, and what it compared."""

    name: str
    tests: str
    state: str  # HELD | PARTLY | NOT_HELD | NOT_APPLICABLE
    value: float
    compared: str  # what it compared, in words ('' when nothing to show)
    lowered: bool  # a qualifier that lowered the score
    reason: str = ""  # why it does not apply, for NOT_APPLICABLE

    @property
    def result(self) -> str:
        """'held (1.00)', 'did not hold (0.00)', 'n/a (0.00): the query has no …'."""
        text = f"{self.state} ({self.value:.2f})"
        if self.reason:
            text += f": {self.reason}"
        if self.lowered:
            text += ", lowered the score"
        return text

    def line(self) -> str:
        """The feature as one sentence: the question, its result, what was compared."""
        text = f"{self.tests} → {self.result}"
        return text + (f"; compared: {self.compared}." if self.compared else ".")


def tests(name: str, why: str = "") -> str:
    """The question a feature answers; for a feature with no entry, its finding put as one."""
    entry = _table()["features"].get(name)
    if entry and entry.get("tests"):
        return str(entry["tests"])
    finding = why.strip().rstrip(".") or name.replace("_", " ")
    if finding[:1].isupper() and finding[1:2].islower():
        finding = finding[0].lower() + finding[1:]
    return f"Does this hold: {finding}?"


def findings(evidence: Mapping[str, Any]) -> list[Finding]:
    """Every feature of the evidence (`features`, then the `qualifiers` that lowered the
    score), in words."""
    out: list[Finding] = []
    for group, lowered in (("features", False), ("qualifiers", True)):
        entries = evidence.get(group) or {}
        for name, entry in entries.items():
            out.append(_finding(str(name), entry if isinstance(entry, Mapping) else {}, lowered))
    return out


def _finding(name: str, entry: Mapping[str, Any], lowered: bool) -> Finding:
    value = _number(entry.get("value"))
    compared = entry.get("compared")
    # A qualifier in the evidence lowered the score: a part one side lacks is its finding.
    missing = "" if lowered else _missing(name, compared)
    if missing:
        state = NOT_APPLICABLE
    elif value >= 0.9999:
        state = HELD
    elif value > 0:
        state = PARTLY
    else:
        state = NOT_HELD
    return Finding(
        name=name,
        tests=tests(name, str(entry.get("why") or "")),
        state=state,
        value=value,
        compared=words(compared),
        lowered=lowered,
        reason=missing,
    )


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _missing(name: str, compared: Any) -> str:
    """Why a feature could not apply: a side of the comparison lacks the part it compares."""
    if not (isinstance(compared, Mapping) and {"query", "candidate"} <= set(compared)):
        return ""
    q_empty, c_empty = _empty(compared["query"]), _empty(compared["candidate"])
    if not (q_empty or c_empty):
        return ""
    spec = FEATURES.get(name) or QUALIFIERS.get(name)
    labels = _table()["parts"]
    what = " or ".join(labels.get(p, p.replace("_", " ")) for p in spec.compares) if spec else ""
    what = what or "this part"
    if q_empty and c_empty:
        return f"neither name has {what}"
    return f"the {'query' if q_empty else 'listed name'} has no {what}"


def _empty(side: Any) -> bool:
    if isinstance(side, Mapping):
        return all(_empty(v) for v in side.values())
    return side in (None, "") or (isinstance(side, list | tuple | set) and not side)


def words(value: Any) -> str:
    """Anything a feature compared, in words: never a repr. Two sides become 'query …; listed
    …', aligned pairs '天棉 = Tianmian (trade name, pinyin)', parts 'places: Changji'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, int) else f"{value:.4g}"
    if isinstance(value, str):
        return _KEY.sub("", value)
    if isinstance(value, Mapping):
        return _mapping_words(value)
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return ", ".join(
            w for w in (_token(v) if isinstance(v, str) else words(v) for v in items) if w
        )
    return str(value)


def _mapping_words(value: Mapping[str, Any]) -> str:
    pairs = value.get("pairs")
    if isinstance(pairs, list) and all(isinstance(p, Mapping) for p in pairs):
        rest = {k: v for k, v in value.items() if k != "pairs"}
        text = "; ".join(_pair_words(p) for p in pairs)
        return "; ".join(t for t in (text, _mapping_words(rest) if rest else "") if t)
    if {"query", "candidate"} <= set(value):
        q, c = _side(value["query"]), _side(value["candidate"])
        rest = {k: v for k, v in value.items() if k not in ("query", "candidate")}
        text = f"query {q or '(none)'}; listed {c or '(none)'}"
        return text + (f"; {_mapping_words(rest)}" if rest else "")
    labels = _table()["parts"]
    shown = []
    for key, item in value.items():
        label = labels.get(key, str(key).replace("_", " "))
        if isinstance(item, Mapping):
            inner = ", ".join(
                f"{labels.get(k, str(k).replace('_', ' '))} {words(v)}"
                for k, v in item.items()
                if words(v)
            )
            if inner:
                shown.append(f"{label} ({inner})")
        elif text := words(item):
            shown.append(f"{label}: {text}")
    return "; ".join(shown)


def _side(side: Any) -> str:
    if isinstance(side, Mapping):
        return _mapping_words(side)
    return words(side)


def _pair_words(pair: Mapping[str, Any]) -> str:
    """One aligned pair: '天棉 = Tianmian (trade name, pinyin)'."""
    left, right = words(pair.get("query")), words(pair.get("candidate"))
    how = ", ".join(words(pair[k]) for k in ("kind", "how") if pair.get(k))
    text = f"{left} = {right}" if right else left
    return text + (f" ({how})" if how else "")


_KEY = re.compile(r"^[a-z]{1,2}:(?=\w)")


def _token(text: str) -> str:
    """A folded key of a list of parts as a reader writes it: 'p:xinjiang' → 'Xinjiang',
    'hesheng' → 'Hesheng'."""
    text = _KEY.sub("", text)
    if text.isascii() and text.replace("_", "").isalpha() and text.islower():
        text = text.replace("_", " ")  # a concept key: new_energy
        # Two letters are a code (a country: cn), longer ones a word or a pinyin name.
        return text.upper() if len(text) == 2 else text.capitalize()
    return text


# --- the short "why" ---------------------------------------------------------------------------


def basis(name: str) -> str:
    """The route that gave the score, in words."""
    return str(_table()["bases"].get(name, name.replace("_", " ")))


def summary(
    evidence: Mapping[str, Any],
    *,
    names: Sequence[str] = (),
    legal: tuple[Sequence[str], Sequence[str]] | None = None,
) -> str:
    """The reasons for a score in one line: what held and what lowered it ('trade name Hesheng
    = 合盛 in pinyin; industry words agree (Silicon, Industry); place Shanshan agrees').
    `names` are the two names as written (to show a pinyin trade name's characters), `legal`
    the two names' legal-form types (to say whether a difference counted)."""
    route = str(evidence.get("basis") or "none")
    parts: list[str] = []
    features = evidence.get("features") or {}
    # Only what held is said here; a feature at 0 is never HELD or PARTLY, and rendering its
    # comparison in words for every screened row cost a screening a third more time.
    held = {
        k: v for k, v in features.items() if isinstance(v, Mapping) and _number(v.get("value")) > 0
    }
    for finding in findings({"features": held}):
        if finding.state not in (HELD, PARTLY):
            continue
        if finding.name == "core_name_similarity" and route != "core_name":
            continue  # says again what the trade name says
        entry = features.get(finding.name) or {}
        text = _held_phrase(finding, entry, names)
        if text:
            parts.append(text)
    agrees = _places_agree(features)
    if agrees:
        parts.append(f"place {agrees} agrees")
    qualifiers = evidence.get("qualifiers") or {}
    if legal is not None and "different_legal_form" not in qualifiers:
        note = _legal_note(*legal)
        if note:
            parts.append(note)
    for name, entry in qualifiers.items():
        entry = entry if isinstance(entry, Mapping) else {}
        if name == "country_mismatch":
            parts.append(_country(entry))
            continue
        finding = _finding(str(name), entry, True)
        parts.append(f"{_held_phrase(finding, entry, names) or finding.name}: lowered the score")
    head = f"via {basis(route)}"
    return "; ".join([head, *parts])


def _held_phrase(finding: Finding, entry: Mapping[str, Any], names: Sequence[str]) -> str:
    spec = _table()["features"].get(finding.name) or {}
    template = spec.get("partly") if finding.state == PARTLY else spec.get("held")
    template = template or spec.get("held")
    compared = entry.get("compared")
    if not template:
        return f"{finding.name.replace('_', ' ')} {finding.result}"
    text = _fill(str(template), compared, finding.value)
    if finding.name == "trade_name_similarity" and finding.state == HELD:
        text += _pinyin_note(compared, names)
    return text


_FIELD = re.compile(r"\{([\w.]+)\}")


def _fill(template: str, compared: Any, value: float) -> str:
    fields: dict[str, str] = {"value": f"{value:.2f}", "compared": words(compared)}
    if isinstance(compared, Mapping):
        for key, item in compared.items():
            fields[str(key)] = _side(item)
            if isinstance(item, Mapping):
                for part, sub in item.items():
                    fields[f"{key}.{part}"] = words(sub)
    elif compared is not None:
        fields["query"] = fields["candidate"] = words(compared)
    text = _FIELD.sub(lambda m: fields.get(m[1]) or "none", template)
    return text.replace(" (none)", "").replace(" (none / none)", "")


def _pinyin_note(compared: Any, names: Sequence[str]) -> str:
    """' (合盛 in pinyin)' when one name is written in characters and the other in Latin letters:
    the characters the trade name reads as."""
    han = [n for n in names if has_han(n)]
    if not han or len(han) == len(names) or not isinstance(compared, Mapping):
        return ""
    tokens = compared.get("query")
    if isinstance(tokens, str):
        tokens = [tokens]
    if not isinstance(tokens, list | tuple):
        return ""
    found = [c for t in tokens if (c := _characters_of(str(t), han[0]))]
    return f" ({' '.join(found)} in pinyin)" if found else ""


def _characters_of(token: str, text: str) -> str:
    chars = "".join(ch for ch in text if is_han(ch))
    syllables = han_syllables(chars)
    if len(syllables) != len(chars):
        return ""
    for start in range(len(chars)):
        joined = ""
        for end in range(start, len(chars)):
            joined += syllables[end]
            if joined == token:
                return chars[start : end + 1]
            if not token.startswith(joined):
                break
    return ""


def _places_agree(features: Mapping[str, Any]) -> str:
    """The places both names carry, from what `place_in_address` compared."""
    compared = (features.get("place_in_address") or {}).get("compared")
    if not isinstance(compared, Mapping):
        return ""
    q, c = compared.get("query"), compared.get("candidate")
    if not (isinstance(q, Mapping) and isinstance(c, Mapping)):
        return ""
    shared = set(q.get("place_set") or ()) & set(c.get("place_set") or ())
    return words(sorted(shared))


def _legal_note(query: Sequence[str], candidate: Sequence[str]) -> str:
    """A legal form written differently but of one kind does not count, and says so."""
    if not query or not candidate or set(query) == set(candidate):
        return ""
    kinds = _table()["legal_kinds"]
    q = {LEGAL_FAMILY.get(t, t) for t in query}
    c = {LEGAL_FAMILY.get(t, t) for t in candidate}
    shared = (q & c) or ({"company"} & (q | c))
    if not shared:
        return ""
    kind = kinds.get(sorted(shared)[0], sorted(shared)[0])
    return f"legal form written differently, both {kind}: ignored"


def _country(entry: Mapping[str, Any]) -> str:
    """'country differs: the query says VN, the entity is in China'."""
    compared = entry.get("compared") or {}
    given = compared.get("query_country") or "another country"
    listed = str(compared.get("listed_country") or "cn")
    text = (
        f"country differs: the query says {given}, the entity is in "
        f"{_PLACES.get(listed, listed.upper())}: lowered the score"
    )
    before = compared.get("score_before_country")
    if compared.get("held_at_review") and before is not None:
        text += f" (the name alone scored {_number(before):.2f}, a hit: held at review)"
    return text


# --- whole explanations -------------------------------------------------------------------------


def explain_match(
    row: Mapping[str, Any], *, legal: tuple[Sequence[str], Sequence[str]] | None = None
) -> list[str]:
    """A match result (`MatchResult.to_dict()`) as sentences: which name matched and on what
    basis, the reasons in one line, every feature as the question it tests with whether it
    held, and the listing."""
    ev = row.get("evidence") or {}
    form = str(row.get("name_form") or "").replace("_", " ")
    names = [str((ev.get("query") or {}).get("name") or ""), str(row.get("matched_name") or "")]
    out = [
        f"{row['verdict']} at score {_number(row.get('score')):.2f}: the query matches the "
        f"{form} “{row.get('matched_name')}” of {row.get('entity_id')} {row.get('entity_name')} "
        f"(basis: {basis(str(ev.get('basis') or 'none'))}).",
        f"Why: {summary(ev, names=names, legal=legal)}.",
    ]
    read_as = (ev.get("query") or {}).get("read_as")
    if isinstance(read_as, Mapping) and read_as:
        slips = ", ".join(f"{k} as {v}" for k, v in read_as.items())
        out.append(f"Typing slips read as the list's words: {slips}.")
    readings = (ev.get("query") or {}).get("readings")
    if isinstance(readings, list) and readings:
        # What analysis did to the query: 'address in pinyin cut off: …' (issue 18).
        out.append(f"Read: {'; '.join(str(r) for r in readings)}.")
    out += [f.line() for f in findings(ev)]
    sections = ", ".join(row.get("sections") or ())
    listed = f"Listed under {sections}" if sections else "Listed"
    out.append(
        f"{listed} from {row.get('effective_date') or 'an unknown date'}; list version "
        f"{row.get('list_version')}; algorithm {row.get('algorithm')}."
    )
    return out


def explain_comparison(
    comparison: Mapping[str, Any],
    names: Sequence[str] = (),
    legal: tuple[Sequence[str], Sequence[str]] | None = None,
) -> list[str]:
    """A comparison (`Comparison.to_dict()`) as sentences: the verdict with its reasons, then
    every feature as the question it tests with whether it held."""
    head = (
        f"{comparison.get('verdict')} at score {_number(comparison.get('score')):.2f}: "
        f"{summary(comparison, names=names, legal=legal)}."
    )
    return [head, *(f.line() for f in findings(comparison))]


def result_row(result: MatchResult) -> dict[str, Any]:
    """A match result's JSON with its evidence in words: `why` (one line) and `explanation`
    (the reasons, then every feature as the question it tests and whether it held). The
    structured evidence stays as it was."""
    row = result.to_dict()
    scored = result.scored
    legal = (
        (scored.query.legal, scored.candidate.legal)
        if scored.query is not None and scored.candidate is not None
        else None
    )
    names = [str((row["evidence"].get("query") or {}).get("name") or ""), result.matched_name]
    row["why"] = summary(row["evidence"], names=names, legal=legal)
    row["explanation"] = explain_match(row, legal=legal)
    return row


def later_row(result: MatchResult, as_of: date) -> dict[str, Any]:
    """A candidate on the current list whose entity was listed after `as_of`: its verdict on
    `as_of` is clear, and `listed_later` says when it was listed and what it is on the current
    list."""
    row = result_row(result)
    says = listed_later(row, as_of.isoformat())
    row["explanation"] = [says, *row["explanation"]]
    row["listed_later"] = {
        "as_of": as_of.isoformat(),
        "effective_date": row["effective_date"],
        "sections": row["sections"],
        "verdict_on_current_list": row["verdict"],
        "says": says,
    }
    row["verdict"] = "clear"
    return row


def listed_later(row: Mapping[str, Any], as_of: str) -> str:
    """A name that matches an entity listed after `as_of`: not a hit on that date, but said."""
    sections = ", ".join(row.get("sections") or ()) or "an unknown section"
    return (
        f"The name matches {row.get('entity_id')} {row.get('entity_name')} "
        f"({row.get('verdict')} at score {_number(row.get('score')):.2f} on the current list), "
        f"which was listed later: under {sections} from "
        f"{row.get('effective_date') or 'an unknown date'}. It was not on the list on {as_of}, "
        f"so it is not a hit as of that date."
    )


__all__ = [
    "Finding",
    "basis",
    "explain_comparison",
    "explain_match",
    "findings",
    "later_row",
    "listed_later",
    "result_row",
    "summary",
    "tests",
    "words",
]
