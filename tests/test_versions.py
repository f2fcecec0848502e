"""As-at views over the real manifest's CSDDD version family."""

import pytest

from kb.versions import versions_of, visible_at

CASES = [
    # (date, shown, not shown)
    ("2024-12-31", "eu-csddd-2024-1760", "eu-csddd-2024-1760-consolidated-2025-04-17"),
    ("2025-06-01", "eu-csddd-2024-1760-consolidated-2025-04-17", "eu-csddd-2024-1760"),
    (
        "2026-11-25",
        "eu-csddd-2024-1760-consolidated-2026-03-18",
        "eu-csddd-2024-1760-consolidated-2025-04-17",
    ),
    ("2020-01-01", "un-ungps-2011", "eu-csddd-2024-1760"),
]


@pytest.mark.parametrize(("date", "shown", "hidden"), CASES)
def test_visible_at(manifest, date, shown, hidden):
    visible = visible_at(manifest, date)
    assert shown in visible
    assert hidden not in visible


def test_bad_date(manifest):
    with pytest.raises(ValueError, match="not an ISO date"):
        visible_at(manifest, "25/11/2026")


def test_versions_of(manifest):
    ids = [r.doc_id for r in versions_of(manifest, "eu-csddd-2024-1760")]
    assert ids == [
        "eu-csddd-2024-1760",
        "eu-csddd-2024-1760-consolidated-2025-04-17",
        "eu-csddd-2024-1760-consolidated-2026-03-18",
    ]
