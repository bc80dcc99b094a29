"""Chinese in place of the two English strings Streamlit's file uploader draws itself.

Streamlit 1.67 writes the uploader's button ("Upload") and its limit line ("50MB per file • PDF, …")
in English and offers no option to change them. A style sheet scoped to one uploader (by its key's
``st-key-…`` class) hides those two texts and draws Chinese ones in their place; what the screen
shows and what a screen reader reads (the label, the help text) are then both Chinese.
"""

from __future__ import annotations

import re

import streamlit as st

_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _css_string(text: str) -> str:
    """A CSS string literal: our own fixed texts, quoted and with quotes and backslashes escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def style(key: str, button: str, limit: str) -> str:
    if not _KEY.match(key):
        raise ValueError(f"not a widget key: {key!r}")
    scope = f".st-key-{key} [data-testid='stFileUploaderDropzone']"
    return (
        "<style>"
        f"{scope} button [data-testid='stMarkdownContainer'] p {{font-size: 0;}}"
        f"{scope} button [data-testid='stMarkdownContainer'] p::after "
        f"{{content: {_css_string(button)}; font-size: 0.875rem;}}"
        f"{scope} [data-testid='stFileUploaderDropzoneInstructions'] span {{font-size: 0;}}"
        f"{scope} [data-testid='stFileUploaderDropzoneInstructions'] span::after "
        f"{{content: {_css_string(limit)}; font-size: 0.875rem;}}"
        "</style>"
    )


def apply(key: str, button: str = "选择文件", limit: str = "") -> None:
    """Draw the uploader of ``key`` with a Chinese button text and limit line (call once per run)."""
    st.html(style(key, button, limit))
