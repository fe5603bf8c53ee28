"""A cached model loads without the network, at about its usual speed (the ``@offline`` rows).

Measured on the real 0.5.0 frozen build with kokoro cached and the hub unreachable: the row
passed, but the model took 49.3 s to load instead of 2.9 s, because huggingface_hub asked the
hub for each cached file, with five retries and backoff, before it used the cache (upstream 150,
327, 434, 557: with a connection that times out, minutes; users call it a hang). So an offline
row must pass, and its load (``loading_model`` to ``generating``) must stay within
``offline_max_factor`` times the same model's online load in the same run, or that load plus
``offline_slack_seconds``, whichever is larger. A slower load fails with cause ``offline`` and
names what the build asked the hub for, read from the server's log:
"loaded kokoro in 49.3 s offline against 2.9 s online (limit 7.9 s): it asked the hub for
config.json, kokoro-v1_0.pth, voices/af_heart.pt 6 times each".

A row run from a models folder of its own (``VOICEBOX_MODELS_DIR``) must find its model there:
one the server reports as not downloaded fails, as the download a moved cache would cause.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence
from urllib.parse import urlparse

from voicebox_e2e.row.result import RowResult
from voicebox_e2e.verdicts import causes
from voicebox_e2e.verdicts.base import RowContext

# huggingface_hub's http_backoff logs each failed request so (utils/_http.py, WARNING).
_REQUEST = re.compile(r"thrown while requesting (?:HEAD|GET) (https?://\S+)")
_HUB_LOGGER = "huggingface_hub"


@dataclass(frozen=True)
class OfflineSettings:
    """``offline_max_factor`` and ``offline_slack_seconds`` (behave.ini)."""

    # The real 0.5.0 measured 17x (49.3 s against 2.9 s); a cache read is no slower than online.
    max_factor: float = 2.0
    slack_seconds: float = 5.0  # the status stream tells phases to about a second; a load varies

    def limit(self, online_seconds: float) -> float:
        return max(online_seconds * self.max_factor, online_seconds + self.slack_seconds)


def hub_requests(log_lines: Sequence[str]) -> Counter[str]:
    """Each file the server asked the hub for without an answer, and how many times.

    huggingface_hub prints each message twice when its own bare handler and the app's formatted
    one both write it (upstream 557), once when only one does (upstream 150): each file counts the
    larger of its formatted and its bare lines."""
    named: Counter[str] = Counter()
    bare: Counter[str] = Counter()
    for line in log_lines:
        found = _REQUEST.search(line)
        if found is not None:
            (named if _HUB_LOGGER in line[: found.start()] else bare)[file_of(found.group(1).rstrip("'\","))] += 1
    return Counter({name: max(named[name], bare[name]) for name in {**named, **bare}})


def file_of(url: str) -> str:
    """``config.json`` from ``https://huggingface.co/<org>/<repo>/resolve/main/config.json``."""
    path = urlparse(url).path
    parts = path.split("/resolve/", 1)
    return parts[1].split("/", 1)[1] if len(parts) == 2 and "/" in parts[1] else path.lstrip("/")


def asked_sentence(counts: Counter[str]) -> str:
    """"it asked the hub for config.json, model.pth 6 times each" (or each with its own count)."""
    if len(set(counts.values())) == 1:
        times = next(iter(counts.values()))
        each = " each" if len(counts) > 1 else ""
        return f"it asked the hub for {', '.join(counts)} {times} time{'s' if times != 1 else ''}{each}"
    return "it asked the hub for " + ", ".join(f"{name} ({n} times)" for name, n in counts.items())


class OfflineCheck:
    """The verdict on the rows that ran with the hub cut off or their models moved."""

    def __init__(self, settings: OfflineSettings) -> None:
        self.settings = settings

    def judge(self, result: RowResult, row: RowContext) -> None:
        condition = row.offline
        if condition is None:
            return
        result.network = condition.how
        result.performance.online_load_seconds = condition.online_load_seconds
        asked = hub_requests(row.log_lines)
        if not result.passed:
            if result.cause == causes.DOWNLOAD.key:  # a cached model that looked for the hub and gave up
                result.fail(causes.OFFLINE_KIND, f"{result.model_name} is cached but did not load with {condition.how}: {result.error}")
                result.decide_cause([])
            return
        if condition.models_dir is not None:
            if result.was_cached is False:
                result.fail(causes.OFFLINE_KIND, (
                    f"{result.model_name} was copied to the models folder {condition.models_dir}, but the server said it "
                    "was not downloaded and fetched it again: the build did not read VOICEBOX_MODELS_DIR"
                ))
                result.decide_cause([])
            return
        load, online = result.performance.load_seconds, condition.online_load_seconds
        if load is None or online is None:
            result.warnings.append(f"offline, the load of {result.model_name} could not be timed against its online load")
            return
        limit = self.settings.limit(online)
        said = f": {asked_sentence(asked)}" if asked else ""
        if load > limit:
            result.fail(causes.OFFLINE_KIND, f"loaded {result.model_name} in {load:.1f} s offline against {online:.1f} s online (limit {limit:.1f} s){said}")
            result.decide_cause([])
        elif asked:
            result.warnings.append(f"offline, {asked_sentence(asked)} before it used its cache (loaded in {load:.1f} s, within {limit:.1f} s)")
