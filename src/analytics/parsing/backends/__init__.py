"""Format backends: each module exposes ``load(data: bytes, name: str) -> Document``."""
