"""As-at views over the real manifest's CSDDD version family."""

import pytest

from kb.compare.versions import versions_of, visible_at

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


AS_AT = [
    # (doc, date, shown, words the notice must contain)
    ("fr-loi-vigilance-2017", "2020-06-01", True, "wording shown is that of 2025-01-01"),
    ("fr-loi-vigilance-2017", "2026-06-01", True, ""),
    ("fr-loi-vigilance-2017", "2016-06-01", False, "not yet adopted"),
    ("eu-csddd-2024-1760-fr", "2024-12-31", True, "wording shown is that of 2025-11-10"),
    ("eu-csddd-2024-1760-fr", "2026-11-25", False, "version in force is"),
    ("eu-csddd-2024-1760", "2023-12-31", False, "not yet adopted"),
    ("de-lksg-2021", "2022-06-01", True, "enters into force on 2023-01-01"),
    ("de-lksg-2021", "2024-06-01", True, ""),
    ("no-transparency-act-2021", "2022-01-01", True, "enters into force on 2022-07-01"),
    ("ch-co-964-2021", "2021-06-01", True, "enters into force on 2022-01-01"),
    ("ch-co-964-2021", "2019-06-01", False, "not yet adopted"),
    # between entry into force and application (dates read from the texts: CSDDD Art. 37/38,
    # EUDR Art. 38, the consolidations' Art. 37)
    ("eu-csddd-2024-1760", "2025-01-01", True, "in force, applies from 2027-07-26"),
    ("eu-csddd-2024-1760", "2024-07-01", True, "enters into force on 2024-07-25"),
    ("eu-csddd-2024-1760-consolidated-2026-03-18", "2026-06-01", True, "applies from 2029-07-26"),
    ("eu-deforestation-2023-1115", "2023-05-01", False, "not yet adopted"),
    ("eu-deforestation-2023-1115", "2024-01-01", True, "in force, applies from 2024-12-30"),
    ("eu-deforestation-2023-1115", "2025-06-01", True, ""),
    # a proposal until its act is adopted (CSDDD, 2024-06-13), not after
    ("eu-com-2022-71-fr", "2023-06-01", True, ""),
    ("eu-com-2022-71-fr", "2024-06-13", False, "adopted as CSDDD (2024-06-13)"),
    ("eu-com-2022-71-fr", "2026-12-07", False, "adopted as CSDDD"),
]


@pytest.mark.parametrize(("doc_id", "date", "shown", "notice"), AS_AT)
def test_as_at_never_hides_without_saying_why(manifest, doc_id, date, shown, notice):
    from kb.compare.versions import as_at

    view = as_at(manifest, date)[doc_id]
    assert view.shown is shown
    assert notice in view.notice
    if not shown:
        assert view.notice  # a hidden instrument always says why


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2026-03-18", True),
        ("2024-02-29", True),
        ("2023-02-29", False),  # no such day
        ("2027-W01-1", False),  # a week date: Python reads it, a user would not expect it echoed
        ("20270101", False),  # the basic format
        ("2027-1-1", False),
        ("2027-01-01T00:00", False),
        ("", False),
        (None, False),
        (20270101, False),
    ],
)
def test_a_date_is_written_yyyy_mm_dd_only(value, ok):
    from kb.dates import is_iso_date

    assert is_iso_date(value) is ok


def test_an_as_at_date_in_another_iso_form_is_refused(manifest):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        visible_at(manifest, "20270101")
