"""The loaders of the national texts added in round 2, on the real mirror files and on bad input.

Structure checks (which provisions exist) are written from the texts as published; golden files
(``tests/golden/<name>.json``) freeze the first words of every unit so that a loader change shows
up as a readable diff. No legal text is typed here: the LkSG Markdown excerpt is generated at test
time from the real LkSG units, and bad inputs are synthetic.
"""

from __future__ import annotations

import dataclasses
import json
from functools import cache

import pytest
from conftest import check_golden, skeleton, source_path

from corpus.manifest import default_manifest
from kb.errors import LoadError
from kb.ingest.loaders import load_file
from kb.models import FileRecord


@cache
def units(doc_id: str) -> dict:
    record = default_manifest()[doc_id]
    return {u.unit_id: u for u in load_file(source_path(doc_id), record, record.text_files[0])}


def top(doc_id: str) -> list[str]:
    return [u.unit_id for u in units(doc_id).values() if u.parent is None]


def children(doc_id: str, unit_id: str) -> list[str]:
    return [u.unit_id for u in units(doc_id).values() if u.parent == unit_id]


CO_ARTICLES = [f"art-964{c}" for c in "abcdefghijkl"]


@pytest.mark.parametrize("doc_id", ["ch-co-964-2021", "ch-co-964-2021-fr"])
def test_swiss_code_extract_has_exactly_articles_964a_to_964l(doc_id):
    assert top(doc_id) == CO_ARTICLES
    assert children(doc_id, "art-964j") == [f"art-964j.par-{n}" for n in range(1, 5)]
    assert children(doc_id, "art-964k") == [f"art-964k.par-{n}" for n in range(1, 5)]
    assert children(doc_id, "art-964l") == [f"art-964l.par-{n}" for n in range(1, 6)]
    assert children(doc_id, "art-964k.par-1") == [f"art-964k.par-1.pt-{n}" for n in (1, 2, 3)]
    assert children(doc_id, "art-964a.par-1.pt-3") == [
        "art-964a.par-1.pt-3.pt-a",
        "art-964a.par-1.pt-3.pt-b",
    ]
    assert children(doc_id, "art-964h") == []  # a single unnumbered paragraph
    # a letter glued to the conjunction before it ("… ergeben, undb. wenn …") is still a point
    assert children(doc_id, "art-964b.par-2.pt-4") == [
        "art-964b.par-2.pt-4.pt-a",
        "art-964b.par-2.pt-4.pt-b",
    ]
    # grouping titles glued after an article's last sentence are context, not its text
    for unit in units(doc_id).values():
        assert "Abschnitt:" not in unit.text and "Section" not in unit.text[-40:]


@pytest.mark.parametrize("doc_id", ["ch-co-964-2021", "ch-co-964-2021-fr"])
def test_swiss_code_footnotes_stay_out_of_the_text(doc_id):
    para = units(doc_id)["art-964a.par-1.pt-1"]
    assert "221.302" not in para.text  # the footnote line that splits the point in the source
    assert any("221.302" in f for u in units(doc_id).values() for f in u.footnotes)
    for unit in units(doc_id).values():
        assert "Eingefügt durch" not in unit.text and "Introduit par" not in unit.text


def test_swiss_code_paragraphs_start_where_the_numbering_grammar_says():
    de = units("ch-co-964-2021")
    raw = source_path("ch-co-964-2021").read_text(encoding="utf-8")
    for unit_id in ("art-964j.par-2", "art-964k.par-2", "art-964l.par-5"):
        words = de[unit_id].own_text.split()[:6]
        assert " ".join(words) in " ".join(raw.split())
    assert de["art-964k"].heading == "B. Sorgfaltspflichten"
    assert units("ch-co-964-2021-fr")["art-964e"].heading == "B. Types de prestations"
    assert de["art-964j"].context[-1].startswith("Sorgfaltspflichten und Transparenz")


def test_norwegian_transparency_act_sections_and_paragraphs():
    doc = "no-transparency-act-2021"
    assert top(doc) == [f"sec-{n}" for n in range(1, 16)]
    assert children(doc, "sec-4") == ["sec-4.par-1", "sec-4.par-2", "sec-4.par-3"]
    assert children(doc, "sec-4.par-1") == [f"sec-4.par-1.pt-{c}" for c in "abcdef"]
    assert children(doc, "sec-6") == [f"sec-6.par-{n}" for n in range(1, 6)]
    assert children(doc, "sec-6.par-2") == [f"sec-6.par-2.pt-{c}" for c in "abcd"]
    sec3 = units(doc)
    assert children(doc, "sec-3.par-1.pt-a") == [f"sec-3.par-1.pt-a.pt-{n}" for n in (1, 2, 3)]
    assert sec3["sec-3"].footnotes and sec3["sec-3"].footnotes[0].startswith("0 Endret ved lov")
    assert "Endret ved lov" not in sec3["sec-3"].text


@pytest.mark.parametrize("doc_id", ["ch-ddtro-2021", "ch-ddtro-2021-en"])
def test_ddtro_html_articles_and_annexes(doc_id):
    assert top(doc_id) == [f"art-{n}" for n in range(1, 19)] + ["annex-1", "annex-2"]
    assert children(doc_id, "annex-1") == ["annex-1.part-A", "annex-1.part-B"]
    assert children(doc_id, "art-2.par-1.pt-b") == [
        "art-2.par-1.pt-b.pt-1",
        "art-2.par-1.pt-b.pt-2",
    ]
    assert children(doc_id, "art-16") == [f"art-16.par-{n}" for n in (1, 2, 3)]
    # the implemented CO provision ("(Art. 964j Abs. 1 OR)") is kept as a note, not as text
    assert any("964" in f for f in units(doc_id)["art-2"].footnotes)
    assert "964" not in units(doc_id)["art-2"].own_text


def test_ddtro_french_markdown_has_the_articles_but_no_annexes():
    doc = "ch-ddtro-2021-fr"
    assert top(doc) == [f"art-{n}" for n in range(1, 19)]
    de = units("ch-ddtro-2021")
    fr = units(doc)
    # the same paragraphs and points as the official German HTML, article by article
    for n in range(1, 19):
        assert children(doc, f"art-{n}") == [
            i.replace(doc, "") for i in children("ch-ddtro-2021", f"art-{n}")
        ]
    assert fr["art-1"].heading == "Objet"
    assert set(fr) - set(de) == set()


def test_modern_slavery_act_section_54():
    doc = "uk-modern-slavery-act-2015"
    assert top(doc) == ["sec-54"]
    assert children(doc, "sec-54") == [f"sec-54.par-{n}" for n in range(1, 13)]
    assert children(doc, "sec-54.par-4.pt-a") == [
        "sec-54.par-4.pt-a.pt-i",
        "sec-54.par-4.pt-a.pt-ii",
    ]
    assert children(doc, "sec-54.par-5") == [f"sec-54.par-5.pt-{c}" for c in "abcdef"]
    assert units(doc)["sec-54"].heading == "Transparency in supply chains etc"


CITATIONS = [
    ("no-transparency-act-2021", "sec-4", "Åpenhetsloven § 4"),
    ("no-transparency-act-2021", "sec-6.par-2", "Åpenhetsloven § 6 annet ledd"),
    ("ch-co-964-2021", "art-964k.par-1", "OR Art. 964k Abs. 1"),
    ("ch-co-964-2021-fr", "art-964k.par-1", "CO art. 964k al. 1"),
    ("ch-ddtro-2021-en", "art-4", "DDTrO Art. 4"),
    ("ch-ddtro-2021", "art-2.par-1.pt-b", "VSoTr Art. 2 Abs. 1 Bst. b"),
    ("uk-modern-slavery-act-2015", "sec-54.par-4.pt-a", "MSA 2015 s. 54(4)(a)"),
]


@pytest.mark.parametrize(("doc_id", "unit_id", "expected"), CITATIONS)
def test_citations_in_each_instruments_own_convention(doc_id, unit_id, expected):
    assert units(doc_id)[unit_id].citation == expected


@pytest.mark.parametrize(
    ("doc_id", "golden"),
    [
        ("no-transparency-act-2021", "records_aapenhetsloven"),
        ("ch-co-964-2021", "markdown_co_de"),
        ("ch-co-964-2021-fr", "markdown_co_fr"),
        ("ch-ddtro-2021", "fedlex_ddtro_de"),
        ("ch-ddtro-2021-en", "fedlex_ddtro_en"),
        ("ch-ddtro-2021-fr", "markdown_ddtro_fr"),
        ("uk-modern-slavery-act-2015", "markdown_msa_s54"),
        ("eu-com-2022-71-fr", "pdf_proposal_com_2022_71_fr"),
    ],
)
def test_golden(doc_id, golden):
    check_golden(golden, skeleton(units(doc_id).values()))


# --------------------------------------------------------------------------- generality


def _lksg_markdown() -> str:
    """The real LkSG units written out in the German open-data Markdown style."""
    lksg = units("de-lksg-2021")
    lines = []
    for unit in lksg.values():
        kind = unit.unit_id.split(".")[-1].split("-")[0]
        if unit.parent is None and unit.kind == "sec":
            lines.append(f"## § {unit.number} {unit.heading}".rstrip())
            if unit.own_text:
                lines.append(unit.own_text)
        elif unit.parent is not None and unit.kind == "par" and unit.parent.count(".") == 0:
            lines.append(f"({unit.number}) {unit.own_text}")
        elif kind == "pt" and unit.unit_id.split(".")[0].startswith("sec-"):
            label = f"{unit.number}." if unit.number.isdigit() else f"{unit.number})"
            lines.append(f"{label} {unit.own_text}")
        lines.append("")
    return "\n".join(lines)


def test_markdown_loader_reads_the_lksg_in_open_data_style_like_the_html(tmp_path):
    path = tmp_path / "lksg.md"
    path.write_text(_lksg_markdown(), encoding="utf-8")
    record = default_manifest()["de-lksg-2021"]
    got = {
        u.unit_id: u
        for u in load_file(path, record, FileRecord(name="lksg.md", format="markdown-law"))
    }
    html_units = units("de-lksg-2021")
    sections = [i for i, u in html_units.items() if u.parent is None and u.kind == "sec"]
    assert [i for i, u in got.items() if u.parent is None] == sections
    assert len(sections) == 24
    html_pars = {i for i, u in html_units.items() if u.kind == "par" and i.count(".") == 1}
    got_pars = {i for i, u in got.items() if u.kind == "par" and i.count(".") == 1}
    assert got_pars == html_pars
    assert got["sec-8"].heading == html_units["sec-8"].heading


# --------------------------------------------------------------------------- bad input


def _record(fmt: str, **file_fields):
    record = default_manifest()["no-transparency-act-2021"]
    return record, FileRecord(name="x", format=fmt, **file_fields)


BAD = [
    ("json-provisions", b"\xff\xfe{", {}, "not UTF-8"),
    ("json-provisions", b"{not json", {}, "not valid JSON"),
    ("json-provisions", b'{"provisions": []}', {}, "not a non-empty list"),
    ("json-provisions", b'{"other": 1}', {}, "missing key 'provisions'"),
    ("json-provisions", b'{"provisions": [{"section": "1"}]}', {}, "field 'content'"),
    ("json-provisions", b'{"provisions": [{"content": "x"}]}', {}, "field 'section'"),
    ("json-provisions", b"[" * 100_000, {}, "JSON"),
    ("markdown-law", b"\xff\xfe# x", {}, "not UTF-8"),
    (
        "markdown-law",
        b"Just a paragraph of a Draft Widget Due Diligence Bill.\n",
        {},
        "no provision",
    ),
    (
        "markdown-law",
        b"## Art. 1 Widgets\n\n1 Each widget maker shall keep a ledger.\n",
        {"extract": {"from": "art-1", "to": "art-9"}},
        "'art-9' not found",
    ),
    ("fedlex-html", b"<html><body><p>Draft Widget Bill</p></body></html>", {}, "no <article"),
    (
        "fedlex-html",
        b'<html><head><meta charset="rot13"></head><body><article id="art_1"></article></body></html>',
        {},
        "charset 'rot13'",
    ),
]


@pytest.mark.parametrize(("fmt", "data", "fields", "message"), BAD)
def test_bad_input_is_a_load_error_naming_the_problem(tmp_path, fmt, data, fields, message):
    path = tmp_path / "bad.input"
    path.write_bytes(data)
    record, file = _record(fmt, **fields)
    with pytest.raises(LoadError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_file(path, record, file)


def test_records_field_names_come_from_the_manifest(tmp_path):
    path = tmp_path / "widget.json"
    data = {
        "items": [
            {
                "no": "1",
                "name": "Widgets",
                "body": "A widget maker shall keep a ledger.\na. of widgets\nb. of gadgets",
            }
        ]
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    record = dataclasses.replace(
        default_manifest()["no-transparency-act-2021"], citation_style=None
    )
    file = FileRecord(
        name="widget.json",
        format="json-provisions",
        fields={"records": "items", "number": "no", "title": "name", "text": "body", "kind": "art"},
    )
    got = [u.unit_id for u in load_file(path, record, file)]
    assert got == ["art-1", "art-1.par-1", "art-1.par-1.pt-a", "art-1.par-1.pt-b"]


def test_commission_proposal_recitals_and_32_articles_without_the_memorandum():
    doc = "eu-com-2022-71-fr"
    got = units(doc)
    articles = [i for i in top(doc) if i.startswith("art-")]
    assert articles == [f"art-{n}" for n in range(1, 33)]
    assert all(got[a].heading for a in articles)  # each article with its heading
    assert got["art-32"].heading == "Destinataires"
    recitals = [i for i in top(doc) if i.startswith("rec-")]
    assert recitals == [f"rec-{n}" for n in range(1, len(recitals) + 1)] and len(recitals) > 50
    assert set(top(doc)) == set(articles) | set(recitals)  # no unit of the memorandum
    # lists are numbered by position, not by the continuous numbering the PDF prints
    assert children(doc, "art-2")[:2] == ["art-2.par-1", "art-2.par-2"]
    assert children(doc, "art-2.par-1")[:2] == ["art-2.par-1.pt-a", "art-2.par-1.pt-b"]
    raw = " ".join(source_text_pages(doc))
    assert "exposé des motifs" in raw.lower()
    for unit in got.values():
        assert "FR 53 FR" not in unit.text  # page headers removed
    # footnote marks glued to words are dropped, the footnote kept
    assert "européen73" not in " ".join(u.text for u in got.values())


def source_text_pages(doc_id: str) -> list[str]:
    from kb.ingest.loaders.pdf import extract_pages

    return extract_pages(source_path(doc_id))
