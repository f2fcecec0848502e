"""Pinpointing a hit to the paragraph or point that answers the query (``indexing.pinpoint``),
on the real CSDDD Art. 29 units: table-driven, expectations checked against the text (the point
cited holds the words: (a) "limitation periods", (d) "trade union", (e) "evidence")."""

from __future__ import annotations

import pytest

from indexing.pinpoint import pinpoint
from kb.lang import tokens

CASES = [
    ("limitation period for actions for damages of at least five years", 0.8, "art-29.par-3.pt-a"),
    ("trade unions or NGOs bring actions on behalf of the victim", 0.8, "art-29.par-3.pt-d"),
    ("disclosure of evidence in the control of the company", 0.8, "art-29.par-3.pt-e"),
    ("limitation period for actions for damages of at least five years", 1.01, "art-29"),  # off
    ("widgets and sprockets", 0.8, "art-29"),  # no query word in the article: the whole
]


@pytest.fixture(scope="module")
def article_29(units):
    return [
        (u.unit_id, u.text)
        for u in units
        if u.doc_id == "eu-csddd-2024-1760" and (u.unit_id + ".").startswith("art-29.")
    ]


@pytest.mark.parametrize("query, share, expected", CASES)
def test_pinpoint_cites_the_point_that_holds_the_query(article_29, query, share, expected):
    assert pinpoint(set(tokens(query, "en")), "art-29", article_29, "en", share) == expected


def test_pinpoint_never_leaves_the_hit(article_29):
    query = set(tokens("limitation period for actions for damages", "en"))
    others = [("art-30.par-1", "limitation period for actions for damages")]
    assert pinpoint(query, "art-29", others, "en", 0.5) == "art-29"
