"""Exports: every provision with its citation, version and official URL; texts inert in every format."""

from __future__ import annotations

import csv
import io

import pytest

from corpus.manifest import default_manifest
from kb.compare.matrix import article_url
from kb.explore import export as kx
from kb.explore.ui_text import version_text
from kb.models import Unit

HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)> [click](javascript:alert(1))"


def hostile_unit(**changes) -> Unit:
    base = dict(
        doc_id="de-lksg-2021",
        unit_id="sec-99",
        kind="sec",
        number="99",
        text=HOSTILE + '\n=HYPERLINK("http://evil")\x07bell',
        language="de",
        citation="LkSG § 99",
        heading="<b>Überschrift</b> *bold*",
    )
    return Unit(**{**base, **changes})


@pytest.fixture(scope="module")
def records():
    return default_manifest()


@pytest.fixture(scope="module")
def picked(units):
    keys = {"eu-csddd-2024-1760/art-14", "de-lksg-2021/sec-8"}
    return [u for u in units if u.key in keys]


def test_provisions_export_carries_citation_version_and_url(picked, records):
    export = kx.provisions_export(picked, records, "Complaints", {picked[0].key: "obligation"})
    markdown = kx.render(export, "md").decode()
    for unit in picked:
        record = records[unit.doc_id]
        assert kx.md_escape(unit.citation) in markdown
        assert kx.md_url(article_url(record, unit.unit_id)[0]) in markdown
        assert kx.md_escape(version_text("en", record)) in markdown
    assert "force: Obligation" in markdown


def test_version_text_names_status_and_date(records):
    assert version_text("en", records["eu-csddd-2024-1760-consolidated-2026-03-18"]) == (
        "consolidated, 2026-03-18"
    )
    assert version_text("en", records["de-lksg-2021"]) == "in force, 2021-07-16"
    # an act since amended is the text as adopted, not "amended" on its adoption date
    assert version_text("en", records["eu-csddd-2024-1760"]) == "as adopted 2024-06-13"


def test_csv_has_one_row_per_provision_and_never_a_formula(picked, records):
    units = [*picked, hostile_unit(text="=1+2", heading="@SUM(A1)")]
    text = kx.render(kx.provisions_export(units, records, "x"), "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["citation"] for r in rows] == [u.citation for u in units]
    # the article's own page where the publisher has one (EUR-Lex: an anchor per article)
    assert rows[0]["url"] == records[picked[0].doc_id].official_url + "#art_14"
    assert rows[1]["url"].endswith("/lksg/__8.html")
    assert rows[-1]["text"] == "'=1+2" and rows[-1]["heading"] == "'@SUM(A1)"


def test_docx_holds_citation_text_and_url(picked, records):
    from docx import Document

    data = kx.render(kx.provisions_export([*picked, hostile_unit()], records, "Annex"), "docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "CSDDD Art. 14" in text and records["eu-csddd-2024-1760"].official_url in text
    assert "<script>alert(1)</script>" in text  # shown as text, a control character dropped
    assert "\x07" not in text and "bell" in text
    # each official URL is a link a reader can click, to the article's own page
    part = Document(io.BytesIO(data)).part
    targets = {r.target_ref for r in part.rels.values() if r.reltype.endswith("/hyperlink")}
    assert records["eu-csddd-2024-1760"].official_url + "#art_14" in targets
    assert any(t.endswith("/lksg/__8.html") for t in targets)


def test_a_paragraph_exported_carries_its_articles_heading(units, records):
    by_key = {u.key: u for u in units}
    paragraph = by_key["de-lksg-2021/sec-8.par-1"]
    assert not paragraph.heading
    export = kx.provisions_export([paragraph], records, "x", units_by_key=by_key)
    assert export.rows[0].heading == by_key["de-lksg-2021/sec-8"].heading == "Beschwerdeverfahren"


def test_markdown_renders_hostile_text_inertly(records):
    markdown_it = pytest.importorskip("markdown_it")
    source = kx.render(kx.provisions_export([hostile_unit()], records, HOSTILE), "md").decode()
    html = markdown_it.MarkdownIt("commonmark").render(source)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


MD_CASES = [
    ("CSDDD Art. 14(2)", "CSDDD Art. 14(2)"),  # citations stay readable
    ("1. Scope", "1\\. Scope"),  # not an ordered list
    ("- item", "\\- item"),  # not a bullet
    ("# title", "\\# title"),  # not a heading
    ("a *b* _c_", "a \\*b\\* \\_c\\_"),  # no emphasis
    ("<script>", "\\<script\\>"),  # no HTML
    ("[x](javascript:y)", "\\[x\\](javascript:y)"),  # no link
    ("&lt;", "\\&lt;"),  # no entity
    ("line 1\n\n line 2 ", "line 1  \nline 2"),  # hard line breaks, blank lines dropped
]


@pytest.mark.parametrize(("text", "expected"), MD_CASES)
def test_md_escape(text, expected):
    assert kx.md_escape(text) == expected


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://eur-lex.europa.eu/eli/dir/2024/1760/oj/eng", True),
        ("javascript:alert(1)", False),  # never a link
        ("https://x.org/a b", False),  # whitespace: not a safe link target
    ],
)
def test_md_url(url, link):
    assert kx.md_url(url).endswith(f"]({url})") is link


def test_comparison_export_lists_missing_instruments_with_their_link(units, records):
    from kb.compare.cells import Analysis, coverage

    analysis = Analysis([u for u in units if u.doc_id in ("eu-csddd-2024-1760", "de-lksg-2021")])
    result = coverage(analysis, ["grievance-mechanism"], ["eu-csddd-2024-1760", "de-lksg-2021"])
    result["topics"][0]["instruments"].append({"doc_id": "be-wetsvoorstel-55-1903", "units": []})
    by_key = {u.key: u for u in units}
    export = kx.comparison_export(
        result, records, by_key, "Complaints", {"grievance-mechanism": "Klachten"}
    )
    rows = export.rows
    assert {r.topic for r in rows} == {"Klachten"}
    assert any(r.citation.startswith("CSDDD Art. 14") for r in rows)
    assert any(r.citation.startswith("LkSG § 8") for r in rows)
    missing = [r for r in rows if r.text == kx.NOT_IN_CORPUS]
    assert [r.url for r in missing] == [records["be-wetsvoorstel-55-1903"].official_url]
    csv_text = kx.to_csv(export)
    assert csv_text.splitlines()[0].split(",")[:4] == ["topic", "instrument", "version", "citation"]
    assert kx.NOT_IN_CORPUS in kx.to_markdown(export)


def test_diff_export_shows_deleted_and_changed_provisions(units, records):
    from kb.compare.diff import diff_documents, group_by_doc

    old, new = "eu-csddd-2024-1760", "eu-csddd-2024-1760-consolidated-2026-03-18"
    diffs = diff_documents(group_by_doc(units), old, new)
    export = kx.diff_export(diffs, records[old], records[new], "CSDDD changes")
    changes = {r.citation: r.change for r in export.rows}
    assert changes["CSDDD Art. 22"] == "deleted"
    assert changes["CSDDD Art. 2"] == "changed"
    assert "unchanged" not in changes.values()
    # each change linked to its article on EUR-Lex (it was the whole consolidation's page)
    assert all(r.url.startswith(records[new].official_url + "#art_") for r in export.rows)
    assert next(r.url for r in export.rows if r.citation == "CSDDD Art. 22").endswith("#art_22")
    text = kx.to_markdown(export)
    assert "**Before:**" in text and "consolidated, 2026-03-18" in text


def test_dutch_exports_speak_dutch(units, records, picked):
    """A Dutch export names versions, forces, changes and missing instruments in Dutch; titles
    keep their names but not the product's English words ("consolidated")."""
    from docx import Document

    from kb.compare.diff import diff_documents, group_by_doc

    old, new = "eu-csddd-2024-1760", "eu-csddd-2024-1760-consolidated-2026-03-18"
    diffs = diff_documents(group_by_doc(units), old, new)
    export = kx.diff_export(diffs, records[old], records[new], "CSDDD", lang="nl")
    text = kx.to_markdown(export)
    assert "**Vóór:**" in text and "(gewijzigd)" in text and "(geschrapt)" in text
    assert "CSDDD (geconsolideerd 2026-03-18)" in text and "geconsolideerd, 2026-03-18" in text
    assert not [w for w in ("**Before:**", "**After:**", "(changed)", "(deleted)") if w in text]
    assert "consolidated" not in text.split("\n## ")[0]  # title and subtitle (the law may say it)
    provisions = kx.provisions_export(picked, records, "K", {picked[0].key: "obligation"}, "nl")
    markdown = kx.render(provisions, "md").decode()
    assert "kracht: Verplichting" in markdown and "force:" not in markdown
    assert "van kracht, 2021-07-16" in markdown
    document = Document(io.BytesIO(kx.render(provisions, "docx")))
    assert any("kracht: Verplichting" in p.text for p in document.paragraphs)
    missing = kx.missing_row(records["nl-wet-zorgplicht-kinderarbeid-2019"], "x", "nl")
    assert kx._md_row(missing, "##", "nl")[2].startswith("niet in het lokale corpus:")


@pytest.mark.parametrize(
    ("title", "dutch"),
    [
        ("CSDDD (consolidated 2026-03-18)", "CSDDD (geconsolideerd 2026-03-18)"),
        ("CSDDD (FR, consolidated 2026-03-18)", "CSDDD (FR, geconsolideerd 2026-03-18)"),
        ("CSDDD proposal", "CSDDD voorstel"),
        ("UK Modern Slavery Act", "UK Modern Slavery Act"),  # a name stays as it is
        ("Proposition CSDDD", "Proposition CSDDD"),
    ],
)
def test_titles_translate_the_products_words_only(title, dutch):
    from kb.explore.ui_text import title_label

    assert title_label("nl", title) == dutch and title_label("en", title) == title


def test_diff_redline_marks_every_word_and_loses_none(units, records):
    """Word and Markdown redlines of adopted → consolidated 2026-03-18 (EN and FR): the kept and
    struck words give the old text, the kept and inserted words the new text, for every changed
    provision."""
    from docx import Document

    from kb.compare.diff import diff_documents, group_by_doc, normalise

    for old, new in [
        ("eu-csddd-2024-1760", "eu-csddd-2024-1760-consolidated-2026-03-18"),
        ("eu-csddd-2024-1760-fr", "eu-csddd-2024-1760-consolidated-2026-03-18-fr"),
    ]:
        diffs = diff_documents(group_by_doc(units), old, new)
        export = kx.diff_export(diffs, records[old], records[new], "changes")
        changed = [r for r in export.rows if r.old_text and r.text]
        assert changed
        document = Document(io.BytesIO(kx.to_docx(export)))
        redlines = [
            p for p in document.paragraphs if any(r.font.strike or r.font.underline for r in p.runs)
        ]
        assert len(redlines) == len(changed)
        for row, paragraph in zip(changed, redlines, strict=True):
            runs = paragraph.runs
            before = " ".join(
                r.text.strip() for r in runs if not r.font.underline and r.text.strip()
            )
            after = " ".join(r.text.strip() for r in runs if not r.font.strike and r.text.strip())
            assert before == normalise(row.old_text), row.citation
            assert after == normalise(row.text), row.citation
        art2 = next(r for r in export.rows if r.citation.endswith("2") and r.change == "changed")
        md = kx.md_redline(art2)
        assert "~~" in md and "<ins>" in md


def test_render_rejects_unknown_format(records):
    with pytest.raises(ValueError, match="supported: md, csv, docx"):
        kx.render(kx.Export("provisions", "x"), "pdf")


def test_filename_is_safe():
    assert kx.filename(kx.Export("diff", "Changes: CSDDD → 2026/470 <x>"), "docx") == (
        "changes-csddd-2026-470-x.docx"
    )


@pytest.mark.parametrize(
    ("value", "guarded"),
    [
        ("=1+1", True),
        (" =1+1", True),
        ("\n=1+1", True),
        ("\t1", True),
        ("＝1+1", True),  # full-width equals sign
        ("＋1", True),
        ("-5 % of turnover", True),
        ("@SUM(A1)", True),
        ("CSDDD Art. 27(4)", False),
        ("5 % of net worldwide turnover", False),
    ],
)
def test_csv_guard_catches_formulas_behind_whitespace_and_full_width_signs(value, guarded):
    from kb.explore.export import csv_cell

    assert csv_cell(value).startswith("'") is guarded


@pytest.mark.parametrize(
    ("lang", "stamp", "verify"),
    [
        ("en", "Exported from Levelfield on", "Verify every provision"),
        ("nl", "Geëxporteerd uit Levelfield op", "Controleer elke bepaling"),
    ],
)
def test_exports_speak_the_interface_language(picked, records, lang, stamp, verify):
    from docx import Document

    export = kx.provisions_export(picked, records, "Export", lang=lang)
    text = kx.to_markdown(export)
    assert stamp in text and verify in text
    document = Document(io.BytesIO(kx.to_docx(export)))
    words = "\n".join(p.text for p in document.paragraphs)
    assert stamp in words and verify in words


def test_a_deleted_provision_is_exported_as_deleted_in_every_format(units, records):
    """The reader said "deleted"; its export gave "force: none" and an empty quote."""
    from docx import Document

    deleted = next(
        u
        for u in units
        if u.doc_id == "eu-csddd-2024-1760-consolidated-2026-03-18" and u.unit_id == "art-22"
    )
    assert deleted.status == "deleted"
    export = kx.provisions_export([deleted], records, "K", {deleted.key: "none"}, "nl")
    [row] = export.rows
    assert (row.status, row.force) == ("deleted", "")
    markdown = kx.render(export, "md").decode()
    assert "geschrapt" in markdown and "kracht:" not in markdown and "\n> —" in markdown
    assert "deleted" in kx.render(export, "csv").decode().splitlines()[1]
    document = Document(io.BytesIO(kx.render(export, "docx")))
    assert any("geschrapt" in p.text for p in document.paragraphs)
