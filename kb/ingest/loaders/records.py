"""Loader for structured provision records ("json-provisions"), as legal databases export them.

A JSON file holds a list of records, one per section/article, each with a number, a title and the
text. The field names come from the manifest (``FileRecord.fields``; defaults below), so the same
loader reads any such export: ``{"records": "provisions", "number": "section", "title": "title",
"text": "content", "kind": "sec"}``. ``records`` may be a dotted path (``data.items``) or ``.``
for a file that is itself the list.

The text of a record is a sequence of lines (lists flattened into lines, as Lovdata and similar
exports do). Each line is classified by the numbering grammar:

- ``a.`` / ``a)`` — a lettered point; ``1.`` / ``1)`` — a numbered point (nested under the current
  letter when there is one, else under the paragraph);
- an amendment or commencement note (``0 Endret ved lov …``, ``1 Fra 1 juli 2022 …``) — a
  footnote, kept out of the body;
- anything else — a new numbered paragraph (``par-N``, a Norwegian "ledd", a German "Absatz"),
  except directly after a nested list, where it continues the lettered point that holds the list.

A record whose text has a single paragraph and no points is one unit without sub-units.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from kb.errors import LoadError
from kb.ingest.structure import UnitBuilder
from kb.models import DocRecord, FileRecord, Unit

DEFAULT_FIELDS = {
    "records": "provisions",
    "number": "section",
    "title": "title",
    "text": "content",
    "kind": "sec",
}
_LETTER = re.compile(r"^([a-z])[.)]\s+(.*)$")
_NUMBER = re.compile(r"^(\d{1,2})[.)]\s+(.*)$")
_NOTE = re.compile(
    r"^\d{1,2}\s+(?:Endret|Tilføyd|Opphevet|Fra|Geändert|Eingefügt|Aufgehoben|Amended|Inserted)\b"
)
_INLINE_NOTE_MARK = re.compile(r"\u200b\d{1,2}\b")
_KINDS = ("sec", "art", "para")


def load(path: Path, record: DocRecord, file: FileRecord) -> list[Unit]:
    """Parse a JSON file of provision records into units (``sec-N`` with ``par``/``pt`` below).

    Raises ``LoadError`` naming the file for invalid JSON, a missing records list, a record
    without number or text, or a duplicate number.
    """
    name = path.name
    fields = {**DEFAULT_FIELDS, **(file.fields or {})}
    if fields["kind"] not in _KINDS:
        raise LoadError(f"{name}: fields.kind must be one of {_KINDS}, not {fields['kind']!r}")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise LoadError(f"{name}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise LoadError(f"{name}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise LoadError(f"{name}: JSON nested too deeply") from None
    records = _records(name, data, fields["records"])
    builder = UnitBuilder(record, file.name or name)
    for i, raw in enumerate(records):
        where = f"{name}: record #{i + 1}"
        if not isinstance(raw, dict):
            raise LoadError(f"{where}: expected an object, got {type(raw).__name__}")
        number, title, text = (raw.get(fields[k]) for k in ("number", "title", "text"))
        if not isinstance(number, str | int) or not str(number).strip():
            raise LoadError(f"{where}: field {fields['number']!r} (the provision number) missing")
        if not isinstance(text, str) or not text.strip():
            raise LoadError(f"{where} ({number}): field {fields['text']!r} (the text) missing")
        if title is not None and not isinstance(title, str):
            raise LoadError(f"{where} ({number}): field {fields['title']!r} must be text")
        try:
            builder.open(0, fields["kind"], str(number), heading=title or "")
        except LoadError as exc:
            raise LoadError(f"{where}: {exc}") from None
        _walk_lines(builder, text)
    return builder.build()


def _records(name: str, data: object, path: str) -> list:
    node = data
    if path != ".":
        for key in path.split("."):
            if not isinstance(node, dict) or key not in node:
                raise LoadError(f"{name}: no records list at {path!r} (missing key {key!r})")
            node = node[key]
    if not isinstance(node, list) or not node:
        raise LoadError(f"{name}: {path!r} is not a non-empty list of records")
    return node


def _walk_lines(builder: UnitBuilder, text: str) -> None:
    lines = [_INLINE_NOTE_MARK.sub("", line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    body = [line for line in lines if not _NOTE.match(line)]
    for note in (line for line in lines if _NOTE.match(line)):
        builder.add_footnote(note)
    structured = len(body) > 1 or any(_LETTER.match(x) or _NUMBER.match(x) for x in body)
    if not structured:
        builder.add_text(" ".join(body))
        return
    paragraph = 0
    letter_open = False  # a lettered point is open at level 2
    nested = False  # the last line was a numbered point under a letter
    for line in body:
        letter, number = _LETTER.match(line), _NUMBER.match(line)
        if letter:
            if paragraph == 0:
                paragraph = 1
                builder.open(1, "par", "1")
            builder.open(2, "pt", letter.group(1), label=f"{letter.group(1)}.")
            builder.add_text(letter.group(2))
            letter_open, nested = True, False
        elif number:
            if paragraph == 0:
                paragraph = 1
                builder.open(1, "par", "1")
            level = 3 if letter_open else 2
            builder.open(level, "pt", number.group(1), label=f"{number.group(1)}.")
            builder.add_text(number.group(2))
            nested = letter_open
        elif nested:
            builder.close(3)  # text after a nested list: the tail of the lettered point
            builder.add_text(line)
            nested = False
        else:
            paragraph += 1
            builder.open(1, "par", str(paragraph))
            builder.add_text(line)
            letter_open = nested = False
