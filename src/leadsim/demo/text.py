"""Every word the classroom page and the slide show, in English and German: a translation is one dict.

Scenario stories and questions come from the scenario files and are shown as written there.
Keys are ``area.name``; values are ``str.format`` templates. :func:`text` picks the language and
falls back to English for a key a translation lacks, so a half-done translation still runs.
"""

from __future__ import annotations

import math

LANGUAGES = {"en": "English", "de": "Deutsch"}
DEFAULT_LANGUAGE = "en"

EN: dict[str, str] = {
    "page.title": "leadsim classroom",
    "page.language": "Language",
    "page.presenter": "Presenter (P)",
    "page.presenter_exit": "Show controls (P)",
    "play.play": "▶ Play",
    "play.pause": "❚❚ Pause",
    "play.step": "Step one day (N)",
    "play.reset": "⟲ Reset",
    "play.speed": "Speed",
    "speed.slow": "Slow",
    "speed.normal": "Normal",
    "speed.fast": "Fast",
    "live.title": "Live: change it now",
    "live.style": "Leadership style from today",
    "live.style_firm": "Firm {label}: style from today",
    "live.shocks": "Hit the firm with",
    "reset.title": "Set up the firm",
    "reset.note": "These apply on Reset",
    "reset.pending": "Changed: press Reset to apply",
    "reset.scenario": "Scenario",
    "reset.style": "Style at start",
    "reset.compare": "Side by side: second style",
    "reset.size": "People: {value}",
    "reset.span": "Span of control: {value}",
    "reset.rate": "Decisions per person per day: {value}",
    "reset.seed": "Random seed: {value}",
    "choice.as_in_scenario": "as in the scenario",
    "choice.none": "none",
    "story.title": "The story",
    "story.discuss": "To discuss",
    "story.error": "This scenario cannot be used: {error}",
    "style.autocratic": "Autocratic",
    "style.democratic": "Democratic",
    "style.servant": "Servant",
    "style.distributed": "Distributed",
    "style.laissez_faire": "Laissez-faire",
    "style.transformational": "Transformational",
    "style.situational": "Situational",
    "shock.demand_drop": "Demand drop",
    "shock.key_person_loss": "Owner leaves",
    "shock.turbulence": "Turbulence surge",
    "shock.automation_rollout": "Automation rollout",
    "shock.hiring_wave": "Hiring wave",
    "shock.capacity_disruption": "Capacity disruption",
    "shock.other": "{kind}",
    "head.day": "Day",
    "head.of_days": "of {days}",
    "head.press_play": "press ▶ Play or Step",
    "head.decided": "Decisions took",
    "head.none_decided": "none decided",
    "head.waiting": "Waiting now",
    "head.oldest": "oldest {days}",
    "head.backlog": "Backlog",
    "head.engagement": "Engagement",
    "head.cash": "Cash",
    "head.days_unit": "{value} d",
    "head.away_owner": "owner away",
    "head.away_others": "{count} away",
    "head.closed": "closed",
    "head.shocks": "Shocks so far",
    "head.shock_on": "{name} (day {day})",
    "org.title": "{label}: day {day}",
    "org.legend_high": "engaged",
    "org.legend_low": "not",
    "org.status": "{here} at work",
    "org.status_away": "{count} away ×",
    "org.status_vacant": "{count} vacant ○",
    "org.key": "■ leader  ● employee · size = waiting",
    "org.closed": "Closed on day {day}: out of cash",
    "chart.time": "Decision time (days)",
    "chart.taken": "decided: days it took",
    "chart.waiting": "pending: days waited",
    "chart.engagement": "Engagement (0–1)",
    "chart.day": "working day",
    "caption.shock_title": "Day {day}:",
    "caption.question": "Ask the class",
    "caption.continue": "Press ▶ Play to go on.",
    "happened.demand_drop": "demand falls by {pct} % for {days} working days.",
    "happened.key_person_loss": "the owner is away for {days} working days, from today.",
    "happened.key_person_loss_leader": "a team leader is away for {days} working days, from today.",
    "happened.key_person_loss_top_expert": "the top expert is away for {days} working days, from today.",
    "happened.turbulence": "the market turns turbulent for {days} working days: more decisions, more urgent.",
    "happened.automation_rollout": "an automation rollout begins; it runs for {days} working days.",
    "happened.hiring_wave": "a wave of new hires joins the firm.",
    "happened.capacity_disruption": (
        "capacity falls by {pct} % for {days} working days: a machine breaks down, a site closes."
    ),
    "happened.other": "{kind} begins.",
    "happened.style_change": "from today every leader leads in the {style} style.",
    "ask.demand_drop": "Who in this firm decides what to do about it, and how fast?",
    "ask.key_person_loss": "Who takes the decisions on the desk of the person who is gone?",
    "ask.turbulence": "Which leadership style copes with the surge, and why?",
    "ask.automation_rollout": "Who needs support now, and who decides how the work changes?",
    "ask.hiring_wave": "Who coaches the newcomers, and what does that cost the others?",
    "ask.capacity_disruption": "What gets done first now, and who decides it?",
    "ask.other": "What changes for the firm now, and who decides?",
    "ask.style_change": "What makes people take the decisions they are now allowed to take, and how soon?",
    "year.title": "The year is over: day {day}",
    "year.latency": "Mean decision time",
    "year.oldest": "Longest wait",
    "year.engagement": "Engagement at end",
    "year.output": "Demand served",
    "year.cash": "Cash at end",
    "year.quits": "Quits",
    "year.failed": "Ran out of cash on day {day}",
    "year.ask": "Which of these numbers would you show the owner first, and why?",
    "failed.title": "Day {day}: {label} has run out of cash",
    "failed.why": "Cash {cash}, {backlog} decisions waiting (the oldest for {oldest} d).",
    "failed.ask": "When could the firm still have been saved, and who would have had to decide?",
    "unit.days": "{value} days",
    "slide.survived": "survived",
    "slide.failed": "ran out of cash on day {day}",
    "slide.subtitle": "{style} leadership · {size} people · {days} working days · {outcome}",
    "slide.discuss": "To discuss",
    "slide.latency": "decision time, days (dashed: waiting)",
    "slide.engagement": "engagement",
    "slide.output": "output per day (dashed: orders)",
    "slide.cash": "cash",
    "slide.day": "working day",
    "slide.key.latency_mean": "decision latency, mean",
    "slide.key.backlog_age_max": "longest wait",
    "slide.key.engagement_mean": "engagement, mean",
    "slide.key.turnover_rate": "turnover per year",
    "slide.key.resilience_index": "resilience index",
    "slide.key.recovery_days": "days to recover",
    "slide.footer": (
        "leadsim {version} · scenario {hash} · seed {seed} · a model run to discuss, not a measurement"
    ),
}

DE: dict[str, str] = {
    "page.title": "leadsim im Unterricht",
    "page.language": "Sprache",
    "page.presenter": "Präsentation (P)",
    "page.presenter_exit": "Steuerung zeigen (P)",
    "play.play": "▶ Start",
    "play.pause": "❚❚ Pause",
    "play.step": "Einen Tag weiter (N)",
    "play.reset": "⟲ Neu starten",
    "play.speed": "Tempo",
    "speed.slow": "Langsam",
    "speed.normal": "Normal",
    "speed.fast": "Schnell",
    "live.title": "Live: jetzt ändern",
    "live.style": "Führungsstil ab heute",
    "live.style_firm": "Firma {label}: Stil ab heute",
    "live.shocks": "Die Firma trifft",
    "reset.title": "Die Firma einrichten",
    "reset.note": "Gilt nach „Neu starten“",
    "reset.pending": "Geändert: „Neu starten“ übernimmt es",
    "reset.scenario": "Szenario",
    "reset.style": "Stil zu Beginn",
    "reset.compare": "Im Vergleich: zweiter Stil",
    "reset.size": "Personen: {value}",
    "reset.span": "Führungsspanne: {value}",
    "reset.rate": "Entscheidungen pro Person und Tag: {value}",
    "reset.seed": "Zufallsstartwert: {value}",
    "choice.as_in_scenario": "wie im Szenario",
    "choice.none": "keiner",
    "story.title": "Die Geschichte",
    "story.discuss": "Zur Diskussion",
    "story.error": "Dieses Szenario ist nicht nutzbar: {error}",
    "style.autocratic": "Autokratisch",
    "style.democratic": "Demokratisch",
    "style.servant": "Dienend",
    "style.distributed": "Verteilt",
    "style.laissez_faire": "Laissez-faire",
    "style.transformational": "Transformational",
    "style.situational": "Situativ",
    "shock.demand_drop": "Nachfrageeinbruch",
    "shock.key_person_loss": "Inhaberin fällt aus",
    "shock.turbulence": "Turbulenzen",
    "shock.automation_rollout": "Automatisierung",
    "shock.hiring_wave": "Einstellungswelle",
    "shock.capacity_disruption": "Kapazitätsausfall",
    "shock.other": "{kind}",
    "head.day": "Tag",
    "head.of_days": "von {days}",
    "head.press_play": "▶ Start oder einen Tag weiter",
    "head.decided": "Entscheidungen dauerten",
    "head.none_decided": "keine entschieden",
    "head.waiting": "Warten jetzt",
    "head.oldest": "älteste {days}",
    "head.backlog": "Rückstau",
    "head.engagement": "Engagement",
    "head.cash": "Kasse",
    "head.days_unit": "{value} T",
    "head.away_owner": "Inhaberin weg",
    "head.away_others": "{count} abwesend",
    "head.closed": "geschlossen",
    "head.shocks": "Bisherige Schocks",
    "head.shock_on": "{name} (Tag {day})",
    "org.title": "{label}: Tag {day}",
    "org.legend_high": "engagiert",
    "org.legend_low": "nicht",
    "org.status": "{here} bei der Arbeit",
    "org.status_away": "{count} abwesend ×",
    "org.status_vacant": "{count} unbesetzt ○",
    "org.key": "■ Führung  ● Team · Größe = Warten",
    "org.closed": "Geschlossen an Tag {day}: kein Geld mehr",
    "chart.time": "Entscheidungsdauer (Tage)",
    "chart.taken": "entschieden: Dauer",
    "chart.waiting": "offen: bisher gewartet",
    "chart.engagement": "Engagement (0–1)",
    "chart.day": "Arbeitstag",
    "caption.shock_title": "Tag {day}:",
    "caption.question": "Fragen Sie die Klasse",
    "caption.continue": "Mit ▶ Start geht es weiter.",
    "happened.demand_drop": "die Nachfrage sinkt um {pct} % für {days} Arbeitstage.",
    "happened.key_person_loss": "die Inhaberin fällt ab heute für {days} Arbeitstage aus.",
    "happened.key_person_loss_leader": "eine Teamleitung fällt ab heute für {days} Arbeitstage aus.",
    "happened.key_person_loss_top_expert": (
        "die wichtigste Fachkraft fällt ab heute für {days} Arbeitstage aus."
    ),
    "happened.turbulence": (
        "der Markt wird für {days} Arbeitstage unruhig: mehr und dringendere Entscheidungen."
    ),
    "happened.automation_rollout": "eine Automatisierung beginnt; sie dauert {days} Arbeitstage.",
    "happened.hiring_wave": "eine Welle neuer Leute fängt an.",
    "happened.capacity_disruption": (
        "die Kapazität sinkt um {pct} % für {days} Arbeitstage: "
        "eine Maschine fällt aus, ein Standort schließt."
    ),
    "happened.other": "{kind} beginnt.",
    "happened.style_change": "ab heute führen alle Führungskräfte im Stil „{style}“.",
    "ask.demand_drop": "Wer in dieser Firma entscheidet, was jetzt zu tun ist, und wie schnell?",
    "ask.key_person_loss": "Wer trifft die Entscheidungen, die auf dem Tisch der fehlenden Person liegen?",
    "ask.turbulence": "Welcher Führungsstil kommt mit dem Ansturm zurecht, und warum?",
    "ask.automation_rollout": (
        "Wer braucht jetzt Unterstützung, und wer entscheidet, wie sich die Arbeit ändert?"
    ),
    "ask.hiring_wave": "Wer arbeitet die Neuen ein, und was kostet das die anderen?",
    "ask.capacity_disruption": "Was wird jetzt zuerst erledigt, und wer entscheidet das?",
    "ask.other": "Was ändert sich jetzt für die Firma, und wer entscheidet?",
    "ask.style_change": (
        "Was bringt Leute dazu, Entscheidungen zu treffen, die sie jetzt treffen dürfen, und wie bald?"
    ),
    "year.title": "Das Jahr ist vorbei: Tag {day}",
    "year.latency": "Mittlere Entscheidungsdauer",
    "year.oldest": "Längste Wartezeit",
    "year.engagement": "Engagement am Ende",
    "year.output": "Bediente Nachfrage",
    "year.cash": "Kasse am Ende",
    "year.quits": "Kündigungen",
    "year.failed": "Kein Geld mehr an Tag {day}",
    "year.ask": "Welche dieser Zahlen würden Sie der Inhaberin zuerst zeigen, und warum?",
    "failed.title": "Tag {day}: {label} hat kein Geld mehr",
    "failed.why": "Kasse {cash}, {backlog} Entscheidungen offen (die älteste seit {oldest} T).",
    "failed.ask": "Wann hätte die Firma noch gerettet werden können, und wer hätte entscheiden müssen?",
    "unit.days": "{value} Tage",
    "slide.survived": "überlebt",
    "slide.failed": "kein Geld mehr an Tag {day}",
    "slide.subtitle": "Führung: {style} · {size} Personen · {days} Arbeitstage · {outcome}",
    "slide.discuss": "Zur Diskussion",
    "slide.latency": "Entscheidungsdauer, Tage (gestr.: Warten)",
    "slide.engagement": "Engagement",
    "slide.output": "Leistung pro Tag (gestrichelt: Aufträge)",
    "slide.cash": "Kasse",
    "slide.day": "Arbeitstag",
    "slide.key.latency_mean": "Entscheidungsdauer, Mittel",
    "slide.key.backlog_age_max": "längste Wartezeit",
    "slide.key.engagement_mean": "Engagement, Mittel",
    "slide.key.turnover_rate": "Fluktuation pro Jahr",
    "slide.key.resilience_index": "Resilienzindex",
    "slide.key.recovery_days": "Tage bis zur Erholung",
    "slide.footer": (
        "leadsim {version} · Szenario {hash} · Startwert {seed} · ein"
        " Modelllauf zum Diskutieren, keine Messung"
    ),
}

CATALOGUE: dict[str, dict[str, str]] = {"en": EN, "de": DE}


def text(lang: str, key: str, **values: object) -> str:
    """The string for ``key`` in ``lang`` (English if missing there), filled with ``values``.

    A shock type newer than the catalogue gets the area's general wording (``shock.other``).

    Raises:
        KeyError: ``key`` is in no catalogue (a typo in the code, caught by the tests).
    """
    template = CATALOGUE.get(lang, EN).get(key) or EN.get(key)
    if template is None and key.partition(".")[0] in ("shock", "happened", "ask"):
        area, _, kind = key.partition(".")
        template = CATALOGUE.get(lang, EN)[f"{area}.other"]
        values = {**values, "kind": kind.replace("_", " ")}
    if template is None:
        raise KeyError(key)
    return template.format(**values) if values else template


def style_name(lang: str, style: str) -> str:
    """A leadership style as people write it ("Laissez-faire"), not as the code does."""
    return text(lang, f"style.{style}")


DECIMAL_COMMA = frozenset({"de"})
"""Languages that write 1.234,5 where English writes 1,234.5."""


def number(value: float | None, spec: str = ".1f", lang: str = DEFAULT_LANGUAGE) -> str:
    """A number for the page: "—" instead of nan or None, thousands shortened past 10,000.

    Args:
        value: the number.
        spec: a format spec, or ``"money"`` (thousands separated, "k" past 10,000).
        lang: the language, for its decimal and thousands marks.
    """
    if value is None or not math.isfinite(value):
        return "—"
    if spec == "money":
        shown = f"{value / 1000:,.0f}k" if abs(value) >= 10_000 else f"{value:,.0f}"
    else:
        shown = format(value, spec)
    return decimal_marks(shown, lang)


def decimal_marks(shown: str, lang: str) -> str:
    """A number written the English way ("1,234.5") as ``lang`` writes it ("1.234,5" in German)."""
    return shown.translate(str.maketrans(",.", ".,")) if lang in DECIMAL_COMMA else shown
