"""'Does it apply to us?': rules checked against the texts, the CLI contract, the dev gold."""

from __future__ import annotations

import itertools
import json

import pytest

from kb.cli import main
from kb.compare.applies import load_rules


def _numeric_conditions():
    for family in load_rules():
        for version in family["versions"]:
            for wave in version["waves"]:
                stack = list(wave["conditions"])
                while stack:
                    condition = stack.pop()
                    stack.extend(condition.get("any", []))
                    if isinstance(condition.get("value"), int | float):
                        yield family["family"], condition


def test_every_number_of_a_rule_is_a_fact_of_the_provision_it_cites(units):
    """An amendment of the text cannot leave a stale rule unnoticed."""
    from kb.compare.facts import unit_facts

    by_key = {(u.doc_id, u.unit_id): u for u in units}
    children: dict = {}
    for u in units:
        if u.parent:
            children.setdefault((u.doc_id, u.parent), []).append(u)
    checked = 0
    for family, condition in _numeric_conditions():
        cite = condition["citation"]
        unit = by_key[(cite["doc_id"], cite["unit_id"])]
        facts = unit_facts(unit, children.get((unit.doc_id, unit.unit_id), []))
        values = set()
        for fact in facts:
            try:
                values.add(float(str(fact.value).rstrip("%")))
            except ValueError:
                continue
        assert float(condition["value"]) in values, (
            f"{family}: {condition['text']} — {condition['value']} is not a fact of "
            f"{unit.citation}: {sorted(values)}"
        )
        checked += 1
    assert checked >= 20


def test_every_cited_provision_exists(units):
    keys = {(u.doc_id, u.unit_id) for u in units}
    for family in load_rules():
        for version in family["versions"]:
            for wave in version["waves"]:
                assert (wave["citation"]["doc_id"], wave["citation"]["unit_id"]) in keys
                for c in wave["conditions"]:
                    assert (c["citation"]["doc_id"], c["citation"]["unit_id"]) in keys


def test_dev_gold_every_verdict_right_and_cited(data_dir):
    from corpus.manifest import manifest_for
    from kb.compare.applies_eval import evaluate
    from kb.store import read_units

    units = {(u.doc_id, u.unit_id): u for u in read_units(data_dir)}
    report = evaluate(manifest_for(data_dir), units)
    assert report["verdicts"] >= 30 * 7
    assert report["with_citation"] == 1.0
    assert report["accuracy"] == 1.0, report["misses"]


def test_applies_cli_contract(data_dir, capsys):
    argv = ["--data", str(data_dir), "applies", "--country", "DE", "--employees", "6000"]
    argv += ["--employees-in-country", "4000", "--turnover", "2000000000"]
    assert main([*argv, "--date", "2026-12-01", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"date", "profile", "instruments"}
    assert out["date"] == "2026-12-01"
    csddd = next(e for e in out["instruments"] if e["short_title"] == "CSDDD")
    assert set(csddd) >= {"doc_id", "short_title", "applies", "from", "reasons"}
    # the version in force on the date, and the wave of that version
    assert csddd["doc_id"] == "eu-csddd-2024-1760-consolidated-2026-03-18"
    assert (csddd["applies"], csddd["from"]) == ("not-yet", "2029-07-26")
    reason = csddd["reasons"][0]
    assert set(reason) == {"text", "citation", "doc_id", "unit_id"} and reason["citation"]
    lksg = next(e for e in out["instruments"] if e["short_title"] == "LkSG")
    assert lksg["applies"] == "yes"


def test_a_reason_does_not_repeat_its_citation(data_dir, capsys):
    """ "applies from 2028-07-26 (Art. 37(1)(a)) (CSDDD Art. 37(1)(a))": the rule's words named
    the point its citation names again."""
    argv = ["--data", str(data_dir), "applies", "--country", "DE", "--employees", "6000"]
    argv += ["--turnover", "2600000000"]
    for date in ("2025-06-01", "2026-12-01"):
        assert main([*argv, "--date", date, "--json"]) == 0
        reasons = [
            r for e in json.loads(capsys.readouterr().out)["instruments"] for r in e["reasons"]
        ]
        assert any("37(1)" in r["citation"] for r in reasons)
        for r in reasons:
            pinpoint = r["citation"].split(" ", 1)[-1]  # "Art. 37(1)(a)" of "CSDDD Art. 37(1)(a)"
            assert f"({pinpoint})" not in r["text"], r


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--date", "2024-13-45"], "--date '2024-13-45' is not an ISO date"),
        (["--date", "2026-01-01", "--employees-in", "Germany"], "--employees-in 'Germany'"),
        (["--date", "2026-01-01", "--eu-turnover", "nan"], "--eu-turnover must be a number"),
        (["--date", "2026-01-01", "--eu-turnover", "inf"], "--eu-turnover must be a number"),
        # a part cannot be more than its whole
        (
            ["--date", "2026-01-01", "--employees-in-country", "7000"],
            "--employees-in-country (7,000)",
        ),
        # … and the countries together: 6 in Germany and 6 in France of 10 in all
        (
            ["--date", "2026-01-01", "--employees-in-country", "6", "--employees-in", "FR=6"],
            "--employees-in (12) is more than --employees (10)",
        ),
        (["--date", "2026-01-01", "--employees-in", "FR=11"], "--employees-in FR (11) is more"),
        (
            ["--date", "2026-01-01", "--eu-turnover", "2"],
            "--eu-turnover (2) is more than --turnover",
        ),
    ],
)
def test_applies_bad_input_names_the_field(data_dir, capsys, extra, message):
    argv = ["--data", str(data_dir), "applies", "--country", "DE", "--employees", "10"]
    assert main([*argv, "--turnover", "1", *extra]) == 1
    assert message in capsys.readouterr().err


@pytest.fixture(scope="module")
def records_and_units(data_dir, units):
    from corpus.manifest import manifest_for

    return manifest_for(data_dir), {(u.doc_id, u.unit_id): u for u in units}


# (profile, family, date inside a segment, verdict there) — the LkSG's threshold fell from 3,000
# to 1,000 employees in Germany on 1 January 2024 (§ 1 Abs. 1): a company with 1,500 is covered
# from then on, one with 4,000 from 2023; the timeline shows it from the same rules as `applies`
TIMELINE_CASES = [
    (dict(employees=1500, employees_in_country=1500), "de-lksg-2021", "2023-06-01", "not-yet"),
    (dict(employees=1500, employees_in_country=1500), "de-lksg-2021", "2024-06-01", "yes"),
    (dict(employees=4000, employees_in_country=4000), "de-lksg-2021", "2023-06-01", "yes"),
    (dict(employees=1500, employees_in_country=1500), "de-lksg-2021", "2020-06-01", "not-adopted"),
]


@pytest.mark.parametrize(("extra", "family", "date", "verdict"), TIMELINE_CASES)
def test_timeline_segments_follow_the_rules(records_and_units, extra, family, date, verdict):
    from kb.compare.applies import Profile, applies, timeline

    records, units = records_and_units
    profile = Profile(country="DE", turnover=5e8, date="2026-01-01", **extra)
    lines = {
        line["family"]: line
        for line in timeline(profile, records, units, "2015-01-01", "2032-01-01")
    }
    segments = lines[family]["segments"]
    # contiguous, covering the whole span, neighbours differ
    assert segments[0]["from"] == "2015-01-01" and segments[-1]["to"] == "2032-01-01"
    assert all(a["to"] == b["from"] for a, b in itertools.pairwise(segments))
    assert all(
        (a["applies"], a["starts"]) != (b["applies"], b["starts"])
        for a, b in itertools.pairwise(segments)
    )
    seg = next(s for s in segments if s["from"] <= date < s["to"])
    assert seg["applies"] == verdict
    if verdict != "not-adopted":  # the same answer as the check on that date
        at = {
            e["family"]: e
            for e in applies(Profile(**{**profile.__dict__, "date": date}), records, units)[
                "instruments"
            ]
        }
        assert at[family]["applies"] == verdict


def test_timeline_marks_cite_the_provision_where_a_threshold_starts(records_and_units):
    from kb.compare.applies import Profile, timeline

    records, units = records_and_units
    profile = Profile(country="DE", employees=1500, turnover=5e8, date="2026-01-01")
    lines = {
        line["family"]: line
        for line in timeline(profile, records, units, "2015-01-01", "2032-01-01")
    }
    lksg = {m["date"]: m for m in lines["de-lksg-2021"]["marks"]}
    assert lksg["2024-01-01"]["citation"] == "LkSG § 1 Abs. 1"
    assert "2024" in units[("de-lksg-2021", "sec-1.par-1")].text  # the date is in its words
    with pytest.raises(ValueError):
        timeline(profile, records, units, "2032-01-01", "2015-01-01")


@pytest.mark.parametrize(
    ("missing", "is_an_input", "cli_words"),
    [
        ("eu_turnover", True, "--eu-turnover"),
        ("employees_in:DE", True, "employees in DE (--employees-in DE=N)"),
        # synthetic words of a rule ("needs"): shown as they are
        ("the widget register's size", False, "the widget register's size"),
    ],
)
def test_a_missing_input_is_named_for_the_cli_and_kept_apart_for_the_explorer(
    missing, is_an_input, cli_words
):
    from kb.compare.applies import is_input, needs_text

    assert is_input(missing) is is_an_input
    assert needs_text(missing) == cli_words


def _rule_texts(node) -> set[str]:
    """Every text of the rules the explorer shows: conditions, waves, notes, what is needed."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("text", "needs", "unknown_because", "binding") and isinstance(value, str):
                found.add(value)
            else:
                found |= _rule_texts(value)
    elif isinstance(node, list):
        for item in node:
            found |= _rule_texts(item)
    return found


def test_every_rule_text_has_its_dutch_wording_with_the_same_numbers():
    import re

    from kb.compare.applies import DUTCH_PATH, rule_text

    texts = _rule_texts(load_rules())
    dutch = json.loads(DUTCH_PATH.read_text(encoding="utf-8"))["texts"]
    assert texts - set(dutch) == set(), "rule texts without a Dutch wording"
    assert set(dutch) - texts == set(), "Dutch wordings of texts the rules no longer have"

    def numbers(text: str) -> list[str]:
        # thousands separators (a comma in English, a no-break space in Dutch) left out
        return re.findall(r"\d+", re.sub(r"(?<=\d)[,\u00a0](?=\d{3}\b)", "", text))

    for english, words in dutch.items():
        assert numbers(words) == numbers(english), english
        assert rule_text(english, "nl") == words and rule_text(english, "en") == english


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("DE=3500,FR=1000", {"DE": 3500, "FR": 1000}),
        ("DE=3500, FR=1000", {"DE": 3500, "FR": 1000}),  # as the form's label writes it
        (" de = 3 500 ; fr:1000 ", {"DE": 3500, "FR": 1000}),
        ("DE=3\u00a0500", {"DE": 3500}),  # as the Dutch pages print a number
        ("NL=1.500", {"NL": 1500}),
        ("", {}),
    ],
)
def test_employees_in_other_countries_read_as_people_write_them(text, counts):
    """Thousands grouped or not; a decimal point is no thousands separator ("DE=1.5" is refused,
    not read as 15)."""
    from kb.compare.applies import format_employees_in, parse_employees_in
    from kb.errors import ProfileError

    assert parse_employees_in(text) == counts
    assert parse_employees_in(format_employees_in(counts)) == counts
    with pytest.raises(ProfileError):
        parse_employees_in("DE=1.5")
    # one country twice: the last count silently won
    with pytest.raises(ProfileError, match="FR twice") as twice:
        parse_employees_in(["FR=1000", "fr=900"])
    from kb.explore.ui_text import message_text

    assert message_text("nl", twice.value).endswith("FR staat er twee keer in")


def test_the_home_countrys_employees_given_twice_must_agree():
    from types import SimpleNamespace

    from kb.compare.applies import parse_profile
    from kb.errors import ProfileError
    from kb.explore.ui_text import message_text

    def args(**kw):
        base = dict(country="DE", employees=5000, turnover=1e9, date="2027-01-01")
        base |= dict(employees_in_country=None, employees_in=[], eu_turnover=None, royalties=None)
        return SimpleNamespace(**(base | kw))

    same = parse_profile(args(employees_in_country=1200, employees_in=["DE=1200"]))
    assert same.employees_in_country == 1200
    with pytest.raises(ProfileError, match="disagree") as disagree:
        parse_profile(args(employees_in_country=1000, employees_in=["DE=1200"]))
    assert "verschillen" in message_text("nl", disagree.value)


@pytest.mark.parametrize(
    ("params", "kept", "dropped"),
    [
        # the form's own format survives the shared link (it was dropped: the answer changed)
        ({"country": "BE", "employees_in": "DE=3500, FR=1000"}, "DE=3500,FR=1000", []),
        ({"country": "BE", "employees_in": "Duitsland 3500"}, None, ["employees_in"]),
        (
            {"country": "BE", "eu_turnover": "nan", "in_country": "-5"},
            None,
            ["employees_in_country", "eu_turnover"],
        ),
    ],
)
def test_a_shared_profile_link_keeps_its_values_or_says_which_it_left_out(params, kept, dropped):
    from kb.explore.views import applies_from_params

    state = applies_from_params(params)
    assert state.get("ap_employees_in") == kept
    assert sorted(state.get("ap_dropped", [])) == dropped
    assert state["ap_country"] == "BE" and state["ap_done"]


def test_profile_errors_are_said_in_the_interface_language_naming_the_form_field():
    from kb.compare.applies import parse_employees_in
    from kb.errors import ProfileError
    from kb.explore.ui_text import message_text

    with pytest.raises(ProfileError) as caught:
        parse_employees_in("Duitsland 3500")
    nl = message_text("nl", caught.value)
    assert "Werknemers in andere landen" in nl and "Duitsland 3500" in nl and "--" not in nl
    assert message_text("en", caught.value).startswith("“Employees in other countries")
    assert str(caught.value) == "--employees-in 'Duitsland 3500' must look like DE=1200"


def test_a_condition_several_waves_share_is_said_once(records_and_units):
    from kb.compare.applies import Profile, applies

    records, units = records_and_units
    profile = Profile(country="DE", employees=1200, turnover=5e8, date="2027-01-01")
    csddd = next(
        e for e in applies(profile, records, units)["instruments"] if e["short_title"] == "CSDDD"
    )
    said = [(r["text"], r["citation"]) for r in csddd["reasons"]]
    assert csddd["applies"] == "no" and len(said) == len(set(said)) >= 2
    assert ("not met: formed under the law of a third country", "CSDDD Art. 2(2)") in said


@pytest.mark.parametrize(
    ("date", "three_thousand_said"), [("2027-01-01", False), ("2023-06-01", True)]
)
def test_a_phase_in_that_has_started_replaces_the_earlier_threshold(
    records_and_units, date, three_thousand_said
):
    """LkSG § 1(1): 3 000 employees in Germany from 2023, 1 000 from 2024. For 2027 the 3 000
    is no reason any more (it was listed as "not met" beside the 1 000 that decides)."""
    from kb.compare.applies import Profile, applies

    records, units = records_and_units
    profile = Profile(country="DE", employees=1200, turnover=5e8, date=date)
    lksg = next(
        e for e in applies(profile, records, units)["instruments"] if e["family"] == "de-lksg-2021"
    )
    texts = [r["text"] for r in lksg["reasons"]]
    assert lksg["applies"] == "unknown"
    assert any("1,000 employees" in t for t in texts), texts
    assert any("3,000 employees" in t for t in texts) is three_thousand_said, texts


def test_each_reason_names_the_duty_when_an_act_has_several(records_and_units):
    """OR Art. 964j (due diligence: a Swiss seat, not met) and Art. 964a (a report: unknown
    without public-interest status) are two duties: "unknown" beside "not met: seat … in
    Switzerland" read as a contradiction until each reason said which duty it is about; the
    phase-in waves of one duty (CSDDD Art. 37) name none."""
    from kb.compare.applies import Profile, applies

    records, units = records_and_units
    profile = Profile(country="DE", employees=6000, turnover=2e9, date="2026-12-07")
    found = {e["family"]: e for e in applies(profile, records, units)["instruments"]}
    swiss = found["ch-co-964-2021"]
    assert swiss["applies"] == "unknown"
    duties = {r["kind"]: r.get("duty", "") for r in swiss["reasons"]}
    assert "964j" in duties["not-met"] and "964a" in duties["unknown"]
    assert all(r["text"].startswith(r["duty"] + ": ") for r in swiss["reasons"])
    assert not any("duty" in r for r in found["eu-csddd-2024-1760"]["reasons"])


@pytest.mark.parametrize(("date", "said"), [("1990-01-01", True), ("2026-12-01", False)])
def test_a_date_before_an_act_was_adopted_says_so_first(records_and_units, date, said):
    """ "CSDDD not-yet from 2029-07-26" for 1990 read as if the act were waiting to apply."""
    from kb.compare.applies import Profile, applies

    records, units = records_and_units
    profile = Profile(country="DE", employees=1200, turnover=5e8, date=date)
    for entry in applies(profile, records, units)["instruments"]:
        adopted = records[entry["doc_id"]].adopted
        first = entry["reasons"][0]
        assert (first.get("kind") == "not-adopted") == (said and date < adopted), entry
        if first.get("kind") == "not-adopted":
            assert first["adopted"] == adopted and first["citation"]
