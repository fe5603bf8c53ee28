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


def test_a_long_text_gets_a_matrix_rows_budget_per_chunk_and_one_more() -> None:
    from voicebox_e2e.row.runner import RowBudget
    from voicebox_e2e.row.spec import long_text

    cells = {"row": "L1", "engine": "kokoro", "model_size": "—", "model_name": "kokoro"}
    story = long_text("en-lighthouse.txt")  # 1,106 characters
    assert spec_from_table(cells, text="The quick brown fox jumps over the lazy dog.").budget_rows == 1
    assert spec_from_table(cells, text=story).budget_rows == 3  # two chunks of at most 800
    assert spec_from_table({**cells, "max_chunk_chars": "300"}, text=story).budget_rows == 5  # four chunks
    assert RowBudget(180, 1200, 0.25).times(3) == RowBudget(540, 1560, 0.25)
