"""The one tune/test split of every dev gold and dev set: a hash of an item's key, so the split is
fixed, independent of file order, and the same wherever it is used (matrix, trail, calibration)."""

from __future__ import annotations

import hashlib


def split_of(key: str) -> str:
    """``"tune"`` or ``"test"`` for an item key (``doc_id|element``, a query id, a unit id)."""
    return "tune" if int(hashlib.sha256(key.encode()).hexdigest(), 16) % 2 == 0 else "test"
