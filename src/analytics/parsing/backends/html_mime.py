"""Word's "single file web page" (.mht/.mhtml): a MIME message whose first text/html part is the page."""

from __future__ import annotations

import email
import email.policy
import re

# Header lines (with folded continuation lines) up to a MIME-Version header.
_MIME_HEAD = re.compile(rb"^\s*(?:[\w-]+:[^\n]*\r?\n(?:[ \t][^\n]*\r?\n)*)*?MIME-Version:\s*1\.0", re.I)


def is_mime_page(data: bytes) -> bool:
    head = data[:2048]
    return b"mime-version" in head.lower() and bool(_MIME_HEAD.match(head))


def html_part(data: bytes) -> bytes | None:
    """The decoded bytes of the first text/html part, with its charset declared, or None."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if not payload:
                continue
            charset = part.get_content_charset()
            if charset and not re.search(rb"<meta[^>]{0,300}charset", payload[:8192], re.I):
                # The MIME header carries the charset; give it to the page as a <meta> would.
                payload = f'<meta charset="{charset}">'.encode("ascii") + payload
            return payload
    return None
