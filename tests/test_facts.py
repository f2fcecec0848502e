"""Key facts: numbers, synthetic edge cases, and the reference facts of PRODUCT.md on the real corpus.

Reference facts are checked against the ingested official texts: value AND provision. Where a
published comparison table and the text differ, the test follows the text (see the comments).
"""

import pytest

from kb.compare.facts import extract_facts, parse_number, scan
from kb.numbering import is_within


@pytest.fixture(scope="session")
def facts(units):
    return extract_facts(units)


@pytest.fixture(scope="session")
def by_key(units):
    return {u.key: u for u in units}


# --------------------------------------------------------------------------- numbers

NUMBERS = [
    ("1 000", "en", 1000),  # regular space as thousand separator
    ("1\u202f000", "en", 1000),  # narrow no-break (thin) space
    ("1\u00a0500\u00a0000\u00a0000", "en", 1_500_000_000),  # no-break spaces
    ("1,000", "en", 1000),
    ("2.5", "en", 2.5),
    ("3.000", "de", 3000),  # German thousands dot
    ("2,5", "de", 2.5),  # German decimal comma
    ("cinq mille", "fr", 5000),
    ("dix mille", "fr", 10000),
    ("vingt-quatre", "fr", 24),
    ("quatre-vingts", "fr", 80),
    ("deux cent cinquante mille", "fr", 250_000),
    ("achthunderttausend", "de", 800_000),
    ("einhundertfünfundsiebzigtausend", "de", 175_000),
    ("hunderttausend", "de", 100_000),
    ("zweiundzwanzig", "de", 22),
    ("three", "en", 3),
    ("twenty-four", "en", 24),
    ("vijfhonderdduizend", "nl", 500_000),
    ("tre", "nb", 3),
    ("to hundre og femti", "nb", 250),
    ("widget", "en", None),
]


@pytest.mark.parametrize(("text", "language", "expected"), NUMBERS)
def test_parse_number(text, language, expected):
    assert parse_number(text, language) == expected


# --------------------------------------------------------------------------- synthetic

SCANS = [
    # (text, language, [(kind, value, quote), …]); clearly synthetic, not law
    ("more than 1 000 employees", "en", [("employees", "1000", "more than 1 000 employees")]),
    ("mehr als 3\u202f000 Arbeitnehmer", "de", [("employees", "3000", "mehr als 3\u202f000 Arbeitnehmer")]),
    ("au moins cinq mille salariés", "fr", [("employees", "5000", "au moins cinq mille salariés")]),
    ("meer dan 1000 werknemers", "nl", [("employees", "1000", "meer dan 1000 werknemers")]),
    ("a chiffre d'affaires de plus de 450 millions d'euros", "fr",
     [("turnover", "450000000", "plus de 450 millions d'euros")]),
    ("Jahresumsatz von mehr als 400 Millionen Euro", "de",
     [("turnover", "400000000", "mehr als 400 Millionen Euro")]),
    ("a turnover of EUR 1 500 000 000", "en", [("turnover", "1500000000", "EUR 1 500 000 000")]),
    ("a turnover of EUR 1.5 billion", "en", [("turnover", "1500000000", "EUR 1.5 billion")]),
    ("a widget worth EUR 2 million", "en", [("amount", "2000000", "EUR 2 million")]),
    ("fines of up to EUR 50 000", "en", [("fine-max", "50000", "up to EUR 50 000")]),
    ("Geldbuße bis zu achthunderttausend Euro", "de",
     [("fine-max", "800000", "bis zu achthunderttausend Euro")]),
    ("penalties of not less than 5 % of the net worldwide turnover", "en",
     [("fine-percent", "5%", "not less than 5 % of the net worldwide turnover")]),
    ("eine Geldbuße bis zu 2 Prozent des Jahresumsatzes", "de",
     [("fine-percent", "2%", "bis zu 2 Prozent des Jahresumsatzes")]),
    ("a widget share of 5 %", "en", []),  # a percentage that caps no fine
    ("by 26 July 2027", "en", [("date", "2027-07-26", "26 July 2027")]),
    ("ab dem 1. Januar 2024", "de", [("date", "2024-01-01", "1. Januar 2024")]),
    ("le 26 juillet 2028", "fr", [("date", "2028-07-26", "26 juillet 2028")]),
    ("le 1er janvier 2030", "fr", [("date", "2030-01-01", "1er janvier 2030")]),
    ("op 26 juli 2027", "nl", [("date", "2027-07-26", "26 juli 2027")]),
    ("Directive 1/2/EU of the Widget Council of 8 June 2011", "en", []),  # date of a cited act
    ("within three weeks", "en", [("period", "P3W", "within three weeks")]),
    ("every 12 months", "en", [("period", "P12M", "every 12 months")]),
    ("at least every five years", "en", [("period", "P5Y", "at least every five years")]),
    ("innerhalb von drei Monaten", "de", [("period", "P3M", "innerhalb von drei Monaten")]),
    ("mindestens einmal im Jahr", "de", [("period", "P1Y", "einmal im Jahr")]),
    ("tous les vingt-quatre mois", "fr", [("period", "P24M", "tous les vingt-quatre mois")]),
    ("binnen zes maanden", "nl", [("period", "P6M", "binnen zes maanden")]),
    ("widgets under the age of 15 years", "en", []),  # an age, not a period
    # a threshold left to secondary legislation (synthetic wording), and a cited act that is not
    ("a widget turnover of not less than an amount prescribed by regulations made by the Widget Minister.", "en",
     [("turnover", "set-by-regulations", "an amount prescribed by regulations made by the Widget Minister")]),
    ("the threshold specified in Regulation (EU) 2099/1 on widgets", "en", []),
    ("der Schwellenwert durch Rechtsverordnung", "de", []),
    # Norwegian: spelt-out periods, "hvert år"; a list number after a currency is not its amount
    ("widgetsvar senest innen tre uker", "nb", [("period", "P3W", "senest innen tre uker")]),
    ("widgetrapport hvert år", "nb", [("period", "P1Y", "hvert år")]),
    ("mer enn 50 ansatte", "nb", [("employees", "50", "mer enn 50 ansatte")]),
    ("widgetavgift: 3 millioner kroner\n2. neste punkt", "nb",
     [("amount", "3000000", "3 millioner kroner")]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "language", "expected"), SCANS)
def test_scan(text, language, expected):
    found = scan(text, language)
    assert [(k, v, text[s:e]) for k, v, s, e, _ in found] == expected


# --------------------------------------------------------------------------- reference facts

CSDDD = "eu-csddd-2024-1760"
C2025 = "eu-csddd-2024-1760-consolidated-2025-04-17"
C2026 = "eu-csddd-2024-1760-consolidated-2026-03-18"

REFERENCE = [
    # (doc_id, provision, kind, value) — the fact is attached to the provision or a unit within it
    # CSDDD as adopted: Art. 2 scope
    (CSDDD, "art-2.par-1.pt-a", "employees", "1000"),
    (CSDDD, "art-2.par-1.pt-a", "turnover", "450000000"),
    (CSDDD, "art-2.par-2.pt-a", "turnover", "450000000"),  # non-EU: turnover in the Union
    (f"{CSDDD}-fr", "art-2.par-1.pt-a", "employees", "1000"),
    (f"{CSDDD}-fr", "art-2.par-1.pt-a", "turnover", "450000000"),
    # CSDDD as adopted: Art. 27 fines ("not less than 5 %"), Art. 37 transposition
    (CSDDD, "art-27.par-4", "fine-percent", "5%"),
    (f"{CSDDD}-fr", "art-27.par-4", "fine-percent", "5%"),
    (CSDDD, "art-37.par-1", "date", "2026-07-26"),
    (CSDDD, "art-37.par-1.pt-a", "date", "2027-07-26"),  # phased application, first wave
    # Directive 2025/794 (stop-the-clock): Art. 2 replaces Art. 37(1)
    ("eu-omnibus-2025-794", "art-2", "date", "2027-07-26"),  # transposition
    ("eu-omnibus-2025-794", "art-2", "date", "2028-07-26"),  # first application
    (C2025, "art-37.par-1", "date", "2027-07-26"),
    (C2025, "art-37.par-1.pt-a", "date", "2028-07-26"),
    # Directive 2026/470 (Omnibus I) and the consolidation of 18 March 2026
    ("eu-omnibus-2026-470", "art-4", "employees", "5000"),
    ("eu-omnibus-2026-470", "art-4", "turnover", "1500000000"),
    ("eu-omnibus-2026-470", "art-4", "fine-percent", "3%"),
    (C2026, "art-2.par-1.pt-a", "employees", "5000"),
    (C2026, "art-2.par-1.pt-a", "turnover", "1500000000"),
    (f"{C2026}-fr", "art-2.par-1.pt-a", "employees", "5000"),
    (C2026, "art-27.par-4", "fine-percent", "3%"),
    (C2026, "art-37.par-1", "date", "2028-07-26"),  # transposition
    (C2026, "art-37.par-1", "date", "2029-07-26"),  # application
    # LkSG: § 1 scope ("mindestens 3 000", then 1 000 from 1 January 2024), § 24 fines
    ("de-lksg-2021", "sec-1.par-1", "employees", "3000"),
    ("de-lksg-2021", "sec-1.par-1", "employees", "1000"),
    ("de-lksg-2021", "sec-1.par-1", "date", "2024-01-01"),
    ("de-lksg-2021", "sec-24.par-3", "turnover", "400000000"),
    ("de-lksg-2021", "sec-24.par-3", "fine-percent", "2%"),
    ("de-lksg-2021", "sec-24.par-2", "fine-max", "800000"),
    # Code de commerce L.225-102-1: 5 000 employees in France or 10 000 worldwide
    ("fr-loi-vigilance-2017", "art-L225-102-1.par-I", "employees", "5000"),
    ("fr-loi-vigilance-2017", "art-L225-102-1.par-I", "employees", "10000"),
    # Åpenhetsloven § 3 (size), § 7(2) (answer within three weeks, or two months), § 11(3)
    ("no-transparency-act-2021", "sec-3.par-1", "turnover", "70000000"),
    ("no-transparency-act-2021", "sec-3.par-1", "employees", "50"),
    ("no-transparency-act-2021", "sec-7.par-2", "period", "P3W"),
    ("no-transparency-act-2021", "sec-7.par-2", "period", "P2M"),
    ("no-transparency-act-2021", "sec-11.par-3", "period", "P6M"),
    # UK MSA s. 54(2)(b): the turnover threshold is left to regulations — no number is invented
    ("uk-modern-slavery-act-2015", "sec-54.par-2.pt-b", "turnover", "set-by-regulations"),
]


@pytest.mark.parametrize(("doc_id", "provision", "kind", "value"), REFERENCE)
def test_reference_fact(facts, by_key, doc_id, provision, kind, value):
    assert f"{doc_id}/{provision}" in by_key, f"{doc_id}/{provision} not ingested"
    found = [
        f
        for f in facts
        if f.doc_id == doc_id and is_within(f.unit_id, provision) and f.kind == kind
    ]
    assert value in [f.value for f in found], f"{kind} {value} not in {[f.value for f in found]}"
    fact = next(f for f in found if f.value == value)
    unit = by_key[f"{doc_id}/{fact.unit_id}"]
    assert fact.citation == unit.citation
    assert unit.text[fact.start : fact.end] == fact.quote


QUOTES = [
    # the qualifier is part of the quote: a minimum for the maximum fine vs a cap
    (CSDDD, "art-27.par-4", "fine-percent", "not less than"),
    (C2026, "art-27.par-4", "fine-percent", "3 %"),
    ("de-lksg-2021", "sec-24.par-3", "fine-percent", "bis zu"),
    ("de-lksg-2021", "sec-1.par-1", "employees", "mindestens"),  # "at least", not "more than"
    ("fr-loi-vigilance-2017", "art-L225-102-1.par-I", "employees", "cinq mille"),
    (
        "uk-modern-slavery-act-2015",
        "sec-54.par-2.pt-b",
        "turnover",
        "prescribed by regulations made by the Secretary of State",
    ),
]


@pytest.mark.parametrize(("doc_id", "provision", "kind", "words"), QUOTES)
def test_reference_quote(facts, doc_id, provision, kind, words):
    quotes = [
        f.quote
        for f in facts
        if f.doc_id == doc_id and is_within(f.unit_id, provision) and f.kind == kind
    ]
    assert any(words in q for q in quotes), quotes


def test_adopted_fine_is_not_the_amended_one(facts):
    """5 % as adopted, 3 % after Directive 2026/470: never both in one version."""
    values = {
        doc: {f.value for f in facts if f.doc_id == doc and f.kind == "fine-percent"}
        for doc in (CSDDD, C2026)
    }
    assert values[CSDDD] == {"5%"} and values[C2026] == {"3%"}


# --------------------------------------------------------------------------- attachment


def test_facts_go_to_the_most_specific_unit(facts):
    """Art. 2(1)(a) states the thresholds; neither Art. 2 nor Art. 2(1) repeats them."""
    scope = [f for f in facts if f.doc_id == CSDDD and is_within(f.unit_id, "art-2")]
    assert scope and all(f.unit_id.count(".") == 2 for f in scope), scope


def test_no_fact_twice_in_parent_and_child(units, by_key, facts):
    """A fact reported for a unit never lies inside the text of one of its children."""
    children: dict[str, list] = {}
    for u in units:
        if u.parent:
            children.setdefault(f"{u.doc_id}/{u.parent}", []).append(u)
    for f in facts:
        unit = by_key[f"{f.doc_id}/{f.unit_id}"]
        for child in children.get(unit.key, []):
            at = unit.text.find(child.text)
            assert not (at <= f.start and f.end <= at + len(child.text)), (f, child.unit_id)


def test_every_fact_quotes_its_unit(by_key, facts):
    for f in facts:
        unit = by_key[f"{f.doc_id}/{f.unit_id}"]
        assert unit.text[f.start : f.end] == f.quote and f.citation == unit.citation
        assert f.kind in {
            "employees",
            "turnover",
            "fine-max",
            "fine-percent",
            "amount",
            "date",
            "period",
        }


QUALIFIED = [
    # (doc_id, unit_id, kind, value, qualifier) — read from the real texts
    ("eu-csddd-2024-1760", "art-2.par-1.pt-a", "employees", "1000", "more-than"),
    ("eu-csddd-2024-1760", "art-27.par-4", "fine-percent", "5%", "at-least"),
    ("de-lksg-2021", "sec-1.par-1", "employees", "3000", "at-least"),
    ("de-lksg-2021", "sec-24.par-3", "fine-percent", "2%", "up-to"),
    ("fr-loi-vigilance-2017", "art-L225-102-1.par-I", "employees", "5000", "at-least"),
]


@pytest.mark.parametrize(("doc_id", "unit_id", "kind", "value", "expected"), QUALIFIED)
def test_fact_qualifiers(facts, doc_id, unit_id, kind, value, expected):
    matches = [
        f for f in facts if (f.doc_id, f.unit_id, f.kind, f.value) == (doc_id, unit_id, kind, value)
    ]
    assert matches, (doc_id, unit_id, kind, value)
    assert matches[0].qualifier == expected, matches[0].quote


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("not less than 7 widgets", "at-least"),  # synthetic: "not less than" is not "less than"
        ("fewer than 7 widgets", "less-than"),
        ("bis zu 7 Widgets", "up-to"),
        ("7 widgets", ""),
    ],
)
def test_qualifier_words(quote, expected):
    from kb.compare.facts import qualifier

    assert qualifier(quote) == expected
