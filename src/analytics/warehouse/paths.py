"""Which files an ingest may open: decided from names and links alone, before a byte is read.

A folder is ingested for what it holds, so a symbolic link in it (which can point anywhere,
``/etc/shadow`` included) is refused rather than followed, and so is a manifest path that leads
out of the manifest's folder (``../../``, an absolute path elsewhere, a linked folder on the way).
A file named on the command line is the user's own choice and may live anywhere, but it is not
followed through a link either: the refusal names the file and where the link points.
"""

from __future__ import annotations

import os
from pathlib import Path


class Scope:
    """The folders an ingest reads: those named on the command line, else the manifest's own."""

    def __init__(self, paths, manifest: str | os.PathLike | None = None):
        named = [Path(p) for p in paths]
        self.roots = [_absolute(p) for p in named if p.is_dir()]
        self.direct = {_absolute(p) for p in named if not p.is_dir()}
        if manifest is not None and not named:
            self.manifest_root = _absolute(Path(manifest).parent)
            self.roots.append(self.manifest_root)
        else:
            self.manifest_root = None

    def refusal(self, file: str | os.PathLike) -> str | None:
        """Why ``file`` must not be opened (one line naming it), or None when it may be read."""
        p = Path(file)
        if p.is_symlink():
            return f"{p} 是符号链接（指向 {_target(p)}），未读取"
        here = _absolute(p)
        if here in self.direct:
            return None
        root = next((r for r in self.roots if _within(here, r)), None)
        if root is None:
            if self.manifest_root is not None:
                return f"清单中的路径 {p} 不在清单所在文件夹 {self.manifest_root} 之内，未读取"
            return None
        # The path as it will be opened, links and ``..`` taken in the kernel's order.
        real = Path(os.path.realpath(p))
        if not _within(real, Path(os.path.realpath(root))):
            return f"{p} 经符号链接指向文件夹 {root} 之外（{real}），未读取"
        return None


def _absolute(p: Path) -> Path:
    return Path(os.path.normpath(os.path.abspath(p)))


def _within(p: Path, root: Path) -> bool:
    return p == root or root in p.parents


def _target(p: Path) -> str:
    try:
        return os.readlink(p)
    except OSError:
        return "?"
