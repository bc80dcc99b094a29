"""Text taken from documents (agency names, file names, messages quoting a cell) shown inside
Streamlit elements that render Markdown: headings, captions, alerts, expander, tab, button and
metric labels.

Such text must read as itself. Unescaped, an agency name holding ``![](http://…)`` would make
every viewer's browser fetch that address, a backtick would end a code span, and ``:red[…]``,
``$…$`` or ``<b>`` would restyle the page. CommonMark lets a backslash escape any ASCII
punctuation character, so every one of them is escaped; line breaks become spaces because a new
line could start a heading, a list or an indented code block.

Escaping is not enough for what Streamlit's Markdown does after parsing, on the text itself: it
turns ``http://…``, ``www.…`` and ``name@host`` into links and ``:streamlit:`` into a logo. An
invisible WORD JOINER (U+2060) after every ``:`` and ``@`` and after a ``www`` before a dot breaks
those patterns while the text looks the same.
"""

from __future__ import annotations

import re
import string

JOINER = "\u2060"
_LINE_BREAKS = re.compile("\r\n|[\r\n\v\f\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_WWW = re.compile(r"(www)(?=\.)", re.IGNORECASE)
_ESCAPE = str.maketrans({c: "\\" + c for c in string.punctuation} | {":": "\\:" + JOINER, "@": "\\@" + JOINER})


def md(value) -> str:
    """``value`` as Markdown that displays exactly its text (line breaks shown as spaces)."""
    if value is None:
        return ""
    text = _LINE_BREAKS.sub(" ", str(value))
    text = _CONTROLS.sub("\ufffd", text.replace("\t", " "))
    text = _WWW.sub(r"\1" + JOINER, text)
    return text.translate(_ESCAPE)

