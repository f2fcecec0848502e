"""The manifest: every instrument of the corpus README, validated on load."""

import json
import re

import pytest

from corpus.manifest import load_manifest, parse_manifest
from kb.errors import ManifestError


def test_every_mirror_folder_is_in_the_manifest_with_its_checksums(mirror, manifest):
    for folder in sorted(p for p in mirror.iterdir() if p.is_dir()):
        source = json.loads((folder / "source.json").read_text(encoding="utf-8"))
        record = manifest[folder.name]
        assert {f.name: f.sha256 for f in record.files} == {
            f["name"]: f["sha256"] for f in source["files"]
        }
        assert record.official_url == source["official_url"]


def test_every_instrument_listed_as_missing_in_the_corpus_readme_is_known(mirror, manifest):
    readme = (mirror.parent / "README.md").read_text(encoding="utf-8")
    missing_part = readme.split("## Not available offline", 1)[1]
    ids = re.findall(r"^\| `([a-z0-9-]+)` \|", missing_part, flags=re.M)
    assert len(ids) >= 10
    for doc_id in ids:
        assert doc_id in manifest, doc_id
        assert manifest[doc_id].files == ()  # listed as missing, with its official source
        assert manifest[doc_id].official_url.startswith("http")


def test_relations(manifest):
    assert "eu-csddd-2024-1760" in manifest["eu-omnibus-2026-470"].amends
    assert "eu-csddd-2024-1760" in manifest["eu-omnibus-2025-794"].amends
    assert manifest["eu-csddd-2024-1760-fr"].translation_of == "eu-csddd-2024-1760"
    assert (
        manifest["eu-csddd-2024-1760-consolidated-2026-03-18"].consolidates == "eu-csddd-2024-1760"
    )
    assert manifest["eu-com-2022-71"].adopted_as == "eu-csddd-2024-1760"


def test_short_titles_as_users_say_them(manifest):
    assert manifest["eu-csddd-2024-1760"].short_title == "CSDDD"
    assert manifest["de-lksg-2021"].short_title == "LkSG"
    assert manifest["un-ungps-2011"].short_title == "UNGPs"
    assert manifest["fr-loi-vigilance-2017"].short_title == "Loi de vigilance"


def _entry(**changes):
    entry = {
        "doc_id": "syn-a",
        "title": "Synthetic A",
        "short_title": "A",
        "cite_as": "A",
        "jurisdiction": "XX",
        "instrument_type": "bill",
        "status": "proposal",
        "language": "en",
        "official_url": "https://example.invalid/a",
    }
    entry.update(changes)
    return entry


BAD = [
    ([_entry(colour="red")], "unknown field"),
    ([_entry(adopted="2021-13-40")], "not an ISO date"),
    ([_entry(), _entry()], "duplicate doc_id 'syn-a'"),
    ([_entry(consolidates="nowhere")], "unknown doc_id 'nowhere'"),
    ([_entry(amends=["nowhere"])], "unknown doc_id 'nowhere'"),
    ([_entry(instrument_type="poem")], "instrument_type"),
    ([_entry(title="")], "'title' is required"),
    ([_entry(files=[{"name": "a.xyz", "format": "xyz"}])], "format 'xyz'"),
    (["not an object"], "expected an object"),
    ([_entry(doc_id="../../etc")], "doc_id '../../etc' must be lower-case"),
    ([_entry(doc_id="Syn-A")], "must be lower-case letters"),
    ([_entry(files=[{"name": "../x.txt", "format": "txt"}])], "file name '../x.txt' must be"),
    ([_entry(files=[{"name": "sub/x.txt", "format": "txt"}])], "must be a plain file name"),
    ([_entry(files=[{"name": ".hidden.txt", "format": "txt"}])], "must be a plain file name"),
    ([_entry(files=[{"name": "x\n.txt", "format": "txt"}])], "must be a plain file name"),
]


@pytest.mark.parametrize(("entries", "message"), BAD)
def test_invalid_manifest_errors_name_the_problem(entries, message):
    with pytest.raises(ManifestError, match=re.escape(message)):
        parse_manifest(entries, source="test")


def test_unreadable_manifest_file(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_bytes(b"\xff\xfe not json")
    with pytest.raises(ManifestError, match="manifest.json"):
        load_manifest(path)


def test_a_user_manifest_entry_pointing_outside_the_uploads_is_refused(tmp_path):
    """user_manifest.json is data a user (or an attacker) can edit: its ids and file names are
    checked before anything is read, removed or listed."""
    import json

    from corpus.manifest import manifest_for

    entry = _entry(doc_id="syn-user", files=[{"name": "../../units.jsonl", "format": "txt"}])
    (tmp_path / "user_manifest.json").write_text(json.dumps({"documents": [entry]}))
    with pytest.raises(ManifestError, match="must be a plain file name"):
        manifest_for(tmp_path)
