"""Exports of provisions, comparisons and version diffs: Markdown, CSV and Word (.docx).

Every exported provision carries its citation, the instrument and version it comes from (status,
version or adoption date) and the official URL, so an export can go straight into a training
slide or an advice annex and still be verified.

Build an ``Export`` with ``provisions_export``, ``comparison_export`` or ``diff_export`` and turn
it into bytes with ``render(export, fmt)`` (``fmt`` in ``FORMATS``). Texts are escaped for the
target format: Markdown punctuation and HTML are inert, CSV cells never start a spreadsheet
formula, and characters XML cannot hold are dropped from Word documents.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from kb.explore.ui_text import fact_text, force_label, title_label, tr, value_label, version_text
from kb.models import DocRecord, ProvisionDiff, Unit
from kb.numbering import record_citation, top_level

#: format → (MIME type, file extension)
FORMATS = {
    "md": ("text/markdown", ".md"),
    "csv": ("text/csv", ".csv"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
}
NOT_IN_CORPUS = "not in local corpus"
_COLUMNS = {
    "provisions": (
        "citation",
        "heading",
        "instrument",
        "version",
        "force",
        "status",
        "text",
        "url",
    ),
    "comparison": ("topic", "instrument", "version", "citation", "heading", "force", "text", "url"),
    "diff": ("citation", "heading", "change", "old_text", "text", "instrument", "version", "url"),
}


@dataclass(frozen=True)
class Row:
    """One provision (or one "not in local corpus" placeholder, or one changed provision)."""

    citation: str
    heading: str
    text: str
    instrument: str
    version: str
    url: str
    force: str = ""
    topic: str = ""
    change: str = ""
    old_text: str = ""
    #: ``deleted``: a provision deleted in this version (its text is empty; said in every format)
    status: str = ""


@dataclass
class Export:
    """What is exported: ``kind`` is ``provisions``, ``comparison`` or ``diff``."""

    kind: str
    title: str
    rows: list[Row] = field(default_factory=list)
    subtitle: str = ""
    #: the interface language of the stamp and the disclaimer (``en`` or ``nl``)
    lang: str = "en"


def provision_row(
    unit: Unit,
    record: DocRecord,
    force: str = "",
    topic: str = "",
    lang: str = "en",
    units_by_key: dict[str, Unit] | None = None,
) -> Row:
    """A provision with its citation, the heading of its article (a paragraph has none of its
    own; ``units_by_key`` finds the article) and an article-level official URL where the
    publisher has one (``kb.compare.matrix.article_url``)."""
    from kb.compare.matrix import article_url

    article = (units_by_key or {}).get(f"{unit.doc_id}/{top_level(unit.unit_id)}")
    deleted = unit.status == "deleted"
    return Row(
        citation=unit.citation,
        heading=unit.heading or (article.heading if article else ""),
        text=unit.text,
        instrument=title_label(lang, record.short_title),
        version=version_text(lang, record),
        url=article_url(record, unit.unit_id)[0],
        force="" if deleted else force,  # a deleted rule binds no one
        topic=topic,
        status="deleted" if deleted else "",
    )


def missing_row(record: DocRecord, topic: str = "", lang: str = "en") -> Row:
    return Row(
        "",
        "",
        NOT_IN_CORPUS,
        title_label(lang, record.short_title),
        version_text(lang, record),
        record.official_url,
        topic=topic,
    )


def provisions_export(
    units: Iterable[Unit],
    records: dict[str, DocRecord],
    title: str,
    forces: dict[str, str] | None = None,
    lang: str = "en",
    units_by_key: dict[str, Unit] | None = None,
) -> Export:
    """An export of provisions in the given order; ``forces`` maps unit keys to deontic force;
    ``units_by_key`` (the corpus's) gives a paragraph its article's heading."""
    forces = forces or {}
    rows = [
        provision_row(
            u, records[u.doc_id], forces.get(u.key, ""), lang=lang, units_by_key=units_by_key
        )
        for u in units
    ]
    return Export("provisions", title, rows, _stamp(lang), lang)


def comparison_export(
    result: dict,
    records: dict[str, DocRecord],
    units_by_key: dict[str, Unit],
    title: str,
    topic_labels: dict[str, str] | None = None,
    lang: str = "en",
) -> Export:
    """An export of ``kb.compare.cells.coverage`` output; documents without units (not in the local
    corpus) become a placeholder row with their official URL."""
    labels = topic_labels or {}
    rows = []
    for topic in result["topics"]:
        label = labels.get(topic["topic"], topic["topic"])
        for column in topic["instruments"]:
            record = records[column["doc_id"]]
            if not record.files:
                rows.append(missing_row(record, label, lang))
                continue
            for cell in column["units"]:
                unit = units_by_key[f"{record.doc_id}/{cell['unit_id']}"]
                rows.append(
                    provision_row(unit, record, cell.get("force", ""), label, lang, units_by_key)
                )
    return Export("comparison", title, rows, _stamp(lang), lang)


def diff_export(
    diffs: Iterable[ProvisionDiff],
    old: DocRecord,
    new: DocRecord,
    title: str,
    changed_only: bool = True,
    lang: str = "en",
) -> Export:
    """An export of a version diff (``kb.compare.diff``); each row cites the provision in the new
    version, linked to its article's official page where the publisher has one."""
    from kb.compare.matrix import article_url

    rows = []
    for d in diffs:
        if changed_only and d.change == "unchanged":
            continue
        rows.append(
            Row(
                citation=record_citation(new, d.unit_id),
                heading=d.heading,
                text=d.new_text,
                instrument=title_label(lang, new.short_title),
                version=f"{version_text(lang, old)} → {version_text(lang, new)}",
                url=article_url(new, d.unit_id)[0],
                change=d.change,
                old_text=d.old_text,
            )
        )
    subtitle = (
        f"{title_label(lang, old.short_title)} ({version_text(lang, old)}) → "
        f"{title_label(lang, new.short_title)} ({version_text(lang, new)}); "
        f"{_stamp(lang)}"
    )
    return Export("diff", title, rows, subtitle, lang)


def render(export: Export, fmt: str) -> bytes:
    """The export as bytes in ``fmt`` (``md``, ``csv`` or ``docx``)."""
    if fmt == "md":
        return to_markdown(export).encode("utf-8")
    if fmt == "csv":
        return to_csv(export).encode("utf-8-sig")  # the BOM lets spreadsheet programs read UTF-8
    if fmt == "docx":
        return to_docx(export)
    raise ValueError(f"unknown export format {fmt!r}; supported: {', '.join(FORMATS)}")


def filename(export: Export, fmt: str) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", export.title.lower()).strip("-")[:60] or "levelfield"
    return f"{stem}{FORMATS[fmt][1]}"


# --------------------------------------------------------------------------- markdown


_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_MD_LINE_START = re.compile(r"^([#>+\-=]|\d+[.)])")


def md_escape(text: str) -> str:
    """Text that Markdown renders literally, with as few backslashes as possible: emphasis,
    links, HTML (``<script>``), entities and line-start markers (``# ``, ``- ``, ``1. ``) are
    escaped; line breaks kept as hard breaks. (The app escapes more: ``kb.explore.views.plain``.)"""
    out = []
    for line in str(text).splitlines():
        line = _MD_INLINE.sub(r"\\\1", line.strip())
        line = _MD_LINE_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], line)
        if line:
            out.append(line)
    return "  \n".join(out)


def md_url(url: str) -> str:
    """A Markdown link to an http(s) URL (anything else is shown as escaped text)."""
    if not re.match(r"^https?://[^\s<>()\[\]]+$", url):
        return md_escape(url)
    return f"[{md_escape(url)}]({url})"


def to_markdown(export: Export) -> str:
    out = [f"# {md_escape(export.title)}", "", f"*{md_escape(export.subtitle)}*", ""]
    topic = None
    for row in export.rows:
        if export.kind == "comparison" and row.topic != topic:
            topic = row.topic
            out += [f"## {md_escape(topic)}", ""]
        out += _md_row(row, "###" if export.kind == "comparison" else "##", export.lang)
    out += ["---", "", f"*{md_escape(disclaimer(export.lang))}*", ""]
    return "\n".join(out)


def _row_words(row: Row, lang: str) -> dict[str, str]:
    """The interface words of an export row in ``lang``: its change, its force, the labels."""
    force = force_label(lang, row.force)
    return {
        "change": value_label(lang, row.change) if row.change else "",
        "force": f"{tr(lang, 'export.force')}: {force}" if force else "",
        "status": tr(lang, "reader.deleted") if row.status == "deleted" else "",
        "missing": value_label(lang, NOT_IN_CORPUS),
        "before": tr(lang, "export.before"),
        "after": tr(lang, "export.after"),
        "changes": tr(lang, "export.changes"),
        "redline_md": tr(lang, "export.redline_md"),
        "redline_docx": tr(lang, "export.redline_docx"),
    }


def _md_row(row: Row, level: str, lang: str = "en") -> list[str]:
    words = _row_words(row, lang)
    if row.text == NOT_IN_CORPUS and not row.citation:
        return [
            f"{level} {md_escape(row.instrument)}",
            "",
            f"{md_escape(words['missing'])}: {md_url(row.url)}",
            "",
        ]
    head = " — ".join(x for x in (md_escape(row.citation), md_escape(row.heading)) if x)
    if row.change:
        head += f" ({md_escape(words['change'])})"
    meta = [md_escape(row.instrument), md_escape(row.version)]
    if row.force:
        meta.append(md_escape(words["force"]))
    if words["status"]:
        meta.append(f"**{md_escape(words['status'])}**")
    out = [f"{level} {head}", "", " · ".join(meta) + f" · {md_url(row.url)}", ""]
    if row.change:
        out += [
            f"**{words['before']}**  \n{md_escape(row.old_text) or '—'}",
            "",
            f"**{words['after']}**  \n{md_escape(row.text) or '—'}",
            "",
        ]
        if row.old_text and row.text:
            legend = words["redline_md"]
            out += [f"**{words['changes']}** {legend}:  \n{md_redline(row)}", ""]
    else:
        out += ["> " + (md_escape(row.text) or "—").replace("\n", "\n> "), ""]
    return out


def md_redline(row: Row) -> str:
    """The change from ``old_text`` to ``text`` word by word (``kb.compare.diff.word_ops``):
    deleted words struck through, inserted words in ``<ins>``; nothing is cut."""
    from kb.compare.diff import word_ops

    marks = {"=": "{}", "-": "~~{}~~", "+": "<ins>{}</ins>"}
    return " ".join(
        marks[op].format(md_escape(words)) for op, words in word_ops(row.old_text, row.text)
    )


# --------------------------------------------------------------------------- csv


def csv_cell(value: str) -> str:
    """A CSV cell that a spreadsheet will not evaluate as a formula: a formula character at the
    start, after any leading whitespace or line break, or in its full-width form ("＝1+1"), gets
    a leading apostrophe."""
    value = str(value)
    head = unicodedata.normalize("NFKC", value.lstrip()[:1])
    if value[:1] in ("\t", "\r", "\n") or head in ("=", "+", "-", "@", "|", "%"):
        return "'" + value
    return value


def to_csv(export: Export) -> str:
    columns = _COLUMNS[export.kind]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in export.rows:
        writer.writerow([csv_cell(getattr(row, name)) for name in columns])
    return buffer.getvalue()


# --------------------------------------------------------------------------- docx

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str) -> str:
    return _XML_ILLEGAL.sub("", str(text))


def to_docx(export: Export) -> bytes:
    from docx import Document

    document = Document()
    document.core_properties.title = _x(export.title)[:250]
    document.add_heading(_x(export.title), level=0)
    document.add_paragraph().add_run(_x(export.subtitle)).italic = True
    topic = None
    for row in export.rows:
        if export.kind == "comparison" and row.topic != topic:
            topic = row.topic
            document.add_heading(_x(topic), level=1)
        _docx_row(document, row, 2 if export.kind == "comparison" else 1, export.lang)
    document.add_paragraph().add_run(disclaimer(export.lang)).italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_row(document, row: Row, level: int, lang: str = "en") -> None:
    words = _row_words(row, lang)
    if row.text == NOT_IN_CORPUS and not row.citation:
        document.add_heading(_x(row.instrument), level=level)
        paragraph = document.add_paragraph(_x(f"{words['missing']}: "))
        _hyperlink(paragraph, row.url, row.url)
        return
    head = " — ".join(x for x in (row.citation, row.heading) if x)
    document.add_heading(_x(head + (f" ({words['change']})" if row.change else "")), level=level)
    meta = " · ".join(
        x for x in (row.instrument, row.version, words["force"], words["status"]) if x
    )
    paragraph = document.add_paragraph()
    paragraph.add_run(_x(meta) + (" · " if row.url else "")).italic = True
    if row.url:  # a real link a reader of the document can click
        _hyperlink(paragraph, row.url, row.url)
    if row.change:
        document.add_paragraph().add_run(words["before"]).bold = True
        document.add_paragraph(_x(row.old_text) or "—")
        document.add_paragraph().add_run(words["after"]).bold = True
    document.add_paragraph(_x(row.text) or "—")
    if row.change and row.old_text and row.text:
        document.add_paragraph().add_run(f"{words['changes']} {words['redline_docx']}:").bold = True
        _docx_redline(document.add_paragraph(), row)


def _docx_redline(paragraph, row: Row) -> None:
    """Word runs of the word-level change: deletions struck through in red, insertions
    underlined in blue (``kb.compare.diff.word_ops``; the whole text, nothing cut)."""
    from docx.shared import RGBColor

    from kb.compare.diff import word_ops

    for i, (op, words) in enumerate(word_ops(row.old_text, row.text)):
        run = paragraph.add_run(("" if i == 0 else " ") + _x(words))
        if op == "-":
            run.font.strike = True
            run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
        elif op == "+":
            run.font.underline = True
            run.font.color.rgb = RGBColor(0x00, 0x40, 0xB0)


def _stamp(lang: str = "en") -> str:
    return tr(lang, "export.stamp", date=dt.date.today().isoformat())


def disclaimer(lang: str = "en") -> str:
    """What every export ends with ("… Verify every provision in the official text."), in the
    interface language."""
    return tr(lang, "export.disclaimer")


# --------------------------------------------------------------------------- obligation matrix


def matrix_markdown(
    title: str,
    columns,
    rows,
    topic_labels: dict[str, str],
    link: str = "",
    lang: str = "en",
    advice: list[dict] = (),
    baseline: str = "",
) -> str:
    """One Markdown table per topic: elements × instruments, each cell ✓/~/✗, the fact and the
    citation linked to its article-level official URL, and its mark against the ``baseline``
    (its title) when the view compares; under it, what the policy texts say on the topic
    (``advice``: ``kb.compare.matrix.policy_advice`` entries), quoted and linked."""
    from kb.explore.matrix_view import cell_text, mark_text, quote_shown
    from kb.explore.ui_text import element_question

    view = tr(lang, "export.view")
    out = [
        f"# {md_escape(title)}",
        "",
        f"*{_stamp(lang)}*" + (f" — {view}: {md_url(link)}" if link else ""),
        "",
    ]
    if baseline:
        out += [f"*{md_escape(tr(lang, 'export.baseline', base=baseline))}*", ""]
    topic = None
    for row in rows:
        if row.topic != topic:
            out += _advice_markdown(advice, topic, lang)
            topic = row.topic
            out += ["", f"## {md_escape(topic_labels.get(topic, topic))}", ""]
            header = md_escape(tr(lang, "export.element"))
            out.append(f"| {header} | " + " | ".join(md_escape(c.label) for c in columns) + " |")
            out.append("|---" * (len(columns) + 1) + "|")
        cells = []
        for i, (column, cell) in enumerate(zip(columns, row.cells, strict=True)):
            mark = row.marks[i] if row.marks else ""
            text = md_escape(cell_text(cell, lang) + mark_text(cell, mark, lang))
            url = cell["citations"][0]["url"] if cell and cell["citations"] else column.url
            # the words that decide a ✓ or ~ (every yes a reader sees comes with its quote)
            said = f" “{md_escape(quote_shown(cell['quote']))}”" if cell and cell["quote"] else ""
            cells.append(_md_link(text, url) + said)
        question = element_question(lang, row.element, row.question)
        out.append(f"| {md_escape(question)} | " + " | ".join(cells) + " |")
    out += _advice_markdown(advice, topic, lang)
    out += ["", f"*{disclaimer(lang)}*", ""]
    return "\n".join(out)


def topic_advice(advice: list[dict], topic: str | None) -> list[dict]:
    """The entries of ``advice`` (``kb.compare.matrix.policy_advice``) on ``topic``."""
    return [a for a in advice if a["topic"] == topic]


def _advice_markdown(advice: list[dict], topic: str | None, lang: str) -> list[str]:
    entries = topic_advice(advice, topic)
    if not entries:
        return []
    lines = ["", f"*{md_escape(tr(lang, 'matrix.advice'))}*", ""]
    for a in entries:
        cite = md_escape(f"{a['citation']} {a['heading']}".strip())
        lines.append(f"- {_md_link(cite, a['url'])}: “{md_escape(a['quote'])}”")
    return lines


def _md_link(text: str, url: str) -> str:
    """``[text](<url>)`` for an http(s) URL; ``text`` (already escaped) alone otherwise."""
    safe = url if url and re.match(r"^https?://[^\s<>()\[\]]+$", url) else ""
    return f"[{text}](<{safe}>)" if safe else text


def matrix_csv(columns, rows, lang: str = "en") -> str:
    """One line per element × instrument: value, fact, citation, URL, quote. Values, forces and
    ids are the CLI contract's codes (``yes``, ``obligation``: a spreadsheet filters on them);
    the question is in the interface language ``lang``."""
    from kb.explore.ui_text import element_question

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "topic",
            "element",
            "question",
            "instrument",
            "doc_id",
            "value",
            "force",
            "fact",
            "citation",
            "url",
            "url_kind",
            "quote",
            "source",
            "mark",
            # the codes above in the interface language
            "value_text",
            "force_text",
            "mark_text",
            # a phased-in number: the words that state it (the quote states the cue)
            "fact_quote",
        ]
    )
    for row in rows:
        for i, (column, cell) in enumerate(zip(columns, row.cells, strict=True)):
            mark = row.marks[i] if row.marks else ""
            if cell is None:
                values = [NOT_IN_CORPUS, "", "", "", column.url, "document", "", "", mark]
            else:
                first = cell["citations"][0] if cell["citations"] else {}
                values = [
                    cell["value"],
                    cell["force"],
                    fact_text(lang, cell["fact"]) if cell.get("fact") else "",
                    first.get("citation", ""),
                    first.get("url", column.url),
                    "article" if first.get("url_is_article") else "document",
                    cell["quote"] or "",
                    cell["source"],
                    mark,
                ]
            words = [
                value_label(lang, values[0]),
                force_label(lang, values[1]) if values[1] else "",
                value_label(lang, mark) if mark and cell is not None else "",
            ]
            writer.writerow(
                [
                    csv_cell(v)
                    for v in [
                        row.topic,
                        row.element,
                        element_question(lang, row.element, row.question),
                        column.label,
                        column.doc_id or column.family,
                        *values,
                        *words,
                        ((cell or {}).get("fact") or {}).get("quote", ""),
                    ]
                ]
            )
    return buffer.getvalue()


def matrix_docx(
    title: str,
    columns,
    rows,
    topic_labels: dict[str, str],
    link: str = "",
    lang: str = "en",
    advice: list[dict] = (),
    baseline: str = "",
) -> bytes:
    """A Word document with one real table per topic; each cell ✓/~/✗, the fact, the citation
    as a hyperlink to its official URL and its mark against the ``baseline`` (its title) when
    the view compares; under each table, what the policy texts say on the topic (``advice``),
    quoted, with a hyperlink."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    from kb.explore.matrix_view import SYMBOLS, mark_text, quote_shown
    from kb.explore.ui_text import element_question

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.core_properties.title = _x(title)[:250]
    document.add_heading(_x(title), level=0)
    document.add_paragraph().add_run(
        _x(_stamp(lang) + (f" — {tr(lang, 'export.view')}: {link}" if link else ""))
    ).italic = True
    if baseline:
        document.add_paragraph().add_run(
            _x(tr(lang, "export.baseline", base=baseline))
        ).italic = True
    topic = None
    table = None
    for row in rows:
        if row.topic != topic:
            _advice_docx(document, advice, topic, lang)
            topic = row.topic
            document.add_heading(_x(topic_labels.get(topic, topic)), level=1)
            table = document.add_table(rows=1, cols=len(columns) + 1)
            table.style = "Table Grid"
            table.rows[0].cells[0].text = tr(lang, "export.element")
            for i, column in enumerate(columns, 1):
                table.rows[0].cells[i].text = _x(column.label)
        cells = table.add_row().cells
        cells[0].text = _x(element_question(lang, row.element, row.question))
        for i, cell in enumerate(row.cells, 1):
            paragraph = cells[i].paragraphs[0]
            if cell is None:
                paragraph.add_run(value_label(lang, NOT_IN_CORPUS) + " ")
                if columns[i - 1].url:  # its official source, as the Markdown table links it
                    _hyperlink(paragraph, columns[i - 1].url, "↗")
                continue
            paragraph.add_run(SYMBOLS[cell["value"]] + " ")
            if cell.get("fact"):
                paragraph.add_run(_x(fact_text(lang, cell["fact"])) + " ")
            if cell["citations"]:
                first = cell["citations"][0]
                _hyperlink(paragraph, first["url"], first["citation"])
                if not first.get("url_is_article", True):
                    paragraph.add_run(f" ({tr(lang, 'matrix.doc_link')})").italic = True
            if cell.get("source") == "editorial":
                paragraph.add_run(f" ({value_label(lang, 'editorial')})").italic = True
            if row.marks and row.marks[i - 1]:
                paragraph.add_run(_x(mark_text(cell, row.marks[i - 1], lang))).bold = True
            # the words that decide it, under the mark (every yes comes with its quote)
            for words in (cell["quote"], (cell.get("fact") or {}).get("quote")):
                if words:
                    run = cells[i].add_paragraph().add_run(_x(f"“{quote_shown(words)}”"))
                    run.italic, run.font.size = True, Pt(8)
    _advice_docx(document, advice, topic, lang)
    document.add_paragraph().add_run(disclaimer(lang)).italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _advice_docx(document, advice: list[dict], topic: str | None, lang: str) -> None:
    entries = topic_advice(advice, topic)
    if entries:
        document.add_paragraph().add_run(_x(tr(lang, "matrix.advice"))).italic = True
    for a in entries:
        paragraph = document.add_paragraph(style="List Bullet")
        _hyperlink(paragraph, a["url"], f"{a['citation']} {a['heading']}".strip())
        paragraph.add_run(_x(f": “{a['quote']}”"))


def _hyperlink(paragraph, url: str, text: str) -> None:
    """A real hyperlink run (python-docx has no API for it: one relationship + w:hyperlink)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.append(underline)
    run.append(props)
    node = OxmlElement("w:t")
    node.text = _x(text)
    run.append(node)
    link.append(run)
    paragraph._p.append(link)
