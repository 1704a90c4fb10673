"""Prepared statements for the few statements every request of a rush runs (docs/activities.md, "What
a sign-up costs"): the signed-in worker's row, the course, the membership, the booking, the audit
record, the outbox message.

Django sends every statement with its values written into the text (psycopg's client-side binding)
and PostgreSQL parses and plans each one afresh: for a winning sign-up that was more of the
database's CPU than running the statements (the booking's statement: 0.2–0.5 ms to plan, 0.05–0.1
ms to run). ``cursor()`` gives, on PostgreSQL, a cursor of the same Django wrapper (the statement
watchdog, the query log of tests and ``DEBUG``) around psycopg's server-side binding cursor whose
statements are prepared on the connection at their first use: parsed and planned once per
connection, then only run.

Only for statements whose plan does not depend on the values (a look-up by key, an INSERT): a
prepared statement keeps a generic plan, which for a search such as ``LIKE 'zw%'`` would lose the
index range. ``GONGHUI_DB_PREPARED=false`` (a connection pooler in transaction mode that does not
keep prepared statements) sends them as before; elsewhere (SQLite) this is ``connection.cursor()``.
"""

from django.db import DEFAULT_DB_ALIAS, connections


def _prepared_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor
    from psycopg import ClientCursor

    class PreparedCursor(ServerBindingCursor):
        """Server-side binding, the statement prepared at its first use (psycopg keeps the names
        per connection, at most ``prepared_max`` of them; with no threshold set it prepares none)."""

        logged = False  # the query log is kept (tests, DEBUG): Django reads the statement's text after it ran

        def execute(self, query, params=None, *, prepare=None, binary=None):
            super().execute(query, params, prepare=True, binary=binary)
            if self.logged:  # a prepared statement leaves no text behind: the log gets it as Django writes it
                self._query = _Logged(ClientCursor(self.connection).mogrify(query, params).encode())
            return self

    return PreparedCursor


class _Logged:
    """What Django's query log reads of a psycopg cursor's last statement (``_query.query``)."""

    def __init__(self, query: bytes):
        self.query = query


_CLASS: list = []


def cursor():
    """A cursor for a hot statement: use as ``with prepared.cursor() as cur: cur.execute(sql, params)``.
    Values of a type PostgreSQL cannot infer from the statement need a cast in its text (``%s::jsonb``):
    with server-side binding a text value is sent untyped, not as a literal."""
    conn = connections[DEFAULT_DB_ALIAS]  # once: each attribute of the ``connection`` proxy is a look-up
    if conn.vendor != "postgresql":
        return conn.cursor()
    if not _CLASS:
        _CLASS.append(_prepared_cursor_class())
    conn.close_if_health_check_failed()
    conn.ensure_connection()
    with conn.wrap_database_errors:
        raw = _CLASS[0](conn.connection)
        raw.logged = conn.queries_logged
        return conn._prepare_cursor(raw)
