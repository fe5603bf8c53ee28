"""The offline verdict on real log lines: huggingface_hub's retry lines as Voicebox users pasted
them (upstream 150, 327 and 557), and its decisions on rows built from them."""

from __future__ import annotations

from voicebox_e2e.row.conditions import OfflineCondition
from voicebox_e2e.row.result import FAILED, PASSED, RowResult
from voicebox_e2e.row.spec import RowSpec
from voicebox_e2e.verdicts.base import RowContext
from voicebox_e2e.verdicts.offline import OfflineCheck, OfflineSettings, asked_sentence, file_of, hub_requests

# Upstream 557 (0.4.5, Windows): huggingface_hub's own handler prints the message bare and the
# app's handler prints it again with its format, so each request appears twice.
UPSTREAM_557 = [
    """2026-04-25 19:19:52,491 - huggingface_hub.utils._http - WARNING - '(MaxRetryError("HTTPSConnectionPool(host='huggingface.co', port=443): Max retries exceeded with url: /Qwen/Qwen3-TTS-12Hz-0.6B-Base/resolve/main/custom_generate/generate.py (Caused by ConnectTimeoutError(<HTTPSConnection(host='huggingface.co', port=443) at 0x261df840830>, 'Connection to huggingface.co timed out. (connect timeout=10)'))"), '(Request ID: d0d0b805-0e6a-44d5-8b69-70ddf3b39581)')' thrown while requesting HEAD https://huggingface.co/Qwen/Qwen3-TTS-12Hz-0.6B-Base/resolve/main/custom_generate/generate.py""",
    "Retrying in 8s [Retry 5/5].",
    "2026-04-25 19:19:52,491 - huggingface_hub.utils._http - WARNING - Retrying in 8s [Retry 5/5].",
]
# Upstream 150 (cuda build, no network): the bare copies only, as the user pasted them.
UPSTREAM_150 = [
    "Loading TTS model 1.7B on cuda...",
    """'(MaxRetryError('HTTPSConnectionPool(host=\\'huggingface.co\\', port=443): Max retries exceeded with url: /Qwen/Qwen3-TTS-12Hz-1.7B-Base/resolve/main/config.json (Caused by NameResolutionError("HTTPSConnection(host=\\'huggingface.co\\', port=443): Failed to resolve \\'huggingface.co\\' ([Errno 11001] getaddrinfo failed)"))'), '(Request ID: 1dac43eb-8a09-4e05-94d9-8ce26362afc7)')' thrown while requesting HEAD https://huggingface.co/Qwen/Qwen3-TTS-12Hz-1.7B-Base/resolve/main/config.json""",
    "Retrying in 1s [Retry 1/5].",
]


def test_the_files_asked_for_are_read_from_real_retry_lines() -> None:
    assert hub_requests(UPSTREAM_557) == {"custom_generate/generate.py": 1}
    assert hub_requests(UPSTREAM_150) == {"config.json": 1}
    assert hub_requests(UPSTREAM_150 * 6 + UPSTREAM_557 * 2) == {"config.json": 6, "custom_generate/generate.py": 2}
    assert hub_requests(["Loading Kokoro-82M on cpu...", "Retrying in 1s [Retry 1/5]."]) == {}


def test_file_of_keeps_the_path_inside_the_repository() -> None:
    assert file_of("https://huggingface.co/hexgrad/Kokoro-82M/resolve/main/voices/af_heart.pt") == "voices/af_heart.pt"
    assert file_of("https://huggingface.co/api/models/Qwen/Qwen3-TTS-12Hz-1.7B-Base") == "api/models/Qwen/Qwen3-TTS-12Hz-1.7B-Base"


def test_the_sentence_says_each_file_and_how_often() -> None:
    from collections import Counter

    assert asked_sentence(Counter({"config.json": 6, "kokoro-v1_0.pth": 6})) == "it asked the hub for config.json, kokoro-v1_0.pth 6 times each"
    assert asked_sentence(Counter({"config.json": 1})) == "it asked the hub for config.json 1 time"
    assert asked_sentence(Counter({"config.json": 6, "generate.py": 2})) == "it asked the hub for config.json (6 times), generate.py (2 times)"


def test_the_limit_is_the_factor_or_the_slack_whichever_is_larger() -> None:
    settings = OfflineSettings(max_factor=2.0, slack_seconds=5.0)
    assert settings.limit(2.9) == 7.9  # the real kokoro: 49.3 s offline fails by far
    assert settings.limit(20.0) == 40.0


def row(load: float | None, passed: bool = True, was_cached: bool | None = True) -> RowResult:
    result = RowResult("O2", "qwen 0.6B", "qwen", "0.6B", "qwen-tts-0.6B", "en", status=PASSED if passed else FAILED, was_cached=was_cached)
    result.performance.load_seconds = load
    return result


def context(condition: OfflineCondition | None, log: list[str]) -> RowContext:
    spec = RowSpec("O2", "qwen", "0.6B", "qwen-tts-0.6B", "The quick brown fox jumps over the lazy dog.")
    return RowContext(spec, None, 2, None, log, condition)


CUT = OfflineCondition("the hub cut off", online_load_seconds=2.9)


def test_a_load_past_the_limit_fails_offline_naming_what_was_asked_for() -> None:
    result = row(49.3)
    OfflineCheck(OfflineSettings()).judge(result, context(CUT, UPSTREAM_557 * 6))
    assert result.status == FAILED and result.cause == "offline"
    assert result.error == (
        "loaded qwen-tts-0.6B in 49.3 s offline against 2.9 s online (limit 7.9 s): "
        "it asked the hub for custom_generate/generate.py 6 times"
    )
    assert result.network == "the hub cut off" and result.performance.online_load_seconds == 2.9


def test_a_load_within_the_limit_passes_and_says_what_it_asked_for() -> None:
    result = row(7.8)
    OfflineCheck(OfflineSettings()).judge(result, context(CUT, UPSTREAM_150))
    assert result.status == PASSED
    assert result.warnings == ["offline, it asked the hub for config.json 1 time before it used its cache (loaded in 7.8 s, within 7.9 s)"]
    quiet = row(3.0)
    OfflineCheck(OfflineSettings()).judge(quiet, context(CUT, []))
    assert quiet.status == PASSED and quiet.warnings == []


def test_an_online_row_is_left_alone() -> None:
    result = row(49.3)
    OfflineCheck(OfflineSettings()).judge(result, context(None, UPSTREAM_557))
    assert result.status == PASSED and result.network is None


def test_a_cached_model_that_failed_for_want_of_the_hub_is_an_offline_failure() -> None:
    # the real text of a cached model's load that gave up on the hub (contract section 4)
    result = row(None, passed=False)
    result.fail("generation", "We couldn't connect to 'https://huggingface.co' to load the files, and couldn't find them in the cached files.")
    result.decide_cause([])
    assert result.cause == "download"
    OfflineCheck(OfflineSettings()).judge(result, context(CUT, []))
    assert result.cause == "offline" and result.error.startswith("qwen-tts-0.6B is cached but did not load with the hub cut off: We couldn't connect")


def test_a_model_not_found_in_its_folder_fails() -> None:
    folder = OfflineCondition("a folder of its own", 2.9, models_dir="/data/moved-models")
    found, downloaded = row(3.0), row(3.0, was_cached=False)
    OfflineCheck(OfflineSettings()).judge(found, context(folder, []))
    OfflineCheck(OfflineSettings()).judge(downloaded, context(folder, []))
    assert found.status == PASSED
    assert downloaded.cause == "offline" and "/data/moved-models" in downloaded.error and "VOICEBOX_MODELS_DIR" in downloaded.error


# -- the words and the counting pinned (what the mutation run showed the tests above let through) --


def test_a_path_inside_the_repository_may_hold_resolve_itself() -> None:
    assert file_of("https://huggingface.co/org/repo/resolve/main/sub/resolve/x.json") == "sub/resolve/x.json"


def test_a_file_counts_the_larger_of_its_formatted_and_its_bare_lines_and_quotes_are_not_part_of_it() -> None:
    url = "https://huggingface.co/hexgrad/Kokoro-82M/resolve/main/config.json"
    named = f"2026-04-25 19:19:52,491 - huggingface_hub.utils._http - WARNING - '(...)' thrown while requesting HEAD {url}'\","
    bare = f"'(...)' thrown while requesting HEAD {url}"
    assert hub_requests([named, named, bare]) == {"config.json": 2}
    assert hub_requests([named, bare, bare]) == {"config.json": 2}


def test_each_offline_sentence_in_full() -> None:
    quiet = row(49.3)
    OfflineCheck(OfflineSettings()).judge(quiet, context(CUT, []))
    assert quiet.error == "loaded qwen-tts-0.6B in 49.3 s offline against 2.9 s online (limit 7.9 s)"
    untimed = row(None)
    OfflineCheck(OfflineSettings()).judge(untimed, context(CUT, []))
    assert untimed.status == PASSED and untimed.warnings == ["offline, the load of qwen-tts-0.6B could not be timed against its online load"]
    downloaded = row(3.0, was_cached=False)
    OfflineCheck(OfflineSettings()).judge(downloaded, context(OfflineCondition("a folder of its own", 2.9, models_dir="/data/moved-models"), []))
    assert downloaded.error == (
        "qwen-tts-0.6B was copied to the models folder /data/moved-models, but the server said it was not downloaded "
        "and fetched it again: the build did not read VOICEBOX_MODELS_DIR"
    )
