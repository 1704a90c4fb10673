"""Every index on the tables a sign-up writes is written by every winner of a rush: none may be
redundant. A plain index that is the leading part of another on the same table, or a pattern-ops
twin of a column only ever looked up whole, is work for each booking and confirmation with no
query to serve."""

import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql",
                                 reason="index definitions and pattern-ops twins are PostgreSQL's")]

# Written by a winning sign-up (the booking, its confirmation).
TABLES = ("activities_booking", "messaging_message")
# Looked up whole only (no LIKE/startswith anywhere): no pattern-ops twin.
WHOLE_ONLY = {("activities_booking", "idem_key"), ("messaging_message", "phone_hash")}


def _indexes(table: str) -> list[tuple[str, list[str], bool, bool, str]]:
    """(name, columns, unique, partial, definition) of each index on the table."""
    with connection.cursor() as cur:
        cur.execute("""
            SELECT c.relname, array_agg(a.attname ORDER BY k.ord), i.indisunique, i.indpred IS NOT NULL,
                   pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indrelid = %s::regclass GROUP BY c.relname, i.indisunique, i.indpred, i.indexrelid""", [table])
        return [(name, list(cols), unique, partial, definition) for name, cols, unique, partial, definition in cur]


@pytest.mark.parametrize("table", TABLES)
def test_no_plain_index_is_the_leading_part_of_another(table):
    indexes = _indexes(table)
    redundant = [(name, cols, other) for name, cols, unique, partial, definition in indexes
                 if not unique and not partial and "_ops" not in definition
                 for other, other_cols, _u, other_partial, other_def in indexes
                 if other != name and not other_partial and "_ops" not in other_def
                 and len(other_cols) > len(cols) and other_cols[:len(cols)] == cols]
    # Before: the booking's activity_id (booking_queue begins with it) and worker_id (booking_worker_state),
    # the message's worker_id (message_inbox).
    assert redundant == []


def test_no_pattern_ops_twin_of_a_column_looked_up_whole():
    twins = [(table, name) for table in TABLES for name, cols, _u, _p, definition in _indexes(table)
             if "pattern_ops" in definition and (table, cols[0]) in WHOLE_ONLY]
    assert twins == []  # before: activities_booking_idem_key_…_like, messaging_message_phone_hash_…_like
    # The look-ups themselves keep an index: the idempotency key's unique one, the phone's plain one.
    for table, column in WHOLE_ONLY:
        assert any(cols == [column] and "pattern_ops" not in definition
                   for _n, cols, _u, _p, definition in _indexes(table)), (table, column)
