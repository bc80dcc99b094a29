"""Writes started from a page: the wait for another writer is shown as a toast, and a write the
file system refuses arrives as a ``ReportError`` whose one-line message the page shows with
``st.error``, so nothing on the page is replaced by an exception box."""

from __future__ import annotations

import streamlit as st

from ..errors import StorageFault, storage_line
from ..warehouse.store import wait_notice


def run(write, *args, **kwargs):
    """``write(*args, **kwargs)``; raises ``ReportError`` (the warehouse's own, or a
    ``StorageFault`` for any other file the write could not save)."""
    try:
        with wait_notice(lambda message: st.toast(message, icon="⏳")):
            return write(*args, **kwargs)
    except OSError as exc:
        line = storage_line(exc)
        if line is None:
            raise
        raise StorageFault(line) from None
