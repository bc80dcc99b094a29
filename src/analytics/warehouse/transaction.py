"""One DuckDB transaction: committed when the block ends, rolled back when it raises."""

from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def transaction(con):
    # BaseException too: a Ctrl-C inside a load must not leave half a batch for the next statement.
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
