"""'Does it apply to us?': an applicability check of a company profile against reviewed rules.

The rules are data (``kb/compare/applies_rules.json``): per instrument family, per version (the doc_id
whose wording is in force from a date), a list of *waves* — each a set of conditions on the
profile and the date from which the instrument applies to companies meeting them — and each
condition cites the provision it comes from. A test checks every number of a rule against the
key facts read from the cited provision (``kb.compare.facts``), so an amendment of the text cannot leave
a stale rule unnoticed.

Verdicts, one per family, for the version in force on the date (``kb.compare.versions.as_at``):

- ``yes`` — a wave's conditions hold and its date has come;
- ``not-yet`` — they hold, but the wave starts later (``from`` says when);
- ``no`` — no wave's conditions hold (the reasons say which threshold is not met);
- ``unknown`` — a condition needs an input the profile lacks (named in the reasons): a balance
  sheet total, employees in another country (``--employees-in CC=N``), an amount in another
  currency, a threshold set by regulations.

Every reason cites its provision.
"""

from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path

from kb.errors import KBError, ProfileError
from kb.models import DocRecord
from kb.numbering import record_citation, top_level

RULES_PATH = Path(__file__).with_name("applies_rules.json")
#: the rules' texts in Dutch, keyed by the English text (for the explorer's Dutch interface)
DUTCH_PATH = Path(__file__).with_name("applies_rules_nl.json")
VERDICTS = ("yes", "no", "not-yet", "unknown")
EU = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR EL HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)
_OPS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le, "==": operator.eq}


@dataclass(frozen=True)
class Profile:
    country: str
    employees: int
    turnover: float
    date: str
    employees_in_country: int | None = None
    employees_in: dict[str, int] = field(default_factory=dict)
    eu_turnover: float | None = None
    royalties: float | None = None

    def to_dict(self) -> dict:
        return {
            "country": self.country,
            "employees": self.employees,
            "employees_in_country": self.employees_in_country,
            "employees_in": dict(self.employees_in),
            "turnover": self.turnover,
            "eu_turnover": self.eu_turnover,
            "royalties": self.royalties,
        }

    def employees_in_(self, country: str) -> int | None:
        if country in self.employees_in:
            return self.employees_in[country]
        if country == self.country:
            return self.employees_in_country
        return None


#: the profile's inputs a rule names: ``Profile``'s fields but the date and the per-country
#: table, which rules read as ``employees_in:XX``
PROFILE_INPUTS = frozenset(f.name for f in fields(Profile)) - {"date", "employees_in"}


def load_rules(path: Path = RULES_PATH) -> list[dict]:
    from kb.store import read_json

    data = read_json(path, "applicability rules")
    families = data.get("families") if isinstance(data, dict) else None
    if not isinstance(families, list):
        raise KBError(f"{path}: expected an object with a 'families' list")
    return families


@cache
def _dutch() -> dict[str, str]:
    from kb.store import read_json

    return read_json(DUTCH_PATH, "applicability rules in Dutch")["texts"]


def rule_text(text: str, lang: str) -> str:
    """A text of the rules (a condition, a wave, what is needed) in ``lang`` ("en" or "nl"); as
    it is where no Dutch wording was written."""
    return _dutch().get(text, text) if lang == "nl" else text


def _value(profile: Profile, name: str) -> tuple[object, str | None]:
    """The profile's value for a condition input, or (None, the input that is missing: its
    name, ``employees_in:DE`` …)."""
    if name.startswith("employees_in:"):
        value = profile.employees_in_(name.split(":", 1)[1])
        return value, (None if value is not None else name)
    if name == "country":
        return profile.country, None
    if name == "in_eu":
        return profile.country in EU, None
    value = getattr(profile, name, None)
    if name == "royalties" and value is None:
        return 0.0, None  # no royalties given: none
    return value, (None if value is not None else name)


def is_input(missing: str) -> bool:
    """Whether what ``check`` says is missing is a profile input (else it is the rule's words:
    "public-interest status, balance-sheet total …")."""
    return missing.startswith("employees_in:") or missing in PROFILE_INPUTS


def needs_text(missing: str) -> str:
    """What is missing, in the CLI's words: an input as its option ("--eu-turnover",
    "employees in DE (--employees-in DE=N)"), else the rule's words."""
    if missing.startswith("employees_in:"):
        country = missing.split(":", 1)[1]
        return f"employees in {country} (--employees-in {country}=N)"
    return _option(missing) if missing in PROFILE_INPUTS else missing


def _upper_bound(profile: Profile, name: str) -> float | None:
    if name.startswith("employees_in:"):
        return profile.employees
    if name == "eu_turnover":
        return profile.turnover
    return None


def check(condition: dict, profile: Profile) -> tuple[bool | None, str]:
    """(holds, what is missing) — ``None`` when the profile cannot tell."""
    if "needs" in condition:  # an input no profile has (balance sheet, a regulation's threshold)
        return None, condition["needs"]
    if "any" in condition:
        results = [check(c, profile) for c in condition["any"]]
        if any(r is True for r, _ in results):
            return True, ""
        missing = [m for r, m in results if r is None]
        return (None, missing[0]) if missing else (False, "")
    value, missing = _value(profile, condition["input"])
    bound = _upper_bound(profile, condition["input"])
    if missing and bound is not None and condition.get("op") in (">", ">="):
        # a part cannot exceed its whole (employees in one country, turnover in the Union): a
        # whole below the threshold decides
        if not _OPS[condition["op"]](bound, condition["value"]):
            return False, ""
    if missing:
        return None, missing
    if "in" in condition:
        held = value in condition["in"]
        if not held and condition.get("otherwise") == "unknown":
            return None, condition.get("unknown_because", condition["text"])
        return held, ""
    if "not_in" in condition:
        return value not in condition["not_in"], ""
    return _OPS[condition["op"]](value, condition["value"]), ""


def _version(family: dict, records: dict[str, DocRecord], date: str) -> dict | None:
    from kb.compare.versions import valid_from

    dated = [
        v
        for v in family["versions"]
        if (v.get("from") or valid_from(records[v["doc_id"]]) or "") <= date
    ]
    if dated:
        return max(dated, key=lambda v: v.get("from") or "")
    # before the first version's date the first version is the only text there is
    return next((v for v in family["versions"] if not v.get("from")), None)


def _reason(
    text: str, cite: dict, records: dict[str, DocRecord], units: dict, **parts: str
) -> dict:
    """A reason: its ``text`` (the CLI's words) with its provision; ``parts`` for a condition
    (``kind`` met / not-met / unknown, the rule's ``condition``, what is ``missing``), from which
    the explorer words it in its own language and names its own form fields."""
    unit = units.get((cite["doc_id"], cite["unit_id"]))
    citation = unit.citation if unit else record_citation(records[cite["doc_id"]], cite["unit_id"])
    return {
        "text": text,
        "citation": citation,
        "doc_id": cite["doc_id"],
        "unit_id": cite["unit_id"],
        **parts,
    }


def applies(profile: Profile, records: dict[str, DocRecord], units: dict, rules=None) -> dict:
    """The check for every family of the rules: the CLI contract's object."""
    out = []
    for family in rules if rules is not None else load_rules():
        out.append(_family(family, profile, records, units))
    return {"date": profile.date, "profile": profile.to_dict(), "instruments": out}


def _family(family: dict, profile: Profile, records, units) -> dict:
    """One family's entry; on a date before its text was adopted it says so first ("CSDDD
    not-yet from 2029-07-26" for 1990 read as if the act were waiting to apply)."""
    out = _family_on(family, profile, records, units)
    version = _version(family, records, profile.date)
    record = records.get(out["doc_id"])
    adopted = record.adopted if record else None
    if version is not None and adopted and profile.date < adopted:
        note = _reason(
            f"not yet adopted on {profile.date} (adopted {adopted})",
            version["citation"],
            records,
            units,
            kind="not-adopted",
            date=profile.date,
            adopted=adopted,
        )
        out["reasons"] = [note, *out["reasons"]]
    return out


def _family_on(family: dict, profile: Profile, records, units) -> dict:
    version = _version(family, records, profile.date)
    entry = {"family": family["family"], "short_title": family["short_title"]}
    if version is None:
        first = min(family["versions"], key=lambda v: v.get("from") or "")
        cite = first["citation"]
        return {
            **entry,
            "doc_id": first["doc_id"],
            "applies": "not-yet",
            "from": first.get("from"),
            "reasons": [
                _reason(first.get("note", "not yet adopted or in force"), cite, records, units)
            ],
        }
    reasons = []
    unknown: list[str] = []
    # waves that cite different articles are different duties (OR Art. 964j due diligence, Art.
    # 964a report), not phase-ins of one: each reason names the duty it is about
    duties = len({top_level(w["citation"]["unit_id"]) for w in version["waves"]}) > 1
    # phase-ins of one duty: a wave that has started replaces the earlier ones (LkSG 1 000
    # employees from 2024 after 3 000 from 2023), so on a later date an earlier wave's threshold
    # is no reason any more ("not met: at least 3,000 employees" was listed for 2027)
    started = [w["from"] for w in version["waves"] if w["from"] <= profile.date]
    current = max(started) if started and not duties else ""
    for wave in version["waves"]:
        if wave["from"] < current:
            continue
        results = [(c, *check(c, profile)) for c in wave["conditions"]]
        about = {"duty": wave["text"]} if duties else {}
        lead = f"{wave['text']}: " if duties else ""
        if any(held is False for _, held, _ in results):
            failed = next(c for c, held, _ in results if held is False)
            reasons.append(
                _reason(
                    f"{lead}not met: {failed['text']}",
                    failed["citation"],
                    records,
                    units,
                    kind="not-met",
                    condition=failed["text"],
                    **about,
                )
            )
            continue
        missing = [(c, m) for c, held, m in results if held is None]
        if missing:
            for c, m in missing:
                unknown.append(m)
                reasons.append(
                    _reason(
                        f"{lead}unknown — needs {needs_text(m)} ({c['text']})",
                        c["citation"],
                        records,
                        units,
                        kind="unknown",
                        condition=c["text"],
                        missing=m,
                        **about,
                    )
                )
            continue
        met = [
            _reason(
                f"met: {c['text']}", c["citation"], records, units, kind="met", condition=c["text"]
            )
            for c, _, _ in results
        ]
        start = wave["from"]
        wave_reason = _reason(wave["text"], wave["citation"], records, units)
        verdict = "yes" if start <= profile.date else "not-yet"
        return {
            **entry,
            "doc_id": version["doc_id"],
            "applies": verdict,
            "from": start,
            "reasons": [*met, wave_reason, *version_notes(version, records, units)],
        }
    verdict = "unknown" if unknown else "no"
    return {
        **entry,
        "doc_id": version["doc_id"],
        "applies": verdict,
        "from": None,
        # one condition several waves share (a third-country company in each of the Union's
        # waves) is said once
        "reasons": list({(r["text"], r["citation"]): r for r in reasons}.values())
        or [_reason("no condition met", version["citation"], records, units)],
    }


def version_notes(version: dict, records, units) -> list[dict]:
    return [_reason(n["text"], n["citation"], records, units) for n in version.get("notes", [])]


def parse_profile(args) -> Profile:
    """A ``Profile`` from CLI arguments; raises ``ProfileError`` naming the bad field."""
    from kb.dates import is_iso_date

    if not is_iso_date(args.date):
        raise ProfileError(
            f"--date {args.date!r} is not an ISO date (YYYY-MM-DD)", code="date", field="date"
        )
    country = (args.country or "").upper()
    if len(country) != 2 or not country.isalpha():
        raise ProfileError(
            f"--country {args.country!r} must be a two-letter country code",
            code="country",
            field="country",
            value=args.country or "",
        )
    employees_in = parse_employees_in(args.employees_in or [])
    home = employees_in.get(country)
    if home is not None and args.employees_in_country not in (None, home):
        raise ProfileError(
            f"--employees-in {country}={home:,} and --employees-in-country "
            f"{args.employees_in_country:,.0f} disagree on the employees in {country}",
            code="home_twice",
            field="employees_in_country",
            value=country,
        )
    for name in ("employees", "turnover"):
        if getattr(args, name) is None:
            raise ProfileError(f"{_option(name)} must be a number ≥ 0", code="number", field=name)
    for name in ("employees", "turnover", "employees_in_country", "eu_turnover", "royalties"):
        value = getattr(args, name)
        if value is not None and not (0 <= value < math.inf):
            raise ProfileError(f"{_option(name)} must be a number ≥ 0", code="number", field=name)
    # a part cannot exceed its whole: such a profile would pass thresholds on figures that
    # contradict each other
    parts = [("employees_in_country", args.employees_in_country, "employees", args.employees)]
    parts += [
        (f"employees_in:{c}", n, "employees", args.employees) for c, n in employees_in.items()
    ]
    # … nor do the countries' employees together (the company's own country counted once)
    together = (args.employees_in_country or 0) + sum(
        n for c, n in employees_in.items() if c != country or args.employees_in_country is None
    )
    if len(employees_in) + (args.employees_in_country is not None) > 1:
        parts.append(("employees_in", together, "employees", args.employees))
    parts.append(("eu_turnover", args.eu_turnover, "turnover", args.turnover))
    for part, value, whole, total in parts:
        if value is not None and value > total:
            raise ProfileError(
                f"{_option(part)} ({value:,.0f}) is more than {_option(whole)} ({total:,.0f})",
                code="part_exceeds",
                field=part,
                whole=whole,
            )
    return Profile(
        country=country,
        employees=args.employees,
        turnover=args.turnover,
        date=args.date,
        employees_in_country=args.employees_in_country,
        employees_in=employees_in,
        eu_turnover=args.eu_turnover,
        royalties=args.royalties,
    )


#: ``DE=3500``, ``fr : 3 500``: a country code and a whole number, its thousands grouped or not
#: (a space, a no-break space as Dutch pages print "1 000", a point, an apostrophe)
_EMPLOYEES_IN = re.compile(r"\s*([A-Za-z]{2})\s*[=:]\s*(\d{1,3}(?:[ .'\u00a0\u202f]\d{3})+|\d+)\s*")


def parse_employees_in(items: str | list[str]) -> dict[str, int]:
    """Employees per other country from ``DE=3500`` items, or one text of them separated by
    commas or semicolons (``"DE=3500, fr = 1 000"``): codes upper-cased, digit groups joined.
    Raises ``ProfileError`` naming the item that does not read."""
    if isinstance(items, str):
        items = [items]
    out: dict[str, int] = {}
    for item in (part for text in items for part in re.split(r"[,;]", text)):
        if not item.strip():
            continue
        match = _EMPLOYEES_IN.fullmatch(item)
        if not match:
            raise ProfileError(
                f"--employees-in {item.strip()!r} must look like DE=1200",
                code="employees_in",
                field="employees_in",
                value=item.strip(),
            )
        code = match.group(1).upper()
        if code in out:  # two counts for one country: which one holds is not for us to guess
            raise ProfileError(
                f"--employees-in gives {code} twice",
                code="employees_in_twice",
                field="employees_in",
                value=code,
            )
        out[code] = int(re.sub(r"\D", "", match.group(2)))
    return out


def format_employees_in(counts: dict[str, int]) -> str:
    """``parse_employees_in``'s input for ``counts`` (a shared link, the form)."""
    return ",".join(f"{code}={n}" for code, n in counts.items())


def _option(name: str) -> str:
    """The CLI option of a profile input (``employees_in:DE`` → ``--employees-in DE``)."""
    if name.startswith("employees_in:"):
        return f"--employees-in {name.split(':', 1)[1]}"
    return f"--{name.replace('_', '-')}"


def timeline(
    profile: Profile, records: dict[str, DocRecord], units: dict, start: str, end: str, rules=None
) -> list[dict]:
    """Per instrument family, how the verdict for ``profile`` moves over ``[start, end)`` (ISO
    dates): the profile is checked (``applies``) at every date where a version's wording or a
    wave starts, so the segments come from the same reviewed rules and the same provisions as
    the verdict itself.

    ``[{"family", "short_title", "segments": [{"from", "to", "applies", "starts", "doc_id",
    "reason"}], "marks": [{"date", "text", "citation", "doc_id", "unit_id"}]}]``: ``applies`` as
    in ``applies`` (``starts``: its ``from``), or ``not-adopted`` before the act's first version;
    ``marks`` are the dates where a wave (a threshold, a phase-in) or a new wording starts, each
    with its provision.
    """
    import dataclasses

    from kb.compare.versions import valid_from

    if not start < end:
        raise ValueError(f"timeline: start {start} must be before end {end}")
    out = []
    for family in rules if rules is not None else load_rules():
        marks = []
        for version in family["versions"]:
            begins = version.get("from") or valid_from(records[version["doc_id"]])
            if version.get("from"):
                marks.append(
                    {
                        **_reason(
                            f"wording of {records[version['doc_id']].short_title} from {begins}",
                            version["citation"],
                            records,
                            units,
                            kind="wording",
                            version=records[version["doc_id"]].short_title,
                            begins=begins,
                        ),
                        "date": begins,
                    }
                )
            for wave in version["waves"]:
                marks.append(
                    {
                        **_reason(wave["text"], wave["citation"], records, units),
                        "date": wave["from"],
                    }
                )
        marks = [m for m in {(m["date"], m["text"]): m for m in marks}.values()]
        marks.sort(key=lambda m: m["date"])
        dated = [valid_from(records[v["doc_id"]]) for v in family["versions"]]
        first = min((d for d in dated if d), default="")
        dates = sorted(
            {start, *(d for d in (first, *(m["date"] for m in marks)) if start < d < end)}
        )
        segments: list[dict] = []
        for i, date in enumerate(dates):
            upto = dates[i + 1] if i + 1 < len(dates) else end
            if first and date < first:  # before the act was adopted: nothing applies yet
                entry = {"applies": "not-adopted", "from": first, "doc_id": None, "reasons": []}
            else:
                entry = _family(family, dataclasses.replace(profile, date=date), records, units)
            last = segments[-1] if segments else None
            if last and (last["applies"], last["starts"]) == (entry["applies"], entry["from"]):
                last["to"] = upto
                continue
            segments.append(
                {
                    "from": date,
                    "to": upto,
                    "applies": entry["applies"],
                    "starts": entry["from"],
                    "doc_id": entry["doc_id"],
                    "reason": entry["reasons"][0] if entry["reasons"] else None,
                }
            )
        out.append(
            {
                "family": family["family"],
                "short_title": family["short_title"],
                "segments": segments,
                "marks": [m for m in marks if start <= m["date"] < end],
            }
        )
    return out
