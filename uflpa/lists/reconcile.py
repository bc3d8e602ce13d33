"""Give entities from id-less sources the stable id they had in the previous version of the list.

The DHS page and Federal Register notices carry no ids, so their parsers give each entity a
provisional id derived from its name (`uflpa.lists.base.provisional_id`). Screening results and
diffs cite ids, so an entity that was already listed must keep its id across versions even when
its spelling, legal form or name changes. Reconciling matches names after a fold that ignores case,
width, punctuation and legal forms; a rename is recognised because the new entry keeps the old
name among its former names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from rigour.names import remove_org_types

from uflpa.lists.base import provisional_id
from uflpa.model import ListedEntity, ListVersion

# Chinese legal-form suffixes rigour does not strip inside an unspaced Han name.
_HAN_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司")
# A bare trailing "co"/"company" is left when the name was "X Co." without "Ltd".
_TRAILING_WORDS = {"co", "company", "corp", "corporation"}
_PROVISIONAL = re.compile(r"^(?P<prefix>.+)-[0-9a-f]{10}$")


@lru_cache(maxsize=65536)
def fold_name(name: str) -> str:
    """A key equal for spellings of one name: NFKC, casefold, no punctuation, no legal form.

    'Xinjiang GCL New Energy Material Technology, Co. Ltd' and 'Xinjiang GCL New Energy Material
    Technology Co., Ltd.' fold alike; so do 'TBEA Co., Ltd.' and 'TBEA'.
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[\W_]+", " ", text).strip()
    stripped = remove_org_types(text).strip()
    words = stripped.split()
    while len(words) > 1 and words[-1] in _TRAILING_WORDS:
        words.pop()
    key = "".join(words)
    for form in _HAN_LEGAL_FORMS:
        if key.endswith(form) and len(key) > len(form):
            key = key[: -len(form)]
            break
    # A name made only of legal-form words folds to itself rather than to nothing.
    return key or re.sub(r"\s+", "", text)


def is_provisional(entity: ListedEntity) -> bool:
    """True when the id was made by `provisional_id` from one of the entity's own names."""
    m = _PROVISIONAL.match(entity.id)
    if not m:
        return False
    prefix = m.group("prefix")
    return any(provisional_id(prefix, n) == entity.id for n in entity.all_names())


def reconcile(
    new: ListVersion, previous: ListVersion | Sequence[ListVersion] | None
) -> ListVersion:
    """`new` with provisional ids replaced by the ids of the same entities in `previous`.

    `previous` may be several versions, newest first: an entity missing from the latest version
    but known to an older one (delisted, then listed again; or absent from a partial list) gets
    its old id back. An old id is given to at most one new entity. Matches on the primary name win
    over matches on aliases or former names; a name shared by several old entities of one version
    is ambiguous and not used. Entities without a match keep their provisional id.
    """
    if previous is None:
        return new
    if isinstance(previous, ListVersion):
        return _reconcile_one(new, previous)
    for old in previous:
        new = _reconcile_one(new, old)
    return new


def _reconcile_one(new: ListVersion, previous: ListVersion) -> ListVersion:
    if not any(is_provisional(e) for e in new.entities):
        return new
    primary: dict[str, set[str]] = {}
    other: dict[str, set[str]] = {}
    for old in previous.entities:
        primary.setdefault(fold_name(old.name), set()).add(old.id)
        for n in (*old.aliases, *old.former_names, *(r.old_name for r in old.renames)):
            other.setdefault(fold_name(n), set()).add(old.id)
    taken = {e.id for e in new.entities if not is_provisional(e)}
    assigned: dict[int, str] = {}
    # Pass 1: the new primary name is an old primary name. Pass 2: any new name is any old name
    # (covers renames: the new entry's former name is the old entry's name).
    for strict in (True, False):
        for i, entity in enumerate(new.entities):
            if i in assigned or not is_provisional(entity):
                continue
            old_id = _unique_match(entity, primary, other, strict=strict)
            if old_id is not None and old_id not in taken:
                assigned[i] = old_id
                taken.add(old_id)
    if not assigned:
        return new
    entities = tuple(
        replace(e, id=assigned[i]) if i in assigned else e for i, e in enumerate(new.entities)
    )
    return replace(new, entities=entities, content_hash="")


def _unique_match(
    entity: ListedEntity,
    primary: dict[str, set[str]],
    other: dict[str, set[str]],
    *,
    strict: bool,
) -> str | None:
    if strict:
        ids = primary.get(fold_name(entity.name), set())
    else:
        ids = set()
        for n in entity.all_names():
            key = fold_name(n)
            ids |= primary.get(key, set()) | other.get(key, set())
    return next(iter(ids)) if len(ids) == 1 else None
