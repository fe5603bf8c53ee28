"""What a row asks for: its spec (engine, model, text, language) as the feature files' Examples
tables write it, and the request body it sends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional


@dataclass(frozen=True)
class RowSpec:
    """A row of a feature file's Examples table, as the step received it."""

    row: str
    engine: str
    model_size: Optional[str]  # None for single-size engines ("—" in the table)
    model_name: str
    text: str
    language: str = "en"
    label: str = ""

    def request_body(self, profile_id: str) -> dict[str, Any]:
        """The design's exact POST /generate body."""
        body: dict[str, Any] = {
            "profile_id": profile_id,
            "text": self.text,
            "language": self.language,
            "engine": self.engine,
            "seed": 42,
            "normalize": True,
        }
        if self.model_size is not None:
            body["model_size"] = self.model_size
        return body


NO_SIZE = {"", "—", "-", "n/a"}


def is_matrix_row(cells: Mapping[str, str]) -> bool:
    """Whether an Examples row is a model row (it names an engine and a /models/status model)."""
    return "engine" in cells and "model_name" in cells


def spec_from_table(cells: Mapping[str, str], text: str = "", language: str = "en") -> RowSpec:
    """A RowSpec from an Examples row (``row``, ``engine``, ``model_size``, ``model_name``...).

    ``model_size`` is "—" for single-size engines. ``text`` and ``language`` columns, when the
    table has them, override the arguments.
    """
    size = cells.get("model_size", "").strip()
    engine = cells.get("engine", "").strip()
    return RowSpec(
        row=cells.get("row", "").strip(),
        engine=engine,
        model_size=None if size in NO_SIZE else size,
        model_name=cells.get("model_name", "").strip(),
        text=cells.get("text", text).strip() or text,
        language=LANGUAGES.get(cells.get("language", "").strip(), cells.get("language", language).strip() or language),
        label=f"{engine} {size if size not in NO_SIZE else ''}".strip(),
    )


# Every language POST /generate accepts (its language pattern, contract §4), as feature files name them.
LANGUAGES = {
    "English": "en", "Chinese": "zh", "Japanese": "ja", "Korean": "ko", "German": "de",
    "French": "fr", "Russian": "ru", "Portuguese": "pt", "Spanish": "es", "Italian": "it",
    "Hebrew": "he", "Arabic": "ar", "Danish": "da", "Greek": "el", "Finnish": "fi", "Hindi": "hi",
    "Malay": "ms", "Dutch": "nl", "Norwegian": "no", "Polish": "pl", "Swedish": "sv", "Swahili": "sw",
    "Turkish": "tr",
}


def language_code(name: str) -> str:
    """The API's language code for a language named in a feature file ("English" -> "en")."""
    code = LANGUAGES.get(name.strip())
    if code is None:
        raise ValueError(f"Unknown language {name!r} in the feature file; use one of {', '.join(LANGUAGES)}.")
    return code


def make_spec(row: str, engine: str, model_size: str, model_name: str, text: str, language: str) -> RowSpec:
    """A RowSpec from a step's words ("qwen", "1.7B" or "—", "qwen-tts-1.7B", "...", "English")."""
    return spec_from_table(
        {"row": row, "engine": engine, "model_size": model_size, "model_name": model_name},
        text=text, language=language_code(language),
    )
