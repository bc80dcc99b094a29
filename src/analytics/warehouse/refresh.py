"""What follows a load: parent links, the wide table's derived columns, findings."""

from __future__ import annotations

import pyarrow as pa

from .sqlfiles import read


def set_scope(con, agency_ids) -> None:
    """The temp table _scope(agency_id) every scoped query reads; None means every agency."""
    if agency_ids is None:
        con.execute(read("checks/scope_all"))
    else:
        con.register("_scope_df", pa.table({"agency_id": pa.array(sorted(set(agency_ids)), pa.string())}))
        con.execute(read("checks/scope_from_frame"))
        con.unregister("_scope_df")


def refresh(con, agency_ids=None) -> None:
    """Bring report_wide and findings up to date for these agencies (None: all of them)."""
    from .checks import run_checks
    from .models import after_refresh

    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(read("resolve_parents"))
        # Parent links can change for agencies outside the batch (a newly loaded government
        # becomes the parent of departments loaded earlier), so the sync looks at every row.
        con.execute(read("report_wide_sync"))
        scope = run_checks(con, agency_ids)
        set_scope(con, scope)
        con.execute(read("report_wide_finding_counts"))
        after_refresh(con, full=agency_ids is None)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
