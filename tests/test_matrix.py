"""The obligation matrix and principal force, on the real corpus.

Expected forces and values are the product issue's own examples, checked against the texts at
test time (the deciding words must be in the unit); every cell of the whole matrix is checked for
a verbatim quote, not a sample.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kb.cli import main
from kb.compare.elements import element_ids, elements
from kb.compare.matrix import VALUES, Corpus
from kb.compare.topics import topic_ids


@pytest.fixture(scope="module")
def corpus(data_dir, units):
    from kb.compare.cache import corpus_of

    return corpus_of(data_dir, units)


@pytest.fixture(scope="module")
def matrix(data_dir):
    from kb.compare.cache import load_matrix

    return load_matrix(data_dir, editorial=False)


def _unit(corpus, doc_id, unit_id):
    return corpus.by_id[(doc_id, unit_id)]


FORCES = [
    # (doc, unit, force, words that must be in the unit and decide it)
    (
        "eu-csddd-2024-1760",
        "art-27",
        "obligation",
        "Member States shall lay down the rules on penalties",
    ),
    ("eu-csddd-2024-1760", "art-29", "obligation", "Member States shall ensure"),
    ("fr-loi-vigilance-2017", "art-L225-102-1.pt-4", "obligation", "mécanisme d'alerte"),
    ("fr-loi-vigilance-2017", "art-L225-102-1", "obligation", "établit et met en œuvre"),
    # the statute's present of a thing: "contient" like "comporte" (was none; EN "shall … contain")
    ("eu-csddd-2024-1760-fr", "art-7.par-2", "obligation", "et contient l'ensemble des éléments"),
    # a point without a cue of its own completes its lead-in, though a later sentence says "peuvent"
    ("fr-loi-vigilance-2017", "art-L225-102-1.pt-5", "obligation", "sont rendus publics"),
    ("eu-csddd-2024-1760", "art-10.par-2.pt-b", "obligation", ""),
    ("eu-deforestation-2023-1115", "art-3", "prohibition", "shall not be placed"),
    ("de-lksg-2021", "sec-3.par-3", "none", "begründet keine zivilrechtliche Haftung"),
    ("de-lksg-2021", "sec-8.par-1", "obligation", "hat dafür zu sorgen"),
    ("un-ungps-2011", "principle-29", "recommendation", "should"),
    ("no-transparency-act-2021", "sec-4.par-1", "obligation", "skal utføre aktsomhetsvurderinger"),
    ("uk-modern-slavery-act-2015", "sec-54.par-1", "obligation", "must prepare"),
    # "Without prejudice to …" opens the rule, it is not an exception to it
    ("eu-csddd-2024-1760", "art-4.par-1", "prohibition", "Member States shall not introduce"),
    # a provision that is nothing but a derogation has the derogation's force
    ("eu-csddd-2024-1760", "art-4.par-2", "permission", "shall not preclude Member States from"),
    # subject matter and purpose say what the act is about
    ("eu-csddd-2024-1760", "art-1", "none", "This Directive lays down rules on"),
    # a power conferred is a permission, not the Commission's duty (EN, FR)
    (
        "eu-csddd-2024-1760-consolidated-2026-03-18",
        "art-34.par-2",
        "permission",
        "The power to adopt delegated acts",
    ),
    ("eu-com-2022-71-fr", "art-28.par-2", "permission", "est conféré à la Commission"),
    # a provision declared applicable "mutatis mutandis" is a cross-reference
    ("eu-csrd-2022-2464", "art-3.pt-24", "none", "shall apply mutatis"),
    # the statute's present: "la société sollicite au premier chef ces informations"
    ("eu-csddd-2024-1760-fr", "art-8.par-4", "obligation", "la société sollicite"),
    ("no-transparency-act-2021", "sec-1", "none", "Loven skal fremme"),
    # a "hat … zu" whose infinitives are in the points of its list
    ("de-lksg-2021", "sec-9.par-3", "obligation", "so hat es anlassbezogen unverzüglich"),
    # French civil liability: "engage la responsabilité … et l'oblige à réparer"
    ("fr-loi-vigilance-2017", "art-L225-102-2", "obligation", "l'oblige à réparer"),
    # an exemption whose list point has a "muss" of its own
    ("ch-co-964-2021", "art-964a.par-2", "none", "Von dieser Pflicht befreit sind"),
    ("ch-co-964-2021", "art-964l.par-5", "none", "selber keinen Bericht erstellen"),
    # a management body acting for the company ("stellt sicher")
    ("ch-co-964-2021", "art-964c.par-2", "obligation", "Verwaltungsorgan stellt sicher"),
    # the first "may" decides; later "shall"s describe the assistance
    ("eu-deforestation-2023-1115", "art-15.par-1", "permission", "Member States may provide"),
    # a principle of soft law is its first paragraph, not its commentary
    ("un-ungps-2011", "principle-12", "none", "refers to internationally recognized"),
    # an exclusion of a consequence is not a prohibition
    (
        "eu-csddd-2024-1760-consolidated-2026-03-18",
        "art-9.par-4",
        "none",
        "shall not expose the company to penalties",
    ),
    # scope of the Norwegian act; "Kongen kan gi forskrift om at loven … skal gjelde" is content
    ("no-transparency-act-2021", "sec-2", "none", "Loven gjelder for større virksomheter"),
    # a power of the authority stated in the French present ("elle accorde")
    ("eu-com-2022-71-fr", "art-18.par-4", "obligation", "elle accorde"),
    # an annex lists; its points inherit no command
    ("eu-csddd-2024-1760", "annex.part-I.sec-1.pt-11", "none", "The prohibition of forced"),
    # "wird … ermächtigt": the points of a delegation are permissions
    ("de-lksg-2021", "sec-13.par-3.pt-1", "permission", "das Verfahren der Einreichung"),
    # the statute's present of a thing: "sont assortis des mesures appropriées"
    ("eu-com-2022-71-fr", "art-7.par-4", "obligation", "sont assortis des mesures"),
    # soft law's "need to"
    ("un-ungps-2011", "principle-15.commentary", "recommendation", "need to know and show"),
    # an amending point: the words it inserts decide, not its instruction nor its lead-in
    ("eu-csrd-2022-2464", "art-3.pt-25", "prohibition", "shall be prohibited"),
    ("eu-csrd-2022-2464", "art-1.pt-6", "none", "point (b) is replaced by the following"),
    # "müssen nicht prüfen … und sind … befreit": an exemption (need not), not a duty
    ("ch-ddtro-2021", "art-6", "none", "müssen nicht prüfen"),
    # the Swiss statute's present after the paragraph number; an authority's "prüft"
    ("ch-co-964-2021", "art-964j.par-4", "obligation", "4 Er legt fest"),
    ("de-lksg-2021", "sec-13.par-1.pt-1", "obligation", "der Bericht nach § 10 Absatz 2"),
    # a point under "… umfassen insbesondere": the statute's present of a thing's contents
    ("de-lksg-2021", "sec-17.par-2.pt-2", "obligation", "die Angaben und Nachweise"),
    # soft law's "may" says what can happen; its "should" decides
    ("un-ungps-2011", "principle-14.commentary", "none", "may have less capacity"),
    ("un-ungps-2011", "principle-29.commentary", "recommendation", "should"),
    # "elaborates … on how business enterprises should address": an indirect question
    ("un-ungps-2011", "principle-13.commentary", "none", "for how business enterprises should"),
    # the Federal Council acts: "Le Conseil fédéral détermine"; a French document's passive present
    ("ch-co-964-2021-fr", "art-964j.par-2", "obligation", "Le Conseil fédéral détermine"),
    ("ch-co-964-2021-fr", "art-964l.par-2", "obligation", "Le rapport est rédigé"),
    # "la manière dont les entreprises doivent …" asks how; "peut publier" decides
    ("eu-com-2022-71-fr", "art-13", "permission", "peut publier des lignes directrices"),
    # a list opened by a sentence of its own takes no "may" from before it (payment types)
    ("ch-co-964-2021", "art-964e.par-1.pt-6", "none", "Lizenz-, Miet- und Zugangsgebühren"),
    # "shall have at least the power to: (a) order …" grants a power
    ("eu-csddd-2024-1760-consolidated-2026-03-18", "art-25.par-5.pt-a.pt-i", "permission", "cease"),
    # the statute's present: "elle cite les instruments" (its lead-in of points a–e)
    ("ch-ddtro-2021-fr", "art-10.par-2", "obligation", "elle cite les instruments"),
    # a lead-in commands its points with its last verb: "refrain from … and shall … take the
    # following actions", "est tenue de s'abstenir … et … prend les mesures suivantes"
    ("eu-csddd-2024-1760", "art-11.par-7.pt-b", "obligation", "terminate the business"),
    ("eu-csddd-2024-1760-fr", "art-11.par-7.pt-a", "obligation", "adopter et mettre en œuvre"),
    # … but not the "may" of what the main verb ensures
    ("eu-csddd-2024-1760", "art-14.par-2.pt-a", "obligation", ""),
    # an annex lists, even where its words say "must not"
    ("eu-csddd-2024-1760", "annex.part-I.sec-1.pt-13.pt-b", "none", "must not be used"),
    # points of an empowerment inside a definitions article; not those of a definition
    ("eu-csddd-2024-1760-consolidated-2026-03-18", "art-3.par-2.pt-c.pt-i", "permission", ""),
    ("de-lksg-2021", "sec-2.par-2.pt-6", "none", "das Verbot der Missachtung"),
    # "ne sont pas tenues d'établir": an exemption (need not), as "müssen nicht"
    ("ch-ddtro-2021-fr", "art-17.par-2", "none", "ne sont pas tenues"),
    ("ch-ddtro-2021-fr", "art-17.par-2.pt-a", "none", "contrôlées par une personne morale"),
    # a document's contents in the French present ("Les lignes directrices … comprennent :"),
    # not the kinds of a payment ("Ils comprennent notamment les types de prestations")
    ("eu-csddd-2024-1760-consolidated-2026-03-18-fr", "art-19.par-2.pt-d", "obligation", ""),
    ("ch-co-964-2021-fr", "art-964e.par-1.pt-7", "none", "amélioration des infrastructures"),
    # the points of "Member States shall ensure that:" are what is ensured, whatever their verbs
    ("eu-csddd-2024-1760", "art-29.par-3.pt-d", "obligation", "may authorise a trade union"),
    ("eu-csddd-2024-1760", "art-29.par-3.pt-a.pt-ii", "obligation", "caused harm to them"),
    # a point whose first clause has no cue completes its lead-in, though a later clause "peut"
    ("eu-csddd-2024-1760-fr", "art-10.par-2.pt-a", "obligation", "les sociétés peuvent élaborer"),
    # Swiss present: "Unternehmen prüfen, ob" (not "müssen nicht prüfen"); "Behörde wird tätig";
    # "L'entreprise met à la disposition"; soft law's "it may not always be possible" describes
    ("ch-ddtro-2021", "art-5.par-1", "obligation", "Unternehmen prüfen, ob"),
    ("de-lksg-2021", "sec-14.par-1", "obligation", "Die zuständige Behörde wird tätig"),
    ("ch-ddtro-2021-fr", "art-14.par-1", "obligation", "L’entreprise met à la disposition"),
    ("un-ungps-2011", "principle-24.commentary", "recommendation", "it may not always be"),
    # "sont uniquement tenues de"; "sind Gegenstand, Wert, … anzugeben" (a gap with commas) but
    # not through a relative clause ("Wirksam sind solche Maßnahmen, die es ermöglichen, … zu
    # erkennen" defines); "La consultation … a lieu aux étapes suivantes"
    ("eu-com-2022-71-fr", "art-6.par-2", "obligation", "sont uniquement tenues de recenser"),
    ("ch-co-964-2021", "art-964e.par-2", "obligation", "Umfang anzugeben"),
    ("de-lksg-2021", "sec-4.par-2", "none", "Wirksam sind solche Maßnahmen, die es"),
    ("eu-csddd-2024-1760-consolidated-2026-03-18-fr", "art-13.par-3", "obligation", "a lieu"),
    # a scope article's "shall" says whom the act covers; its "may" (a power to extend) stays
    ("eu-csddd-2024-1760", "art-2.par-4", "none", "shall be calculated on a full-time"),
    ("de-lksg-2021", "sec-1.par-2", "none", "sind bei der Berechnung der Arbeitnehmerzahl"),
    ("ch-co-964-2021", "art-964i", "permission", "Der Bundesrat kann"),
    # the points of "… the power to … order the company to:" are what may be ordered
    ("eu-csddd-2024-1760", "art-25.par-5.pt-a.pt-ii", "permission", "refrain from any repetition"),
    # "hat … durchzuführen": a separable prefix the infinitive list lacked; "Der Bundesrat erlässt"
    ("de-lksg-2021", "sec-5.par-1", "obligation", "Risikoanalyse nach den Absätzen 2 bis 4"),
    ("ch-co-964-2021", "art-964k.par-4", "obligation", "Der Bundesrat erlässt"),
    # the "should" / "need to" of a question a report assesses ("(e) whether the rules … need to
    # be revised"); the points of an exemption's lead-in are its conditions, whatever their verbs
    ("eu-csddd-2024-1760", "art-36.par-2.pt-e", "obligation", "need to be revised"),
    ("ch-co-964-2021", "art-964a.par-2.pt-2", "none", "erstellen muss"),
    ("ch-co-964-2021-fr", "art-964a.par-2.pt-2", "none", "qui doit établir"),
    # a company's management body acts in the French present
    ("ch-co-964-2021-fr", "art-964l.par-1", "obligation", "rapporte annuellement"),
]


@pytest.mark.parametrize(("doc_id", "unit_id", "force", "words"), FORCES)
def test_principal_force_of_key_provisions(corpus, doc_id, unit_id, force, words):
    unit = _unit(corpus, doc_id, unit_id)
    assert words in unit.text
    assert corpus.principal_force(unit) == force


def test_a_deleted_provision_has_no_force(units):
    """CSDDD Art. 13(3)(c), deleted by the 2026 Omnibus, sits under "shall … at the following
    stages:" — it took the lead-in's obligation, with no words of its own to show for it."""
    from kb.compare.force import Provisions

    deleted = [u for u in units if u.status == "deleted"]
    assert any(u.unit_id == "art-13.par-3.pt-c" for u in deleted)
    provisions = Provisions(units)
    assert {provisions.principal_force(u) for u in deleted} == {"none"}


def test_obligations_say_a_provision_is_deleted(data_dir, capsys):
    """``kb obligations`` on CSDDD Art. 22 of the 2026 consolidation printed force "none" and no
    statements — read as "obliges no one"; it now says the provision is deleted."""
    doc = "eu-csddd-2024-1760-consolidated-2026-03-18"
    for unit, status in (("art-22", "deleted"), ("art-27.par-1", "current")):
        argv = ["--data", str(data_dir), "obligations", "--doc", doc, "--unit", unit, "--json"]
        assert main(argv) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["status"] == status


#: (doc_id, unit_id, its own force, the force its language versions agree, its own words)
AGREED = [
    # the German present "erfolgt" is read by no cue; the English says "shall be carried out"
    ("ch-ddtro-2021", "art-16.par-1", "none", "obligation", "erfolgt jährlich"),
    # "le rapport s'étend à" is read by no cue either; "so umfasst der Bericht" neither: none
    ("ch-co-964-2021-fr", "art-964b.par-4", "none", "none", "le rapport s’étend"),
    # a permission beside an obligation: each keeps its own
    ("eu-csddd-2024-1760", "art-10.par-1.pt-c", "permission", "permission", "the ability"),
    ("eu-csddd-2024-1760-fr", "art-10.par-1.pt-c", "obligation", "obligation", "la capacité"),
]


@pytest.mark.parametrize(("doc_id", "unit_id", "own", "agreed", "words"), AGREED)
def test_language_versions_of_a_provision_agree_its_force(
    corpus, data_dir, capsys, doc_id, unit_id, own, agreed, words
):
    """A force that one language version reads and another misses is the force of both; where
    they read different forces each keeps its own. What the CLI and the cached forces the pages
    read give is the agreed force."""
    from kb.compare.cache import load_forces

    unit = _unit(corpus, doc_id, unit_id)
    assert words in unit.text
    assert (corpus.own_force(unit), corpus.principal_force(unit)) == (own, agreed)
    assert load_forces(data_dir)[f"{doc_id}/{unit_id}"] == agreed
    main(["--data", str(data_dir), "obligations", "--doc", doc_id, "--unit", unit_id, "--json"])
    assert json.loads(capsys.readouterr().out)["force"] == agreed


@pytest.mark.parametrize(
    ("own", "others", "agreed"),
    [
        ("none", ["obligation"], "obligation"),
        ("obligation", ["none", "none"], "obligation"),
        ("none", ["none"], "none"),
        ("permission", ["obligation"], "permission"),
        ("none", ["prohibition", "permission"], "none"),
        ("recommendation", [], "recommendation"),
    ],
)
def test_agreed_force_table(own, others, agreed):
    from kb.compare.force import agreed_force

    assert agreed_force(own, others) == agreed


def test_elements_are_the_products_contract():
    ids = element_ids()
    assert len(ids) == len(set(ids)) == 40
    assert {e.topic for e in elements()} <= set(topic_ids())
    for e in elements():
        assert e.cues.get("en"), e.element


@pytest.mark.parametrize("editorial", [False, True])
def test_every_shown_cell_has_a_verbatim_quote_in_its_cited_unit(data_dir, units, editorial):
    from kb.compare.cache import load_matrix

    matrix = load_matrix(data_dir, editorial=editorial)
    by_id = {(u.doc_id, u.unit_id): u for u in units}
    shown = [c for c in matrix["cells"] if c["value"] in ("yes", "conditional")]
    assert len(shown) > 100
    for cell in matrix["cells"]:
        assert cell["value"] in VALUES and cell["source"] in ("automatic", "editorial")
        if cell["value"] == "no" and not cell["citations"]:
            assert cell["force"] == "none" and cell["quote"] is None  # a silent no
            continue
        unit = by_id[(cell["doc_id"], cell["quote_unit"])]
        assert unit.text[cell["quote_start"] : cell["quote_end"]] == cell["quote"]
        assert 0 < len(cell["quote"]) <= 300
        assert cell["citations"][0]["unit_id"] == cell["quote_unit"]


def test_every_automatic_quote_holds_the_words_that_decide_it(matrix, manifest):
    """A cited cell quotes a cue of its element in its own language; a cited "no" for a period
    out of bounds quotes that period; a cell decided on another language version says so
    (``decided_in``), and that version's quote holds the cue. The whole corpus, not a sample."""
    from kb.compare.elements import elements

    by_id = {e.element: e for e in elements()}
    cells = {(c["doc_id"], c["element"]): c for c in matrix["cells"]}

    def cued(cell) -> bool:
        element, language = by_id[cell["element"]], manifest[cell["doc_id"]].language
        tables = ("cues", "exclude", "condition")
        return any(p.search(cell["quote"]) for t in tables for p in element.patterns(t, language))

    cited = [c for c in matrix["cells"] if c["quote"] is not None]
    assert len(cited) > 300
    for cell in cited:
        if cued(cell) or (cell["fact"] and cell["fact"]["text"] in cell["quote"]):
            continue
        assert cell["decided_in"] != cell["doc_id"], (cell["doc_id"], cell["element"])
        assert cued(cells[(cell["decided_in"], cell["element"])]), (cell["doc_id"], cell["element"])


def test_the_shipped_editorial_entries_apply_and_say_so(data_dir, units):
    from kb.compare.cache import load_matrix
    from kb.compare.matrix import EDITORIAL_PATH, Corpus, read_editorial
    from kb.explore.matrix_view import editorial_reason

    entries = read_editorial(EDITORIAL_PATH, Corpus(units))
    assert entries and all(e["reason"] and e["quote"] for e in entries)
    cells = {(c["doc_id"], c["element"]): c for c in load_matrix(data_dir)["cells"]}
    for entry in entries:
        cell = cells[(entry["doc_id"], entry["element"])]
        assert (cell["source"], cell["value"], cell["quote"]) == (
            "editorial",
            entry["value"],
            entry["quote"],
        )
        assert cell["reason"] == entry["reason"]
        # the Dutch interface gives the reviewer's reason in Dutch, every number kept
        dutch = editorial_reason(cell, "nl")
        assert dutch == entry["reason_nl"] != entry["reason"]
        assert re.findall(r"\d+", dutch) == re.findall(r"\d+", entry["reason"]), entry["element"]
        assert editorial_reason(cell, "en") == entry["reason"]
    automatic = load_matrix(data_dir, editorial=False)["cells"]
    assert all(c["source"] == "automatic" for c in automatic)


def test_an_editorial_entry_holds_for_the_other_language_versions_of_its_text(data_dir, units):
    """The reviewer corrected the English 2026 consolidation (SMEs: no; complaints: Art. 14(1));
    its French version said the opposite or cited Art. 14(6) until the correction was carried,
    quoting the French provision's own opening words."""
    from kb.compare.cache import load_matrix

    by_key = {(u.doc_id, u.unit_id): u for u in units}
    cells = {(c["doc_id"], c["element"]): c for c in load_matrix(data_dir)["cells"]}
    english = "eu-csddd-2024-1760-consolidated-2026-03-18"
    for element in ("scope.sme", "grievance.required"):
        theirs, ours = cells[(english, element)], cells[(f"{english}-fr", element)]
        assert ours["source"] == "editorial" and ours["decided_in"] == english
        assert (ours["value"], ours["reason"]) == (theirs["value"], theirs["reason"])
        assert [c["unit_id"] for c in ours["citations"]] == [theirs["citations"][0]["unit_id"]]
        unit = by_key[(f"{english}-fr", ours["quote_unit"])]
        assert unit.text[ours["quote_start"] : ours["quote_end"]] == ours["quote"]
    assert cells[(f"{english}-fr", "grievance.required")]["quote"].startswith(
        "Les États membres veillent à ce que les sociétés permettent"
    )


def test_column_documents_exclude_policy_texts_and_amending_acts(matrix):
    columns = {c["doc_id"] for c in matrix["cells"]}
    assert "be-serv-advies-2021" not in columns
    assert "eu-omnibus-2026-470" not in columns and "eu-omnibus-2025-794-fr" not in columns
    assert {"eu-csddd-2024-1760", "eu-csddd-2024-1760-fr", "de-lksg-2021"} <= columns
    assert len(matrix["cells"]) == len(columns) * 40


def test_what_the_policy_advice_says_is_shown_beside_the_matrix_quoted_verbatim(
    matrix, units, manifest, data_dir, capsys
):
    """The SERV advice is no column; its passages on a topic are listed beside the matrix, each
    quoting a sentence of the advice verbatim (offsets into its unit) that holds a matched word."""
    from kb.explore import export as kx
    from kb.explore.matrix_view import columns_for, rows_for

    advice = matrix["advice"]
    assert advice and {a["doc_id"] for a in advice} == {"be-serv-advies-2021"}
    texts = {(u.doc_id, u.unit_id): u.text for u in units}
    for a in advice:
        text = texts[(a["doc_id"], a["unit_id"])]
        assert text[a["quote_start"] : a["quote_end"]] == a["quote"] and len(a["quote"]) <= 300
        words = [w for term in a["matched"] for w in term.lower().split()]
        assert any(w in a["quote"].lower() for w in words) or a["quote_start"] == 0, a
    procurement = [a for a in advice if a["topic"] == "public-procurement"]
    assert [a["unit_id"] for a in procurement] == ["sec-4-3"]  # "Duurzame overheidsaankopen"
    assert "overheidsopdrachten" in procurement[0]["quote"]
    # the CLI: a topic keeps its advice; picking columns (or elements) leaves the advice out
    argv = ["--data", str(data_dir), "matrix", "--json", "--topic", "public-procurement"]
    assert main(argv) == 0
    assert [a["unit_id"] for a in json.loads(capsys.readouterr().out)["advice"]] == ["sec-4-3"]
    assert main([*argv, "--doc", "de-lksg-2021"]) == 0
    assert json.loads(capsys.readouterr().out)["advice"] == []
    # the exports list it under the topic's table, linked
    columns = columns_for(manifest, matrix)
    rows = rows_for(matrix, columns, ["public-procurement"])
    labels = {"public-procurement": "Public procurement"}
    markdown = kx.matrix_markdown("Matrix", columns, rows, labels, advice=advice)
    assert markdown.index("What the policy advice says") > markdown.index("| element |")
    assert "SERV-advies 4.3" in markdown and "SERV-advies 4.1" not in markdown
    import io

    from docx import Document

    document = Document(io.BytesIO(kx.matrix_docx("Matrix", columns, rows, labels, advice=advice)))
    bullets = [p.text for p in document.paragraphs if "overheidsopdrachten" in p.text]
    assert len(bullets) == 1 and bullets[0].startswith("SERV-advies 4.3")


CELLS = [
    # the issue's examples: (doc, element, value, a unit the citation must lie in)
    ("fr-loi-vigilance-2017", "grievance.required", "yes", "art-L225-102-1"),
    ("de-lksg-2021", "civil-liability.established", "no", "sec-3.par-3"),
    ("de-lksg-2021", "grievance.required", "yes", "sec-8"),
    ("de-lksg-2021", "reporting.retention", "yes", "sec-10"),
    ("eu-csddd-2024-1760", "sanctions.turnover-cap", "yes", "art-27"),
    # the element's own number: "at least every 12 months" holds, the Omnibus's "at least every
    # 5 years" is a cited no that quotes the period
    ("eu-csddd-2024-1760", "monitoring.annual", "yes", "art-15"),
    ("eu-csddd-2024-1760-consolidated-2026-03-18", "monitoring.annual", "no", "art-15"),
    # an article that matches in several provisions (Art. 8(1), 8(2)(a), 8(2)(b)) over one passing
    # mention earlier (Art. 7(2)(b))
    ("eu-csddd-2024-1760", "value-chain.subsidiaries", "yes", "art-8"),
    # a supply chain defined as own and upstream activities excludes downstream; a Swiss seat
    # clause excludes foreign companies
    ("ch-ddtro-2021", "value-chain.downstream", "no", "art-2.par-1.pt-b"),
    ("ch-ddtro-2021", "scope.non-domestic", "no", "art-2.par-1.pt-a"),
    # an act that is mostly amendments has its substance in them: the CSRD's Art. 1 writes the
    # reporting duties into Directive 2013/34/EU (its "Amendments to" heading is no final clause)
    ("eu-csrd-2022-2464", "value-chain.direct", "yes", "art-1"),
    # the report that is published on the website (§ 10(2)), not the one filed with the Bundesamt
    ("de-lksg-2021", "reporting.public", "yes", "sec-10.par-2"),
    # the company's own grievance mechanism, not the criteria for State-based ones (Principle 31)
    ("un-ungps-2011", "grievance.required", "yes", "principle-29"),
    # a principle is cited before its commentary (Principle 18(b) "meaningful consultation", not
    # the commentary to Principle 21); what only a commentary says still counts (Principle 13's
    # "business relationships … entities in its value chain")
    ("un-ungps-2011", "stakeholder-engagement.consultation", "yes", "principle-18"),
    ("un-ungps-2011", "value-chain.direct", "yes", "principle-13.commentary"),
    # "applies to all enterprises regardless of their size" (Principle 14), not a commentary's
    # "Small and medium-sized enterprises may have less capacity"
    ("un-ungps-2011", "scope.sme", "yes", "principle-14"),
]


def test_a_commentarys_may_provides_nothing(matrix):
    """UNGP 25's commentary "Remedy may include … punitive sanctions (whether criminal or
    administrative, such as fines)" made the UNGPs ✓ on "Are administrative fines provided?" —
    marked "[same]" beside CSDDD Art. 27(1) in an export."""
    cell = next(
        c
        for c in matrix["cells"]
        if c["doc_id"] == "un-ungps-2011" and c["element"] == "sanctions.fines"
    )
    assert cell["value"] == "no" and not cell["citations"]
    commentaries = [
        c
        for c in matrix["cells"]
        if c["source"] == "automatic"
        and c["value"] != "no"
        and c["quote_unit"]
        and c["quote_unit"].endswith(".commentary")
    ]
    assert commentaries and all(c["force"] != "permission" for c in commentaries)


@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("eu-csddd-2024-1760", "eu-csddd-2024-1760-fr"),
        (
            "eu-csddd-2024-1760-consolidated-2026-03-18",
            "eu-csddd-2024-1760-consolidated-2026-03-18-fr",
        ),
    ],
)
def test_the_french_cues_reach_what_the_english_ones_do_in_one_text(corpus, english, french):
    """Each language version decides on its own words (before the versions are pooled): the
    same law must get the same answers, so a gap here is a missing cue or a force misread in one
    language ("engagements contractuels", "mettre un terme à la relation d'affaires", "a) …
    élaborer … un plan d'action préventif …; les sociétés peuvent …")."""
    differ = [
        (e.element, corpus.decision(e, english)["value"], corpus.decision(e, french)["value"])
        for e in elements()
        if corpus.decision(e, english)["value"] != corpus.decision(e, french)["value"]
    ]
    assert differ == []


def test_a_period_outside_the_elements_bound_is_a_cited_no_quoting_it(matrix):
    cell = next(
        c
        for c in matrix["cells"]
        if c["doc_id"] == "eu-csddd-2024-1760-consolidated-2026-03-18"
        and c["element"] == "monitoring.annual"
    )
    assert cell["value"] == "no" and "at least every 5 years" in cell["quote"]
    assert cell["fact"]["value"] == "P5Y"


@pytest.mark.parametrize(
    ("bound", "period", "out"),
    [
        ({"max": "P12M"}, "P1Y", False),
        ({"max": "P12M"}, "P5Y", True),
        ({"max": "P12M"}, "P3W", False),
        ({"min": "P5Y"}, "P3Y", True),
        ({"min": "P5Y"}, "P60M", False),
        ({"min": "P5Y"}, "not a period", False),
    ],
)
def test_bound_compares_iso_periods(bound, period, out):
    from kb.compare.elements import outside

    assert outside(bound, period) is out


@pytest.mark.parametrize("bound", [{"max": "twelve months"}, {"most": "P12M"}])
def test_a_bad_bound_names_the_element(bound):
    from kb.compare.elements import _bound
    from kb.errors import KBError

    with pytest.raises(KBError, match="monitoring.annual.bound"):
        _bound("monitoring.annual", bound)


def test_an_unknown_company_topic_is_named(tmp_path, monkeypatch):
    import kb.compare.elements as taxonomy
    from kb.errors import KBError

    data = json.loads(taxonomy.ELEMENTS_PATH.read_text(encoding="utf-8"))
    data["company_topics"] = [*data["company_topics"], "widget-care"]
    path = tmp_path / "elements.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(taxonomy, "ELEMENTS_PATH", path)
    with pytest.raises(KBError, match=r"company_topics: unknown topic\(s\) \['widget-care'\]"):
        taxonomy.elements.__wrapped__()


def test_a_cue_starts_a_word(matrix):
    """A cue of terminating a business relationship ("terminat\\w*") is not found inside
    "indeterminate period": the CSRD's delegated-act clause (Art. 3(29)(a)) says nothing about
    disengagement."""
    cell = next(
        c
        for c in matrix["cells"]
        if c["doc_id"] == "eu-csrd-2022-2464" and c["element"] == "prevention.disengagement"
    )
    assert cell["value"] == "no" and not cell["citations"]


def test_what_the_commission_an_authority_or_a_state_does_answers_no_company_element(
    matrix, corpus
):
    """A sentence whose subject is the Commission ("The Commission shall, at least once a year,
    consult …") is no annual monitoring by the company, nor one whose subject is a State (the
    UNGPs' Principle 31 on State-based mechanisms) the company's grievance mechanism; "in order
    to comply" is no order to comply (CSRD Art. 1(8))."""
    from kb.compare.matrix import _Hit, _public_actor

    company = {e.element for e in elements() if e.company}
    assert company and "monitoring.annual" in company and "sanctions.fines" not in company
    public = []
    for cell in matrix["cells"]:
        if cell["element"] not in company or cell["source"] != "automatic" or not cell["quote"]:
            continue
        unit = corpus.by_id.get((cell["doc_id"], cell["quote_unit"]))
        if unit and _public_actor(
            corpus, _Hit(unit, cell["quote_start"], cell["quote_end"], "cues", 0)
        ):
            public.append((cell["doc_id"], cell["element"], cell["quote"][:80]))
    assert public == []
    injunction = next(
        c
        for c in matrix["cells"]
        if c["doc_id"] == "eu-csrd-2022-2464" and c["element"] == "sanctions.injunction"
    )
    assert "in order to comply" not in (injunction["quote"] or "")


@pytest.mark.parametrize(("doc_id", "element", "value", "within"), CELLS)
def test_cells_of_the_issue(matrix, doc_id, element, value, within):
    cell = next(c for c in matrix["cells"] if c["doc_id"] == doc_id and c["element"] == element)
    assert cell["value"] == value
    assert cell["citations"][0]["unit_id"].startswith(within)


def test_matrix_cli_json_contract(data_dir, capsys):
    argv = ["--data", str(data_dir), "matrix", "--json", "--topic", "grievance-mechanism"]
    assert main([*argv, "--doc", "de-lksg-2021"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [e["element"] for e in out["elements"]] == [
        "grievance.required",
        "grievance.trade-unions",
        "grievance.confidentiality",
    ]
    cell = out["cells"][0]
    assert set(cell) >= {
        "doc_id",
        "element",
        "value",
        "force",
        "citations",
        "quote",
        "quote_unit",
        "quote_start",
        "quote_end",
        "fact",
        "source",
    }
    assert cell["citations"][0]["url"] == "https://www.gesetze-im-internet.de/lksg/__8.html"


# (doc_id, unit_id, URL, article-level?): the publisher's page of the article, else the document
ARTICLE_URLS = [
    ("de-lksg-2021", "sec-8.par-1", "https://www.gesetze-im-internet.de/lksg/__8.html", True),
    (
        "eu-csddd-2024-1760",
        "art-29.par-3",
        "https://eur-lex.europa.eu/eli/dir/2024/1760/oj/eng#art_29",
        True,
    ),
    (
        "eu-csddd-2024-1760-fr",
        "art-14.par-1",
        "https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:32024L1760R(02)#art_14",
        True,
    ),
    (
        "fr-loi-vigilance-2017",
        "art-L225-102-1.pt-4",
        "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000047926145/2025-12-30",
        True,
    ),
    (
        "no-transparency-act-2021",
        "sec-4.par-1",
        "https://lovdata.no/lov/2021-06-18-99/%C2%A74",
        True,
    ),
    (
        "un-ungps-2011",
        "principle-29",
        "https://www.ohchr.org/sites/default/files/documents/publications/guidingprinciplesbusinesshr_en.pdf",
        False,
    ),
]


@pytest.mark.parametrize(("doc_id", "unit_id", "url", "precise"), ARTICLE_URLS)
def test_article_urls(manifest, doc_id, unit_id, url, precise):
    from kb.compare.matrix import article_url

    assert article_url(manifest[doc_id], unit_id) == (url, precise)


# A list point whose own words carry no cue takes its force from the lead-in: the lead-in's
# sentence is shown as the evidence (the issue's two examples).
LEAD_INS = [
    ("fr-loi-vigilance-2017", "art-L225-102-1.pt-4", "Il comprend les mesures suivantes"),
    (
        "eu-csddd-2024-1760",
        "art-10.par-2.pt-b",
        "Companies shall be required to take the following appropriate measures",
    ),
]


@pytest.mark.parametrize(("doc_id", "unit_id", "words"), LEAD_INS)
def test_obligations_show_the_lead_in_a_point_takes_its_force_from(
    data_dir, capsys, doc_id, unit_id, words
):
    from kb.store import read_units

    argv = ["--data", str(data_dir), "obligations", "--doc", doc_id, "--unit", unit_id, "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    lead = out["lead_in"]
    assert out["force"] == "obligation" == lead["force"] and words in lead["text"]
    parent = next(
        u for u in read_units(data_dir) if (u.doc_id, u.unit_id) == (doc_id, lead["unit_id"])
    )
    assert parent.text[lead["start"] : lead["end"]] == lead["text"]
    assert unit_id.startswith(lead["unit_id"] + ".")


def test_obligations_cli_json_and_batch(data_dir, capsys, tmp_path):
    assert (
        main(
            [
                "--data",
                str(data_dir),
                "obligations",
                "--doc",
                "eu-csddd-2024-1760",
                "--unit",
                "art-27",
                "--json",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["force"] == "obligation" and out["citation"] == "CSDDD Art. 27"
    assert out["addressee"] == "member-state"
    s = out["statements"][0]
    assert set(s) == {"text", "force", "cue", "addressee", "start", "end"}
    batch = tmp_path / "b.jsonl"
    batch.write_text(
        '{"id": "a", "doc_id": "de-lksg-2021", "unit_id": "sec-3.par-3"}\n'
        '{"id": "b", "doc_id": "de-lksg-2021", "unit_id": "sec-99"}\n',
        encoding="utf-8",
    )
    # every line answered; a line that failed makes the exit code 1, as for every --batch
    assert main(["--data", str(data_dir), "obligations", "--batch", str(batch)]) == 1
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert lines[0]["id"] == "a" and lines[0]["force"] == "none"
    assert lines[1]["id"] == "b" and "sec-99" in lines[1]["error"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["matrix", "--topic", "poetry"], "unknown topic ['poetry']"),
        (["matrix", "--doc", "nowhere"], "unknown doc_id (matrix column) ['nowhere']"),
        # a document that exists but has no column says why
        (["matrix", "--doc", "be-serv-advies-2021"], "no matrix column: a policy text"),
        (["matrix", "--doc", "eu-omnibus-2026-470"], "no matrix column: an amending act"),
        (["matrix", "--element", "poetry.rhyme"], "unknown element ['poetry.rhyme']"),
        # an element outside the topic asked for gave an empty table, exit 0
        (
            ["matrix", "--topic", "scope", "--element", "grievance.required"],
            "element(s) ['grievance.required'] not in topic(s) ['scope']",
        ),
        # listed, not fetched, but here in French: say so (it said "see python -m kb ingest")
        (["matrix", "--doc", "eu-com-2022-71"], "in another language: eu-com-2022-71-fr"),
        (["matrix", "--editorial", "/nonexistent/ed.json"], "/nonexistent/ed.json not found"),
        (["obligations", "--doc", "nowhere", "--unit", "art-1"], "unknown doc_id 'nowhere'"),
        (["obligations", "--doc", "de-lksg-2021", "--unit", "sec-99"], "unknown unit_id 'sec-99'"),
    ],
)
def test_bad_input_names_it_and_exits_1(data_dir, capsys, argv, message):
    assert main(["--data", str(data_dir), *argv]) == 1
    assert message in capsys.readouterr().err


# (entry, what the error names): synthetic entries, each wrong in one way
BAD_EDITORIAL = [
    ({"unit_id": "sec-8.par-1", "quote": "Draft Widget Due Diligence Bill"}, "quote does not"),
    ({"quote": "Draft Widget Due Diligence Bill"}, "needs the unit_id and quote"),
    ({"value": "no", "quote": "Draft Widget Due Diligence Bill"}, "a quote needs the unit_id"),
    ({"doc_id": "xx-widget-bill-2031", "value": "no"}, "unknown document 'xx-widget-bill-2031'"),
    ({"element": "poetry.rhyme"}, "unknown element 'poetry.rhyme'"),
]


def _overlay(tmp_path, **fields) -> tuple[Path, dict]:
    """A one-entry editorial overlay file (a synthetic LkSG entry with ``fields`` changed)."""
    entry = {
        "doc_id": "de-lksg-2021",
        "element": "grievance.required",
        "value": "yes",
        "reason": "synthetic test entry",
        **fields,
    }
    path = tmp_path / "editorial.json"
    path.write_text(json.dumps({"entries": [entry]}), encoding="utf-8")
    return path, entry


@pytest.mark.parametrize(("change", "message"), BAD_EDITORIAL)
def test_a_wrong_editorial_entry_is_rejected_with_the_entry_named(units, tmp_path, change, message):
    from kb.compare.matrix import read_editorial
    from kb.errors import KBError

    path, _ = _overlay(tmp_path, **change)
    with pytest.raises(KBError, match="entry #1") as raised:
        read_editorial(path, Corpus(units))
    assert message in str(raised.value)


def test_an_editorial_entry_for_a_document_not_fetched_is_kept(units, manifest, tmp_path):
    """A data folder without the LkSG (not fetched yet) still reads the overlay: its LkSG entry
    names a document of the manifest, so it is kept and applies to no cell."""
    from kb.compare.matrix import read_editorial

    path, entry = _overlay(
        tmp_path, unit_id="sec-8.par-1", quote="synthetic quote of the Draft Widget Bill"
    )
    without = Corpus([u for u in units if u.doc_id != "de-lksg-2021"])
    assert read_editorial(path, without, manifest) == [entry]


def test_matrix_cli_applies_the_editorial_file_it_is_given(data_dir, tmp_path, capsys):
    """``kb matrix --editorial PATH``: a reviewed overlay (here a synthetic one marking an LkSG
    cell no) is applied and marked editorial; ``--element`` keeps that element only."""
    path, entry = _overlay(tmp_path, element="climate.transition-plan", value="no")
    argv = ["--data", str(data_dir), "matrix", "--json", "--element", entry["element"]]
    assert main([*argv, "--doc", "de-lksg-2021", "--editorial", str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [e["element"] for e in out["elements"]] == [entry["element"]]
    (cell,) = out["cells"]
    assert cell["source"] == "editorial" and cell["value"] == "no" and cell["citations"] == []


def test_level_playing_field_view_families_defaults_and_baseline_marks(matrix, manifest):
    from kb.explore.matrix_view import columns_for, rows_for

    columns = columns_for(manifest, matrix)
    by_family = {c.family: c for c in columns}
    # one column per act; the CSDDD column shows the consolidated text in force, in English
    assert by_family["eu-csddd-2024-1760"].doc_id == "eu-csddd-2024-1760-consolidated-2026-03-18"
    assert "eu-csddd-2024-1760-fr" not in by_family
    assert by_family["oecd-mne-guidelines-2023"].doc_id is None  # not in local corpus, still shown
    picked = columns_for(manifest, matrix, {"eu-csddd-2024-1760": "eu-csddd-2024-1760"})
    assert (
        next(c for c in picked if c.family == "eu-csddd-2024-1760").doc_id == "eu-csddd-2024-1760"
    )
    rows = rows_for(matrix, picked, ["climate-transition-plan"], baseline="eu-csddd-2024-1760")
    lksg = next(i for i, c in enumerate(picked) if c.family == "de-lksg-2021")
    assert rows[0].marks[lksg] == "absent"  # the adopted CSDDD requires a transition plan


def _yes(value: str, unit: str = "") -> dict:
    return {"value": "yes", "fact": {"value": value, "unit": unit}}


def _force(force: str) -> dict:
    return {"value": "yes", "force": force, "fact": None}


# (element, baseline fact, other fact, mark): each element's number has its own direction
BASELINE_MARKS = [
    ("sanctions.turnover-cap", _yes("5%"), _yes("3%"), "weaker"),  # a lower fine cap
    ("scope.employees", _yes("1000"), _yes("500"), "stricter"),  # more companies covered
    ("scope.turnover", _yes("450000000", "EUR"), _yes("70000000", "NOK"), "not comparable"),
    ("civil-liability.limitation-5y", _yes("P5Y"), _yes("P3Y"), "weaker"),  # less time to sue
    ("reporting.retention", _yes("P7Y"), _yes("P84M"), "same"),  # 7 years = 84 months
    ("reporting.retention", _yes("P3Y"), _yes("P7Y"), "stricter"),  # kept longer
    ("monitoring.annual", _yes("P12M"), _yes("P6M"), "stricter"),  # reviewed more often
    ("monitoring.annual", _yes("P1Y"), {"value": "no", "fact": None}, "absent"),
    # a duty against soft law's "should" for the same element (UNGP 25's commentary was
    # "[same]" beside CSDDD Art. 27(1)); other forces are not weighed
    ("sanctions.fines", _force("obligation"), _force("recommendation"), "weaker"),
    ("sanctions.fines", _force("recommendation"), _force("prohibition"), "stricter"),
    ("sanctions.fines", _force("obligation"), _force("permission"), "same"),
    ("sanctions.fines", _force("obligation"), _force("prohibition"), "same"),
]


@pytest.mark.parametrize(("element", "base", "other", "mark"), BASELINE_MARKS)
def test_baseline_marks_follow_each_elements_direction(element, base, other, mark):
    from kb.compare.elements import elements
    from kb.explore.matrix_view import compare

    direction = next(e.stricter for e in elements() if e.element == element)
    assert compare(base, other, direction) == mark


def test_matrix_exports_have_tables_links_and_guarded_csv(matrix, manifest):
    import io

    from docx import Document

    from kb.explore import export as kx
    from kb.explore.matrix_view import columns_for, rows_for

    columns = columns_for(manifest, matrix)
    rows = rows_for(matrix, columns, ["grievance-mechanism", "sanctions"])
    labels = {"grievance-mechanism": "Grievance mechanism", "sanctions": "Sanctions"}
    document = Document(io.BytesIO(kx.matrix_docx("Matrix", columns, rows, labels)))
    assert len(document.tables) == 2
    assert document.tables[0].rows[0].cells[1].text == columns[0].label
    xml = document.part.element.xml
    assert "w:hyperlink" in xml
    rels = [r.target_ref for r in document.part.rels.values() if "hyperlink" in r.reltype]
    assert "https://www.gesetze-im-internet.de/lksg/__8.html" in rels
    markdown = kx.matrix_markdown("Matrix", columns, rows, labels)
    assert (
        markdown.count("## ") == 2
        and "(<https://www.gesetze-im-internet.de/lksg/__8.html>)" in markdown
    )
    csv_text = kx.matrix_csv(columns, rows)
    assert csv_text.splitlines()[0].startswith("topic,element,question,instrument")
    assert "not in local corpus" in csv_text


def test_matrix_exports_in_dutch_link_back_and_flag_document_links(matrix, manifest):
    """A Dutch export speaks Dutch (element questions, header, marks), links back to the view,
    and says so where a citation links to the whole document rather than its article."""
    import csv
    import io

    from docx import Document

    from kb.compare.elements import elements
    from kb.explore import export as kx
    from kb.explore.matrix_view import columns_for, rows_for

    columns = columns_for(manifest, matrix)
    # sanctions, and scope, where the UNGPs answer (UNGP 14) with a link to the whole document
    rows = rows_for(matrix, columns, ["sanctions", "scope"], baseline="eu-csddd-2024-1760")
    link = "http://localhost:8501/?page=compare&topic=sanctions"
    markdown = kx.matrix_markdown("Matrix", columns, rows, {"sanctions": "Sancties"}, link, "nl")
    fines = next(e for e in elements() if e.element == "sanctions.fines")
    assert fines.questions["nl"] in markdown and fines.question not in markdown
    assert "| element |" in markdown and "weergave: [" in markdown and f"]({link})" in markdown
    assert "niet in het lokale corpus" in markdown and "not in local corpus" not in markdown
    document = Document(io.BytesIO(kx.matrix_docx("Matrix", columns, rows, {}, link, "nl")))
    assert any(link in p.text for p in document.paragraphs)
    # the UNGPs (one PDF) have no article-level link: the CSV and the Word cell say so
    table = list(csv.DictReader(io.StringIO(kx.matrix_csv(columns, rows))))
    ungps = [r for r in table if r["doc_id"] == "un-ungps-2011" and r["citation"]]
    assert ungps and {r["url_kind"] for r in ungps} == {"document"}
    lksg = [r for r in table if r["doc_id"] == "de-lksg-2021" and r["citation"]]
    assert lksg and {r["url_kind"] for r in lksg} == {"article"}
    dutch = list(csv.DictReader(io.StringIO(kx.matrix_csv(columns, rows, "nl"))))
    fine = next(r for r in dutch if r["element"] == fines.element)
    assert fine["question"] == fines.questions["nl"] and fine["value"] in (
        "yes",
        "conditional",
        "no",
    )
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert any("link naar het hele document" in c for c in cells)
    # the codes a spreadsheet filters on, and beside them the words of the interface
    assert {r["value_text"] for r in dutch} <= {
        "ja",
        "voorwaardelijk",
        "nee",
        "niet in het lokale corpus",
    }
    assert {r["mark_text"] for r in dutch} - {""} <= {
        "gelijk",
        "strenger",
        "minder streng",
        "afwezig",
        "niet vergelijkbaar",
    }
    assert any(r["mark_text"] for r in dutch)
    assert {r["force_text"] for r in dutch if r["force"] == "obligation"} == {"Verplichting"}


def test_matrix_exports_keep_the_marks_against_the_baseline_and_name_it(matrix, manifest):
    """The screen showed "✓ LkSG § 8 Abs. 1 [gelijk]"; the Markdown and Word files only "✓ LkSG
    § 8 Abs. 1", and did not say what the cells were compared with."""
    import io

    from docx import Document

    from kb.explore import export as kx
    from kb.explore.matrix_view import columns_for, mark_text, rows_for

    columns = columns_for(manifest, matrix)
    rows = rows_for(matrix, columns, ["grievance-mechanism"], baseline="eu-csddd-2024-1760")
    marked = [
        mark_text(cell, mark, "nl")
        for row in rows
        for cell, mark in zip(row.cells, row.marks, strict=True)
        if mark_text(cell, mark, "nl")
    ]
    assert marked and " [gelijk]" in marked
    markdown = kx.matrix_markdown("M", columns, rows, {}, "", "nl", baseline="CSDDD")
    assert "gemarkeerd tegenover CSDDD" in markdown
    assert all(m.strip().replace("[", "\\[").replace("]", "\\]") in markdown for m in set(marked))
    document = Document(
        io.BytesIO(kx.matrix_docx("M", columns, rows, {}, "", "nl", baseline="CSDDD"))
    )
    assert any("gemarkeerd tegenover CSDDD" in p.text for p in document.paragraphs)
    cells = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert all(m.strip() in cells for m in set(marked))
    # a column not in the local corpus says so once, not "… [niet in het lokale corpus]" again
    assert mark_text(None, "absent", "nl") == ""


def test_per_document_cache_recomputes_only_the_changed_document(units, tmp_path, caplog):
    """Derived tables (forces, matrix) are cached per document: a changed document is computed
    again, the others are read; a damaged cache file is recomputed, never fatal."""
    import dataclasses

    from kb.compare.cache import per_document

    by_doc = {
        d: [u for u in units if u.doc_id == d] for d in ("de-lksg-2021", "fr-loi-vigilance-2017")
    }
    calls = []

    def work(doc_id, doc_units):
        calls.append(doc_id)
        return len(doc_units)

    path = tmp_path / "derived.json"
    first = per_document(path, ("matrix.py",), by_doc, work)
    assert first == {d: len(us) for d, us in by_doc.items()} and sorted(calls) == sorted(by_doc)
    calls.clear()
    assert per_document(path, ("matrix.py",), by_doc, work) == first and calls == []
    lksg = by_doc["de-lksg-2021"]
    by_doc["de-lksg-2021"] = [dataclasses.replace(lksg[0], text=lksg[0].text + " x"), *lksg[1:]]
    per_document(path, ("matrix.py",), by_doc, work)
    assert calls == ["de-lksg-2021"]
    calls.clear()
    per_document(path, ("matrix.py", "obligations.py"), by_doc, work)  # the deciding code changed
    assert sorted(calls) == sorted(by_doc)
    path.write_bytes(b"\xff{garbled")
    calls.clear()
    assert per_document(path, ("matrix.py",), by_doc, work) == first
    assert sorted(calls) == sorted(by_doc)
    # a cache that cannot be written (a read-only data folder): the results, with a warning
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    unwritable = tmp_path / "a-file" / "derived.json"
    with caplog.at_level("WARNING"):
        assert per_document(unwritable, ("matrix.py",), by_doc, work) == first
    assert "could not cache" in caplog.text and not unwritable.exists()


def test_leave_one_instrument_out_drops_only_the_cues_written_for_it(data_dir):
    """`kb eval --matrix` reports every gold instrument with its own cues taken away; a dropped
    cue is one that matches no other act's text."""
    from kb.compare.matrix_eval import leave_one_instrument_out, load_gold

    gold = load_gold()
    report = leave_one_instrument_out(data_dir, gold)
    assert set(report) == {g["doc_id"] for g in gold["cells"]}
    for doc_id, r in report.items():
        assert r["cells"] == sum(g["doc_id"] == doc_id for g in gold["cells"])
        assert 0 <= r["value_accuracy"] <= 1 and 0 <= r["with_all_cues"] <= 1
    # cues that match the LkSG alone are dropped for it
    assert report["de-lksg-2021"]["cues_dropped"] > 0


def test_the_matrix_gold_quotes_the_texts(units):
    """Every gold cell and force label names real units and quotes their words verbatim."""
    from kb.compare.elements import element_ids
    from kb.compare.matrix import VALUES
    from kb.compare.matrix_eval import load_gold
    from kb.compare.obligations import FORCES

    by_id = {(u.doc_id, u.unit_id): u for u in units}
    gold = load_gold()
    known = set(element_ids())
    assert len(gold["cells"]) >= 120 and len(gold["force"]) >= 60
    for cell in gold["cells"]:
        where = f"{cell['doc_id']} {cell['element']}"
        assert cell["element"] in known and cell["value"] in VALUES, where
        for unit_id in cell["units"]:
            assert (cell["doc_id"], unit_id) in by_id, where
        if cell["units"] and cell.get("quote"):
            assert cell["quote"] in by_id[(cell["doc_id"], cell["units"][0])].text, where
        else:
            assert cell["value"] == "no", where  # a silent no
    for entry in gold["force"]:
        where = f"{entry['doc_id']} {entry['unit_id']}"
        assert entry["force"] in FORCES, where
        assert entry["quote"] in by_id[(entry["doc_id"], entry["unit_id"])].text, where


# (the version whose own cues are taken away, the element, the version that decides, the words
# of this version that the quote must hold). The vocabulary now reaches every element in every
# language version of the corpus, so the test takes one language's cues away, as for a version
# whose wording the cues were not written for.
CARRIED = [
    (
        "eu-csddd-2024-1760-fr",
        "sanctions.turnover-cap",
        "eu-csddd-2024-1760",
        "5 % au moins du chiffre d'affaires net mondial",
    ),
    (
        "ch-co-964-2021-fr",
        "scope.turnover",
        "ch-co-964-2021",
        "chiffre d’affaires: 40 millions de francs",
    ),
]


@pytest.mark.parametrize(("doc_id", "element", "decided_in", "words"), CARRIED)
def test_a_cell_decided_on_a_parallel_version_quotes_this_versions_words(
    monkeypatch, units, data_dir, doc_id, element, decided_in, words
):
    import dataclasses

    from corpus.manifest import manifest_for
    from kb.compare import matrix as matrix_module

    full = matrix_module.elements()
    reduced = tuple(
        dataclasses.replace(e, cues={**e.cues, "fr": ()}) if e.element == element else e
        for e in full
    )
    monkeypatch.setattr(matrix_module, "elements", lambda: reduced)
    # … and no hit on a stated number either ("5 % au moins du chiffre d'affaires" is one)
    monkeypatch.setattr(matrix_module, "_FACT_HITS", ())
    manifest = manifest_for(data_dir)
    columns = [doc_id, decided_in]
    corpus = Corpus([u for u in units if u.doc_id in columns])
    parallel = matrix_module.parallel_versions(manifest, columns)
    assert (
        corpus.decision(reduced[[e.element for e in full].index(element)], doc_id)["value"] == "no"
    )
    cells = {
        d: next(
            c
            for c in matrix_module.document_cells(corpus, manifest[d], parallel[d])
            if c["element"] == element
        )
        for d in columns
    }
    cell, theirs = cells[doc_id], cells[decided_in]
    assert cell["decided_in"] == decided_in and theirs["decided_in"] == decided_in
    assert cell["value"] == theirs["value"] != "no"
    assert cell["citations"][0]["unit_id"] == theirs["citations"][0]["unit_id"]
    assert words in cell["quote"]


def test_language_versions_of_one_text_cite_the_same_provision(matrix, data_dir):
    """Versions that agree on a cell cite the same provision: the one their cues score best
    together (``_agreed``; before, 24 cells of the corpus cited different provisions in English
    and French — CSDDD Art. 8(1) and Art. 5(3) for mapping the risks)."""
    from corpus.manifest import manifest_for
    from kb.compare.matrix import parallel_versions

    manifest = manifest_for(data_dir)
    columns = sorted({c["doc_id"] for c in matrix["cells"]})
    groups = {g for g in parallel_versions(manifest, columns).values() if len(g) > 1}
    cells = {(c["doc_id"], c["element"]): c for c in matrix["cells"]}
    differ = []
    for group in groups:
        for e in element_ids():
            shown = [cells[(d, e)] for d in group]
            cited = {c["citations"][0]["unit_id"] for c in shown if c["citations"]}
            if len({c["value"] for c in shown}) == 1 and len(cited) > 1:
                differ.append((group, e, cited))
    assert differ == []


def test_language_versions_of_one_text_answer_alike(matrix, data_dir):
    """The versions linked by ``translation_of`` give the same value wherever this version has
    the deciding provision (the French DDTrO lacks Annex 2, so one cell may differ)."""
    from corpus.manifest import manifest_for
    from kb.compare.matrix import parallel_versions

    manifest = manifest_for(data_dir)
    columns = sorted({c["doc_id"] for c in matrix["cells"]})
    groups = {g for g in parallel_versions(manifest, columns).values() if len(g) > 1}
    assert len(groups) >= 3
    values = {(c["doc_id"], c["element"]): c["value"] for c in matrix["cells"]}
    differ = [
        (group, e)
        for group in groups
        for e in element_ids()
        if len({values[(d, e)] for d in group}) > 1
    ]
    assert len(differ) <= 1, differ


@pytest.mark.parametrize(
    ("doc_id", "text", "value", "since", "earlier"),
    [
        # a number in words, which no cue spells: the provision states the threshold
        ("fr-loi-vigilance-2017", "au moins cinq mille salariés", "5000", None, None),
        # a phase-in: the first number, then the one a date introduces in its own sentence
        ("de-lksg-2021", "1 000 Arbeitnehmer", "1000", "2024-01-01", "3 000 Arbeitnehmer"),
        ("ch-ddtro-2021-en", "250 full-time equivalent positions", "250", None, None),
    ],
)
def test_the_employee_threshold_is_the_number_the_text_states_now(
    matrix, units, doc_id, text, value, since, earlier
):
    from kb.explore.ui_text import fact_text

    cell = next(
        c for c in matrix["cells"] if c["doc_id"] == doc_id and c["element"] == "scope.employees"
    )
    assert cell["value"] == "yes" and cell["citations"]
    fact = cell["fact"]
    assert (fact["text"], fact["value"], fact.get("from")) == (text, value, since)
    unit = next(u for u in units if u.doc_id == doc_id and u.unit_id == fact["unit_id"])
    assert text in unit.text
    if earlier:
        assert earlier in fact["earlier"]["text"] and fact["earlier"]["text"] in unit.text
        assert fact_text("nl", fact) == (
            f"{text} (vanaf {since}; daarvoor: {fact['earlier']['text']})"
        )
        # the words that state the later number, verbatim (the cell's quote states the first)
        assert text in fact["quote"] and fact["quote"] in unit.text
        assert text not in cell["quote"]
    else:
        assert "earlier" not in fact and fact_text("nl", fact) == text


def test_the_topic_summary_is_the_matrix_answer_not_the_strongest_force(data_dir):
    """The Compare page's "level playing field" line of a topic said "Prohibition: CSDDD
    (consolidated 2026-03-18)" for the climate transition plan — the strongest force of the
    topic's provisions, read off the full-harmonisation clause of Art. 4(1) — while the matrix
    above it said ✗ (Art. 22 deleted). It now says what the matrix says."""
    from kb.compare.cache import load_matrix
    from kb.explore.views import playing_field_summary

    matrix = load_matrix(data_dir)
    adopted, now = "eu-csddd-2024-1760", "eu-csddd-2024-1760-consolidated-2026-03-18"
    cells = {(c["doc_id"], c["element"]): c["value"] for c in matrix["cells"]}
    docs = [adopted, now, "be-serv-advies-2021", "oecd-mne-guidelines-2023"]
    present = {c["doc_id"] for c in matrix["cells"]} | {"be-serv-advies-2021"}
    summary = playing_field_summary(matrix, "climate-transition-plan", docs, present)
    assert cells[(adopted, "climate.transition-plan")] == "yes"  # Art. 22(1)
    assert cells[(now, "climate.transition-plan")] == "no"  # Art. 22 deleted
    # the policy text is no column; the OECD Guidelines are listed but not in the local corpus
    assert summary == {"yes": [adopted], "no": [now], "missing": ["oecd-mne-guidelines-2023"]}


def test_a_cells_number_is_the_one_its_quote_states(matrix, corpus):
    """CSRD Art. 1(14) showed "more than EUR 40 million" beside a quote that states "more than
    EUR 150 million": when the quoted words state a number of the element's kind, the cell's
    fact is one of them (a phased-in number excepted: its own words are ``fact.quote``)."""
    from kb.compare.elements import elements
    from kb.compare.matrix import FACT_KINDS

    kinds = {e.element: FACT_KINDS[e.fact] for e in elements() if e.fact}
    checked = 0
    for cell in matrix["cells"]:
        fact = cell["fact"]
        if not fact or fact.get("from") or fact["unit_id"] != cell["quote_unit"]:
            continue
        unit = _unit(corpus, cell["doc_id"], cell["quote_unit"])
        stated = [
            f
            for f in corpus.facts(unit)
            if f.kind in kinds[cell["element"]]
            and cell["quote_start"] <= f.start
            and f.end <= cell["quote_end"]
        ]
        if stated:
            checked += 1
            assert fact["text"] in cell["quote"], (cell["doc_id"], cell["element"], fact["text"])
    assert checked >= 10


def test_quote_shown_reads_as_text_and_marks_where_it_is_cut():
    from kb.explore.matrix_view import quote_shown

    # synthetic words, no law
    assert quote_shown("The widget maker shall\nfile a widget plan.") == (
        "The widget maker shall file a widget plan."
    )
    assert quote_shown("file a widget plan within   two months") == (
        "…file a widget plan within two months…"
    )
    assert quote_shown("(a) a widget plan;") == "(a) a widget plan;"
    assert quote_shown("") == ""


def test_a_column_says_which_version_of_its_act_it_shows(matrix, manifest):
    """A Word or CSV export of the matrix read "CSDDD" whichever version the view showed."""
    from kb.explore.matrix_view import columns_for

    adopted = manifest["eu-csddd-2024-1760"]
    assert adopted.status == "amended" and adopted.adopted
    picks = {"eu-csddd-2024-1760": "eu-csddd-2024-1760"}
    column = next(
        c for c in columns_for(manifest, matrix, picks) if c.family == "eu-csddd-2024-1760"
    )
    assert column.label.endswith(f"(as adopted {adopted.adopted})")
    dutch = next(
        c for c in columns_for(manifest, matrix, picks, lang="nl") if c.doc_id == column.doc_id
    )
    assert dutch.label.endswith(f"(zoals aangenomen {adopted.adopted})")
    default = next(c for c in columns_for(manifest, matrix) if c.family == column.family)
    assert default.doc_id != column.doc_id and default.label != column.label


def test_matrix_handouts_quote_the_words_that_decide_each_cell(matrix, manifest):
    """Word and Markdown carried ✓ and a citation but not the words of the law; the CSV had no
    column for the sentence stating a phased-in number; Markdown wrapped the policy advice's
    link twice; Word's "not in local corpus" cells had no link to the source."""
    import csv
    import io

    from docx import Document

    from kb.explore import export as kx
    from kb.explore.matrix_view import columns_for, quote_shown, rows_for

    columns = columns_for(manifest, matrix)
    rows = rows_for(matrix, columns, ["scope", "sanctions"])
    said = [
        quote_shown(cell["quote"])
        for row in rows
        for cell in row.cells
        if cell and cell["value"] != "no" and cell["quote"]
    ]
    assert len(said) > 20
    document = Document(io.BytesIO(kx.matrix_docx("M", columns, rows, {})))
    text = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert all(f"“{q}”" in text for q in said)
    missing = [c.url for c in columns if c.doc_id is None and c.url]
    rels = {r.target_ref for r in document.part.rels.values() if "hyperlink" in r.reltype}
    assert missing and set(missing) <= rels
    advice = matrix["advice"]
    markdown = kx.matrix_markdown("M", columns, rows, {}, advice=advice)
    assert "“" in markdown and "](<[" not in markdown and "]([" not in markdown
    table = list(csv.DictReader(io.StringIO(kx.matrix_csv(columns, rows))))
    phased = [r for r in table if r["fact_quote"]]
    assert phased and all(r["fact_quote"] not in r["quote"] for r in phased)
