"""Key facts read from provisions: employee and turnover thresholds, fines, dates and periods.

``extract_facts(units)`` reads every unit with rule-based patterns (EN/DE/FR/NL/NB):

==============  ================================================  ==============================
kind            example                                           value
==============  ================================================  ==============================
employees       "more than 1 000 employees", "au moins cinq        ``"1000"``, ``"5000"``
                mille salariés", "mindestens 3 000 Arbeitnehmer"
turnover        "net worldwide turnover of more than               ``"450000000"`` (unit ``EUR``)
                EUR 450 000 000", "Jahresumsatz von mehr als
                400 Millionen Euro"
fine-max        "Geldbuße bis zu achthunderttausend Euro"          ``"800000"`` (unit ``EUR``)
fine-percent    "not less than 5 % of the net worldwide turnover"  ``"5%"``
amount          any other sum of money ("EUR 22 500 000")          ``"22500000"`` (unit ``EUR``)
date            "26 July 2027", "1. Januar 2024", "1er janvier     ``"2027-07-26"``
                2030" (not the dates of cited acts)
period          "within three weeks", "every 12 months",           ``"P3W"``, ``"P12M"``, ``"P1Y"``
                "mindestens einmal im Jahr"
==============  ================================================  ==============================

Numbers may use regular, no-break or thin spaces as thousand separators, or be spelt out in words
("cinq mille", "achthunderttausend", "three"). Each fact quotes the exact words of the text
(``unit.text[start:end] == quote``) and is attached to the most specific unit that contains them:
a fact inside a point is reported for the point, not again for its paragraph and article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache

from kb.models import Fact, Unit

KINDS = (  # the kinds of Fact, as in ``kb.models.Fact``
    "employees",
    "turnover",
    "fine-max",
    "fine-percent",
    "amount",
    "date",
    "period",
)

# --------------------------------------------------------------------------- numbers

_WORDS = {
    "en": "zero:0 one:1 two:2 three:3 four:4 five:5 six:6 seven:7 eight:8 nine:9 ten:10 eleven:11"
    " twelve:12 thirteen:13 fourteen:14 fifteen:15 sixteen:16 seventeen:17 eighteen:18"
    " nineteen:19 twenty:20 thirty:30 forty:40 fifty:50 sixty:60 seventy:70 eighty:80 ninety:90"
    " hundred:100 thousand:1000 million:1000000 billion:1000000000",
    "fr": "un:1 une:1 deux:2 trois:3 quatre:4 cinq:5 six:6 sept:7 huit:8 neuf:9 dix:10 onze:11"
    " douze:12 treize:13 quatorze:14 quinze:15 seize:16 vingt:20 vingts:20 trente:30"
    " quarante:40 cinquante:50 soixante:60 cent:100 cents:100 mille:1000 million:1000000"
    " millions:1000000 milliard:1000000000 milliards:1000000000",
    "de": "ein:1 eins:1 eine:1 einer:1 einem:1 zwei:2 drei:3 vier:4 fünf:5 sechs:6 sieben:7 acht:8"
    " neun:9 zehn:10 elf:11 zwölf:12 dreizehn:13 vierzehn:14 fünfzehn:15 sechzehn:16"
    " siebzehn:17 achtzehn:18 neunzehn:19 zwanzig:20 dreißig:30 vierzig:40 fünfzig:50"
    " sechzig:60 siebzig:70 achtzig:80 neunzig:90 hundert:100 tausend:1000",
    "nl": "een:1 één:1 twee:2 drie:3 vier:4 vijf:5 zes:6 zeven:7 acht:8 negen:9 tien:10 elf:11"
    " twaalf:12 dertien:13 veertien:14 vijftien:15 zestien:16 zeventien:17 achttien:18"
    " negentien:19 twintig:20 dertig:30 veertig:40 vijftig:50 zestig:60 zeventig:70 tachtig:80"
    " negentig:90 honderd:100 duizend:1000",
    "nb": "en:1 ett:1 én:1 ei:1 to:2 tre:3 fire:4 fem:5 seks:6 sju:7 syv:7 åtte:8 ni:9 ti:10"
    " elleve:11 tolv:12 tretten:13 fjorten:14 femten:15 seksten:16 sytten:17 atten:18 nitten:19"
    " tjue:20 tretti:30 førti:40 femti:50 seksti:60 sytti:70 åtti:80 nitti:90 hundre:100"
    " tusen:1000",
}
_SCALES = {
    "million": 10**6, "millions": 10**6, "millionen": 10**6, "mio": 10**6, "miljoen": 10**6,
    "billion": 10**9, "billions": 10**9, "milliard": 10**9, "milliards": 10**9,
    "milliarde": 10**9, "milliarden": 10**9, "mrd": 10**9, "miljard": 10**9,
    "millioner": 10**6, "milliarder": 10**9,
}  # fmt: skip
#: currency words → ISO code
_CURRENCY_CODES = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "£": "GBP", "gbp": "GBP",
    "usd": "USD", "chf": "CHF", "franken": "CHF", "francs": "CHF", "nok": "NOK", "kroner": "NOK",
}  # fmt: skip
_COMPOUND = ("de", "nl")  # languages that write numbers as one word: "achthunderttausend"
_DIGITS = r"\d{1,3}(?:[ \u00a0\u202f\u2009.,]\d{3})+(?![\d])(?:[.,]\d+)?|\d+(?:[.,]\d+)?"


@cache
def _vocabulary(language: str) -> dict[str, int]:
    table = _WORDS.get(language, _WORDS["en"])
    return {word: int(value) for word, value in (pair.split(":") for pair in table.split())}


@cache
def _number_regex(language: str) -> str:
    """A regex (no groups) for a number in digits or in words of ``language``."""
    words = sorted(_vocabulary(language), key=len, reverse=True)
    alternation = "|".join(map(re.escape, words))
    if language in _COMPOUND:
        glue = "und" if language == "de" else "en|ën"
        spelt = rf"(?:{alternation}|{glue})+"
    else:
        glue = r"[\s-]+(?:et[\s-]+|and\s+|og\s+)?"
        spelt = rf"(?:{alternation})(?:{glue}(?:{alternation}))*"
    return rf"(?:{_DIGITS}|\b{spelt}\b)"


def parse_number(text: str, language: str = "en") -> float | None:
    """``"1 500 000 000"`` → 1500000000, ``"2,5"`` → 2.5 (``de``/``fr``/``nl``), ``"cinq mille"``
    → 5000, ``"achthunderttausend"`` → 800000; ``None`` when ``text`` is not a number."""
    text = text.strip()
    if text[:1].isdigit():
        return _parse_digits(text, language)
    if language in _COMPOUND and " " not in text:
        return _parse_compound(text.lower(), _vocabulary(language), language)
    return _parse_words(re.split(r"[\s-]+", text.lower()), _vocabulary(language))


def _parse_digits(text: str, language: str) -> float:
    decimal = "." if language == "en" else ","
    thousands = r"[ \u00a0\u202f\u2009,]" if language == "en" else r"[ \u00a0\u202f\u2009.]"
    if re.fullmatch(rf"\d{{1,3}}(?:{thousands}\d{{3}})+(?:[.,]\d+)?", text):
        head, _, tail = re.sub(thousands, "", text).partition(decimal)
        return float(f"{head}.{tail}") if tail else float(head)
    return float(text.replace(",", "."))


def _parse_words(words: list[str], vocabulary: dict[str, int]) -> float | None:
    """Additive/multiplicative reading: "deux cent cinquante mille" → 250000."""
    total = current = 0
    for word in words:
        if word in ("et", "and", "og"):
            continue
        value = vocabulary.get(word)
        if value is None:
            return None
        if value == 100:
            current = max(current, 1) * 100
        elif value >= 1000:
            total += max(current, 1) * value
            current = 0
        elif value == 20 and current == 4 and word.startswith("vingt"):  # quatre-vingt(s)
            current = 80
        else:
            current += value
    return float(total + current)


def _parse_compound(word: str, vocabulary: dict[str, int], language: str) -> float | None:
    """One-word numbers: "fünfhunderttausend", "dreiundzwanzig", "vijfhonderdduizend"."""
    if not word:
        return 0.0
    if word in vocabulary:
        return float(vocabulary[word])
    for big, factor in (("tausend", 1000), ("duizend", 1000), ("hundert", 100), ("honderd", 100)):
        head, found, tail = word.rpartition(big) if big in word else ("", "", "")
        if found:
            left = _parse_compound(head, vocabulary, language) if head else 1.0
            right = _parse_compound(tail, vocabulary, language)
            return None if left is None or right is None else left * factor + right
    for glue in ("und", "ën", "en"):
        head, found, tail = word.partition(glue)
        if found and head in vocabulary and tail in vocabulary:
            return float(vocabulary[head] + vocabulary[tail])
    return None


# --------------------------------------------------------------------------- patterns

_QUALIFIER = (
    r"(?:(?:not |no )?(?:more|less|fewer) than|over|exceeding|in excess of|above|at least|up to"
    r"|a maximum of|set at|mehr als|weniger als|mindestens|höchstens|über|bis zu"
    r"|plus de|moins de|au moins|au plus|supérieure? à|inférieure? à|jusqu['’]à|fixée? à|dépassant"
    r"|meer dan|minder dan|ten minste|minstens|ten hoogste|maximaal|tot"
    r"|mer enn|mindre enn|minst|høyst|inntil|opptil)\s+"
)
_EMPLOYEES = (
    r"(?:full-time\s+)?(?:employees|workers|persons employed|Arbeitnehmer(?:innen)?|Beschäftigte[n]?"
    r"|Mitarbeiter(?:innen)?|salariés|employés|travailleurs|werknemers|medewerkers|personeelsleden"
    r"|Vollzeitstellen|emplois à plein temps|full-time(?: equivalent)? positions|årsverk|ansatte)\b"
)
_MONEY_SCALE = (
    r"(?:\s+(?:millions?|billions?|Millionen|Million|Milliarden?|Mio\.|Mrd\.|milliards?|miljoen"
    r"|miljard|millioner|milliarder)(?:\s+de)?)?"
)
_CURRENCY = r"(?:EUR|euros?|Euro|GBP|USD|CHF|Franken|francs|NOK|kroner)"
_TURNOVER = (
    r"(?:turnover|Umsatz(?:es)?|Umsatzerlös|Jahresumsatz(?:es)?|chiffre d['’]affaires|omzet"
    r"|salgsinntekt)"
)
_FINE = r"(?:penalt|fine\b|fines\b|Geldbuße|Bußgeld|Zwangsgeld|Ordnungswidrigkeit|amende|sanction|pénalit|astreinte|boete|dwangsom|gebyr|tvangsmulkt)"
_UP_TO = (
    r"(?:up to|a maximum of|bis zu|höchstens|jusqu['’]à|au plus|ten hoogste|maximaal|tot|inntil"
    r"|opptil|høyst)\s"
)

_MONTHS = {
    name.lower(): n
    for names in (
        "January February March April May June July August September October November December",
        "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
        "januari februari maart april mei juni juli augustus september oktober november december",
        "januar februar mars april mai juni juli august september oktober november desember",
    )
    for n, name in enumerate(names.split(), 1)
}
_DATE = re.compile(
    r"\b(?P<day>[0-3]?\d)(?:er|\.)?\s+(?P<month>"
    + "|".join(_MONTHS)
    + r")\s+(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_CITED_ACT = re.compile(
    r"(?:Council|Commission|Parliament|Conseil|Parlement|Rates|Raad|Commissie|Kommission)\s+(?:of|du|vom|van)\s+$"
    r"|\d{2,4}/\d+(?:/\w+)?\)?\s+(?:of|du|vom|van)\s+$|\bvom\s+$|(?<!\bas )\bof\s+$",
    re.IGNORECASE,
)
_PERIOD_UNITS = {
    "D": r"days?|Tagen?|Tage|jours?|dagen|dager|dag",
    "W": r"weeks?|Wochen?|semaines?|weken|week|uker|uke",
    "M": r"months?|Monaten?|Monate|mois|maanden|maand|måneder|måned",
    "Y": r"years?|Jahren?|Jahre|ans|années?|jaren|jaar|år",
}
_PERIOD_LEAD = (
    r"(?:within|every|at least every|for(?: a period of)?(?: at least)?|a period of|after"
    r"|(?:no|not) later than|at least|at the latest"
    r"|innerhalb von|binnen|alle|mindestens|spätestens|für|nach Ablauf von|von"
    r"|dans un délai de|tous les|au moins tous les|pendant|durant|au moins|délai de"
    r"|elke|iedere|om de|ten minste|gedurende|na"
    r"|innen|senest innen|hver|hvert|minst|i minst|i|etter)\s+"
)
_AGE = re.compile(r"(?:age|Alter|âge|leeftijd|alder)(?: (?:of|von|de|van|på))?\s+$", re.IGNORECASE)
_ANNUAL = re.compile(
    r"\b(?:once a year|every year|each year|annually|einmal im Jahr|jährlich|chaque année"
    r"|tous les ans|une fois par an|jaarlijks|elk jaar|ieder jaar|hvert år|årlig|[eé]n gang i året)\b",
    re.IGNORECASE,
)


@cache
def _patterns(language: str) -> dict[str, re.Pattern[str]]:
    """Compiled fact patterns of ``language``.

    Facts are found from an anchor that is rare and cheap to find (a currency, "%", "employees",
    "years" …); the number and its qualifier are then read from the few words around it. Lookbacks
    end in ``$`` and are searched in a window that ends at the anchor.
    """
    number = _number_regex(language)
    units = "|".join(f"(?P<{k}>{v})" for k, v in _PERIOD_UNITS.items())
    tail = (
        r"(?:\s+(?:au moins|at least|minimum))?(?:\s+(?:of|des|du|de la|van)\s+"
        rf"(?:the\s+|het\s+|de\s+)?(?:[\w’'-]+\s+){{0,4}}?{_TURNOVER})?"
    )
    table = {
        "employees": rf"(?<!\w){_EMPLOYEES}",
        "employees_before": rf"(?P<q>{_QUALIFIER})?(?P<n>{number})\s+(?:full-time\s+)?$",
        "currency": rf"(?<!\w){_CURRENCY}(?!\w)|[€£]",
        "money_before": rf"(?P<q>{_QUALIFIER})?(?P<n>{number})(?P<s>{_MONEY_SCALE})\s*(?:d['’]\s*)?$",
        "money_after": rf"[ \u00a0\u202f]?(?P<n>{number})(?P<s>{_MONEY_SCALE})(?!\w)",
        "qualifier": rf"(?P<q>{_QUALIFIER})$",
        "percent": r"%|(?<!\w)(?:Prozent|pour cent|procent|per cent|percent)(?!\w)",
        "percent_before": rf"(?P<q>{_QUALIFIER})?(?P<n>{_DIGITS})\s*$",
        "percent_after": tail,
        "period": rf"(?<!\w)(?:{units})(?!\w)",
        "period_before": rf"(?P<q>{_PERIOD_LEAD})(?P<n>{number})\s+$",
    }
    return {name: re.compile(regex, re.IGNORECASE) for name, regex in table.items()}


# --------------------------------------------------------------------------- extraction

Raw = tuple[str, str, int, int, str]  # (kind, value, start, end, unit of measure)
_WINDOW = 100  # characters searched before an anchor


def _before(pattern: re.Pattern[str], text: str, at: int) -> re.Match[str] | None:
    """``pattern`` (ending in ``$``) matched in the window of text that ends at offset ``at``."""
    return pattern.search(text, max(0, at - _WINDOW), at)


def _line_of(text: str, at: int) -> str:
    start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
    return text[start : end if end >= 0 else len(text)]


def _start(match: re.Match[str]) -> int:
    """Start of the quote: the qualifier when there is one, else the number."""
    return match.start("q") if match.group("q") else match.start("n")


def _integer(text: str, language: str) -> int | None:
    value = parse_number(text, language)
    return int(value) if value and value == int(value) else None


def _employees(text: str, language: str) -> Iterator[Raw]:
    patterns = _patterns(language)
    for anchor in patterns["employees"].finditer(text):
        found = _before(patterns["employees_before"], text, anchor.start())
        value = _integer(found.group("n"), language) if found else None
        if value:
            yield "employees", str(value), _start(found), anchor.end(), "employees"


def _amount(text: str, anchor: re.Match[str], language: str) -> tuple[float, int, int] | None:
    """``(value, start, end)`` of the sum written around a currency anchor, or ``None``."""
    patterns = _patterns(language)
    after = patterns["money_after"].match(text, anchor.end())
    if after and after.group("n")[:1].isdigit():
        found, start, end = after, anchor.start(), after.end()
        qualifier = _before(patterns["qualifier"], text, anchor.start())
        start = qualifier.start() if qualifier else start
    else:
        found = _before(patterns["money_before"], text, anchor.start())
        if not found:
            return None
        start, end = _start(found), anchor.end()
    value = parse_number(found.group("n"), language)
    if value is None:
        return None
    scale = found.group("s").strip().lower().rstrip(".").removesuffix(" de").strip()
    return value * _SCALES.get(scale, 1), start, end


def _money(text: str, language: str) -> Iterator[Raw]:
    for anchor in _patterns(language)["currency"].finditer(text):
        amount = _amount(text, anchor, language)
        if amount is None:
            continue
        value, start, end = amount
        before = text[max(text.rfind("\n", 0, start) + 1, start - 120) : start + 30]
        fine = re.search(_FINE, _line_of(text, start), re.IGNORECASE)
        if fine and re.match(_UP_TO, text[start:end], re.IGNORECASE):
            kind = "fine-max"
        elif re.search(_TURNOVER, before, re.IGNORECASE):
            kind = "turnover"
        else:
            kind = "amount"
        word = anchor.group(0)
        currency = _CURRENCY_CODES.get(word.lower(), _CURRENCY_CODES.get(word, word.upper()[:3]))
        yield kind, str(int(value)), start, end, currency


def _percentages(text: str, language: str) -> Iterator[Raw]:
    patterns = _patterns(language)
    for anchor in patterns["percent"].finditer(text):
        if not re.search(_FINE, _line_of(text, anchor.start()), re.IGNORECASE):
            continue  # only percentages that cap a fine
        found = _before(patterns["percent_before"], text, anchor.start())
        value = parse_number(found.group("n"), language) if found else None
        if value is not None:
            end = patterns["percent_after"].match(text, anchor.end()).end()
            yield "fine-percent", f"{value:g}%", _start(found), end, "%"


def _dates(text: str, language: str) -> Iterator[Raw]:
    for m in _DATE.finditer(text):
        if _CITED_ACT.search(text[max(0, m.start() - 60) : m.start()]):
            continue  # the date of a cited act: "Directive … of the Council of 8 June 2011"
        month = _MONTHS[m.group("month").lower()]
        day = int(m.group("day"))
        if 1 <= day <= 31:
            yield "date", f"{m.group('year')}-{month:02d}-{day:02d}", m.start(), m.end(), ""


def _periods(text: str, language: str) -> Iterator[Raw]:
    patterns = _patterns(language)
    for anchor in patterns["period"].finditer(text):
        found = _before(patterns["period_before"], text, anchor.start())
        if not found or _AGE.search(text, max(0, found.start() - 20), found.start("n")):
            continue  # "im Alter von 15 Jahren": an age, not a period
        value = _integer(found.group("n"), language)
        letter = next(k for k in _PERIOD_UNITS if anchor.group(k))
        if value:
            yield "period", f"P{value}{letter}", found.start(), anchor.end(), ""
    for m in _ANNUAL.finditer(text):
        yield "period", "P1Y", m.start(), m.end(), ""


#: a threshold the text leaves to secondary legislation ("a total turnover of not less than an
#: amount prescribed by regulations made by the Secretary of State", MSA s. 54(2)(b)): a fact
#: whose value is ``set-by-regulations``, so that no number is invented for it
_DELEGATED = re.compile(
    r"(?:an? |einen |un |een )?(?:amount|number|threshold|Betrag|Schwellenwert|montant|seuil|"
    r"bedrag|drempel)\s+(?:prescribed|specified|set|fixed|determined|festgelegt|bestimmt|fixé|"
    r"déterminé|vastgesteld|bepaald)\s+(?:by|in|durch|par|bij)\s+(?:regulations?|"
    r"Rechtsverordnung|décret|arrêté|(?:koninklijk )?besluit)"
    # not a citation of an act ("Regulation (EU) 2019/2088", "Regulation No 1234/2010")
    r"(?!\s*\((?:EU|EC|EEC|EU, Euratom)\)|\s+(?:No|Nr\.?|n°)\s|\s*\d)"
    r"(?:\s+(?:made by|erlassen von|pris par|van) (?:the |de |du |der )?[\w ]{1,40}?(?=[.,;:]|$))?",
    re.IGNORECASE,
)
_EMPLOYEE_WORDS = re.compile(r"employ|Arbeitnehmer|salariés|werknemers|ansatte", re.IGNORECASE)


def _delegated(text: str, language: str) -> Iterator[Raw]:
    for m in _DELEGATED.finditer(text):
        before = text[max(0, m.start() - 120) : m.start()]
        if re.search(_TURNOVER, before, re.IGNORECASE):
            kind = "turnover"
        elif _EMPLOYEE_WORDS.search(before):
            kind = "employees"
        else:
            kind = "amount"
        yield kind, "set-by-regulations", m.start(), m.end(), ""


_EXTRACTORS = (_employees, _money, _percentages, _dates, _periods, _delegated)


@lru_cache(maxsize=16384)
def scan(text: str, language: str) -> tuple[Raw, ...]:
    """All facts in ``text`` as ``((kind, value, start, end, unit), …)`` sorted by position."""
    raws = (raw for extract in _EXTRACTORS for raw in extract(text, language))
    return tuple(sorted(raws, key=lambda r: (r[2], r[3])))


def _own_regions(unit: Unit, children: list[Unit]) -> list[tuple[int, int]]:
    """Spans of ``unit.text`` not covered by the text of a child unit (the unit's own words)."""
    regions, cursor = [], 0
    for child in children:
        at = unit.text.find(child.text, cursor) if child.text else -1
        if at < 0:
            continue  # a child whose text is not a verbatim part of its parent: scan it twice
        regions.append((cursor, at))
        cursor = at + len(child.text)
    regions.append((cursor, len(unit.text)))
    return [(a, b) for a, b in regions if unit.text[a:b].strip()]


def _children(units: Iterable[Unit]) -> dict[tuple[str, str], list[Unit]]:
    out: dict[tuple[str, str], list[Unit]] = {}
    for unit in units:
        if unit.parent:
            out.setdefault((unit.doc_id, unit.parent), []).append(unit)
    return out


def unit_facts(unit: Unit, children: Iterable[Unit] = ()) -> list[Fact]:
    """Facts stated in ``unit``'s own words (not in those of its ``children``), in text order.

    Of several mentions of the same kind and value in one unit only the first is kept.
    Offsets are into ``unit.text``.
    """
    facts, seen = [], set()
    for start, end in _own_regions(unit, list(children)):
        for kind, value, a, b, measure in scan(unit.text[start:end], unit.language):
            if (kind, value) in seen:
                continue
            seen.add((kind, value))
            quote = unit.text[start + a : start + b]
            facts.append(
                Fact(unit.doc_id, unit.unit_id, unit.citation, kind, value, quote,
                     start + a, start + b, measure, qualifier(quote))
            )  # fmt: skip
    return facts


#: words that bound a value, per language (checked in this order: "not less than" before "less than")
_QUALIFIERS = [
    ("at-least", r"not less than|at least|minimum of|mindestens|wenigstens|au moins|au minimum|"
                 r"minimum|ten minste|minstens"),
    ("more-than", r"more than|exceeding|in excess of|over|mehr als|über|plus de|supérieur à|"
                  r"dépassant|meer dan"),
    ("up-to", r"up to|not exceeding|maximum of|no more than|bis zu|höchstens|jusqu'à|"
              r"au maximum|maximum|ten hoogste|maximaal"),
    ("less-than", r"less than|fewer than|below|weniger als|unter|moins de|inférieur à|minder dan"),
]  # fmt: skip
_QUALIFIER_RES = [
    (name, re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.I)) for name, words in _QUALIFIERS
]


def qualifier(quote: str) -> str:
    """How ``quote`` bounds its value: ``at-least``, ``more-than``, ``up-to``, ``less-than`` or ``""``.

    >>> qualifier("not less than 5 % of the net worldwide turnover")
    'at-least'
    """
    for name, pattern in _QUALIFIER_RES:
        if pattern.search(quote):
            return name
    return ""


def extract_facts(units: list[Unit]) -> list[Fact]:
    """Facts of all ``units``, each attached to the most specific unit that states it.

    Returns a list of ``Fact`` in the order of ``units`` and, within a unit, of the text;
    ``fact.quote == unit.text[fact.start:fact.end]``.
    """
    children = _children(units)
    return [f for u in units for f in unit_facts(u, children.get((u.doc_id, u.unit_id), []))]
