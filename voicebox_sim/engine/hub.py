"""Asking the model hub for a cached model's files before loading it, as the real 0.5.0 does.

Measured on the real 0.5.0 frozen build (issue 23): with kokoro cached and no network, its load
took 49.3 s instead of 2.9 s, the log holding huggingface_hub's retry lines for each cached file
before it fell back to the cache. Upstream 150, 327 and 557 show the same lines. The switch is
the scenario's ``cached_load``:

- ``"cache"`` (the default): a cached model loads from the cache alone, as with
  ``HF_HUB_OFFLINE=1`` (``backend/utils/hf_offline_patch.py``'s guard when it is wired in).
- ``"hub"``: each of the model's files is first asked for with ``HEAD``, through the proxy the
  server's environment names, the way huggingface_hub's ``http_backoff`` does: 5 retries after
  1, 2, 4, 8 and 8 s (times ``hub_backoff_scale``), a ``hub_timeout_seconds`` timeout (10 s
  there), each failure and retry logged by ``huggingface_hub.utils._http`` with its real words;
  then the cache is used.

Without a proxy in the environment the simulated hub answers at once (nothing is sent: no machine
running the simulator is assumed to reach the real hub). ``HF_HUB_OFFLINE`` set in the server's
environment skips the questions, as it does for the real hub client.
"""

from __future__ import annotations

import logging
import time
from typing import Mapping, Optional

import requests

from voicebox_sim.engine import catalogue
from voicebox_sim.engine.cache import hub_files

http_log = logging.getLogger("huggingface_hub.utils._http")
HUB = "https://huggingface.co"
MAX_RETRIES = 5
MAX_WAIT = 8
_TRUE = {"1", "ON", "YES", "TRUE"}


def proxy_of(environ: Mapping[str, str]) -> Optional[str]:
    """The proxy an HTTPS request would take (the names requests reads), or None."""
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        if environ.get(name):
            return environ[name]
    return None


def offline_mode(environ: Mapping[str, str]) -> bool:
    return environ.get("HF_HUB_OFFLINE", "").upper() in _TRUE


def ask_for_files(model_name: str, environ: Mapping[str, str], backoff_scale: float, timeout: float) -> int:
    """HEAD each of the model's files through the environment's proxy, retrying as the hub client
    does; returns the requests that failed (0 when the hub answered or was not asked)."""
    proxy = proxy_of(environ)
    if proxy is None or offline_mode(environ):
        return 0
    repo = catalogue.MODELS_BY_NAME[model_name].hf_repo_id
    failed = 0
    with requests.Session() as session:
        session.trust_env = False  # only the proxy named here: never the host's own settings
        for name in hub_files(model_name):
            url = f"{HUB}/{repo}/resolve/main/{name}"
            wait = 1
            for attempt in range(1, MAX_RETRIES + 2):
                try:
                    session.head(url, proxies={"https": proxy, "http": proxy}, timeout=timeout, allow_redirects=False)
                    break
                except (requests.ConnectionError, requests.Timeout) as err:
                    failed += 1
                    http_log.warning("'%s' thrown while requesting HEAD %s", err, url)
                    if attempt > MAX_RETRIES:
                        break  # the hub client raises here; the loader falls back to the cache
                    http_log.warning("Retrying in %ss [Retry %d/%d].", wait, attempt, MAX_RETRIES)
                    time.sleep(wait * backoff_scale)
                    wait = min(MAX_WAIT, wait * 2)
    return failed
