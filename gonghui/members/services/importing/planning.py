"""Planning: the validated rows against the roster. One person, one membership: an ID active in the
target's subtree is updated in place, only the fields the file gives and that differ (re-importing
a file changes nothing); an ID active in another union is an error row naming it, never a silent
move; the second occurrence of an ID in the file is an error naming the first. Writes nothing.
"""

import contextlib
import dataclasses
import gc
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from gonghui.core.scoping import scopes_disabled

from ...models import EmploymentForm, Member, MemberStatus
from ..roster import EDITABLE, _conflict_error
from .headers import FIELD_NAMES
from .parsing import ParsedRoster, ParsedRow, RowError
from .validating import RowValidator

BATCH = 2000

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@contextlib.contextmanager
def _collector_paused():
    """Python's cycle collector paused for an import (as a ``with`` block or a decorator).

    An import keeps hundreds of thousands of rows, dicts and tuples alive until it ends, none of
    them in a reference cycle; as they pile up the collector walks the whole heap again and again
    (a tenth of an import's time). Whatever garbage has cycles is collected once it is back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclasses.dataclass
class ImportPlan:
    node: object
    parsed: ParsedRoster
    new: list[dict]  # column values by attribute name
    updates: list[tuple[Member, list[str]]]
    unchanged: int
    errors: list[RowError]
    good_rows: list[ParsedRow]

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})

    def counts(self) -> dict:
        return {"rows": self.parsed.data_rows, "new": len(self.new), "updated": len(self.updates),
                "unchanged": self.unchanged, "error_rows": self.error_rows, "skipped": self.parsed.skipped}


def plan_import(*, parsed: ParsedRoster, node, progress: Progress | None = None) -> ImportPlan:
    """Validate every parsed row and decide new / update / unchanged / error; writes nothing."""
    validator = RowValidator(node)
    labels = parsed.columns
    errors = list(parsed.errors)
    candidates: list[tuple[ParsedRow, dict, set]] = []
    first_row_of: dict[str, int] = {}
    total = len(parsed.rows)
    for done, prow in enumerate(parsed.rows, 1):
        member, problems = validator.validate(prow.values)
        if problems:
            for field, messages in problems.items():
                errors.append(_row_error(prow, field, labels, " ".join(messages)))
        else:
            first = first_row_of.setdefault(member["id_hash"], prow.row)
            if first != prow.row:
                errors.append(_row_error(prow, "id_number", labels,
                                         _("The same ID number as row %(row)d: one person appears twice.")
                                         % {"row": first}))
            else:
                provided = prow.values.keys() & _PROVIDED
                if "household" in provided:
                    provided.add("is_migrant")
                candidates.append((prow, member, provided))
        if progress and (done % BATCH == 0 or done == total):
            progress("validate", done, total)
    new, updates, unchanged, good = _match(candidates, node, labels, errors)
    errors.sort(key=lambda e: e.row)
    return ImportPlan(node=node, parsed=parsed, new=new, updates=updates, unchanged=unchanged, errors=errors,
                      good_rows=good)


_PROVIDED = frozenset(EDITABLE)


def _row_error(prow: ParsedRow, field: str, labels: dict, reason: str) -> RowError:
    if field not in labels and field == "new_form_type" and "employment_form" in labels:
        field = "employment_form"
    if field == "__all__":
        field = "id_number"
    return RowError(prow.row, labels.get(field, FIELD_NAMES.get(field, field)), prow.raw.get(field, ""), reason)


_COMPARED = ["ethnicity", "education", "political_status", "household", "is_migrant", "employment_form",
             "new_form_type", "employer_name", "member_type", "joined_on"]


_FETCHED = ("id", "node_id", "node__path", "name", "id_hash", "phone_hash", *_COMPARED)
_LOOKUP = 900  # ID hashes per query (SQLite's old limit on parameters is 999)


def _active(hashes: list[str], fields) -> Iterable:
    """The active memberships with these ID hashes, anywhere, one query per ``_LOOKUP`` hashes."""
    with scopes_disabled():
        for i in range(0, len(hashes), _LOOKUP):
            yield from (Member.objects.filter(id_hash__in=hashes[i:i + _LOOKUP], status=MemberStatus.ACTIVE)
                        .values(*fields))


def _match(candidates, node, labels, errors):
    """Active memberships of the same people, anywhere: inside the target's subtree they are
    updated, elsewhere they are conflicts. The roster's rows are compared as plain values; a model
    instance is made only for a member that changes."""
    existing = {row["id_hash"]: row for row in _active([m["id_hash"] for _p, m, _f in candidates], _FETCHED)}
    new, updates, good, unchanged, conflicts = [], [], [], 0, []
    for prow, member, provided in candidates:
        current = existing.get(member["id_hash"])
        if current is None:
            new.append(member)
            good.append(prow)
            continue
        if not current["node__path"].startswith(node.path):
            conflicts.append((prow, current["id"]))
            continue
        if current["name"] != member["name"]:
            errors.append(_row_error(prow, "name", labels, _(
                "The roster has another name for this ID number; an administrator corrects a member's identity "
                "on the member's page.")))
            continue
        good.append(prow)
        changed = [f for f in _COMPARED if f in provided and current[f] != member[f]]
        if ("employment_form" in changed and member["employment_form"] != EmploymentForm.NEW_FORM
                and current["new_form_type"]):
            changed.append("new_form_type")
        if "phone" in provided and current["phone_hash"] != member["phone_hash"]:
            changed += ["phone", "phone_hash", "phone_tail"]
        if not changed:
            unchanged += 1
            continue
        instance = Member(id=current["id"], node_id=current["node_id"], name=current["name"],
                          id_hash=current["id_hash"], phone_hash=current["phone_hash"],
                          **{f: current[f] for f in _COMPARED})
        for field in changed:
            setattr(instance, field, member[field])
        updates.append((instance, sorted(set(changed))))
    if conflicts:  # where and since when, for the message
        with scopes_disabled():
            members = Member.objects.select_related("node").in_bulk([pk for _prow, pk in conflicts])
        for prow, pk in conflicts:
            errors.append(_row_error(prow, "id_number", labels, _conflict_error(members[pk]).message))
    return new, updates, unchanged, good
