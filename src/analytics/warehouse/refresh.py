"""What follows a load: parent links, the wide table's derived columns, findings."""

from __future__ import annotations

from .checks import set_scope  # noqa
from .sqlfiles import read
from .transaction import transaction


def refresh(con, agency_ids=None) -> None:
    """Bring report_wide and findings up to date for these agencies (None: all of them)."""
    from .checks import run_checks
    from .models import after_refresh
    from .review import after_checks

    with transaction(con):
        con.execute(read("resolve_parents"))
        # Parent links can change for agencies outside the batch (a newly loaded government
        # becomes the parent of departments loaded earlier), so the sync looks at every row.
        con.execute(read("report_wide_sync"))
        scope = run_checks(con, agency_ids)
        set_scope(con, scope)
        after_checks(con)  # decisions follow their findings; corrected reports close theirs
        con.execute(read("report_wide_finding_counts"))
        after_refresh(con, full=agency_ids is None)
