"""The speech check in the Markdown report: a banner when nothing checked the speech, a line in
the header, and a table of what the recognizer heard for each row."""

from __future__ import annotations

from typing import Any

from voicebox_e2e.reports.cells import table_cell


def speech_banner(speech: dict[str, Any]) -> list[str]:
    """The header's warning when the rows' speech was not checked (never a silent pass)."""
    reason = speech.get("not_checked")
    if not speech or not reason:
        return []
    return [f"> **Speech not checked** ({table_cell(reason, 300)}): rows passed on their WAV checks alone.", ""]


def judged_and_not(speech: dict[str, Any], rows: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """The languages of the heard rows whose words were judged (", "-joined, or "none"), and those
    whose were not."""
    judged_setting = set(speech.get("judged_languages") or [])
    spoken = sorted({str(r.get("language") or "en") for r in rows if (r.get("speech") or {}).get("checked")})
    judged = ", ".join(code for code in spoken if code in judged_setting) or "none"
    return judged, [code for code in spoken if code not in judged_setting]


def speech_line(speech: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    """The header's line: who heard the rows, in which of the run's languages the words were
    judged and in which not (never silently), and the limits."""
    judged, unjudged = judged_and_not(speech, rows)
    model = "the bundled whisper-base" if speech.get("model") == "bundled" else table_cell(speech.get("model"))
    not_judged = (
        f"; not judged, the recognizer not calibrated there (asr_languages): {table_cell(', '.join(unjudged))}, "
        "checked for English spoken instead" if unjudged else ""
    )
    limits = f"WER limit {speech.get('max_error_rate')}, CER limit {speech.get('max_char_error_rate')}"
    return (
        f"{speech.get('rows_checked', 0)} rows heard by {model} "
        f"(words judged in: {table_cell(judged)}{not_judged}; {limits}), "
        f"{speech.get('recognizer_seconds', 0)} s in all, not counted in the rows' times"
    )


def language_said(speech: dict[str, Any]) -> str:
    """The language heard and the recognizer's probability for it; a WAV heard in the row's own
    language (long text, window by window) has no probability: "fr (as asked)", never "fr 0.00"."""
    probability = speech.get("language_probability")
    language = speech.get("language") or "?"
    return f"{language} (as asked)" if probability is None else f"{language} {probability:.2f}"


def speech_table(rows: list[dict[str, Any]]) -> list[str]:
    """One line per row the recognizer heard: the transcript, the language and the score."""
    heard = [r for r in rows if (r.get("speech") or {}).get("checked")]
    if not heard:
        return []
    lines = ["| # | Engine | Lang | Heard | Detected | WER/CER | Verdict |", "|---|--------|------|-------|----------|---------|---------|"]
    for row in heard:
        speech = row["speech"]
        detected = language_said(speech)
        rate = "" if speech.get("error_rate") is None else f"{speech['metric'].upper()} {speech['error_rate']:.2f}"
        verdict = speech.get("problem") or speech.get("note") or "says the sentence"
        lines.append(
            f"| {table_cell(row['row'])} | {table_cell(row['engine'])} | {table_cell(row.get('language') or 'en')} | "
            f"{table_cell(speech.get('transcript') or '—', 160)} | {table_cell(detected)} | {rate} | {table_cell(verdict, 200)} |"
        )
    return lines


def speech_text(speech: dict[str, Any]) -> str:
    """One row's speech check as plain text (the Allure attachment under the audio player)."""
    if not speech.get("checked"):
        return str(speech.get("note") or "speech not checked")
    lines = [f"Heard: {speech.get('transcript') or '(nothing)'}"]
    lines.append(f"Language: {language_said(speech)}")
    if speech.get("error_rate") is not None:
        judged = "" if speech.get("words_judged") else " (not judged in this language)"
        lines.append(f"{str(speech.get('metric')).upper()}: {speech['error_rate']:.3f}{judged}")
    if speech.get("bleed_correlation") is not None:
        lines.append(f"Reference tail at the start: correlation {speech['bleed_correlation']:.3f}")
    lines.append(f"Verdict: {speech.get('problem') or 'says the sentence'}")
    if speech.get("note"):
        lines.append(f"Note: {speech['note']}")
    lines.append(f"Recognizer time: {speech.get('seconds')} s (not in the row's timings)")
    return "\n".join(lines) + "\n"
