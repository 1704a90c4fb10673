"""Roster import (花名册导入): read a spreadsheet as real rosters come, validate every row with the
roster's own rules, upsert the good rows by ID number, and report the others.

Rules enforced here, for the console and the command line alike:
- only clerks and admins over the target node import into it (``actor=None`` is the operator at the
  command line, who already holds the database);
- only a real xlsx or csv is read, within caps on bytes, rows, columns and unpacked size; every zip
  member is inflated here first, counting the bytes it really produces and refusing any DTD, before
  a spreadsheet parser sees it (zip bombs, lying headers, billion laughs);
- every row is checked by the console's validation (``clean_person``, ``clean_member_fields``,
  ``check_join_age``); a bad row is reported (row, column, value, reason) and the good rows go in;
- one person, one membership: an ID active in the target's subtree is updated in place, only the
  fields the file gives and that differ (re-importing a file changes nothing); an ID active in
  another union is an error row naming it, never a silent move; the second occurrence of an ID in
  the file is an error naming the first;
- one transaction, bulk writes, a history event per new or changed member, and one audit record
  per import holding counts only.

The steps, a module each: ``reading`` (bytes -> rows of cells, the caps), ``headers`` (the header
row by its labels), ``parsing`` (rows -> normalized values), ``validating`` (values -> a member's
columns by the console's rules), ``planning`` (new / updated / unchanged / conflicts), ``writing``
(the bulk write, and ``import_roster`` for the command line), ``staging`` (the console's preview
and confirm, the error report).

Speed: 100,000 rows in seconds (``bench/import_roster.py``): checks of repeating values and pinyin
initials are remembered per import, messages are built only for rows that fail, rows go to the
database as parameter lists in batches without a model instance each, and the cycle collector
rests while the import holds them.
"""

from .headers import FIELD_NAMES, LABELS
from .parsing import ParsedRoster, ParsedRow, RowError, parse_table
from .planning import BATCH, ImportPlan, Progress, plan_import
from .reading import MB, ImportRefused, Limits, Table, _read_with_openpyxl, read_limits, read_table
from .staging import StagedImport, build_error_report, commit_staged_import, load_staged_import, stage_import
from .validating import _initials
from .writing import ImportResult, import_roster, write_plan

__all__ = [
    "BATCH", "FIELD_NAMES", "LABELS", "MB", "ImportPlan", "ImportRefused", "ImportResult", "Limits", "ParsedRoster",
    "ParsedRow", "Progress", "RowError", "StagedImport", "Table", "_initials", "_read_with_openpyxl",
    "build_error_report", "commit_staged_import", "import_roster", "load_staged_import", "parse_table",
    "plan_import", "read_limits", "read_table", "stage_import", "write_plan",
]
