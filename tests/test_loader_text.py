"""The plain-text loader ("txt", layout "sections") on the real SERV advice and on bad input.

Expected values come from the raw file at test time (its lines, read with plain string
operations), never from text typed in here.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from conftest import check_golden, skeleton, source_path

from corpus.manifest import default_manifest
from kb.errors import LoadError
from kb.ingest.loaders import load_file
from kb.ingest.loaders.text import UNNUMBERED_SECTIONS, load, read_text, split_lines
from kb.models import FileRecord, Unit

SERV = "be-serv-advies-2021"


@cache
def _units() -> tuple[Unit, ...]:
    record = default_manifest()[SERV]
    return tuple(load_file(source_path(SERV), record, record.text_files[0]))


@cache
def _raw() -> str:
    return source_path(SERV).read_text(encoding="utf-8")


def _by_id() -> dict[str, Unit]:
    return {u.unit_id: u for u in _units()}


def _raw_headings() -> list[tuple[str, str]]:
    """``(number, title)`` of the numbered section lines of the body (not the ToC: no tab)."""
    found = []
    for line in _raw().splitlines():
        match = re.fullmatch(r"(\d(?:\.\d)?) ([A-Z][^\t.]{2,80})", line.strip())
        if match and "\t" not in line:
            found.append((match[1], match[2]))
    return found


# --------------------------------------------------------------------------- structure


def test_sections_are_the_summary_then_1_to_4_5(mirror):
    ids = [u.unit_id for u in _units()]
    assert ids == ["sec-krachtlijnen", "sec-1", "sec-2", "sec-3", "sec-4"] + [
        f"sec-4-{n}" for n in range(1, 6)
    ]
    assert all(u.parent is None for u in _units())


def test_section_headings_are_the_heading_lines_of_the_text(mirror):
    units = _by_id()
    notes = set(_raw_footnotes().values())
    headings = [(n, t) for n, t in _raw_headings() if t not in notes]
    assert len(headings) == 9
    for number, title in headings:
        unit = units[f"sec-{number.replace('.', '-')}"]
        assert unit.heading == title
        assert unit.citation == f"SERV-advies {number}"
    assert units["sec-krachtlijnen"].heading.lower() in UNNUMBERED_SECTIONS


def test_table_of_contents_lines_do_not_make_sections(mirror):
    toc = [line for line in _raw().splitlines() if re.search(r"\t\d+$", line)]
    assert len(toc) >= 9  # the ToC is there …
    starts = [u.start for u in _units()]
    for line in toc:  # … but no unit starts on one of its lines
        offset = _raw().index(line)
        assert offset not in starts


def test_offsets_point_into_the_decoded_text(mirror):
    text = _raw()
    for unit in _units():
        assert text[unit.start :].startswith(
            unit.heading if unit.number == "krachtlijnen" else f"{unit.number.replace('-', '.')} "
        )
        assert unit.end == len(text) or text[unit.end] in "\r\n"
        body = re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", "", text[unit.start : unit.end])
        assert body.endswith(re.sub(r" \(\d+\)", "", unit.text)[-30:])


# --------------------------------------------------------------------------- footnotes


def _raw_footnotes() -> dict[int, str]:
    """Footnote lines of the raw text: "N text" where N is referenced by a superscript before."""
    superscripts = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
    seen, notes = set(), {}
    for line in _raw().splitlines():
        match = re.match(r"^(\d{1,2}) (\S.*)$", line)
        if match and int(match[1]) in seen and int(match[1]) == len(notes) + 1:
            notes[int(match[1])] = match[2]
        seen |= {int(m.translate(superscripts)) for m in re.findall(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", line)}
    return notes


def test_footnotes_are_separated_and_attached_to_the_referencing_section(mirror):
    raw_notes = _raw_footnotes()
    assert len(raw_notes) >= 10
    for number, note in raw_notes.items():
        holders = [u for u in _units() if any(f.startswith(f"({number}) ") for f in u.footnotes)]
        assert len(holders) == 1, number
        assert note[:60] not in holders[0].text
        marker = str(number).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
        body = _raw()[holders[0].start : holders[0].end]
        assert marker in body, number  # the section that holds it is the one that references it
        assert f"({number})" in holders[0].text  # the marker, readable after NFKC


def test_footnote_broken_by_a_page_is_joined(mirror):
    """A footnote ending with a hyphen continues in a later paragraph starting in lower case."""
    lines = [x for x in _raw().splitlines() if x.strip()]
    broken = [i for i, x in enumerate(lines) if re.match(r"^\d{1,2} ", x) and x.endswith("-")]
    assert broken
    for i in broken:
        number, head = lines[i].split(" ", 1)
        tail = next(x for x in lines[i + 1 :] if x[:1].islower())
        notes = [f for u in _units() for f in u.footnotes if f.startswith(f"({number}) ")]
        assert notes and (head[:-1] + tail.split()[0]) in notes[0]
        assert tail[:40] not in " ".join(u.text for u in _units())


def test_golden_skeleton(mirror):
    check_golden("text_serv_sections", skeleton(_units()))


# --------------------------------------------------------------------------- helpers and bad input


def test_split_lines_keeps_offsets():
    text = "Title\n\n  1 Situering  \r\nBody text\n"
    lines = split_lines(text)
    assert [x.text for x in lines] == ["Title", "1 Situering", "Body text"]
    assert all(text[x.start : x.end] == x.text for x in lines)


BAD_TEXTS = [
    ("empty", b"", "empty"),
    ("blank", b"\n \n\t\n", "empty"),
    ("latin-1", "Krachtlijnen\n\n1 Situering\n\nÉén économie".encode("latin-1"), "not valid UTF-8"),
    ("no sections", b"Just a paragraph of text.\n", "no sections"),
]


@pytest.mark.parametrize(("case", "data", "message"), BAD_TEXTS, ids=[c[0] for c in BAD_TEXTS])
def test_bad_text_files_raise_load_error_naming_the_file(tmp_path, case, data, message):
    path = tmp_path / "advies.txt"
    path.write_bytes(data)
    with pytest.raises(LoadError) as info:
        load(path, default_manifest()[SERV], FileRecord("advies.txt", "txt", layout="sections"))
    assert str(info.value).startswith("advies.txt: ")
    assert message in str(info.value)


def test_unknown_layout_names_the_supported_ones(tmp_path):
    path = tmp_path / "advies.txt"
    path.write_text("1 Situering\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"^advies\.txt: unknown layout 'oj'.*sections"):
        load(path, default_manifest()[SERV], FileRecord("advies.txt", "txt", layout="oj"))


def test_read_text_accepts_a_byte_order_mark(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff1 Situering\n".encode())
    assert read_text(path) == "1 Situering\n"
