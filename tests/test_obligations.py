"""Deontic statements: sentence splitting, force, addressee (table-driven).

Real sentences are picked from the ingested corpus at test time (by provision and a cue word);
the synthetic strings are edge cases, not law.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from kb.compare.obligations import classify, sentence_spans, statements, strongest_force
from kb.models import Statement


@pytest.fixture(scope="session")
def by_key(units):
    return {u.key: u for u in units}


def test_import_does_not_load_spacy():
    code = "import sys, kb.compare.obligations; assert 'spacy' not in sys.modules, 'spaCy loaded'"
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


# --------------------------------------------------------------------------- sentences

SPLITS = [
    # abbreviations and references do not end a sentence
    ("See Art. 5 and para. 2 of it. Then stop.", "en", ["See Art. 5 and para. 2 of it.", "Then stop."]),
    ("Use e.g. a widget. Then stop.", "en", ["Use e.g. a widget.", "Then stop."]),
    ("Nach Abs. 1 Nr. 3 gilt das. Ab dem 1. Januar 2024 gilt es.", "de",
     ["Nach Abs. 1 Nr. 3 gilt das.", "Ab dem 1. Januar 2024 gilt es."]),
    ("Voir l'art. L. 225-102-1 du code. Fin.", "fr", ["Voir l'art. L. 225-102-1 du code.", "Fin."]),
    # points of a list are separate statements; their labels are left out
    ("1. Lorem shall ipsum:\n(a) dolor;\n(b) sit.", "en", ["Lorem shall ipsum:", "dolor;", "sit."]),
    ("Il comprend :\n1° Une widget ;\n2° Un gadget.", "fr", ["Il comprend :", "Une widget ;", "Un gadget."]),
    ("a) eins;\nb) zwei.", "de", ["eins;", "zwei."]),
    # an inline list after a colon, and a quoted replacement text
    ("as follows: (a) foo; (b) bar.", "en", ["as follows:", "foo;", "bar."]),
    # a PDF line wrap inside a sentence does not split it
    ("The widget shall\nbe blue. It may be red.", "en", ["The widget shall\nbe blue.", "It may be red."]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "language", "expected"), SPLITS)
def test_sentence_spans(text, language, expected):
    assert [text[s:e] for s, e in sentence_spans(text, language)] == expected


# --------------------------------------------------------------------------- synthetic cues

CUES = [
    # (sentence, language, force, addressee)
    ("Member States shall ensure that companies comply.", "en", "obligation", "member-state"),
    ("The company shall not disclose the widget.", "en", "prohibition", "company"),  # negation wins
    ("Companies should consult workers.", "en", "recommendation", "company"),
    ("The supervisory authority may impose fines.", "en", "permission", "authority"),
    ("The Commission shall adopt guidelines.", "en", "obligation", "commission"),
    ("States should protect widgets.", "en", "recommendation", "state"),
    ("This Directive shall apply to companies.", "en", "none", "company"),  # scope, not a duty
    ("Member States shall apply those widgets.", "en", "obligation", "member-state"),
    ("They shall inform the Commission.", "en", "obligation", "other"),  # pronoun subject
    ("Accounts have been or should have been adopted.", "en", "none", "other"),
    ("A widget is blue.", "en", "none", "other"),
    ("Das Unternehmen hat dafür Sorge zu tragen, dass X gilt.", "de", "obligation", "company"),
    ("Ab 2024 hat das Unternehmen den Bericht zu prüfen.", "de", "obligation", "company"),
    ("Unternehmen sind verpflichtet, X zu tun.", "de", "obligation", "company"),
    ("Die Unternehmen müssen berichten.", "de", "obligation", "company"),
    ("Das Unternehmen darf die Daten nicht weitergeben.", "de", "prohibition", "company"),
    ("Die Behörde kann Auskunft verlangen.", "de", "permission", "authority"),
    ("Dieses Gesetz ist anzuwenden auf Unternehmen.", "de", "none", "company"),
    (
        "Les États membres veillent à ce que les sociétés agissent.",
        "fr",
        "obligation",
        "member-state",
    ),
    ("La société établit un plan.", "fr", "obligation", "company"),  # normative present
    ("Lorsque la société établit un plan, il est publié.", "fr", "none", "company"),
    ("La société ne peut pas céder les données.", "fr", "prohibition", "company"),
    ("Les sociétés devraient consulter les salariés.", "fr", "recommendation", "company"),
    ("L'autorité peut infliger des sanctions.", "fr", "permission", "authority"),
    ("La Commission est tenue de publier un rapport.", "fr", "obligation", "commission"),
    ("De onderneming moet een verklaring opstellen.", "nl", "obligation", "company"),
    ("De onderneming mag de gegevens niet delen.", "nl", "prohibition", "company"),
    ("Ondernemingen zouden beter moeten rapporteren.", "nl", "recommendation", "company"),
    ("De toezichthouder kan een boete opleggen.", "nl", "permission", "authority"),
    ("De lidstaten dienen regels vast te stellen.", "nl", "obligation", "member-state"),
    # "need not" is an exemption; "not only … but also" is a duty
    ("Die Unternehmen müssen nicht prüfen, ob X gilt.", "de", "none", "company"),
    ("Die Unternehmen müssen nicht nur X prüfen, sondern auch Y.", "de", "obligation", "company"),
    # an indirect question after a verb that explains is what the text is about, not a rule
    ("Principle 9 explains how enterprises should treat widgets.", "en", "none", "company"),
    ("Information on how widgets work must be given to workers.", "en", "obligation", "other"),
    ("Cet article précise la manière dont les sociétés doivent peindre.", "fr", "none", "company"),
    ("La manière dont les widgets sont peints doit être décrite.", "fr", "obligation", "other"),
    # the statute's present of what is done to a document, said of the sentence's subject
    ("2 Le rapport est rédigé en anglais.", "fr", "obligation", "other"),
    ("Lorsque le rapport est approuvé, la société peut le publier.", "fr", "permission", "company"),
    ("Der Bericht umfasst insbesondere X.", "de", "obligation", "other"),
    ("Die Liste enthält folgende Widgets.", "de", "none", "other"),
    ("Sie umfassen insbesondere blaue Widgets.", "de", "none", "other"),  # not a document
    # the month is not the modal; "Es" after a point's letter is the subject of a duty
    ("The Draft Widget Bill of 13 May 2031 lists widgets.", "en", "none", "other"),
    ("The widget maker may paint widgets.", "en", "permission", "other"),
    ("c. Es sorgt dafür, dass Widgets gemeldet werden können.", "de", "obligation", "other"),
    # a document named by a pronoun lists its contents; "notamment" lists examples of a thing
    ("Il comprend les mesures suivantes :", "fr", "obligation", "other"),
    ("Ils comprennent notamment les widgets suivants :", "fr", "none", "other"),
    (
        "The supervisory authority shall have at least the power to seize widgets.",
        "en",
        "permission",
        "authority",
    ),
    # a pronoun subject after the paragraph's number; the Federal Council acts
    ("4 Er legt fest, welche Widgets blau sind.", "de", "obligation", "other"),
    ("Le Conseil fédéral détermine les volumes.", "fr", "obligation", "state"),
]


AMENDING = [
    ("Article 37 is amended as follows:", True),
    ("in paragraph 1, the following subparagraph is added:", True),
    ("point (c) is deleted;", True),
    ("L'article 5 est modifié comme suit:", True),
    ("Absatz 3 wird gestrichen.", True),
    ("§ 4 annet ledd oppheves.", True),
    ("Where new widget suppliers are added, the company shall update its list.", False),
    ("Where a widget is replaced, the company shall take the following measures:", False),
    ("Lorsque le contrat est modifié, la société en informe l'autorité.", False),
    ("Pålegget oppheves når forholdet er rettet.", False),
]


@pytest.mark.parametrize(("sentence", "amending"), AMENDING)
def test_amending_instructions(sentence, amending):
    from kb.compare.force import _amending
    from kb.models import Statement

    statement = Statement("d", "u", sentence, "none", "other", 0, len(sentence), "")
    assert _amending(statement) is amending


@pytest.mark.parametrize(("sentence", "language", "force", "addressee"), CUES)
def test_classify_synthetic(sentence, language, force, addressee):
    assert classify(sentence, language)[:2] == (force, addressee)


def test_cue_is_recorded():
    assert classify("Das Unternehmen hat dafür zu sorgen, dass X gilt.", "de")[2] == (
        "hat dafür zu sorgen"
    )
    assert classify("La société établit un plan.", "fr")[2] == "établit"
    assert classify("The widget shall not be red.", "en")[2] == "shall not"


# --------------------------------------------------------------------------- real sentences

REAL = [
    # (doc_id, unit_id, a word the sentence contains (None: the first sentence), force, addressee)
    ("eu-csddd-2024-1760", "art-14.par-1", None, "obligation", "member-state"),
    ("eu-csddd-2024-1760-fr", "art-14.par-1", None, "obligation", "member-state"),  # veillent à
    ("de-lksg-2021", "sec-8.par-1", None, "obligation", "company"),  # hat dafür zu sorgen
    ("de-lksg-2021", "sec-8.par-4", None, "obligation", "company"),  # muss
    ("fr-loi-vigilance-2017", "art-L225-102-1.par-I", None, "obligation", "company"),  # établit
    ("un-ungps-2011", "principle-1", None, "obligation", "state"),  # "must"
    ("un-ungps-2011", "principle-11", None, "recommendation", "company"),  # "should"
    ("eu-csddd-2024-1760", "art-24.par-6", "may", "permission", "member-state"),
    ("de-lksg-2021", "sec-8.par-1", "können sich", "permission", "company"),
    ("eu-csddd-2024-1760", "art-27.par-5", "shall not", "prohibition", "other"),
    ("de-lksg-2021", "sec-2.par-2", "dürfen", "prohibition", "other"),  # nicht … dürfen
    ("eu-csddd-2024-1760-fr", "annex", "ne doit", "prohibition", "other"),
    ("eu-csddd-2024-1760", "art-2.par-1", None, "none", "company"),  # scope: "shall apply"
    ("de-lksg-2021", "sec-1.par-1", None, "none", "company"),  # scope: "ist anzuwenden"
    ("de-lksg-2021", "sec-16", "befugt", "permission", "authority"),  # sind … befugt
    # epistemic "may" is no permission: "the means … may vary"
    ("un-ungps-2011", "principle-14", "may vary", "none", "company"),
    # a content clause does not decide: "kan gi forskrift om at loven … skal gjelde"
    ("no-transparency-act-2021", "sec-2", "Kongen kan gi", "permission", "state"),
    ("eu-csddd-2024-1760-fr", "art-25.par-5", "disposent", "permission", "authority"),
    # an object pronoun is no article: "l'autorité destinataire le transmet", "la Commission le
    # notifie"; "une demande" is a noun, and the subject may stand five words before its verb
    ("eu-csddd-2024-1760-fr", "art-26.par-3", "transmet", "obligation", "authority"),
    ("eu-csddd-2024-1760-fr", "art-34.par-5", "notifie", "obligation", "commission"),
    ("eu-csddd-2024-1760-fr", "art-28.par-6", "informe", "obligation", "authority"),
    # … but not across "lorsqu'": what the companies do when they act is no duty of its own
    ("eu-csddd-2024-1760-fr", "rec-42", "intègrent", "recommendation", "company"),
    # "comporte" (the statute's present: "Le plan comporte …") is not "comportement"
    ("eu-csddd-2024-1760-fr", "rec-4", "comportement", "none", "company"),
    # a list point "refrain from …" under "shall take the following actions"
    (
        "eu-csddd-2024-1760-consolidated-2026-03-18",
        "art-10.par-6.pt-a",
        None,
        "prohibition",
        "other",
    ),
]


@pytest.mark.parametrize(("doc_id", "unit_id", "word", "force", "addressee"), REAL)
def test_classify_real(by_key, doc_id, unit_id, word, force, addressee):
    found = statements(by_key[f"{doc_id}/{unit_id}"])
    if word is not None:
        found = [s for s in found if word in s.text]
    assert found, f"no sentence with {word!r} in {doc_id}/{unit_id}"
    s = found[0]
    assert (s.force, s.addressee) == (force, addressee), s.text
    assert s.cue or force == "none"


def test_statements_quote_their_unit(units):
    """Every statement is a non-empty, ordered, exact slice of its unit's text, without label."""
    for unit in units:
        previous_end = 0
        for s in statements(unit):
            assert (s.doc_id, s.unit_id) == (unit.doc_id, unit.unit_id)
            assert unit.text[s.start : s.end] == s.text and s.text.strip() == s.text != ""
            assert s.start >= previous_end, (unit.key, s.text)
            assert not s.text.startswith(("(a) ", "(1) ", "1. ")), (unit.key, s.text)
            previous_end = s.end


def test_no_split_after_abbreviations(units):
    enders = (" Art.", " art.", " para.", " Abs.", " Nr.", " e.g.", " i.e.", " No.")
    for unit in units:
        for s in statements(unit):
            assert not s.text.endswith(enders), (unit.key, s.text)


def test_every_force_and_addressee_occurs(units):
    found = [s for u in units if u.parent is None for s in statements(u)]
    assert {s.force for s in found} == {
        "obligation",
        "recommendation",
        "permission",
        "prohibition",
        "none",
    }
    assert {s.addressee for s in found} >= {"company", "member-state", "authority", "commission"}


def _s(force: str) -> Statement:
    return Statement("d", "art-1", "x", force, "other", 0, 1)


STRONGEST = [
    ([], "none"),
    (["none", "permission"], "permission"),
    (["permission", "recommendation"], "recommendation"),
    (["recommendation", "obligation", "permission"], "obligation"),
    (["obligation", "prohibition"], "prohibition"),
]


@pytest.mark.parametrize(("forces", "expected"), STRONGEST)
def test_strongest_force(forces, expected):
    assert strongest_force(forces) == expected
