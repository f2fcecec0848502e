"""Dates as the manifest, the command line, links and the API take them: an ISO calendar date
written YYYY-MM-DD, and nothing else Python's ``date.fromisoformat`` would also read (a week date
"2027-W01-1", a basic "20270101") — a date a user typed is echoed back as it was written, so it
must be written one way."""

from __future__ import annotations

import datetime as dt
import re

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def is_iso_date(value) -> bool:
    """True for a real calendar date written YYYY-MM-DD (2024-13-45 is not one)."""
    if not isinstance(value, str) or not _ISO.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True
