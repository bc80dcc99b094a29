"""MinHash signatures of a report's prose, so DUPLICATE_TEXT can find near-copies in SQL.

Two reports "share most of their prose" when the Jaccard similarity of their sets of character
5-grams is high. A signature of 64 minima estimates that similarity; 16 bands of 4 minima turn the
search for similar pairs into an equality join (pairs at 0.8 share a band with probability >0.999).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np

N_HASHES = 64
BAND_ROWS = 4
SHINGLE = 5
MIN_CHARS = 200  # shorter prose is mostly template wording and says nothing about copying

_SEEDS = np.random.default_rng(20190515).integers(0, 2**63, size=N_HASHES, dtype=np.uint64)
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def prose_of(sections: dict | None) -> str:
    if not sections:
        return ""
    text = "".join(str(v) for v in sections.values() if v)
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text))


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a cheap, well-spread 64-bit hash of 64-bit inputs."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def signature(sections: dict | None) -> tuple[list[int], list[int]] | None:
    """``(minhashes, band hashes)`` of the prose, or None when there is too little prose."""
    text = prose_of(sections)
    if len(text) < MIN_CHARS:
        return None
    grams = {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}
    # One buffer of little-endian 8-byte digests read as uint64: the same values as converting
    # each digest with int.from_bytes, without a Python int per shingle.
    blake = hashlib.blake2b
    digests = b"".join([blake(g.encode(), digest_size=8).digest() for g in grams])
    base = np.frombuffer(digests, dtype="<u8").astype(np.uint64, copy=False)
    sig = _mix(base[None, :] ^ _SEEDS[:, None]).min(axis=1)
    bands = [
        int.from_bytes(hashlib.blake2b(sig[i : i + BAND_ROWS].tobytes() + bytes([i]), digest_size=8).digest(), "little")
        for i in range(0, N_HASHES, BAND_ROWS)
    ]
    return sig.tolist(), bands
