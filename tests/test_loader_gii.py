"""The gesetze-im-internet.de loader ("gii-html") on the real LkSG page and on bad input.

Expected values come from the page itself at test time (regexes over the raw HTML act as an
independent oracle), never from legal text typed in here.
"""

from __future__ import annotations

import html
import re
from functools import cache

import pytest
from conftest import check_golden, skeleton, source_path
from lxml import html as lxml_html

from corpus.manifest import default_manifest
from kb.errors import LoadError
from kb.ingest.loaders import load_file
from kb.ingest.loaders.gii import load
from kb.models import Unit

DOC_ID = "de-lksg-2021"


@cache
def _units() -> tuple[Unit, ...]:
    record = default_manifest()[DOC_ID]
    return tuple(load_file(source_path(DOC_ID), record, record.text_files[0]))


@cache
def _raw() -> str:
    """The page as decoded text (ISO-8859-1, as its meta charset declares)."""
    return source_path(DOC_ID).read_bytes().decode("iso-8859-1")


@cache
def _raw_norms() -> dict[str, str]:
    """Raw HTML of each Einzelnorm keyed by its label ("§ 8", "Anlage"), from the page by regex."""
    norms = {}
    for chunk in _raw().split('<div class="jnnorm"')[1:]:
        label = re.search(r'<span class="jnenbez">(.*?)</span>', chunk)
        if 'title="Einzelnorm"' in chunk[:200] and label:
            norms[html.unescape(label.group(1))] = chunk
    return norms


@pytest.fixture(scope="module")
def lksg(mirror) -> dict[str, Unit]:
    """The LkSG units by unit id."""
    return {u.unit_id: u for u in _units()}


def _plain(fragment: str) -> str:
    """Raw HTML fragment → text as the builder cleans it (tags dropped, NBSP → space)."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", fragment)).replace("\xa0", " ")
    return " ".join(text.split())


# --------------------------------------------------------------------------- structure


def test_top_level_is_exactly_sections_1_to_24_and_annex(lksg):
    top = [u.unit_id for u in _units() if u.parent is None]
    assert top == [f"sec-{n}" for n in range(1, 25)] + ["annex"]
    assert len(top) == len(_raw_norms())  # one unit per Einzelnorm of the page


def test_text_of_each_norm_equals_its_body_on_the_page(lksg):
    """Word for word: the unit text is the norm body minus header, footnotes and editorial notes."""
    for label, chunk in _raw_norms().items():
        body = chunk.split("</h3>", 1)[1].split('<div id="fusszeile"')[0]
        body = re.sub(r'<div class="jnfussnote".*', "", body, flags=re.S)
        body = re.sub(r"<notindexed>.*?</notindexed>", "", body, flags=re.S)
        unit_id = "annex" if label == "Anlage" else f"sec-{label.split()[1]}"
        assert " ".join(lksg[unit_id].text.split()) == _plain(body), label


def test_section_headings_are_the_jnentitel_of_the_page(lksg):
    for label, chunk in _raw_norms().items():
        if not label.startswith("§"):
            continue
        title = _plain(re.search(r'<span class="jnentitel">(.*?)</span>', chunk).group(1))
        unit = lksg[f"sec-{label.split()[1]}"]
        assert unit.heading == title != "", label
        assert (unit.kind, unit.parent) == ("sec", None)


@pytest.mark.parametrize("section", ["§ 1", "§ 5", "§ 8", "§ 19", "§ 24"])
def test_absaetze_are_the_numbered_jurabsatz_of_the_page(lksg, section):
    """par-1..par-N exactly as the "(N)" blocks of that § in the raw HTML."""
    numbers = re.findall(r'<div class="jurAbsatz">\((\d+)\)', _raw_norms()[section])
    sec = f"sec-{section.split()[1]}"
    pars = [u.unit_id for u in _units() if u.parent == sec and u.kind == "par"]
    assert pars == [f"{sec}.par-{n}" for n in numbers]
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]


def test_section_8_has_its_absaetze_with_labels(lksg):
    pars = [u for u in _units() if u.parent == "sec-8"]
    assert len(pars) == _raw_norms()["§ 8"].count('<div class="jurAbsatz">(')
    for n, unit in enumerate(pars, start=1):
        assert unit.unit_id == f"sec-8.par-{n}"
        assert unit.text.startswith(f"({n}) ")
        assert unit.own_text and not unit.own_text.startswith("(")


ITEM_CASES = [
    # (unit id, parent, level-specific label) — Nummer under an Absatz
    ("sec-3.par-1.pt-1", "sec-3.par-1", "1."),
    # letter under a Nummer
    ("sec-2.par-2.pt-2.pt-a", "sec-2.par-2.pt-2", "a)"),
    # Nummer directly under a § without Absätze
    ("sec-15.pt-1", "sec-15", "1."),
    # convention of the Anlage
    ("annex.pt-14", "annex", "14."),
]


@pytest.mark.parametrize("unit_id, parent, label", ITEM_CASES)
def test_points_hang_under_their_parent(lksg, unit_id, parent, label):
    unit = lksg[unit_id]
    assert (unit.kind, unit.parent) == ("pt", parent)
    assert unit.text.startswith(label + " ")


def test_annex_has_every_convention_of_the_page(lksg):
    annex = _raw_norms()["Anlage"]
    labels = re.findall(r"<dt>(\d+)\.</dt>", annex)
    points = [u.unit_id for u in _units() if u.parent == "annex"]
    assert points == [f"annex.pt-{n}" for n in labels]
    assert len(points) == 14  # source.json: "all 14 conventions"
    heading = _plain(re.search(r"<h3>(.*?)</h3>", annex).group(1))
    assert lksg["annex"].heading == heading
    assert heading.startswith("Anlage (zu § 2 Absatz 1")
    for n, point in enumerate(points, start=1):
        assert lksg[point].citation == f"LkSG Anlage, Nummer {n}"


def test_section_1_carries_the_employee_thresholds(lksg):
    """NBSP in "3&#160;000" becomes a plain space after the builder's cleaning."""
    assert "3&#160;000" in _raw_norms()["§ 1"] and "1&#160;000" in _raw_norms()["§ 1"]
    text = lksg["sec-1"].text
    assert "3 000" in text and "1 000" in text
    assert text.index("3 000") < text.index("1 000")
    assert not any("\xa0" in u.text or "&#" in u.text for u in _units())


def test_absatz_with_two_lists_restarting_at_1_is_kept_whole(lksg):
    """§ 1(1) has a list in Satz 1 and another in Satz 2, both "1.", "2.": as points they would
    collide (two sec-1.par-1.pt-1), so the Absatz keeps them in its text, in reading order."""
    absatz = _raw_norms()["§ 1"].split('<div class="jurAbsatz">(2)')[0]
    lists = re.findall(r"<dl>\s*<dt>(\d+)\.</dt>", absatz)
    assert lists == ["1", "1"]
    par = lksg["sec-1.par-1"]
    assert not any(u.parent == "sec-1.par-1" for u in _units())
    tail = _plain(_raw_norms()["§ 1"].split("</dl>")[-1].split("</div>")[0])
    assert tail and par.own_text.endswith(tail)
    assert "1 000" in tail  # the 2024 threshold lives in § 1 Abs. 1, not in a Nummer


def _lists_followed_by_text() -> list[tuple[str, str]]:
    """``(unit id, start of the text after its list)`` for every block of the page (Absatz or
    Nummer) that holds exactly one list and more text after it, read with lxml at test time."""
    root = lxml_html.document_fromstring(source_path(DOC_ID).read_bytes())
    found = []
    for norm in root.xpath("//div[@class='jnnorm'][@title='Einzelnorm']"):
        label = " ".join(norm.xpath("string(.//span[@class='jnenbez'])").split())
        if not label.startswith("§ "):
            continue
        section = f"sec-{label.split()[1]}"
        for absatz in norm.xpath(".//div[@class='jurAbsatz']"):
            number = re.match(r"\s*\((\d+)\)", absatz.text or "")
            par = f"{section}.par-{number.group(1)}" if number else section
            holders = [(par, absatz)]
            for dt in absatz.xpath("./dl/dt"):
                holders.append((f"{par}.pt-{dt.text_content().strip(' .')}", dt.getnext()))
            for unit_id, holder in holders:
                lists = holder.xpath("./dl | ./div/dl")
                if len(lists) == 1 and (after := _plain(lists[0].tail or "")):
                    found.append((unit_id, after[:60]))
    return found


def test_text_after_a_list_is_the_absatz_text_not_its_last_point(lksg):
    """§ 7(3) "Die bloße Tatsache …", § 24(2) "In den Fällen des Satzes 1 …" and the closing
    words of § 24(2) Nr. 1 after its letters: text of the unit holding the list, after its
    points, never text of the last point (which would cite it as that point)."""
    cases = _lists_followed_by_text()
    ids = [unit_id for unit_id, _ in cases]
    assert {"sec-7.par-3", "sec-24.par-2", "sec-24.par-2.pt-1"} <= set(ids)
    for unit_id, after in cases:
        unit = lksg[unit_id]
        points = [u for u in _units() if u.parent == unit_id]
        assert points, unit_id
        assert unit.text.index(points[-1].text) < unit.text.index(after), unit_id
        assert after not in unit.own_text, unit_id
        assert not any(after in p.text for p in points), unit_id
        holders = [u for u in _units() if after in u.text]
        assert holders[-1].unit_id == unit_id  # the deepest unit holding the text


def test_offsets_point_at_the_source_of_each_unit(lksg):
    """``source[start:end]`` holds the unit's own marker: § header, "(N)" or ``<dt>N.</dt>``."""
    raw = _raw()
    for unit in _units():
        assert unit.start is not None and unit.start < unit.end <= len(raw), unit.unit_id
        assert unit.start == 0 or raw[unit.start - 1] == "\n"
        chunk = raw[unit.start : unit.end]
        kind, _, number = unit.unit_id.rpartition(".")[2].partition("-")
        marker = {
            "sec": f'<span class="jnenbez">&#167; {number}</span>',
            "par": f'<div class="jurAbsatz">({number})',
            "pt": f"<dt>{number}{'.' if number.isdigit() else ')'}</dt>",
            "annex": '<span class="jnenbez">Anlage</span>',
        }[kind]
        assert marker in chunk, unit.unit_id


# --------------------------------------------------------------------------- citations, context


CITATIONS = [
    ("sec-8", "LkSG § 8"),
    ("sec-8.par-1", "LkSG § 8 Abs. 1"),
    ("sec-3.par-1.pt-3", "LkSG § 3 Abs. 1 Nr. 3"),
    ("sec-15.pt-2", "LkSG § 15 Nr. 2"),
    ("annex", "LkSG Anlage"),
    ("annex.pt-1", "LkSG Anlage, Nummer 1"),
]


@pytest.mark.parametrize("unit_id, expected", CITATIONS)
def test_citations(lksg, unit_id, expected):
    assert lksg[unit_id].citation == expected


def test_letter_citation_uses_buchstabe(lksg):
    assert lksg["sec-2.par-2.pt-2.pt-a"].citation == "LkSG § 2 Abs. 2 Nr. 2 Buchst. a"


CONTEXTS = [
    # (unit id, index in context, how that context entry starts)
    ("sec-1", 0, "Abschnitt 1 "),
    ("sec-12", 0, "Abschnitt 4 "),
    ("sec-12", 1, "Unterabschnitt 1 "),
    ("sec-22", 0, "Abschnitt 5 "),
]


@pytest.mark.parametrize("unit_id, index, prefix", CONTEXTS)
def test_context_is_the_gliederung(lksg, unit_id, index, prefix):
    assert lksg[unit_id].context[index].startswith(prefix)


def test_unterabschnitt_is_dropped_at_next_abschnitt(lksg):
    assert len(lksg["sec-22"].context) == 1 and len(lksg["sec-21"].context) == 2


def test_anlage_stands_outside_the_abschnitte(lksg):
    assert lksg["sec-24"].context  # the last Abschnitt does not carry over to the Anlage
    assert lksg["annex"].context == lksg["annex.pt-1"].context == ()
    assert lksg["annex"].heading.startswith("Anlage ")


# --------------------------------------------------------------------------- what is not a unit


def test_footnote_of_section_5_is_a_footnote_not_body_text(lksg):
    raw_note = re.search(r'_FNS">.*?<div class="jurAbsatz">(.*?)</div>', _raw_norms()["§ 5"])
    note = _plain(raw_note.group(1))
    assert lksg["sec-5"].footnotes == (note,)
    assert not any(note[:40] in u.text for u in _units())


@pytest.mark.parametrize(
    "page_text",
    [
        "Nichtamtliches Inhaltsverzeichnis",  # navigation link in every norm header
        "Vollzitat",  # citation block of the Rahmen
        "Ausfertigungsdatum",  # Rahmen header
        "Fußnote",  # footnote headings
        "Textnachweis",  # Rahmen footnote
        "zum Seitenanfang",  # footer
        "Impressum",  # footer
        "Bundesamt für Justiz",  # logo alt text
        "Fundstelle",  # editorial note of the Anlage (kept as footnote)
    ],
)
def test_page_chrome_is_not_in_any_unit(lksg, page_text):
    assert page_text in html.unescape(_raw())  # the string really is on the page
    for unit in _units():
        assert page_text not in unit.text and page_text not in unit.heading, unit.unit_id


_REFERENCE = re.compile(r"\b(?:gemäß|nach|des|entgegen|in) §§? ?\d+[a-z]?(?: Absatz \d+)?")


def test_cross_references_stay_in_the_text(lksg):
    """Real references found in the parsed text ("nach § 8 Absatz 1") never open a provision.

    Each stays in the unit of the § whose raw HTML holds it, and no heading contains it.
    """
    found = [(u, m.group(0)) for u in _units() for m in _REFERENCE.finditer(u.own_text)]
    assert len(found) >= 20
    assert any(re.search(r"§ 5\b", ref) for _, ref in found)
    for unit, ref in found:
        top = unit.unit_id.split(".")[0]
        label = "Anlage" if top == "annex" else f"§ {top.removeprefix('sec-')}"
        assert ref in _plain(_raw_norms()[label]), (unit.unit_id, ref)
        assert not any(ref in u.heading for u in _units()), ref
    top_level = {u.unit_id for u in _units() if u.parent is None}
    assert top_level == {f"sec-{n}" for n in range(1, 25)} | {"annex"}
    assert all(not u.heading.startswith("§") for u in _units())


# --------------------------------------------------------------------------- synthetic pages

_NORM = (
    '<div class="jnnorm" title="Einzelnorm"><div class="jnheader"><h3>'
    '<span class="jnenbez">&#167; {n}</span>&#160;<span class="jnentitel">{title}</span></h3></div>'
    '<div><div class="jnhtml"><div>{body}</div></div></div></div>\n'
)


def _page(*norms: str) -> bytes:
    head = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1" />'
    return (head + "</head><body>\n" + "".join(norms) + "</body></html>\n").encode("latin-1")


def _absatz(text: str) -> str:
    return f'<div class="jurAbsatz">{text}</div>'


def _dl(*items: str, letters: bool = False) -> str:
    """A gii list: "1.", "2." … or "a)", "b)" … before each item."""
    labels = [f"{chr(97 + i)})" if letters else f"{i + 1}." for i in range(len(items))]
    rows = "".join(
        f"<dt>{label}</dt><dd><div>{t}</div></dd>" for label, t in zip(labels, items, strict=True)
    )
    return f"<dl>{rows}</dl>"


SYNTHETIC = [
    # a reference at the start of an Absatz stays text
    (
        _absatz("(1) Text.") + _absatz("(2) Nach &#167; 3 Absatz 1 gilt &#167; 5."),
        ["sec-9", "sec-9.par-1", "sec-9.par-2"],
    ),
    # Nummern without Absatz hang under the §
    (_absatz("Eingang " + _dl("eins", "zwei")), ["sec-9", "sec-9.pt-1", "sec-9.pt-2"]),
    # letters under a Nummer
    (
        _absatz("(1) E " + _dl("x " + _dl("a", "b", letters=True))),
        [
            "sec-9",
            "sec-9.par-1",
            "sec-9.par-1.pt-1",
            "sec-9.par-1.pt-1.pt-a",
            "sec-9.par-1.pt-1.pt-b",
        ],
    ),
    # closing sentence after the list: the points are units, the sentence the Absatz's
    (
        _absatz("(1) E " + _dl("eins", "zwei") + "Schluss."),
        ["sec-9", "sec-9.par-1", "sec-9.par-1.pt-1", "sec-9.par-1.pt-2"],
    ),
    # closing words of a Nummer after its letters
    (
        _absatz("(1) E " + _dl("x " + _dl("a", "b", letters=True) + "Ende", "y")),
        [
            "sec-9",
            "sec-9.par-1",
            "sec-9.par-1.pt-1",
            "sec-9.par-1.pt-1.pt-a",
            "sec-9.par-1.pt-1.pt-b",
            "sec-9.par-1.pt-2",
        ],
    ),
    # two lists restarting at 1.: Absatz kept whole (no duplicate ids)
    (_absatz("(1) E " + _dl("a") + " F " + _dl("b")), ["sec-9", "sec-9.par-1"]),
]


@pytest.mark.parametrize("body, expected", SYNTHETIC)
def test_synthetic_structures(tmp_path, body, expected):
    path = tmp_path / "mini.html"
    path.write_bytes(_page(_NORM.format(n=9, title="Titel", body=body)))
    record = default_manifest()[DOC_ID]
    units = load(path, record, record.text_files[0])
    assert [u.unit_id for u in units] == expected
    assert units[0].heading == "Titel"


def _mini(tmp_path, body: str) -> dict[str, Unit]:
    path = tmp_path / "mini.html"
    path.write_bytes(_page(_NORM.format(n=9, title="T", body=body)))
    record = default_manifest()[DOC_ID]
    return {u.unit_id: u for u in load(path, record, record.text_files[0])}


def test_kept_whole_absatz_keeps_reading_order(tmp_path):
    units = _mini(tmp_path, _absatz("(1) E " + _dl("eins", "zwei") + " F " + _dl("drei") + "G."))
    assert units["sec-9.par-1"].text == "(1) E 1. eins 2. zwei F 1. drei G."


def test_text_after_the_list_follows_the_points(tmp_path):
    units = _mini(tmp_path, _absatz("(1) E " + _dl("eins", "zwei") + "Schluss."))
    par = units["sec-9.par-1"]
    assert par.text == "(1) E\n1. eins\n2. zwei\nSchluss."
    assert par.own_text == "E"
    assert units["sec-9.par-1.pt-2"].text == "2. zwei"


def test_text_after_letters_follows_them_in_the_nummer(tmp_path):
    body = _absatz("(1) E " + _dl("x " + _dl("a", "b", letters=True) + "Ende", "y"))
    units = _mini(tmp_path, body)
    assert units["sec-9.par-1.pt-1"].text == "1. x\na) a\nb) b\nEnde"
    assert units["sec-9.par-1.pt-1.pt-b"].text == "b) b"
    assert units["sec-9.par-1.pt-2"].text == "2. y"


# --------------------------------------------------------------------------- bad input


def _truncated() -> bytes:
    data = source_path(DOC_ID).read_bytes()
    return data[: int(len(data) * 0.3)]


BAD_INPUT = [
    # (file name, content factory, fragment of the message)
    ("empty.html", lambda: b"", "file is empty"),
    ("blank.html", lambda: b" \n\t", "file is empty"),
    (
        "other.html",
        lambda: b'<html><head><meta charset="utf-8"></head><body><p>Hallo</p></body></html>',
        "not a gesetze-im-internet.de law",
    ),
    ("garbage.bin", lambda: bytes(range(256)) * 8, "not valid utf-8"),
    ("comment.html", lambda: b"<!-- nur ein Kommentar -->", "not parseable as HTML"),
    (
        "charset.html",
        lambda: b'<html><head><meta charset="x-nonesuch"></head></html>',
        "unknown declared charset",
    ),
    ("truncated.html", _truncated, "truncated"),
]


@pytest.mark.parametrize("name, content, message", BAD_INPUT)
def test_bad_input_raises_load_error_naming_the_file(tmp_path, mirror, name, content, message):
    path = tmp_path / name
    path.write_bytes(content())
    record = default_manifest()[DOC_ID]
    with pytest.raises(LoadError) as info:
        load(path, record, record.text_files[0])
    assert str(info.value).startswith(f"{name}: ")
    assert message in str(info.value)


def test_truncated_page_names_the_last_norm_it_reached(tmp_path, mirror):
    """A 30% copy is refused rather than served as a shorter law."""
    path = tmp_path / "cut.html"
    path.write_bytes(_truncated())
    record = default_manifest()[DOC_ID]
    with pytest.raises(LoadError, match=r"last norm found: § \d+"):
        load(path, record, record.text_files[0])


# --------------------------------------------------------------------------- golden


def test_golden_skeleton(lksg):
    check_golden("gii_lksg", skeleton(_units(), ["sec-1", "sec-8", "annex"]))
