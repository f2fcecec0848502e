"""EUR-Lex loader (kb.ingest.loaders.eurlex) on the real OJ and consolidated texts of the corpus mirror.

Expected structure is either stated as ids (a contract, see PRODUCT.md) or derived from the source
file itself at test time; legal text is never typed in here (golden files hold parser output that
was checked against the source by eye).
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from conftest import check_golden, skeleton, source_path
from lxml import etree

from kb.errors import LoadError
from kb.ingest.loaders import eurlex
from kb.models import DocRecord, FileRecord

CSDDD = ["eu-csddd-2024-1760", "eu-csddd-2024-1760-fr"]
CONSOLIDATED_2026 = [
    "eu-csddd-2024-1760-consolidated-2026-03-18",
    "eu-csddd-2024-1760-consolidated-2026-03-18-fr",
]
ALL_DOCS = [
    *CSDDD,
    "eu-omnibus-2025-794",
    "eu-omnibus-2026-470",
    "eu-csddd-2024-1760-consolidated-2025-04-17",
    *CONSOLIDATED_2026,
]
CSDDD_TEXTS = [*CSDDD, "eu-csddd-2024-1760-consolidated-2025-04-17", *CONSOLIDATED_2026]


@pytest.fixture(scope="module")
def load(mirror, manifest):
    """``load(doc_id) -> {unit_id: Unit}`` (reading order kept), parsed once per module."""
    cache: dict[str, dict] = {}

    def _load(doc_id: str) -> dict:
        if doc_id not in cache:
            record = manifest[doc_id]
            units = eurlex.load(source_path(doc_id), record, record.text_files[0])
            cache[doc_id] = {u.unit_id: u for u in units}
        return cache[doc_id]

    return _load


def _source_tree(doc_id: str) -> etree._Element:
    return etree.fromstring(source_path(doc_id).read_bytes(), etree.HTMLParser(encoding="utf-8"))


def _top(units: dict, kind: str) -> list[str]:
    return [u.number for u in units.values() if u.parent is None and u.kind == kind]


# --------------------------------------------------------------------------- structure


@pytest.mark.parametrize("doc_id", CSDDD)
def test_recitals_are_contiguous(load, doc_id):
    assert _top(load(doc_id), "rec") == [str(n) for n in range(1, 100)]


@pytest.mark.parametrize("doc_id", CSDDD_TEXTS)
def test_articles_are_exactly_1_to_39(load, doc_id):
    # the text is full of cross-references ("in accordance with Article 10"); none is an article
    units = load(doc_id)
    cross_references = [u for u in units.values() if re.search(r"\b[Aa]rticles? \d+", u.text)]
    assert len(cross_references) > 50
    assert _top(units, "art") == [str(n) for n in range(1, 40)]


@pytest.mark.parametrize("doc_id", CSDDD_TEXTS)
def test_every_current_article_has_a_heading(load, doc_id):
    articles = [u for u in load(doc_id).values() if u.kind == "art" and u.status == "current"]
    assert articles and all(u.heading for u in articles)


@pytest.mark.parametrize("doc_id", CSDDD)
def test_article_headings_match_the_source(load, doc_id):
    tree = _source_tree(doc_id)
    headings = [_norm("".join(p.itertext())) for p in tree.iterfind(".//p[@class='oj-sti-art']")]
    units = load(doc_id)
    assert [units[f"art-{n}"].heading for n in range(1, 40)] == headings


@pytest.mark.parametrize("doc_id", CSDDD_TEXTS)
def test_annex_has_parts_and_sections(load, doc_id):
    units = load(doc_id)
    for unit_id in ("annex", "annex.part-I", "annex.part-I.sec-1", "annex.part-I.sec-2"):
        assert unit_id in units
    assert units["annex.part-II"].heading  # Part II has a title, Part I only sections
    assert units["annex.part-I.sec-1"].heading
    points = [u for u in units.values() if u.parent == "annex.part-I.sec-1"]
    assert [u.number for u in points] == [str(n) for n in range(1, len(points) + 1)]


@pytest.mark.parametrize("doc_id", CSDDD)
def test_article_14_paragraphs_follow_the_source_divisions(load, doc_id):
    source = source_path(doc_id).read_text(encoding="utf-8")
    numbers = sorted(int(n) for n in re.findall(r'id="014\.(\d{3})"', source))
    units = load(doc_id)
    paragraphs = [u.unit_id for u in units.values() if u.parent == "art-14" and u.kind == "par"]
    assert paragraphs == [f"art-14.par-{n}" for n in numbers]
    assert all(units[p].text.startswith(f"{p.rsplit('-', 1)[1]}.") for p in paragraphs)


POINT_CASES = [
    # (unit id, its points in order)
    ("art-8.par-2", ["a", "b"]),
    ("art-14.par-2", ["a", "b", "c"]),
    ("art-3.par-1.pt-a", ["i", "ii", "iii"]),  # nested (i) inside a point: level 3
]


@pytest.mark.parametrize("doc_id", CSDDD)
@pytest.mark.parametrize(("parent", "points"), POINT_CASES)
def test_points(load, doc_id, parent, points):
    units = load(doc_id)
    children = [u for u in units.values() if u.parent == parent]
    assert [u.unit_id for u in children] == [f"{parent}.pt-{p}" for p in points]
    assert all(
        u.kind == "pt" and u.text.split()[0] in (f"({u.number})", f"{u.number})") for u in children
    )


@pytest.mark.parametrize(
    ("unit_id", "citation"),
    [
        ("art-14.par-2.pt-a", "CSDDD Art. 14(2)(a)"),
        ("rec-31", "CSDDD recital 31"),
        ("annex.part-I.sec-1.pt-3", "CSDDD Annex, Part I, Section 1, point 3"),
    ],
)
def test_citations(load, unit_id, citation):
    assert load("eu-csddd-2024-1760")[unit_id].citation == citation


def test_french_article_premier_is_article_1(load):
    tree = _source_tree("eu-csddd-2024-1760-fr")
    first = next(tree.iterfind(".//p[@class='oj-ti-art']"))
    assert not re.search(r"\d", first.text)  # the file writes "Article premier"
    assert load("eu-csddd-2024-1760-fr")["art-1"].citation == "CSDDD art. 1"


def test_subparagraph_after_points_stays_with_its_paragraph(load):
    # Art. 29(1) ends with an unnumbered subparagraph after its points (a) and (b)
    units = load("eu-csddd-2024-1760")
    par, last_point = units["art-29.par-1"], units["art-29.par-1.pt-b"]
    tail = par.text.rsplit("\n", 1)[1]
    assert tail not in last_point.text and tail not in par.own_text
    assert par.text.index(last_point.text) < par.text.index(tail)


def _subparagraphs_after_points(doc_id: str) -> dict[str, list[str]]:
    """``{paragraph unit id: [start of each subparagraph after its points]}`` from the source.

    A paragraph division ``NNN.MMM`` whose ``<p>`` children follow its point tables.
    """
    out: dict[str, list[str]] = {}
    for div in _source_tree(doc_id).iter("div"):
        match = re.match(r"^(\d{3})\.(\d{3})$", div.get("id", ""))
        children = [c for c in div if isinstance(c.tag, str)]
        tables = [i for i, c in enumerate(children) if c.tag == "table"]
        if not match or not tables:
            continue
        after = [_norm(c.text or "")[:60] for c in children[tables[-1] + 1 :] if c.tag == "p"]
        if after:
            unit_id = f"art-{int(match.group(1))}.par-{int(match.group(2))}"
            out[unit_id] = [a for a in after if len(a) >= 20]
    return out


@pytest.mark.parametrize("doc_id", CSDDD)
def test_text_after_points_is_the_paragraphs_not_its_last_points(load, doc_id):
    # read from the source: Art. 10(6), 11(7), 16(1), 29(1), 37(1) of the adopted act
    cases = _subparagraphs_after_points(doc_id)
    assert "art-29.par-1" in cases and len(cases) >= 5
    units = load(doc_id)
    for unit_id, starts in cases.items():
        par = units[unit_id]
        points = [u for u in units.values() if u.parent == unit_id]
        assert starts and points, unit_id
        for start in starts:
            assert par.text.index(points[-1].text) < par.text.index(start), unit_id
            assert start not in par.own_text, unit_id
            assert not any(start in u.text for u in units.values() if u.parent == unit_id)


def test_sentence_after_points_of_article_29_1_is_cited_as_29_1(load):
    units = load("eu-csddd-2024-1760")
    (start,) = _subparagraphs_after_points("eu-csddd-2024-1760")["art-29.par-1"]
    holders = [u for u in units.values() if start in u.text]
    assert [u.unit_id for u in holders] == ["art-29", "art-29.par-1"]
    assert holders[-1].citation == "CSDDD Art. 29(1)"  # not Art. 29(1)(b)


# --------------------------------------------------------------------------- footnotes


def _note_refs(tree: etree._Element) -> list[etree._Element]:
    return [a for a in tree.iter("a") if a.get("href", "").startswith(("#ntr", "#E0"))]


@pytest.mark.parametrize("doc_id", [*CSDDD, "eu-omnibus-2026-470", *CONSOLIDATED_2026])
def test_footnote_references_are_not_in_the_text(load, doc_id):
    units = load(doc_id)
    texts = "\n".join(u.text for u in units.values())
    checked = 0
    for ref in _note_refs(_source_tree(doc_id)):
        before = (
            ref.getprevious().tail if ref.getprevious() is not None else ref.getparent().text
        ) or ""
        before = _norm(before)[-25:].rstrip(" (")
        if len(before) < 15 or before not in texts:
            continue  # citation of the preamble, or too short to be telling
        number = _norm("".join(ref.itertext())).strip("() ")
        for form in (f"{before} ({number})", f"{before}({number})", f"{before} {number}"):
            assert form not in texts
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize("doc_id", CSDDD)
def test_each_footnote_goes_to_the_unit_citing_it(load, doc_id):
    tree = _source_tree(doc_id)
    in_units = [
        a
        for a in _note_refs(tree)
        if not any(p.get("id", "").startswith("cit_") for p in a.iterancestors())
    ]
    units = load(doc_id)
    assert sum(len(u.footnotes) for u in units.values()) == len(in_units)
    assert len(units["art-3.par-1.pt-a.pt-iii"].footnotes) >= 1


# --------------------------------------------------------------------------- amending acts


@pytest.mark.parametrize(
    ("doc_id", "articles"), [("eu-omnibus-2025-794", 5), ("eu-omnibus-2026-470", 7)]
)
def test_quoted_articles_are_not_articles(load, doc_id, articles):
    units = load(doc_id)
    assert _top(units, "art") == [str(n) for n in range(1, articles + 1)]
    assert sum(u.kind == "art" for u in units.values()) == articles


def test_omnibus_article_4_has_points_1_to_22(load):
    units = load("eu-omnibus-2026-470")
    points = [u.unit_id for u in units.values() if u.parent == "art-4"]
    assert points == [f"art-4.pt-{n}" for n in range(1, 23)]


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.parametrize("doc_id", ["eu-omnibus-2025-794", "eu-omnibus-2026-470"])
def test_quoted_text_stays_in_the_amending_provision(load, doc_id):
    # every paragraph inside the amending articles (instructions, quoted articles, quoted
    # paragraphs and points) is found in the text of some unit
    tree = _source_tree(doc_id)
    articles = [d for d in tree.iter("div") if re.match(r"^art_\d+$", d.get("id", ""))]
    paragraphs = [p for d in articles for p in d.iter("p") if p.get("class") != "oj-note"]
    snippets = {_norm("".join(p.itertext()))[:40] for p in paragraphs}
    texts = " ".join(_norm(f"{u.heading} {u.text}") for u in load(doc_id).values())
    assert len(snippets) > 20
    assert [s for s in snippets if len(s) >= 20 and s not in texts] == []


# --------------------------------------------------------------------------- consolidated


@pytest.mark.parametrize("doc_id", CONSOLIDATED_2026)
def test_deleted_provisions(load, doc_id):
    units = load(doc_id)
    for unit_id in ("art-22", "art-29.par-1"):
        unit = units[unit_id]
        assert (unit.status, unit.text, unit.heading) == ("deleted", "", "")
        assert unit.markers == ("M2",)
    source = source_path(doc_id).read_text(encoding="utf-8")
    deleted = [u for u in units.values() if u.status == "deleted"]
    assert len(deleted) == source.count(": DELETED")  # one unit per deletion marker


@pytest.mark.parametrize("doc_id", CONSOLIDATED_2026)
def test_consolidated_scope_thresholds(load, doc_id):
    text = load(doc_id)["art-2"].text
    assert "5 000" in text and "1 500 000 000" in text


@pytest.mark.parametrize(
    "doc_id", [*CONSOLIDATED_2026, "eu-csddd-2024-1760-consolidated-2025-04-17"]
)
def test_consolidated_has_no_recitals_and_no_dashes(load, doc_id):
    units = load(doc_id)
    assert not [u for u in units.values() if u.kind == "rec"]
    assert not [u.unit_id for u in units.values() if re.search("———|[▼►◄]", u.text)]


@pytest.mark.parametrize(
    ("doc_id", "unit_id", "marker"),
    [
        ("eu-csddd-2024-1760-consolidated-2026-03-18", "art-2.par-1.pt-a", "M2"),
        ("eu-csddd-2024-1760-consolidated-2026-03-18", "art-37.par-1", "M2"),
        ("eu-csddd-2024-1760-consolidated-2026-03-18-fr", "art-2.par-1.pt-a", "M2"),
        ("eu-csddd-2024-1760-consolidated-2025-04-17", "art-37.par-1", "M1"),
    ],
)
def test_amendment_markers(load, doc_id, unit_id, marker):
    assert marker in load(doc_id)[unit_id].markers


def test_unamended_units_carry_no_marker(load):
    units = load("eu-csddd-2024-1760-consolidated-2026-03-18")
    assert units["art-2.par-1.pt-b"].markers == ()


def test_2025_consolidation_keeps_article_22(load):
    unit = load("eu-csddd-2024-1760-consolidated-2025-04-17")["art-22"]
    assert unit.status == "current" and unit.heading and unit.text


def test_french_paragraph_bis_is_numbered_like_english(load):
    en = load("eu-csddd-2024-1760-consolidated-2026-03-18")
    fr = load("eu-csddd-2024-1760-consolidated-2026-03-18-fr")
    assert "art-8.par-2a" in en and "art-8.par-2a" in fr
    assert list(en) == list(fr)  # same unit ids in both languages


# --------------------------------------------------------------------------- offsets


@pytest.mark.parametrize("doc_id", ALL_DOCS)
def test_offsets_point_at_the_source_line(load, doc_id):
    text = source_path(doc_id).read_text(encoding="utf-8")
    units = list(load(doc_id).values())
    for unit in units:
        assert 0 <= unit.start <= unit.end <= len(text)
        assert text[unit.start : unit.end].lstrip().startswith("<")
    for unit in units:
        if unit.kind == "art" and unit.status == "current":
            assert f'id="art_{unit.number}"' in text[unit.start : unit.start + 200]


# --------------------------------------------------------------------------- golden files


def test_golden_oj_xhtml(load):
    units = load("eu-csddd-2024-1760").values()
    ids = ["rec-1", "art-14", *(f"annex.part-I.sec-1.pt-{n}" for n in (1, 2, 3))]
    check_golden("eurlex_xhtml", skeleton(units, ids))


def test_golden_consolidated(load):
    units = load("eu-csddd-2024-1760-consolidated-2026-03-18").values()
    check_golden("eurlex_consolidated", skeleton(units, ["art-2", "art-22", "art-29"]))


# --------------------------------------------------------------------------- bad input

_ACT = (
    '<?xml version="1.0" encoding="{enc}"?><html><body><div id="enc_1">'
    '<div class="eli-subdivision" id="art_1"><p class="oj-ti-art">Article premier</p>'
    '<div class="eli-title"><p class="oj-sti-art">Définitions</p></div>'
    '<div id="001.001"><p class="oj-normal">1.   Règle générale.</p></div></div></div></body></html>'
)

BAD_INPUT = [
    # (what, bytes, expected words in the message)
    ("empty", b"", "empty"),
    ("blank", b"  \n\t ", "empty"),
    (
        "not a legal act",
        b"<html><body><h1>Menu</h1><p>Soup of the day.</p></body></html>",
        "no articles",
    ),
    ("binary garbage", bytes(range(256)) * 8, "not valid utf-8"),
    ("latin-1 bytes declared utf-8", _ACT.format(enc="UTF-8").encode("latin-1"), "not valid utf-8"),
    (
        "unknown encoding",
        _ACT.format(enc="x-no-such").encode("ascii", "replace"),
        "unknown declared charset 'x-no-such'",
    ),
    ("plain text", b"Article 1 Subject matter", "not an HTML document"),
]


@pytest.fixture
def record() -> DocRecord:
    return DocRecord(
        doc_id="test-act",
        title="Test",
        short_title="Test",
        cite_as="Test",
        jurisdiction="EU",
        instrument_type="directive",
        status="in-force",
        language="fr",
        official_url="https://example.org",
    )


@pytest.mark.parametrize(("what", "data", "message"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_raises_load_error_naming_the_file(tmp_path, record, what, data, message):
    path = tmp_path / "bad.html"
    path.write_bytes(data)
    with pytest.raises(LoadError) as info:
        eurlex.load(path, record, FileRecord(name="bad.html", format="eurlex-xhtml"))
    assert str(info.value).startswith("bad.html: ")
    assert message in str(info.value)


def test_truncated_xhtml_is_malformed(tmp_path, record):
    path = tmp_path / "cut.html"
    data = source_path("eu-csddd-2024-1760").read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(LoadError, match=r"^cut\.html: malformed XHTML"):
        eurlex.load(path, record, FileRecord(name="cut.html", format="eurlex-xhtml"))


def test_declared_encoding_is_respected(tmp_path, record):
    path = tmp_path / "act.html"
    path.write_bytes(_ACT.format(enc="ISO-8859-1").encode("latin-1"))
    units = eurlex.load(path, record, FileRecord(name="act.html", format="eurlex-xhtml"))
    assert [u.unit_id for u in units] == ["art-1", "art-1.par-1"]
    assert units[0].heading == "Définitions"
    assert units[1].text == "1. Règle générale."


def test_chapter_titles_become_context_not_units(tmp_path, record):
    chapter = (
        '<div id="cpt_I"><p class="oj-ti-section-1">CHAPTER I</p>'
        '<div class="eli-title" id="cpt_I.tit_1"><p class="oj-ti-section-2">SCOPE</p></div>'
        '<div class="eli-subdivision" id="art_1"><p class="oj-ti-art">Article 1</p>'
        '<p class="oj-normal">Text.</p></div></div>'
    )
    path = tmp_path / "act.html"
    path.write_text(f'<html><body><div id="enc_1">{chapter}</div></body></html>', "utf-8")
    units = eurlex.load(path, record, FileRecord(name="act.html", format="eurlex-xhtml"))
    assert [(u.unit_id, u.context, u.text) for u in units] == [
        ("art-1", ("CHAPTER I — SCOPE",), "Text.")
    ]
