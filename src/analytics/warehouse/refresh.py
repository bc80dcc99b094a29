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
        # Parent links can change for agencies outside the batch (a newly loaded government
        # becomes the parent of departments loaded earlier): those agencies are synced too.
        relinked = [r[0] for r in con.execute(read("resolve_parents")).fetchall()]
        synced = None if agency_ids is None else sorted(set(agency_ids) | set(relinked))
        con.execute(read("report_wide_sync"), {"agencies": synced})
        scope = run_checks(con, agency_ids)
        set_scope(con, scope)
        after_checks(con)  # decisions follow their findings; corrected reports close theirs
        con.execute(read("report_wide_finding_counts"))
        # Only the summary rows of what changed: the checked agencies (their reports and
        # finding counts) and the relinked ones (their parent).
        after_refresh(con, full=agency_ids is None,
                      agencies=None if agency_ids is None else set(scope) | set(relinked))
