"""Adding a user document: upload checks, safe storage, all-or-nothing updates of the knowledge base."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import stat
import time
from pathlib import Path

import pytest

from kb import userdocs
from kb.errors import LoadError, StoreError, UploadError
from kb.explore.ui_text import message_text
from kb.store import DataDir, umask_mode
from kb.userdocs import NewDocument
from tests.fakes import copy_data

SYNTHETIC = """Widget Safety Act (a synthetic test document, not law)
1. Widgets
Lorem ipsum dolor sit amet, every widget maker shall keep a register of sprockets.
2. Gadgets
Consectetur adipiscing elit: gadget suppliers shall report quarterly on cogs.
3. Sprocket complaints
Sed do eiusmod tempor: a sprocket complaints desk shall answer within ten days.
"""
META = NewDocument(
    title="Widget Safety Act (synthetic)",
    short_title="Widget Safety Act",
    jurisdiction="XX",
    instrument_type="bill",
    language="en",
    official_url="https://example.org/widget-safety-act",
    cite_as="WSA",
)


def snapshot(data: Path) -> dict:
    """What must survive a failed add: stored files, the index in use, the uploads folder."""
    where = DataDir(data)
    files = {p.name: p.read_bytes() if p.exists() else None for p in where.table_files}
    uploads = sorted(p.name for p in where.uploads.iterdir()) if where.uploads.exists() else []
    return {"files": files, "index": os.path.realpath(where.index), "uploads": uploads}


@pytest.fixture()
def data(indexed_data, tmp_path):
    return copy_data(indexed_data, tmp_path / "data")


# --------------------------------------------------------------------------- checks (fast)

UPLOAD_CASES = [
    ("bill.txt", b"1. Scope\nText", "txt"),
    ("bill.TXT", "\ufeff1. Scope\nTekst".encode(), "txt"),  # upper-case extension, BOM
    ("bill.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
    ("page.html", b"<!DOCTYPE html>\n<html lang='en'><body>x</body></html>", "html"),
    ("page.htm", b"<?xml version='1.0'?>\n<html xmlns='http://www.w3.org/1999/xhtml'>", "html"),
]


@pytest.mark.parametrize(("name", "content", "kind"), UPLOAD_CASES)
def test_accepted_uploads(name, content, kind):
    assert userdocs.check_upload(name, content) == kind


REJECTED = [
    ("bill.txt", b"%PDF-1.4 ...", "looks like pdf"),  # extension and content disagree
    ("bill.pdf", b"just text", "looks like txt"),
    ("bill.html", b"%PDF-1.4", "looks like pdf"),
    ("tool.exe", b"MZ\x90\x00", "not accepted"),  # type not allowed
    ("noextension", b"text", "not accepted"),
    ("bill.txt", b"", "empty"),
    ("bill.txt", b"\xff\xfe\x00t\x00e", "not a PDF, an HTML page or UTF-8 text"),  # UTF-16
    ("bill.txt", b"x" * (userdocs.MAX_BYTES + 1), "the limit is 20 MB"),
]


@pytest.mark.parametrize(("name", "content", "message"), REJECTED)
def test_rejected_uploads(name, content, message):
    with pytest.raises(UploadError, match=message):
        userdocs.check_upload(name, content)


NAME_CASES = [
    ("../../etc/passwd.txt", "txt", "passwd.txt"),  # no folders
    ("..\\..\\boot.ini.txt", "txt", "boot.ini.txt"),  # Windows separators
    ("Wetsvoorstel zorgplicht (2021).pdf", "pdf", "Wetsvoorstel-zorgplicht-2021.pdf"),
    ("Überwachung wet.TXT", "txt", "Uberwachung-wet.txt"),  # ASCII only, lower-case extension
    (".hidden.txt", "txt", "hidden.txt"),  # no hidden files
    ("<script>alert(1)</script>.txt", "txt", "script.txt"),  # "/" starts a new name
    ("notes", "txt", "notes.txt"),  # extension from the sniffed kind
    ("....txt", "txt", "document.txt"),
]


@pytest.mark.parametrize(("name", "kind", "expected"), NAME_CASES)
def test_safe_filename(name, kind, expected):
    assert userdocs.safe_filename(name, kind) == expected


def test_parser_options_and_unknown_parser():
    assert userdocs.parser_options("pdf")[0] == "pdf:oj"
    assert userdocs.parser_options("txt") == ["txt:sections", "markdown-law"]
    assert userdocs.parser_options("md") == ["markdown-law"]
    with pytest.raises(UploadError, match="cannot read a txt file"):
        userdocs._parser("txt", "pdf:oj")


META_CASES = [
    ({"official_url": "javascript:alert(1)"}, "http"),
    ({"official_url": ""}, "official url is required"),
    ({"language": "xx"}, "language must be one of"),
    ({"jurisdiction": "Belgium!"}, "jurisdiction must be a code"),
    ({"instrument_type": "novel"}, "instrument type must be one of"),
    ({"status": "zombie"}, "status must be one of"),
    ({"title": " "}, "title is required"),
]


@pytest.mark.parametrize(("change", "message"), META_CASES)
def test_bad_metadata_is_refused_before_anything_is_written(tmp_path, change, message):
    meta = NewDocument(**{**META.__dict__, **change})
    with pytest.raises(UploadError, match=message):
        userdocs.add_document(tmp_path, "w.txt", SYNTHETIC.encode(), meta)

    assert sorted(p.name for p in tmp_path.iterdir()) == [
        DataDir(tmp_path).lock.name
    ]  # only the writer lock


def test_no_index_means_nothing_is_added(data_dir, tmp_path):
    target = tmp_path / "d"
    target.mkdir()
    for name in ("units.jsonl", "ingest.json"):
        shutil.copy2(data_dir / name, target / name)
    with pytest.raises(StoreError, match="kb build"):
        userdocs.add_document(target, "w.txt", SYNTHETIC.encode(), META)
    assert not (target / "uploads").exists() and not (target / "user_manifest.json").exists()


# --------------------------------------------------------------------------- add (real index)


@pytest.mark.slow
def test_add_document_is_parsed_stored_indexed_and_searchable(data):
    from corpus.manifest import manifest_for
    from indexing.search import Searcher
    from kb.store import read_summary, read_units

    before = len(read_units(data))
    result = userdocs.add_document(data, "../../Widget Act.txt", SYNTHETIC.encode(), META)
    assert result.doc_id == "user-widget-safety-act" and result.units == 3
    assert result.reused_vectors >= result.chunks - 3  # only the new chunks were embedded
    stored = data / "uploads" / result.doc_id / "Widget-Act.txt"
    assert stored.read_bytes() == SYNTHETIC.encode()
    # modes follow the umask (the app and the CLI may run as different users of one group)
    assert stat.S_IMODE(stored.stat().st_mode) == umask_mode()
    assert stat.S_IMODE(stored.parent.stat().st_mode) == umask_mode(directory=True)
    assert stat.S_IMODE((data / "units.jsonl").stat().st_mode) == umask_mode()
    assert not (data.parent / "Widget Act.txt").exists()
    units = read_units(data)
    assert len(units) == before + 3
    assert read_summary(data)["documents"][result.doc_id] == 3
    record = manifest_for(data)[result.doc_id]
    assert record.files[0].format == "txt" and record.files[0].layout == "sections"
    hits = Searcher(data).search("widget maker register of sprockets", k=5)
    assert (hits[0].doc_id, hits[0].unit_id, hits[0].citation) == (result.doc_id, "sec-1", "WSA 1")
    hits = Searcher(data).search("sprocket complaints desk", k=10)
    assert (result.doc_id, "sec-3") in [(h.doc_id, h.unit_id) for h in hits]
    with pytest.raises(UploadError, match="already added"):
        userdocs.add_document(data, "again.txt", SYNTHETIC.encode(), META)
    userdocs.remove_document(data, result.doc_id)
    assert len(read_units(data)) == before
    assert result.doc_id not in manifest_for(data)
    assert not (data / "uploads" / result.doc_id).exists()
    hits = Searcher(data).search("widget maker register of sprockets", k=10)
    assert result.doc_id not in {h.doc_id for h in hits}


@pytest.mark.parametrize("doc_id", ["../units.jsonl", "..", "user/../../x", ""])
def test_remove_refuses_an_id_outside_the_uploads_folder(tmp_path, doc_id):
    (tmp_path / "units.jsonl").write_text("kept")
    with pytest.raises(UploadError, match="not a valid document id"):
        userdocs.remove_document(tmp_path, doc_id)
    assert (tmp_path / "units.jsonl").read_text() == "kept"


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002])
def test_atomic_writes_follow_the_umask(tmp_path, mask):
    from kb.store import atomic_write_text

    old = os.umask(mask)
    try:
        atomic_write_text(tmp_path / "f.json", "{}")
        assert umask_mode() == 0o666 & ~mask
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "f.json").stat().st_mode) == 0o666 & ~mask


class BrokenEmbedder:
    """Fails while embedding the new chunks (after the units were written)."""

    name = "broken"
    fingerprint = "broken-embedder"
    dim = 384

    def __init__(self, error: BaseException):
        self.error = error

    def encode_passages(self, texts, progress=None):
        raise self.error

    def encode_queries(self, texts):
        raise self.error


@pytest.mark.slow
@pytest.mark.parametrize("error", [RuntimeError("embedder crashed"), KeyboardInterrupt()])
def test_failed_index_update_loses_nothing(data, error):
    before = snapshot(data)
    with pytest.raises(type(error)):
        userdocs.add_document(
            data, "w.txt", SYNTHETIC.encode(), META, embedder=BrokenEmbedder(error)
        )
    assert snapshot(data) == before


@pytest.mark.slow
@pytest.mark.parametrize("relative", [False, True])
def test_a_failure_after_the_new_index_is_in_use_puts_the_old_one_back(data, monkeypatch, relative):
    """The page closed (or the matrix failed) after the index had been rebuilt with the new
    document: the unit table is restored, and so is the index build it was made from — also
    for a data folder given as a relative path (``--data data``)."""
    from indexing.search import Searcher

    before = snapshot(data)
    if relative:
        monkeypatch.chdir(data.parent)
        data = Path(data.name)

    def interrupted(data, say):
        assert os.path.realpath(DataDir(data).index) != before["index"]  # the new build is in use
        raise KeyboardInterrupt

    monkeypatch.setattr(userdocs, "_precompute", interrupted)
    said = []
    with pytest.raises(KeyboardInterrupt):
        userdocs.add_document(data, "w.txt", SYNTHETIC.encode(), META, progress=said.append)
    assert snapshot(data) == before
    assert Searcher(data).search("widget maker register of sprockets", k=3)  # not stale
    # what the add said on its way, each in words the Dutch interface has
    codes = [getattr(m, "code", None) for m in said]
    assert codes[:3] == ["parsing", "read", "embedding"] and "index_built" in codes
    assert message_text("nl", said[1]) == "3 bepalingen gelezen; de zoekindex wordt bijgewerkt"


@pytest.mark.slow
def test_unparseable_document_loses_nothing(data):
    before = snapshot(data)
    with pytest.raises(LoadError, match="no sections found") as caught:
        userdocs.add_document(data, "w.txt", b"no numbered sections here, only prose.", META)
    # the parser's child process passes the error's code on: the explorer says it in Dutch
    assert message_text("nl", caught.value).startswith("w.txt: geen bepalingen gevonden")
    with pytest.raises(LoadError):
        userdocs.add_document(data, "w.pdf", b"%PDF-1.4\nnot really a pdf", META)
    assert snapshot(data) == before


@pytest.mark.slow
def test_second_add_keeps_the_first(data):
    from corpus.manifest import manifest_for

    first = userdocs.add_document(data, "a.txt", SYNTHETIC.encode(), META)
    other = SYNTHETIC.replace("Widgets", "Cogwheels").encode()
    second = userdocs.add_document(data, "b.txt", other, META)
    assert second.doc_id == "user-widget-safety-act-2"
    manifest = manifest_for(data)
    assert {first.doc_id, second.doc_id} <= set(manifest)
    entries = json.loads((data / "user_manifest.json").read_text(encoding="utf-8"))["documents"]
    assert [e["doc_id"] for e in entries] == [first.doc_id, second.doc_id]


def test_user_document_survives_a_full_reingest(data, indexed_data):
    """Uploads live beside the cache; a full `kb ingest` finds them there and keeps their units."""
    from kb.cli import main
    from kb.store import read_units

    if not (data / "cache").exists():
        shutil.copytree(indexed_data / "cache", data / "cache")
    result = userdocs.add_document(data, "widget-act.txt", SYNTHETIC.encode(), META)
    assert main(["--data", str(data), "ingest"]) == 0
    assert sum(u.doc_id == result.doc_id for u in read_units(data)) == result.units


# --------------------------------------------------------------------------- the importer CLI

#: the numbering styles users have, each with the unit ids it must produce (synthetic text)
STYLES = [
    ("Art. {n} {h}", "art"),
    ("Artikel {n} {h}", "art"),
    ("Article {n} {h}", "art"),
    ("§ {n} {h}", "sec"),
    ("Section {n} {h}", "sec"),
    ("## Art. {n} {h}", "art"),
    ("{n}. {h}", "sec"),
]
WIDGET_LINES = [
    ("Widgets", "Widget makers shall keep a ledger of sprockets."),
    ("Gadgets", "Gadget suppliers shall report on cogs every year."),
    ("Sprocket complaints", "A complaints desk for sprockets shall answer within ten days."),
]


def widget_bill(style: str) -> str:
    lines = ["Draft Widget Due Diligence Bill (a synthetic test document, not law)"]
    for i, (head, body) in enumerate(WIDGET_LINES, 1):
        number = "1er" if style.startswith("Article") and i == 1 else str(i)
        lines += [style.format(n=number, h=head), body]
    return "\n".join(lines) + "\n"


def _add_argv(data: Path, path: Path, *extra: str) -> list[str]:
    return [
        "--data",
        str(data),
        "add",
        str(path),
        "--title",
        "Draft Widget Due Diligence Bill",
        "--jurisdiction",
        "XX",
        "--type",
        "bill",
        "--language",
        "en",
        "--cite-as",
        "WDDB",
        "--url",
        "https://example.org/draft-widget-bill",  # synthetic, as the bill
        *extra,
    ]


@pytest.mark.parametrize(("style", "kind"), STYLES)
def test_add_dry_run_reads_every_numbering_style_and_stores_nothing(
    data_dir, tmp_path, capsys, style, kind
):
    from kb.cli import main

    path = tmp_path / ("bill.md" if style.startswith("#") else "bill.txt")
    path.write_text(widget_bill(style), encoding="utf-8")
    before = (data_dir / "units.jsonl").read_bytes()
    assert main(_add_argv(data_dir, path, "--dry-run", "--json")) == 0
    out = json.loads(capsys.readouterr().out)
    assert [p["unit_id"] for p in out["preview"]] == [f"{kind}-1", f"{kind}-2", f"{kind}-3"]
    assert [p["heading"] for p in out["preview"]] == [h for h, _ in WIDGET_LINES]
    assert out["preview"][0]["citation"].startswith("WDDB ")
    assert set(out) >= {"doc_id", "units", "preview"} and out["units"] >= 3
    assert (data_dir / "units.jsonl").read_bytes() == before
    assert not (data_dir / "user_manifest.json").exists()


def test_add_cli_stores_indexes_and_remove_undoes_it(data, tmp_path, capsys):
    from indexing.search import Searcher
    from kb.cli import main

    path = tmp_path / "widget.txt"
    path.write_text(widget_bill("Artikel {n} {h}"), encoding="utf-8")
    assert main(_add_argv(data, path, "--json")) == 0
    out = json.loads(capsys.readouterr().out)
    doc_id = out["doc_id"]
    hits = Searcher(data).search("ledger of sprockets kept by widget makers", k=5)
    assert (doc_id, "art-1") in [(h.doc_id, h.unit_id) for h in hits]
    assert main(["--data", str(data), "remove", doc_id]) == 0
    hits = Searcher(data).search("ledger of sprockets kept by widget makers", k=10)
    assert doc_id not in {h.doc_id for h in hits}
    assert main(["--data", str(data), "remove", doc_id]) == 1
    err = capsys.readouterr().err
    assert "is not a user-added document (removed already, or never added" in err
    # a document of the product's manifest says so ("not a user-added document … removed already")
    assert main(["--data", str(data), "remove", "de-lksg-2021"]) == 1
    assert "is a document of the product's manifest" in capsys.readouterr().err


def test_add_cli_bad_input_names_the_problem(data_dir, tmp_path, capsys):
    from kb.cli import main

    path = tmp_path / "bill.txt"
    path.write_text("Just one line of a Draft Widget Due Diligence Bill.\n", encoding="utf-8")
    assert main(_add_argv(data_dir, tmp_path / "nowhere.txt", "--dry-run")) == 1
    assert "file not found" in capsys.readouterr().err
    assert main(_add_argv(data_dir, path, "--dry-run", "--layout", "pdf:oj")) == 1
    assert "cannot read a txt file" in capsys.readouterr().err


# --------------------------------------------------------------------------- PDF layouts (generated)

# Each PDF layout the importer knows, as a PDF the test writes itself from clearly synthetic text
# (a "Draft Widget Due Diligence Bill"): what `kb add --layout auto` must find, and a phrase that
# search must answer with the right provision.
_WIDGET_ARTICLES = [
    "Article 1",
    "Subject matter",
    "1. Every widget maker shall keep a register of sprockets.",
    "2. The register shall list each sprocket supplier by name.",
    "Article 2",
    "Complaints",
    "A sprocket complaints desk shall answer within ten days.",
    "Article 3",
    "Penalties",
    "Gadget inspectors may impose a fine of up to 3 % of the cog turnover.",
]
PDF_LAYOUTS = [
    (
        "pdf:oj",
        [
            ["DRAFT WIDGET DUE DILIGENCE BILL (synthetic, not law)", "on sprockets and cogs"]
            + ["Whereas:", "(1) Widgets are made of sprockets.", "(2) Cogs need care."]
            + ["HAVE ADOPTED THIS DIRECTIVE:", *_WIDGET_ARTICLES[:6]],
            [*_WIDGET_ARTICLES[6:], "Done at Brussels, 1 January 2099."],
        ],
        ["rec-1", "rec-2", "art-1", "art-2", "art-3"],
        ("sprocket complaints desk answers within ten days", "art-2"),
    ),
    (
        "pdf:proposal",
        [
            ["EXPLANATORY MEMORANDUM", "1. CONTEXT OF THE PROPOSAL", "Widgets are synthetic."],
            ["Proposal for a DRAFT WIDGET DUE DILIGENCE DIRECTIVE (synthetic, not law)"]
            + ["Whereas:", "(1) Widgets are made of sprockets.", "(2) Cogs need care."]
            + ["HAVE ADOPTED THIS DIRECTIVE:", *_WIDGET_ARTICLES[:6]],
            [*_WIDGET_ARTICLES[6:], "Done at Brussels,"],
        ],
        ["rec-1", "rec-2", "art-1", "art-2", "art-3"],
        ("register of sprocket suppliers by name", "art-1"),
    ),
    (
        "pdf:legifrance",
        [
            [
                "Code de la widgeterie (synthétique, pas du droit)",
                "Article L. 1-1",
                "Version en vigueur depuis le 01 janvier 2099",
                "Partie législative (Articles L. 1-1 à L. 9-9)",
                "I.-Tout fabricant de widgets établit un registre des pignons.",
                "Le registre comporte les mesures suivantes :",
                "1° Une liste des fournisseurs de pignons ;",
                "2° Un guichet des plaintes qui répond dans les dix jours.",
                "II.-Le juge peut enjoindre au fabricant de tenir le registre.",
            ]
        ],
        ["art-L1-1"],
        ("guichet des plaintes pignons dix jours", "art-L1-1"),
    ),
    (
        "pdf:ungp",
        [
            [
                "GUIDING PRINCIPLES ON WIDGETS (synthetic, not law)",
                "I. THE WIDGET DUTY TO KEEP REGISTERS",
                "A. FOUNDATIONAL PRINCIPLES",
                "1. Widget makers should keep a register of sprockets.",
                "Commentary",
                "The register helps gadget inspectors to find cogs.",
                "2. Widget makers should answer sprocket complaints within ten days.",
                "Commentary",
                "A complaints desk is one way to answer.",
            ]
        ],
        ["principle-1", "principle-2"],
        ("widget makers answer sprocket complaints within ten days", "principle-2"),
    ),
    (
        "pdf:paragraphs",  # OECD/ILO-style soft law: chapters of numbered paragraphs
        [
            [
                "GUIDELINES FOR WIDGET ENTERPRISES (synthetic, not law)",
                "Foreword",
                "These guidelines are made up for a test.",
                "I. Concepts and Principles",
                "1. The Guidelines are recommendations addressed to widget enterprises.",
                "They provide voluntary principles for sprocket conduct.",
                "2. Widget enterprises should answer sprocket complaints within ten days.",
                "II. Human Rights of Cogs",
            ],
            ["3. Enterprises should respect the rights of cogs, see paragraph 1.", "4. Cog care."],
        ],
        ["para-1", "para-2", "para-3", "para-4"],
        ("widget enterprises answer sprocket complaints within ten days", "para-2"),
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("layout", "pages", "top", "probe"), PDF_LAYOUTS, ids=[c[0] for c in PDF_LAYOUTS]
)
def test_each_pdf_layout_is_detected_added_searched_and_compared(
    data, tmp_path, capsys, layout, pages, top, probe
):
    """`kb add --layout auto` picks the layout, previews every top-level provision, stores and
    indexes the document; search finds the probe's provision; its counterparts can be listed;
    `kb remove` undoes it."""
    from indexing.search import Searcher
    from kb.cli import main
    from tests.fakes import text_pdf

    path = tmp_path / "widget-bill.pdf"
    path.write_bytes(text_pdf(pages))
    assert main(_add_argv(data, path, "--layout", "auto", "--dry-run", "--json")) == 0
    preview = json.loads(capsys.readouterr().out)
    # auto keeps the layout that finds the most provisions; on a tie the first (oj) wins, and a
    # Commission proposal reads the same under oj (the memorandum gives no provision there either)
    assert preview["parser"] == ("pdf:oj" if layout == "pdf:proposal" else layout)
    assert [p["unit_id"] for p in preview["preview"]] == top
    assert main(_add_argv(data, path, "--layout", layout, "--json")) == 0
    doc_id = json.loads(capsys.readouterr().out)["doc_id"]
    query, unit = probe
    hits = Searcher(data).search(query, k=5)
    assert any(h.doc_id == doc_id and h.unit_id.split(".")[0] == unit for h in hits), [
        (h.doc_id, h.unit_id) for h in hits
    ]
    assert main(["--data", str(data), "similar", "--doc", doc_id, "--unit", unit, "--json"]) == 0
    similar = json.loads(capsys.readouterr().out)
    assert similar["doc_id"] == doc_id and similar["unit_id"] == unit
    assert main(["--data", str(data), "remove", doc_id]) == 0


@pytest.mark.slow
def test_a_bilingual_print_becomes_two_linked_language_versions(data, tmp_path, capsys):
    """A two-column NL/FR print (generated, synthetic) → two documents, the French one a
    translation_of the Dutch one; both searchable; each column's words stay in its version."""
    from corpus.manifest import manifest_for
    from indexing.search import Searcher
    from kb.cli import main
    from tests.fakes import text_pdf
    from tests.test_loader_pdf import WIDGET_FR, WIDGET_NL

    path = tmp_path / "wetsvoorstel.pdf"
    path.write_bytes(text_pdf([(WIDGET_NL[:5], WIDGET_FR[:5]), (WIDGET_NL[5:], WIDGET_FR[5:])]))
    argv = _add_argv(data, path, "--layout", "pdf:two-column", "--json")
    argv[argv.index("--language") + 1] = "nl"
    assert main([*argv, "--second-language", "fr", "--dry-run"]) == 0
    preview = json.loads(capsys.readouterr().out)["documents"]
    assert [(d["column"], d["language"]) for d in preview] == [("left", "nl"), ("right", "fr")]
    assert all([p["unit_id"] for p in d["preview"]] == ["art-1", "art-2"] for d in preview)
    assert not (data / "user_manifest.json").exists()
    assert main([*argv, "--second-language", "fr"]) == 0
    nl, fr = (d["doc_id"] for d in json.loads(capsys.readouterr().out)["documents"])
    records = manifest_for(data)
    assert records[fr].translation_of == nl and records[fr].language == "fr"
    assert records[nl].files[0].column == "left" and records[fr].files[0].column == "right"
    searcher = Searcher(data)
    hits = searcher.search("klachtenloket voor tandwielen binnen tien dagen", k=5)
    assert any(h.doc_id == nl and h.unit_id.startswith("art-2") for h in hits)
    hits = searcher.search("guichet des plaintes dix jours", k=5)
    assert any({h.doc_id, *h.also_in} & {nl, fr} for h in hits)  # one act, two languages
    assert main(["--data", str(data), "remove", nl]) == 1  # its French version would dangle
    assert f"remove {fr} first" in capsys.readouterr().err
    for doc_id in (fr, nl):
        assert main(["--data", str(data), "remove", doc_id]) == 0
    assert main([*argv, "--second-language", "nl"]) == 1  # two columns, one language: refused
    assert "two different languages" in capsys.readouterr().err


#: a rejected upload: what the CLI says (English) and the explorer in Dutch — each naming the file
UPLOAD_ERRORS = [
    ("bill.txt", b"", "bill.txt: the file is empty", "het bestand is leeg"),
    (
        "bill.pdf",
        b"1. Scope\nText",
        "bill.pdf: the file is named .pdf",
        "het bestand heet .pdf, maar de inhoud lijkt txt",
    ),
    (
        "bill.exe",
        b"1. Scope",
        "bill.exe: files of type '.exe'",
        "bestanden van het type “.exe” worden niet aanvaard",
    ),
    ("bill.docx", b"PK\x03\x04", "bill.docx: files of type '.docx'", "bestanden van het type"),
    ("junk.txt", b"\xff\xfe\x00t\x00e", "junk.txt: the content is not a PDF", "de inhoud is geen"),
    ("../folder/bill.pdf", b"just text", "bill.pdf: the file is named .pdf", "het bestand heet"),
]


@pytest.mark.parametrize(("filename", "content", "english", "dutch"), UPLOAD_ERRORS)
def test_upload_errors_name_the_file_in_the_interface_language(filename, content, english, dutch):
    with pytest.raises(UploadError) as caught:
        userdocs.check_upload(filename, content)
    name = filename.rsplit("/", 1)[-1]
    assert str(caught.value).startswith(english)
    assert message_text("nl", caught.value).startswith(f"“{name}”: {dutch}")
    assert caught.value.values["file"] == name


def test_progress_of_an_add_is_said_in_the_interface_language():
    from kb.models import Said

    said = Said("3 provisions read; updating the search index", "read", n=3)
    assert said == "3 provisions read; updating the search index"  # the CLI prints it as it is
    assert message_text("nl", said) == "3 bepalingen gelezen; de zoekindex wordt bijgewerkt"
    assert message_text("nl", "a message without a code") == "a message without a code"


def test_add_without_an_official_url_is_refused_and_stores_nothing(data_dir, tmp_path, capsys):
    """The explorer's form asks for the official URL; the CLI invented one
    ("https://unknown.invalid/…") and showed it as the document's source."""
    from kb.cli import main

    path = tmp_path / "widget.txt"
    path.write_text(widget_bill("Artikel {n} {h}"), encoding="utf-8")
    argv = _add_argv(data_dir, path)
    at = argv.index("--url")
    argv = argv[:at] + argv[at + 2 :]
    before = (data_dir / "units.jsonl").read_bytes()
    assert main(argv) == 1
    assert "--url is required" in capsys.readouterr().err
    assert (data_dir / "units.jsonl").read_bytes() == before
    assert not (data_dir / "user_manifest.json").exists()
    assert main([*argv, "--dry-run"]) == 0  # a preview needs no source


def _die_without_rolling_back(monkeypatch, where: str) -> None:
    """The process is killed (SIGKILL, a power cut) at ``where``: no ``except`` block runs, so
    nothing in memory is put back — what it leaves on disk is all the next command finds."""

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # stands for the end of the process

    monkeypatch.setattr(userdocs, where, killed)
    monkeypatch.setattr(userdocs._Backup, "restore", lambda self: None)


@pytest.mark.slow
def test_an_add_killed_half_way_is_undone_by_the_next_command(data, monkeypatch, capsys):
    """`kb add` killed after the unit table had the new document but before the index did
    left every search refused as stale ("run python -m kb build") and the same file refused as
    "already added". The add's journal now lets the next command put everything back."""
    from indexing.search import Searcher
    from kb.cli import main

    before = snapshot(data)
    _die_without_rolling_back(monkeypatch, "_precompute")
    with pytest.raises(KeyboardInterrupt):
        userdocs.add_document(data, "w.txt", SYNTHETIC.encode(), META)
    monkeypatch.undo()
    userdocs._CHANGES.folders.clear()  # the dead process's memory
    assert DataDir(data).journal.is_dir() and snapshot(data) != before
    assert main(["--data", str(data), "search", "widget register of sprockets", "--json"]) == 0
    assert "was interrupted earlier; it was undone" in capsys.readouterr().err
    assert snapshot(data) == before and not DataDir(data).journal.exists()
    assert Searcher(data).search("widget maker register of sprockets", k=3)  # not stale
    # and the same file can be added again
    added = userdocs.add_document(data, "w.txt", SYNTHETIC.encode(), META)
    assert added.units == 3


@pytest.mark.slow
def test_a_removal_killed_half_way_is_undone_by_the_next_add(data, monkeypatch):
    """`kb remove` killed half-way left the document out of the tables but in the index
    (search refused) and its upload folder orphaned: the next writer puts it back."""
    added = userdocs.add_document(data, "w.txt", SYNTHETIC.encode(), META)
    before = snapshot(data)
    _die_without_rolling_back(monkeypatch, "_precompute")
    with pytest.raises(KeyboardInterrupt):
        userdocs.remove_document(data, added.doc_id)
    monkeypatch.undo()
    userdocs._CHANGES.folders.clear()
    assert snapshot(data) != before
    # the next writer (here an add of another file) undoes it first, then adds
    other = dataclasses.replace(META, title="Gadget Act", short_title="Gadget Act")
    userdocs.add_document(data, "g.txt", SYNTHETIC.replace("Widget", "Gadget").encode(), other)
    assert added.doc_id in {e["doc_id"] for e in userdocs.user_records(data)}
    assert (DataDir(data).uploads / added.doc_id).is_dir()


def test_sigterm_and_sighup_end_a_command_as_ctrl_c_does():
    """A closed terminal or `timeout` sent SIGTERM/SIGHUP, which ended `kb add` without its
    rollback; the CLI turns them into the interrupt its rollback handles."""
    import signal

    from kb.cli.parser import _on_termination_roll_back

    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        _on_termination_roll_back()
        for sig in saved:
            with pytest.raises(KeyboardInterrupt):
                os.kill(os.getpid(), sig)
                time.sleep(1)  # the handler runs as soon as the signal arrives
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


@pytest.mark.slow
def test_a_lost_user_manifest_is_named_and_nothing_is_dropped(data, capsys):
    """Without user_manifest.json every reader crashed ("internal error (KeyError: 'user-…')")
    and `kb ingest` silently dropped every added document from the unit table."""
    from kb.cli import main

    added = userdocs.add_document(data, "w.txt", SYNTHETIC.encode(), META)
    DataDir(data).user_manifest.unlink()
    units = DataDir(data).units.read_bytes()
    for argv in (["search", "widget register"], ["ingest"], ["matrix", "--json"]):
        assert main(["--data", str(data), *argv]) == 1, argv
        err = capsys.readouterr().err
        assert "user_manifest.json is missing" in err and added.doc_id in err, err
    assert DataDir(data).units.read_bytes() == units


COG_LINES = [
    "Draft Cog Bill (a synthetic test document, not law)",
    "Article 1",
    "Cog makers shall keep a register of cogs.",
    "Article 2",
    "Cog sellers shall report yearly on cogs.",
    "Article 3",
    "A cog desk shall answer within ten days.",
]


def test_a_pdf_read_as_one_provision_where_it_has_three_is_said(data_dir, tmp_path, capsys):
    """A PDF whose "Article 2" and "Article 3" ran into the text of Art. 1 was stored as one
    provision without a word (each would be cited as Art. 1); the same text as .txt has three."""
    from kb.cli import main
    from tests.fakes import text_pdf

    base = ["--title", "Draft Cog Bill", "--jurisdiction", "XX", "--type", "bill"]
    base += ["--language", "en", "--dry-run", "--json"]
    pdf = tmp_path / "cog.pdf"
    pdf.write_bytes(text_pdf([COG_LINES]))
    assert main(["--data", str(data_dir), "add", str(pdf), *base]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["preview"]) == 1 and "provisions 2–3" in out["warnings"][0]
    txt = tmp_path / "cog.txt"
    txt.write_text("\n".join(COG_LINES) + "\n", encoding="utf-8")
    assert main(["--data", str(data_dir), "add", str(txt), *base]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["preview"]) == 3 and out["warnings"] == []


def test_no_provision_of_the_corpus_looks_like_several_read_as_one(units):
    """The check must not cry wolf on real law: inserted articles of an amending act ("Article
    29b" inside CSRD Art. 1) and references ("§ 5 Absatz 1 Satz 2") are not run-in headings."""
    top = [u for u in units if u.parent is None]
    assert len(top) > 500 and userdocs.merged_headings(top) == []


@pytest.mark.slow
def test_an_add_says_which_provisions_look_read_as_one(data):
    """The explorer shows ``AddResult.merged`` under its "Added …" message."""
    from tests.fakes import text_pdf

    meta = dataclasses.replace(META, title="Draft Cog Bill", short_title="Draft Cog Bill")
    result = userdocs.add_document(data, "cog.pdf", text_pdf([COG_LINES]), meta, parser="auto")
    assert result.merged == (("WSA Art. 1", 2, 3),)  # cited as META cites it
