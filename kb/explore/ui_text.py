"""Interface texts of the explorer in English and Dutch (legal texts stay in their own language).

``tr(lang, key, **values)`` returns the text for ``key`` in ``lang`` (English when a Dutch text is
missing); ``{name}`` placeholders are filled with ``values``. Texts may use Markdown; values that
come from the corpus or the user must be escaped by the caller (``kb.explore.views.plain``).
"""

from __future__ import annotations

import re

TEXTS: dict[str, tuple[str, str]] = {
    # key: (English, Nederlands)
    "app.tagline": (
        "Business & human rights due-diligence law, provision by provision.",
        "Wetgeving over due diligence voor mensenrechten en milieu, bepaling per bepaling.",
    ),
    "lang": ("Interface language", "Taal van de interface"),
    "page": ("Page", "Pagina"),
    "page.search": ("Search", "Zoeken"),
    "page.compare": ("Compare", "Vergelijken"),
    "page.reader": ("Reader", "Lezen"),
    "page.corpus": ("Corpus", "Corpus"),
    "page.applies": ("Does it apply to us?", "Geldt het voor ons?"),
    "applies.timeline": ("Over time", "In de tijd"),
    "applies.timeline_hint": (
        "Each bar is a period with the same answer for this profile; a black tick marks where a "
        "threshold, a phase-in wave or a new wording starts (hover for the provision); the "
        "dashed line is the date asked.",
        "Elke balk is een periode met hetzelfde antwoord voor dit profiel; een zwart streepje "
        "markeert waar een drempel, een invoeringsgolf of een nieuwe tekst begint (wijs aan voor "
        "de bepaling); de stippellijn is de gevraagde datum.",
    ),
    "applies.title": ("Does it apply to us?", "Geldt het voor ons?"),
    "applies.hint": (
        "A company profile against every instrument's scope rules; each answer cites the provision "
        "that decides it. Not legal advice.",
        "Een bedrijfsprofiel getoetst aan de toepassingsregels van elk instrument; elk antwoord "
        "vermeldt de bepaling die het beslist. Geen juridisch advies.",
    ),
    "applies.country": (
        "Country of incorporation or seat (2 letters)",
        "Land van oprichting of zetel (2 letters)",
    ),
    "applies.employees": ("Employees in total (group)", "Werknemers in totaal (groep)"),
    "applies.turnover": ("Net worldwide turnover (EUR)", "Netto wereldwijde omzet (EUR)"),
    "applies.in_country": ("Employees in that country", "Werknemers in dat land"),
    "applies.eu_turnover": (
        "Net turnover in the EU (EUR, non-EU companies)",
        "Netto-omzet in de EU (EUR, niet-EU-bedrijven)",
    ),
    "applies.royalties": (
        "Franchise or licensing royalties (EUR)",
        "Franchise- of licentievergoedingen (EUR)",
    ),
    "applies.employees_in": (
        "Employees in other countries (DE=1200, FR=300)",
        "Werknemers in andere landen (DE=1200, FR=300)",
    ),
    "applies.date": ("As at", "Op datum"),
    "applies.go": ("Check", "Nagaan"),
    "reader.no_doc": (
        "The link asks for a document “{doc}” that this corpus does not hold (or holds no text "
        "of); another document is shown.",
        "De link vraagt een document “{doc}” dat dit corpus niet bevat (of waarvan het geen "
        "tekst heeft); een ander document wordt getoond.",
    ),
    "reader.other_language": (
        "“{doc}” is not in the local corpus ([official source]({url})); its text in another "
        "language is shown: {shown}.",
        "“{doc}” zit niet in het lokale corpus ([officiële bron]({url})); de tekst in een andere "
        "taal wordt getoond: {shown}.",
    ),
    "reader.no_unit": (
        "This document has no provision “{unit}” (the link's); shown instead: {shown}.",
        "Dit document heeft geen bepaling “{unit}” (die van de link); in de plaats getoond: "
        "{shown}.",
    ),
    "fact.from": (
        "{text} (from {date}; before: {earlier})",
        "{text} (vanaf {date}; daarvoor: {earlier})",
    ),
    "version.as_adopted": ("as adopted {date}", "zoals aangenomen {date}"),
    "version.text_of": ("text of {date}", "tekst van {date}"),
    "applies.dropped": (
        "The link's value for {fields} could not be read and was left out: these answers are "
        "not those of the shared profile. Fill it in and check again.",
        "De waarde van de link voor {fields} kon niet worden gelezen en is weggelaten: deze "
        "antwoorden zijn niet die van het gedeelde profiel. Vul het in en ga opnieuw na.",
    ),
    "applies.instrument": ("Instrument", "Instrument"),
    "applies.verdict": ("Applies", "Van toepassing"),
    "applies.from": ("From", "Vanaf"),
    "applies.why": ("Why (provision)", "Waarom (bepaling)"),
    # a reason: the rule's condition (the reviewed rules' English words) and what it found
    "applies.reason.not_adopted": (
        "not yet adopted on {date} (adopted {adopted})",
        "op {date} nog niet aangenomen (aangenomen op {adopted})",
    ),
    "applies.reason.met": ("met: {condition}", "voldaan: {condition}"),
    "applies.reason.not-met": ("not met: {condition}", "niet voldaan: {condition}"),
    "applies.reason.unknown": (
        "unknown — needs {what} ({condition})",
        "onbekend — nodig: {what} ({condition})",
    ),
    "applies.reason.wording": (
        "wording of {version} from {date}",
        "tekst van {version} vanaf {date}",
    ),
    "applies.to": ("To", "Tot"),
    "applies.starts": ("Starts", "Begint"),
    "applies.what": ("What starts", "Wat begint"),
    "applies.reason.field": ("the field “{field}”", "het veld “{field}”"),
    "applies.reason.field_for": (
        "the field “{field}” for {country}",
        "het veld “{field}” voor {country}",
    ),
    "sidebar.corpus": (
        "{present} of {total} instruments in the local corpus; {missing} listed with their official source.",
        "{present} van {total} instrumenten in het lokale corpus; {missing} vermeld met hun officiële bron.",
    ),
    "sidebar.share": (
        "The address bar holds this view: copy it to share.",
        "De adresbalk bevat deze weergave: kopieer ze om te delen.",
    ),
    "no_corpus": (
        "There is no parsed corpus in this data folder yet. Run these commands, then reload:",
        "Deze gegevensmap bevat nog geen verwerkt corpus. Voer deze commando's uit en herlaad:",
    ),
    "index.missing": (
        "The search index has not been built yet. Build it with the command below (a few minutes), then reload.",
        "De zoekindex is nog niet gebouwd. Bouw ze met het commando hieronder (enkele minuten) en herlaad.",
    ),
    "index.stale": (
        "The search index is older than the parsed corpus. Rebuild it with the command below, then reload.",
        "De zoekindex is ouder dan het verwerkte corpus. Bouw ze opnieuw met het commando hieronder en herlaad.",
    ),
    "add.off": (
        "This explorer is public: adding and removing documents is switched off (the operator can allow it with an admin token).",
        "Deze verkenner is openbaar: documenten toevoegen en verwijderen staat uit (de beheerder kan het toestaan met een beheerderstoken).",
    ),
    "add.token_short": (
        "The admin token this server was started with (LEVELFIELD_ADMIN_TOKEN) is shorter than "
        "{n} characters, so it is not used: set a longer one to allow adding documents.",
        "Het beheerderstoken waarmee deze server is gestart (LEVELFIELD_ADMIN_TOKEN) is korter dan "
        "{n} tekens en wordt dus niet gebruikt: stel een langer token in om toevoegen toe te staan.",
    ),
    "add.token": (
        "Admin token (to add or remove documents)",
        "Beheerderstoken (om documenten toe te voegen of te verwijderen)",
    ),
    "add.token_wrong": ("That is not the admin token.", "Dat is niet het beheerderstoken."),
    "index.damaged": (
        "The search index is damaged (a file of it cannot be read). Rebuild it from the parsed corpus with the command below, then reload.",
        "De zoekindex is beschadigd (een bestand ervan is onleesbaar). Bouw ze opnieuw uit het verwerkte corpus met het commando hieronder en herlaad.",
    ),
    "index.updating": (
        "The corpus is being updated right now (a document is being added or removed, or the index rebuilt). Search is back when that finishes: reload in a moment.",
        "Het corpus wordt op dit moment bijgewerkt (een document wordt toegevoegd of verwijderd, of de index herbouwd). Zoeken kan weer zodra dat klaar is: herlaad zo meteen.",
    ),
    "index.error": ("The search index cannot be used:", "De zoekindex is niet bruikbaar:"),
    "loading.search": ("Loading the search index and model…", "Zoekindex en model laden…"),
    "search.title": ("Search the provisions", "Zoek in de bepalingen"),
    "search.query": (
        "Your question, in English, Dutch, French, German or Norwegian",
        "Uw vraag, in het Nederlands, Engels, Frans, Duits of Noors",
    ),
    "search.placeholder": (
        "e.g. complaints procedure for trade unions",
        "bv. klachtenprocedure voor vakbonden",
    ),
    "search.go": ("Search", "Zoeken"),
    "search.hint": (
        "Type a question in your own words: results cite the exact article or paragraph and link to the official text.",
        "Typ een vraag in uw eigen woorden: de resultaten citeren het precieze artikel of lid en linken naar de officiële tekst.",
    ),
    "search.bad_query": (
        "This search cannot be run:",
        "Deze zoekopdracht kan niet worden uitgevoerd:",
    ),
    "search.none": (
        "No provision matches. Try other words or fewer filters.",
        "Geen bepaling gevonden. Probeer andere woorden of minder filters.",
    ),
    "search.no_good_match": (
        "No good match: no provision answers this well enough. Try the words of the law, or name "
        "the instrument (e.g. 'LkSG', 'CSDDD').",
        "Geen goede treffer: geen bepaling beantwoordt dit goed genoeg. Gebruik de woorden van de "
        "wet, of noem het instrument (bv. 'LkSG', 'CSDDD').",
    ),
    "search.show_anyway": (
        "Show the nearest provisions anyway",
        "Toon toch de dichtstbijzijnde bepalingen",
    ),
    "search.limit": (
        "Up to {n} characters: a question, or a paragraph of a draft text to find its counterparts.",
        "Tot {n} tekens: een vraag, of een lid van een ontwerptekst om de tegenhangers te vinden.",
    ),
    "search.count": (
        "{n} provisions, grouped by instrument, best first.",
        "{n} bepalingen, gegroepeerd per instrument, beste eerst.",
    ),
    "filters": ("Filters", "Filters"),
    "f.any": ("Any", "Alle"),
    "f.jur": ("Jurisdiction", "Rechtsgebied"),
    "f.type": ("Instrument type", "Soort instrument"),
    "f.status": ("Status", "Status"),
    "f.lang": ("Language of the text", "Taal van de tekst"),
    "f.doc": ("Instrument", "Instrument"),
    "f.as_at": ("As at (version in force on)", "Op datum (versie geldend op)"),
    "hit.open": ("Open in reader", "Openen in lezer"),
    "hit.also_in": ("Also in:", "Ook in:"),
    "hit.superseded": (
        "not in the version in force ({version}): deleted or moved",
        "niet in de geldende versie ({version}): geschrapt of verplaatst",
    ),
    "hit.sibling": (
        "another part of the same provision as result {n}, which may answer as well",
        "een ander deel van dezelfde bepaling als resultaat {n}, dat ook kan antwoorden",
    ),
    "hit.relevance": (
        "relevance {r} (the estimated chance that this result is relevant, from our tests)",
        "relevantie {r} (de geschatte kans dat dit resultaat relevant is, volgens onze tests)",
    ),
    "hit.counterparts": ("Find counterparts", "Tegenhangers zoeken"),
    "hit.select": ("Export", "Exporteren"),
    "hit.source": ("Official source", "Officiële bron"),
    "force": ("Deontic force: {force}", "Normatieve kracht: {force}"),
    "counterparts.none": (
        "No counterpart found in the other instruments.",
        "Geen tegenhanger gevonden in de andere instrumenten.",
    ),
    "counterparts.title": (
        "Counterparts in other instruments",
        "Tegenhangers in andere instrumenten",
    ),
    "export.stamp": ("Exported from Levelfield on {date}", "Geëxporteerd uit Levelfield op {date}"),
    "export.disclaimer": (
        "Texts from the official sources listed; consolidated versions have no legal effect. "
        "Verify every provision in the official text.",
        "Teksten uit de vermelde officiële bronnen; geconsolideerde versies hebben geen "
        "rechtskracht. Controleer elke bepaling in de officiële tekst.",
    ),
    "export.title": ("Export", "Exporteren"),
    "export.none": (
        "Select at least one provision to export.",
        "Selecteer minstens één bepaling om te exporteren.",
    ),
    "export.md": ("Markdown", "Markdown"),
    "export.csv": ("CSV", "CSV"),
    "export.docx": ("Word (.docx)", "Word (.docx)"),
    "export.search_title": ("Search results: {q}", "Zoekresultaten: {q}"),
    "export.compare_title": ("Comparison: {topics}", "Vergelijking: {topics}"),
    "export.provision_title": ("Provision {citation}", "Bepaling {citation}"),
    "export.diff_title": ("Changes: {old} → {new}", "Wijzigingen: {old} → {new}"),
    "compare.title": ("Compare instruments", "Instrumenten vergelijken"),
    "search.as_at_notes": (
        "As at {date}: {n} instruments hidden or shown with a notice",
        "Op {date}: {n} instrumenten verborgen of getoond met een opmerking",
    ),
    "diff.all": ("Show every changed provision", "Elke gewijzigde bepaling tonen"),
    "diff.full": (
        "Whole text (the unchanged words are folded above)",
        "Volledige tekst (ongewijzigde woorden zijn hierboven ingekort)",
    ),
    "matrix.title": ("Obligation matrix", "Verplichtingenmatrix"),
    "matrix.caption": (
        "What each instrument requires, element by element: ✓ provides it, ~ only under a condition the text states, ✗ excluded or silent. Every cell cites the provision that decides it; open a cell to read its words. (editorial): a cell a reviewer corrected, with the reason when opened.",
        "Wat elk instrument vereist, element per element: ✓ voorzien, ~ enkel onder een voorwaarde in de tekst, ✗ uitgesloten of niet geregeld. Elke cel citeert de bepaling die de doorslag geeft; open een cel om de tekst te lezen. (redactioneel): een cel die een redacteur verbeterde, met de reden wanneer geopend.",
    ),
    "matrix.differences": ("Only differences", "Enkel verschillen"),
    "matrix.baseline": ("Compare against", "Vergelijken met"),
    "export.baseline": (
        "Each cell is marked against {base}: same, stricter, weaker, absent or not comparable.",
        "Elke cel is gemarkeerd tegenover {base}: gelijk, strenger, minder streng, afwezig of niet "
        "vergelijkbaar.",
    ),
    "matrix.no_baseline": ("(no baseline)", "(geen referentie)"),
    "matrix.merged": (
        "Several versions of {act} are chosen: the matrix has one column per act, showing "
        "{shown}; switch it under “Versions shown”.",
        "Er zijn meerdere versies van {act} gekozen: de matrix heeft één kolom per akte, met "
        "{shown}; wissel de versie onder “Getoonde versies”.",
    ),
    "matrix.versions": ("Versions shown", "Getoonde versies"),
    "matrix.open": ("Open a cell", "Open een cel"),
    "matrix.element": ("Element", "Element"),
    "matrix.none": (
        "No element of these topics differs.",
        "Geen element van deze thema's verschilt.",
    ),
    "matrix.silent": (
        "The text is silent on this element: no provision to cite.",
        "De tekst regelt dit element niet: geen bepaling om te citeren.",
    ),
    "matrix.editorial": ("Editorial correction: {reason}", "Redactionele correctie: {reason}"),
    "matrix.decided_in": (
        "Decided on the parallel language version {doc}; quoted here in this version's words",
        "Beslist op de parallelle taalversie {doc}; hier geciteerd in de woorden van deze versie",
    ),
    "matrix.doc_link": ("link to the whole document", "link naar het hele document"),
    "matrix.advice": (
        "What the policy advice says on this topic (not law; passages found by topic, not a decision):",
        "Wat het beleidsadvies over dit thema zegt (geen wet; passages gevonden op thema, geen beslissing):",
    ),
    "export.element": ("element", "element"),
    "export.force": ("force", "kracht"),
    "export.before": ("Before:", "Vóór:"),
    "export.after": ("After:", "Na:"),
    "export.changes": ("Changes", "Wijzigingen"),
    "export.redline_md": (
        "(~~deleted~~, <ins>inserted</ins>)",
        "(~~geschrapt~~, <ins>ingevoegd</ins>)",
    ),
    "export.redline_docx": (
        "(deleted struck through, inserted underlined)",
        "(geschrapt: doorgehaald, ingevoegd: onderstreept)",
    ),
    "export.view": ("view", "weergave"),
    "matrix.md": ("Matrix (Markdown)", "Matrix (Markdown)"),
    "matrix.csv": ("Matrix (CSV)", "Matrix (CSV)"),
    "matrix.docx": ("Matrix (Word)", "Matrix (Word)"),
    "compare.topics": ("Topics", "Thema's"),
    "compare.docs": ("Instruments (columns)", "Instrumenten (kolommen)"),
    "compare.choose": (
        "Choose at least one topic and one instrument.",
        "Kies minstens één thema en één instrument.",
    ),
    "compare.working": ("Reading the provisions…", "Bepalingen lezen…"),
    "compare.field": ("Level playing field", "Gelijk speelveld"),
    "compare.empty_cell": ("No provision on this topic.", "Geen bepaling over dit thema."),
    "compare.not_in_corpus": ("Not in local corpus.", "Niet in het lokale corpus."),
    "compare.text": ("Text", "Tekst"),
    "field.obligation": ("Obligation", "Verplichting"),
    "field.prohibition": ("Prohibition", "Verbod"),
    "field.recommendation": ("Recommendation", "Aanbeveling"),
    "field.permission": ("Permission", "Toelating"),
    "field.none": ("Addressed, no duty wording", "Behandeld, zonder verplichtende formulering"),
    # the topic's line of the obligation matrix (``playing_field_summary``)
    "field.yes": (
        "Provides it (✓ on at least one element of the matrix)",
        "Voorziet het (✓ voor minstens één element van de matrix)",
    ),
    "field.conditional": (
        "Under a condition (~, no ✓)",
        "Onder voorwaarden (~, geen ✓)",
    ),
    "field.no": (
        "Silent or excluded (✗ on every element)",
        "Zwijgt of sluit uit (✗ voor elk element)",
    ),
    "field.missing": ("Not in local corpus", "Niet in het lokale corpus"),
    "col.instrument": ("Instrument", "Instrument"),
    "col.version": ("Version", "Versie"),
    "col.provisions": ("Provisions", "Bepalingen"),
    "col.force": ("Force", "Kracht"),
    "col.facts": ("Key facts (with provision)", "Kerngegevens (met bepaling)"),
    "col.download": ("Official text to download", "Officiële tekst om te downloaden"),
    "corpus.download_hint": (
        "Instruments with an official text to download are one command away (or upload the file "
        "you have, below):",
        "Instrumenten met een officiële tekst om te downloaden zijn één commando verwijderd (of "
        "laad het bestand dat u hebt hieronder op):",
    ),
    "col.source": ("Official source", "Officiële bron"),
    "col.thresholds": ("Thresholds", "Drempels"),
    "col.fines": ("Fines", "Boetes"),
    "col.dates": ("Dates", "Data"),
    "col.record_dates": ("Adopted / version (record)", "Aangenomen / versie (fiche)"),
    "col.authority": ("Supervisory authority", "Toezichthouder"),
    "col.liability": ("Civil liability", "Burgerlijke aansprakelijkheid"),
    "col.units": ("Provisions parsed", "Bepalingen verwerkt"),
    "col.status": ("Status", "Status"),
    "col.jur": ("Jurisdiction", "Rechtsgebied"),
    "col.type": ("Type", "Soort"),
    "col.lang": ("Language", "Taal"),
    "heatmap.title": ("Coverage: provisions per topic", "Dekking: bepalingen per thema"),
    "heatmap.help": (
        "Number of provisions that address each topic. Click a cell to open it below.",
        "Aantal bepalingen dat elk thema behandelt. Klik op een cel om ze hieronder te openen.",
    ),
    "heatmap.cell": ("Open a cell", "Cel openen"),
    "scope.title": ("Scope table", "Toepassingstabel"),
    "scope.help": (
        "Every value is quoted from the provision named beside it; check it in the official text.",
        "Elke waarde komt uit de bepaling die ernaast staat; controleer ze in de officiële tekst.",
    ),
    "reader.title": ("Read an instrument", "Een instrument lezen"),
    "reader.back_to": ("← Back to “{page}”", "← Terug naar “{page}”"),
    "reader.back": ("← Back to the results for “{q}”", "← Terug naar de resultaten voor “{q}”"),
    "reader.doc": ("Instrument", "Instrument"),
    "reader.version": ("Version", "Versie"),
    "reader.toc": ("Provision (table of contents)", "Bepaling (inhoudstafel)"),
    "reader.prev": ("← Previous", "← Vorige"),
    "reader.next": ("Next →", "Volgende →"),
    "reader.deleted": (
        "This provision is deleted in this version.",
        "Deze bepaling is geschrapt in deze versie.",
    ),
    "reader.requirements": (
        "What this instrument requires (obligation matrix, element by element)",
        "Wat dit instrument vereist (verplichtingenmatrix, element per element)",
    ),
    "reader.advice": (
        "What this policy text says, topic by topic (passages found by topic; not law)",
        "Wat deze beleidstekst zegt, thema per thema (passages gevonden op thema; geen wet)",
    ),
    "reader.amended_by": ("Amendment: {what} by {by}", "Wijziging: {what} door {by}"),
    "hit.amends": ("Amends:", "Wijzigt:"),
    "reader.markers": ("Amendment markers: {markers}", "Wijzigingsmarkeringen: {markers}"),
    "reader.page": ("Page {page} of the source file", "Pagina {page} van het bronbestand"),
    "reader.footnotes": ("Footnotes", "Voetnoten"),
    "reader.parallel": ("Parallel text", "Parallelle tekst"),
    "reader.parallel_missing": (
        "This provision is not in the {lang} version.",
        "Deze bepaling staat niet in de versie in het {lang}.",
    ),
    "reader.recitals": ("Recitals that name this article", "Overwegingen die dit artikel noemen"),
    "reader.consolidated": (
        "Consolidated text: a documentation tool without legal effect.",
        "Geconsolideerde tekst: een documentatie-instrument zonder rechtskracht.",
    ),
    "diff.title": ("Changes between versions", "Wijzigingen tussen versies"),
    "diff.none": (
        "Only one version of this instrument is in the local corpus.",
        "Er staat maar één versie van dit instrument in het lokale corpus.",
    ),
    "diff.old": ("From", "Van"),
    "diff.new": ("To", "Naar"),
    "diff.level": ("Compare by", "Vergelijken per"),
    "diff.level.article": ("article", "artikel"),
    "diff.level.paragraph": ("paragraph", "lid"),
    "diff.only_this": ("Only this provision", "Alleen deze bepaling"),
    "diff.summary": (
        "{changed} changed, {added} added, {deleted} deleted, {unchanged} unchanged",
        "{changed} gewijzigd, {added} toegevoegd, {deleted} geschrapt, {unchanged} ongewijzigd",
    ),
    "diff.nothing": ("No changes.", "Geen wijzigingen."),
    "diff.more": (
        "… and {n} more (all are in the export).",
        "… en nog {n} (alle staan in de export).",
    ),
    "corpus.title": ("The corpus", "Het corpus"),
    "corpus.present": ("In the local corpus", "In het lokale corpus"),
    "corpus.missing": (
        "Not in the local corpus (get them from the official source)",
        "Niet in het lokale corpus (haal ze bij de officiële bron)",
    ),
    "corpus.problems": ("Problems of the last ingest", "Problemen bij de laatste verwerking"),
    "corpus.index": ("Search index built {when}.", "Zoekindex gebouwd op {when}."),
    "corpus.notes": ("Source, completeness and notes", "Bron, volledigheid en opmerkingen"),
    "corpus.note.completeness": ("completeness", "volledigheid"),
    "corpus.note.notes": ("notes", "opmerkingen"),
    "corpus.note.verified": ("verified", "nagekeken"),
    "corpus.user": ("Documents you added", "Documenten die u toevoegde"),
    "corpus.remove": ("Remove", "Verwijderen"),
    "corpus.remove_confirm": (
        "Remove “{doc}” ({id}), its units and its uploaded file from this knowledge base? This "
        "cannot be undone (add the file again to get it back).",
        "“{doc}” ({id}), zijn bepalingen en het geüploade bestand uit deze kennisbank verwijderen? "
        "Dit kan niet ongedaan worden gemaakt (voeg het bestand opnieuw toe om het terug te krijgen).",
    ),
    "corpus.remove_yes": ("Yes, remove", "Ja, verwijderen"),
    "corpus.remove_cancel": ("Cancel", "Annuleren"),
    "corpus.removed": ("Removed {doc}.", "{doc} verwijderd."),
    # errors a user of the explorer can cause (``KBError.code``) and progress of long jobs
    # (``kb.models.Said``); ``message_text`` fills in their values
    "error.query_empty": ("the query is empty", "de zoekvraag is leeg"),
    "error.query_long": (
        "the query is {length} characters long; the limit is {limit}",
        "de zoekvraag is {length} tekens lang; de grens is {limit}",
    ),
    "error.query_no_words": (
        "the query has no searchable words (only stop words or punctuation)",
        "de zoekvraag heeft geen doorzoekbare woorden (alleen stopwoorden of leestekens)",
    ),
    "error.no_documents": (
        "no document matches these filters",
        "geen enkel document past bij deze filters",
    ),
    "error.date": ("“{field}” is not a date", "“{field}” is geen datum"),
    "error.country": (
        "“{field}”: “{value}” must be a two-letter country code (DE, FR, BE …)",
        "“{field}”: “{value}” moet een landcode van twee letters zijn (DE, FR, BE …)",
    ),
    "error.number": ("“{field}” must be a number ≥ 0", "“{field}” moet een getal ≥ 0 zijn"),
    "error.employees_in": (
        "“{field}”: “{value}” should look like DE=1200 (several: DE=1200, FR=300)",
        "“{field}”: “{value}” moet eruitzien als DE=1200 (meerdere: DE=1200, FR=300)",
    ),
    "error.employees_in_twice": (
        "“{field}”: {value} is given twice",
        "“{field}”: {value} staat er twee keer in",
    ),
    "error.home_twice": (
        "“{field}” and the employees given for {value} among the other countries disagree",
        "“{field}” en het aantal werknemers dat bij de andere landen voor {value} staat, "
        "verschillen",
    ),
    "error.part_exceeds": (
        "“{field}” is more than “{whole}”",
        "“{field}” is meer dan “{whole}”",
    ),
    "error.file_empty": ("“{file}”: the file is empty", "“{file}”: het bestand is leeg"),
    "error.file_large": (
        "“{file}”: the file is {size} MB; the limit is {limit} MB",
        "“{file}”: het bestand is {size} MB; de grens is {limit} MB",
    ),
    "error.file_type": (
        "“{file}”: files of type “{extension}” are not accepted; upload one of {accepted}",
        "“{file}”: bestanden van het type “{extension}” worden niet aanvaard; laad een van deze "
        "op: {accepted}",
    ),
    "error.file_unknown": (
        "“{file}”: the content is not a PDF, an HTML page or UTF-8 text (save a text as UTF-8)",
        "“{file}”: de inhoud is geen PDF, HTML-pagina of UTF-8-tekst (bewaar een tekst als UTF-8)",
    ),
    "error.file_mismatch": (
        "“{file}”: the file is named {extension} but its content looks like {found}; rename it or "
        "upload the right file",
        "“{file}”: het bestand heet {extension}, maar de inhoud lijkt {found}; hernoem het of "
        "laad het juiste bestand op",
    ),
    "error.file_added": (
        "this file was already added as {doc_id}",
        "dit bestand is al toegevoegd als {doc_id}",
    ),
    "error.required": ("“{field}” is required", "“{field}” is verplicht"),
    "error.lengths": (
        "full title ≤ 500, short title ≤ 120 and 'cite as' ≤ 60 characters",
        "volledige titel ≤ 500, korte titel ≤ 120 en 'citeren als' ≤ 60 tekens",
    ),
    "error.jurisdiction": (
        "the jurisdiction must be a code such as BE, NL or BE-VLG",
        "het rechtsgebied moet een code zijn zoals BE, NL of BE-VLG",
    ),
    "error.url": (
        "the official URL must be an http(s) address",
        "de officiële URL moet een http(s)-adres zijn",
    ),
    "error.two_languages": (
        "the two columns need two different languages",
        "de twee kolommen hebben twee verschillende talen nodig",
    ),
    "error.no_provisions": (
        "{file}: no provisions found with this parser; is it a legal text with numbered "
        "articles or sections? Try another parser.",
        "{file}: geen bepalingen gevonden met deze parser; is het een wettekst met genummerde "
        "artikelen of afdelingen? Probeer een andere parser.",
    ),
    "error.parse_slow": (
        "{file}: parsing took longer than {seconds} s and was stopped; is this a legal text of "
        "the chosen format?",
        "{file}: het lezen duurde langer dan {seconds} s en werd gestopt; is dit een wettekst in "
        "het gekozen formaat?",
    ),
    "error.parse_stopped": (
        "{file}: the parser stopped; the file needs more than {mb} MB of memory or is damaged",
        "{file}: de parser stopte; het bestand heeft meer dan {mb} MB geheugen nodig of is "
        "beschadigd",
    ),
    "said.parsing": ("parsing {file} as {parser}", "{file} wordt gelezen als {parser}"),
    "said.read": (
        "{n} provisions read; updating the search index",
        "{n} bepalingen gelezen; de zoekindex wordt bijgewerkt",
    ),
    "said.embedding": (
        "embedding {n} of {total} chunks with {model}",
        "{n} van {total} tekstdelen worden ingebed met {model}",
    ),
    "said.embedded": ("  embedded {done}/{total}", "  ingebed: {done}/{total}"),
    "said.index_built": (
        "index built: {chunks} chunks, {reused} vectors reused, {seconds} s",
        "index gebouwd: {chunks} tekstdelen, {reused} vectoren hergebruikt, {seconds} s",
    ),
    "said.matrix": (
        "computing the obligation matrix for this corpus version (once per document) …",
        "de verplichtingenmatrix wordt berekend voor deze corpusversie (eenmaal per document) …",
    ),
    "said.forces": (
        "principal force of every provision …",
        "de hoofdkracht van elke bepaling …",
    ),
    "add.title_section": ("Add a document", "Een document toevoegen"),
    "add.merged": (
        "⚠ {citation} holds what look like the headings of provisions {first}–{last}: the parser "
        "may have read several provisions as one. Remove the document and add it again with "
        "another parser, or as a .txt or .md file.",
        "⚠ {citation} bevat wat lijkt op de koppen van de bepalingen {first}–{last}: de parser heeft "
        "misschien meerdere bepalingen als één gelezen. Verwijder het document en voeg het opnieuw "
        "toe met een andere parser, of als .txt- of .md-bestand.",
    ),
    "add.help": (
        "Upload a PDF, HTML, text, Markdown or JSON file (at most {mb} MB), e.g. a national bill. It is parsed into provisions, added to the search index and the comparison; nothing already indexed is lost if this fails.",
        "Laad een PDF-, HTML-, tekst-, Markdown- of JSON-bestand op (hoogstens {mb} MB), bv. een nationaal wetsvoorstel. Het wordt in bepalingen opgedeeld en aan de zoekindex en de vergelijking toegevoegd; als dat mislukt, gaat niets verloren.",
    ),
    "add.file": (
        "File (PDF, HTML, TXT, Markdown or JSON)",
        "Bestand (PDF, HTML, TXT, Markdown of JSON)",
    ),
    "add.paste": (
        "…or paste plain text (numbered sections: “1. Scope”, “2. …”)",
        "…of plak platte tekst (genummerde afdelingen: “1. Toepassingsgebied”, “2. …”)",
    ),
    "add.doc_title": ("Full title", "Volledige titel"),
    "add.short": ("Short title", "Korte titel"),
    "add.cite_as": ("Cite as (optional)", "Citeren als (optioneel)"),
    "add.jur": (
        "Jurisdiction code (e.g. BE, NL, BE-VLG)",
        "Code rechtsgebied (bv. BE, NL, BE-VLG)",
    ),
    "add.type": ("Instrument type", "Soort instrument"),
    "add.status": ("Status", "Status"),
    "add.lang": ("Language of the text", "Taal van de tekst"),
    "add.url": ("Official URL", "Officiële URL"),
    "add.adopted": ("Adopted on (YYYY-MM-DD, optional)", "Aangenomen op (JJJJ-MM-DD, optioneel)"),
    "add.second_lang": (
        "Second language (two-column bilingual print: right column)",
        "Tweede taal (tweetalige druk in twee kolommen: rechterkolom)",
    ),
    "add.no_second": ("— none —", "— geen —"),
    "add.second_needs_layout": (
        "A second language is only for a two-column bilingual print: choose that parser, or no "
        "second language.",
        "Een tweede taal is er alleen voor een tweetalige druk in twee kolommen: kies die parser, "
        "of geen tweede taal.",
    ),
    "add.needs_second": (
        "A two-column bilingual print needs the language of its right column.",
        "Een tweetalige druk in twee kolommen heeft de taal van de rechterkolom nodig.",
    ),
    "add.parser.pdf:two-column": (
        "PDF, two columns, two languages (e.g. Belgian Chamber)",
        "PDF, twee kolommen, twee talen (bv. Kamer)",
    ),
    "add.parser": ("Parser", "Parser"),
    "add.parser.auto": ("automatic (by file type)", "automatisch (volgens bestandstype)"),
    "add.submit": ("Add to the knowledge base", "Toevoegen aan de kennisbank"),
    "add.no_file": (
        "Choose a file or paste a text first.",
        "Kies eerst een bestand of plak een tekst.",
    ),
    "add.bad_date": (
        "The adoption date must be written YYYY-MM-DD.",
        "De datum van aanneming moet als JJJJ-MM-DD geschreven zijn.",
    ),
    "add.working": ("Adding the document…", "Document toevoegen…"),
    "add.failed": (
        "The document was not added; nothing was changed.",
        "Het document is niet toegevoegd; er is niets gewijzigd.",
    ),
    "add.done": (
        "Added {doc}: {units} provisions, now searchable.",
        "{doc} toegevoegd: {units} bepalingen, nu doorzoekbaar.",
    ),
}


LANGUAGES = ("en", "nl")


#: values shown to users — a manifest's status, instrument type and language; a matrix cell's
#: mark and source; a verdict of "does it apply to us?" — in English and Dutch
VALUE_TEXTS = {
    "adopted": ("adopted", "aangenomen"),
    "draft": ("draft", "ontwerp"),
    "amended": ("amended", "gewijzigd"),
    "consolidated": ("consolidated", "geconsolideerd"),
    "in-force": ("in force", "van kracht"),
    "not-adopted": ("not adopted", "niet aangenomen"),
    "not-in-force": ("not in force", "niet van kracht"),
    "proposal": ("proposal", "voorstel"),
    "superseded": ("superseded", "vervangen"),
    # "does it apply to us?": each instrument's verdict for the profile
    "yes": ("yes", "ja"),
    "no": ("no", "nee"),
    "unknown": ("unknown", "onbekend"),
    "not-yet": ("not yet", "nog niet"),
    "bill": ("bill", "wetsvoorstel"),
    "directive": ("directive", "richtlijn"),
    "guidance": ("guidance", "richtsnoeren"),
    "national-law": ("national law", "nationale wet"),
    "policy-advice": ("policy advice", "beleidsadvies"),
    "regulation": ("regulation", "verordening"),
    "resolution": ("resolution", "resolutie"),
    "soft-law": ("soft law", "soft law"),
    "de": ("German", "Duits"),
    "en": ("English", "Engels"),
    "fr": ("French", "Frans"),
    "nb": ("Norwegian", "Noors"),
    "nl": ("Dutch", "Nederlands"),
    # a matrix cell's value ("yes", "no" above), against the baseline column, and its source
    "conditional": ("conditional", "voorwaardelijk"),
    "same": ("same", "gelijk"),
    "stricter": ("stricter", "strenger"),
    "weaker": ("weaker", "minder streng"),
    "absent": ("absent", "afwezig"),
    "not comparable": ("not comparable", "niet vergelijkbaar"),
    "not in local corpus": ("not in local corpus", "niet in het lokale corpus"),
    "editorial": ("editorial", "redactioneel"),
    # a provision's change between two versions (``kb.compare.diff.CHANGES``)
    "added": ("added", "toegevoegd"),
    "deleted": ("deleted", "geschrapt"),
    "changed": ("changed", "gewijzigd"),
    # what an amending provision does (``kb.compare.diff.amendment_links``; "amended" above)
    "replaced": ("replaced", "vervangen"),
    "inserted": ("inserted", "ingevoegd"),
    "unchanged": ("unchanged", "ongewijzigd"),
}


def value_label(lang: str, value: str) -> str:
    """A manifest value (``amended``, ``national-law``, ``nb``) in the interface language; a value
    without a translation is shown as it is."""
    pair = VALUE_TEXTS.get(value)
    if pair is None:
        return value
    return pair[LANGUAGES.index(lang)] if lang in LANGUAGES else pair[0]


def version_text(lang: str, record) -> str:
    """Which text of its act a document (``DocRecord``) is, in ``lang``: ``consolidated,
    2026-03-18``, ``in force, 2021-07-16``; an act since amended (status ``amended``) is the text
    as adopted — "amended, 2024-06-13" read as "amended on 13 June 2024" — ``as adopted
    2024-06-13``, with the date of a corrected republication when it is one (``(text of
    2025-11-10)``). One wording for the pages, the version switches and the exports."""
    if record.status == "amended" and record.adopted:
        text = tr(lang, "version.as_adopted", date=record.adopted)
        if record.version_date and record.version_date != record.adopted:
            text += f" ({tr(lang, 'version.text_of', date=record.version_date)})"
        return text
    date = record.version_date or record.adopted
    status = value_label(lang, record.status)
    return f"{status}, {date}" if date else status


def fact_text(lang: str, fact: dict) -> str:
    """A matrix cell's fact as shown: its words, and for a phased-in number the date it holds
    from and the words of the number before (``1 000 Arbeitnehmer (from 2024-01-01; before:
    mindestens 3 000 Arbeitnehmer)``)."""
    if fact.get("from") and fact.get("earlier"):
        return tr(
            lang, "fact.from", text=fact["text"], date=fact["from"], earlier=fact["earlier"]["text"]
        )
    return fact["text"]


#: product words inside a manifest short title ("CSDDD (consolidated 2026-03-18)", "CSDDD
#: proposal"); the rest of a title is a name and stays as it is
_TITLE_WORDS = re.compile(r"\b(consolidated|proposal)\b")


def title_label(lang: str, title: str) -> str:
    """An instrument's short title in the interface language: its product words translated
    ("CSDDD (geconsolideerd 2026-03-18)"), its name left alone."""
    return _TITLE_WORDS.sub(lambda m: value_label(lang, m.group(1)), title)


def force_label(lang: str, force: str) -> str:
    """A deontic force in ``lang`` (``obligation`` → ``Verplichting``); anything else as it is."""
    from kb.compare.obligations import FORCES

    return tr(lang, f"field.{force}") if force in FORCES else force


def tr(lang: str, key: str, **values) -> str:
    """The interface text ``key`` in ``lang`` with ``values`` filled in (English by default)."""
    pair = TEXTS[key]
    text = pair[LANGUAGES.index(lang)] if lang in LANGUAGES else pair[0]
    return text.format(**values) if values else text


#: form fields an error may name (``KBError.values["field"]``), by profile or upload field
FORM_FIELDS = {
    "country": "applies.country",
    "employees": "applies.employees",
    "turnover": "applies.turnover",
    "employees_in_country": "applies.in_country",
    "employees_in": "applies.employees_in",
    "eu_turnover": "applies.eu_turnover",
    "royalties": "applies.royalties",
    "date": "applies.date",
    "title": "add.doc_title",
    "short_title": "add.short",
    "jurisdiction": "add.jur",
    "official_url": "add.url",
}


def decimal(lang: str, value: float, places: int = 2) -> str:
    """``value`` with the interface language's decimal mark ("0,53" in Dutch)."""
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if lang == "nl" else text


def message_text(lang: str, message) -> str:
    """An error (``KBError``) or a progress message (``kb.models.Said``) in ``lang``: its coded
    text with its values, the fields it names as the form labels them; without a code (or a text
    for it), its own English words."""
    code = getattr(message, "code", None)
    key = f"{'said' if isinstance(message, str) else 'error'}.{code}"
    if not code or key not in TEXTS:
        return str(message)
    values = dict(message.values)
    for name in ("field", "whole"):
        field = str(values.get(name, ""))
        label = FORM_FIELDS.get(field.split(":", 1)[0])
        if label:
            country = field.split(":", 1)[1] if ":" in field else ""
            values[name] = tr(lang, label) + (f" ({country})" if country else "")
    try:
        return tr(lang, key, **values)
    except (KeyError, IndexError):  # a value the text names is missing: the English words
        return str(message)


def element_question(lang: str, element_id: str, default: str) -> str:
    """The question of a comparison element in ``lang`` (``default``, the English one, when the
    taxonomy has none)."""
    from kb.compare.elements import elements

    for element in elements():
        if element.element == element_id:
            return element.questions.get(lang) or default
    return default


def topic_label(lang: str, topic_id: str) -> str:
    """The label of a comparison topic in ``lang`` (the id when the taxonomy has none)."""
    from kb.compare.topics import topics

    for topic in topics():
        if topic["id"] == topic_id:
            return topic["label"].get(lang) or topic["label"].get("en") or topic_id
    return topic_id
