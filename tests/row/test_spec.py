"""A row's spec from the feature files' words."""

from __future__ import annotations

import pytest

from voicebox_e2e.row.spec import make_spec, spec_from_table


def test_table_rows_become_specs() -> None:
    spec = spec_from_table({"row": "5", "engine": "luxtts", "model_size": "—", "model_name": "luxtts"}, text="Hi.")
    assert (spec.model_size, spec.label, spec.request_body("p")) == (None, "luxtts", {"profile_id": "p", "text": "Hi.", "language": "en", "engine": "luxtts", "seed": 42, "normalize": True})
    assert make_spec("1", "qwen", "1.7B", "qwen-tts-1.7B", "Hi.", "Japanese").request_body("p")["language"] == "ja"
    with pytest.raises(ValueError, match="Unknown language 'Klingon'"):
        make_spec("1", "qwen", "1.7B", "qwen-tts-1.7B", "Hi.", "Klingon")


def test_row_language_names_become_api_codes_and_unknown_ones_are_refused() -> None:
    assert spec_from_table({"row": "M13", "engine": "chatterbox", "model_size": "—", "model_name": "chatterbox-tts", "language": "Hebrew"}).language == "he"
    with pytest.raises(ValueError, match="Unknown language 'Klingon'"):
        make_spec("M99", "qwen", "1.7B", "qwen-tts-1.7B", "Qapla'", "Klingon")
