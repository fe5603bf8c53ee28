"""What a row asks for: its spec (engine, model, text, language) as the feature files' Examples
tables write it, and the request body it sends."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
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
    max_chunk_chars: Optional[int] = None  # sent only when the row sets it (server default 800)
    crossfade_ms: Optional[int] = None  # sent only when the row sets it (server default 50)
    reference: Optional[str] = None  # what the cloned profile is made from, beyond the reference recording (row/references.py)
    order: Optional[str] = None  # "reverse": the row runs in the reverse of the matrix's order (verdicts/order.py)
    downloading: Optional[str] = None  # another model downloading while this row generates (row/downloading.py)

    @property
    def workload(self) -> Optional[str]:
        """What the row sends beyond the matrix's one sentence and WAV, in words; None for a matrix row."""
        said = []
        if self.reference is not None:
            from voicebox_e2e.row.references import reference_title

            said.append(reference_title(self.reference))
        if self.chunked or self.max_chunk_chars is not None or self.crossfade_ms is not None:
            said.append(
                f"{len(self.text.strip())} characters in chunks of at most {self.chunk_size}"
                + (f", crossfade {self.crossfade_ms} ms" if self.crossfade_ms is not None else "")
            )
        if self.order is not None:
            said.append(f"the matrix in {self.order} order")
        if self.downloading is not None:
            said.append(f"while {self.downloading} downloads")
        return "; ".join(said) or None

    @property
    def chunk_size(self) -> int:
        return self.max_chunk_chars or DEFAULT_CHUNK_CHARS

    @property
    def budget_rows(self) -> int:
        """How many matrix rows' time budgets this row gets: one, or for text the server chunks one
        per chunk and one more (the long text's 1,107 characters in chunks of 800: three)."""
        if not self.chunked:
            return 1
        return -(-len(self.text.strip()) // self.chunk_size) + 1

    @property
    def chunked(self) -> bool:
        """Whether the server splits this text into chunks (longer than the chunk size)."""
        return len(self.text.strip()) > self.chunk_size

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
        if self.max_chunk_chars is not None:
            body["max_chunk_chars"] = self.max_chunk_chars
        if self.crossfade_ms is not None:
            body["crossfade_ms"] = self.crossfade_ms
        return body


NO_SIZE = {"", "—", "-", "n/a"}
DEFAULT_CHUNK_CHARS = 800  # GenerationRequest.max_chunk_chars's default (contract section 10)


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
        max_chunk_chars=_number(cells.get("max_chunk_chars")),
        crossfade_ms=_number(cells.get("crossfade_ms")),
        reference=cells.get("reference", "").strip() or None,
        order=cells.get("order", "").strip() or None,
        downloading=cells.get("downloading", "").strip() or None,
    )


def _number(cell: Optional[str]) -> Optional[int]:
    """A table's number, or None for an empty or default cell."""
    value = (cell or "").strip()
    return None if value in NO_SIZE or value == "default" else int(value)


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


LONG_TEXTS = Path(__file__).resolve().parents[2] / "fixtures" / "long_text"


def long_text(name: str) -> str:
    """A story of fixtures/long_text/, by file name."""
    path = LONG_TEXTS / name
    if not path.is_file():
        known = ", ".join(sorted(p.name for p in LONG_TEXTS.glob("*.txt")))
        raise ValueError(f"The long text {name!r} is not in {LONG_TEXTS}; the feature file must name one of: {known}.")
    return path.read_text(encoding="utf-8").strip()


def make_spec(
    row: str, engine: str, model_size: str, model_name: str, text: str, language: str, cells: Optional[Mapping[str, str]] = None,
) -> RowSpec:
    """A RowSpec from a step's words ("qwen", "1.7B" or "—", "qwen-tts-1.7B", "...", "English"), with
    the rest of its Examples row (``cells``: a reference format, chunk settings)."""
    words = {"row": row, "engine": engine, "model_size": model_size, "model_name": model_name}
    return spec_from_table({**(cells or {}), **words}, text=text, language=language_code(language))
