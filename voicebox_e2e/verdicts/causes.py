"""Why a row did not pass: one table of causes, from which the JSON ``cause``, the Markdown's Cause
column and per-cause count, and the Allure categories are all derived.

A row's cause is decided from what the suite saw (the kind of failure: a timeout, the server's
death, a bad WAV, an HTTP error, a failed generation) and from the words of the failure: the
error text first, then the server log lines printed during the row. Text evidence names the
cause when it is specific (out of memory, a GPU or native library that does not fit the machine,
a frozen bundle that lacks a file, a model that cannot be downloaded); otherwise the kind decides,
and a generation that failed for any other reason is ``engine``. No failed row is left without a
cause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence


@dataclass(frozen=True)
class Cause:
    key: str
    title: str  # the Allure category and the Markdown's per-cause heading
    meaning: str  # what a release engineer should take from it
    patterns: tuple[str, ...] = ()  # case-insensitive regexes matched against one line of text


# The kinds of failure the suite itself observes (rows.py and run.py set them).
TIMEOUT_KIND, CRASH_KIND, STARTUP_KIND, AUDIO_KIND, BACKEND_KIND = "timeout", "crash", "startup", "audio", "backend"
HTTP_KIND, GENERATION_KIND, STREAM_KIND = "http", "generation", "stream"
LEAK_KIND = "leak"  # the server's memory kept growing across generations of one loaded model
FETCH_KIND = "fetch"  # the prepare phase could not fetch the row's model (failed, stalled, too slow)
SPEECH_KIND = "speech"  # the WAV is fine, but does not say the sentence (speech_check)
VOICE_KIND = "voice"  # the WAV says the sentence, in another voice than the reference's (voice.py)
OFFLINE_KIND = "offline"  # a cached model needed the network: slow or failed without it (offline.py)
ORDER_KIND = "order"  # a model that passed earlier in the run failed after other models (order.py)

_MISSING = r"(?:no such file|not found|cannot find|can't find|could not find|unable to find|does not exist|errno 2|filenotfounderror)"
# Where a frozen build keeps its files: onefile's temp unpack dir, onedir's _internal, the dist output.
_BUNDLE_PATH = r"(?:[\\/]_MEI[0-9A-Za-z]+[\\/]|[\\/]_internal[\\/]|[\\/]dist[\\/])"
# A model repository in the Hugging Face cache (or a copy of one).
_HUB_CACHE_PATH = r"(?:models--[\w.-]+--|[\\/]snapshots[\\/][0-9a-f]{7,}|[\\/]huggingface[\\/]hub[\\/])"
# Data files text front ends read (phoneme tables, dictionaries): shipped in the bundle.
_FRONT_END_DATA = r"(?:espeak-ng-data|phontab|phondata|phonindex|mecabrc|unidic|cmudict|nltk_data)"

MEMORY = Cause(
    "memory", "Out of memory", "the model did not fit in memory (CPU RAM, CUDA, ROCm or MPS)",
    (
        r"out of memory", r"\bMemoryError\b", r"OutOfMemoryError", r"\bOOM\b", r"cannot allocate memory",
        r"can't allocate memory", r"not enough memory", r"std::bad_alloc", r"paging file is too small",
        r"failed to allocate memory", r"Tried to allocate [\d.]+ ?[KMGT]i?B",
    ),
)
NATIVE_GPU = Cause(
    "native", "GPU or native library does not fit the machine",
    "the build's GPU kernels, driver or native libraries do not match this machine",
    (
        r"no kernel image is available", r"cudaErrorNoKernelImageForDevice", r"invalid device function",
        r"hipErrorNoBinaryForGpu", r"no binary for gpu", r"found no nvidia driver", r"nvidia driver on your system is too old",
        r"cuda driver version is insufficient", r"no cuda-capable device", r"torch not compiled with cuda",
        r"sm_\d+ is not compatible with the current pytorch", r"cuda error: (?:unknown error|initialization error)",
        r"cuda capability (?:sm_)?\d", r"Minimum and Maximum cuda capability",
        # a native library linked against a newer OS or runtime than the machine's (not a missing file)
        r"Symbol not found", r"newer than (?:the )?running OS",
        r"\bhip error\b", r"lib(?:cuda|cudart|cublas\w*|cudnn\w*|nvrtc|nvjitlink|amdhip64|rocblas|miopen\w*|hipblas\w*)[\w.]*\.(?:so|dylib)",
        r"(?:cudart|cublas|cudnn|nvrtc)\w*\.dll",
    ),
)
BUNDLE = Cause(
    "bundle", "Frozen build is missing a module or data file",
    "the PyInstaller bundle lacks a module, data file, dictionary or executable: a ship blocker in our build",
    (
        r"No module named", r"ModuleNotFoundError", r"Failed to execute script", r"pyi_rth_",
        _BUNDLE_PATH + r".*" + _MISSING, _MISSING + r".*" + _BUNDLE_PATH,
        r"Can't find model '[\w.-]+'", r"\[E050\]", r"Resource \S+ not found", r"espeak(?:-ng)?\S* (?:is )?not (?:installed|found)",
        r"mecabrc", r"unidic\S* .*" + _MISSING, r"executable .*not found in PATH", r"is not installed on your system",
        _FRONT_END_DATA + r".*" + _MISSING,
    ),
)
NATIVE = Cause(
    "native", NATIVE_GPU.title, NATIVE_GPU.meaning,
    (
        r"cannot open shared object file", r"DLL load failed", r"undefined symbol", r"Library not loaded",
        r"\bdlopen\b", r"image not found", r"built for (?:a )?newer (?:macOS|OS)", r"GLIBC_?\d", r"GLIBCXX_\d",
        r"WinError 126", r"specified module could not be found", r"specified procedure could not be found",
        r"Could not load (?:this )?library", r"Illegal instruction", r"incompatible architecture",
        r"Error loading \S+\.dll",
    ),
)
DOWNLOAD = Cause(
    "download", "Model download / offline",
    "the model could not be fetched: hub unreachable, offline, not in the cache, or the download stalled",
    (
        r"locate the files? on the Hub", r"couldn't connect to 'https://huggingface\.co'", r"LocalEntryNotFoundError",
        r"OfflineModeIsEnabled", r"outgoing traffic has been disabled", r"HF_HUB_OFFLINE",
        r"requested files in the (?:local|disk) cache", r"snapshot folder for the specified revision",
        r"(?:huggingface\.co|hf\.co|xethub)\S*.*(?:timed out|max retries|connection|forbidden|40[134]|ssl|resolve)",
        r"Max retries exceeded with url", r"Temporary failure in name resolution", r"getaddrinfo failed",
        r"Network is unreachable", r"CERTIFICATE_VERIFY_FAILED", r"GatedRepoError", r"Repository Not Found",
        r"IncompleteRead", r"ChunkedEncodingError", r"No space left on device", r"download (?:stalled|failed)",
        r"connection to \S+ timed out", r"specific connection error when trying to load",
        # huggingface_hub's backoff: a request to the hub failed and is tried again
        r"Retrying in \d+(?:\.\d+)?s \[Retry \d+/\d+\]",
        # a file missing from a model repository or from the cache
        _HUB_CACHE_PATH + r".*" + _MISSING, _MISSING + r".*" + _HUB_CACHE_PATH,
        r"does not appear to have (?:a )?files? named", r"Can't load (?:the )?(?:feature extractor|tokenizer|config|processor|model)\b",
        # a download that ended early
        r"MetadataIncompleteBuffer", r"file is incomplete", r"incomplete download",
    ),
)

# Causes the suite decides from what it saw rather than from words.
TIMEOUT = Cause("timeout", "Timeout", "no terminal status within the row's budget")
CRASH = Cause("crash", "Server crash", "the server process died")
STARTUP = Cause("startup", "Server never became healthy", "the server did not start, so no row could run")
AUDIO = Cause("audio", "Bad audio", "the generation completed but its WAV failed a check: format, length, silence, clipping, or what it says")
API = Cause("api", "API error", "the server answered an HTTP error or broke its own protocol")
BACKEND = Cause("backend", "Wrong backend (GPU build on CPU)", "the rows ran on another backend than the build is for")
ENGINE = Cause("engine", "Engine error", "the model raised an error no other cause explains")
REFERENCE = Cause(
    "reference", "Reference recording refused",
    "the server refused the reference recording uploaded for a cloned profile (its format or its content), so no cloned voice could be made",
)
UPGRADE = Cause(
    "upgrade", "Upgrade lost the user's data",
    "this build opened the previous release's data dir and lost a profile, sample, generation or audio file, or could not use an old profile",
)
ORDER = Cause(
    "order", "Fails after another model",
    "a model that passed earlier in the run failed when it ran after other models on the same server: an engine's load breaks another's",
)
OFFLINE = Cause(
    "offline", "Cached model needs the network",
    "a model already in the cache asked the hub, took far longer or failed with the hub unreachable, or was not found in its models folder",
)

# In matching order: the first whose pattern a line holds wins. GPU-specific native failures come
# before the bundle check (a CUDA traceback runs through _internal paths), generic native ones
# after it (a missing .so under _MEI is the bundle's fault).
TEXT_CAUSES: tuple[Cause, ...] = (MEMORY, NATIVE_GPU, BUNDLE, NATIVE, DOWNLOAD)

# Every cause once, in the order reports list them.
CAUSES: tuple[Cause, ...] = (BUNDLE, NATIVE_GPU, DOWNLOAD, OFFLINE, UPGRADE, REFERENCE, ORDER, MEMORY, STARTUP, CRASH, TIMEOUT, BACKEND, AUDIO, API, ENGINE)
CAUSE_KEYS: tuple[str, ...] = tuple(c.key for c in CAUSES)
BY_KEY: dict[str, Cause] = {c.key: c for c in CAUSES}

_COMPILED = [(cause, [re.compile(p, re.IGNORECASE) for p in cause.patterns]) for cause in TEXT_CAUSES]


def from_text(texts: Iterable[Optional[str]]) -> Optional[str]:
    """The cause the words name, or None. Each text is read line by line, in the order given."""
    for text in texts:
        if not text:
            continue
        lines = text.splitlines()
        for cause, patterns in _COMPILED:
            if any(p.search(line) for line in lines for p in patterns):
                return cause.key
    return None


def classify(kind: Optional[str], error: Optional[str], log_lines: Sequence[str] = ()) -> str:
    """The cause of a row that did not pass.

    ``kind`` is what the suite observed (``TIMEOUT_KIND``, ``CRASH_KIND``, ...); ``error`` the
    row's error text; ``log_lines`` what the server printed while the row ran (or, for a server
    that never started, its last lines).
    """
    if kind in (TIMEOUT_KIND, AUDIO_KIND, BACKEND_KIND, OFFLINE_KIND, ORDER_KIND):
        return str(kind)
    if kind in (SPEECH_KIND, VOICE_KIND):
        return AUDIO.key
    if kind == LEAK_KIND:
        return MEMORY.key
    if kind == FETCH_KIND:
        return from_text([error]) or DOWNLOAD.key
    log = "\n".join(log_lines)
    if kind in (CRASH_KIND, STARTUP_KIND):
        # A server that died or never started: its last words say why when they are specific.
        return from_text([error, log]) or str(kind)
    named = from_text([error]) or from_text([log])
    if named is not None:
        return named
    if kind in (HTTP_KIND, STREAM_KIND):
        return API.key
    return ENGINE.key


def allure_categories() -> list[dict[str, object]]:
    """categories.json: one category per cause, matched on the cause key the row's failure
    message starts with (``[bundle] No module named 'perth'``)."""
    return [
        # Allure matches the whole message, which allure-behave leads with the exception's name.
        {"name": cause.title, "messageRegex": rf"(?s)(?:[\w.]+: )?\[{cause.key}\].*", "matchedStatuses": ["failed", "broken"]}
        for cause in CAUSES
    ]


def allure3_categories() -> list[dict[str, object]]:
    """The same categories for Allure Report 3's configuration: it searches the message with a
    JavaScript regular expression instead of matching all of it."""
    return [
        {"name": cause.title, "messageRegex": rf"^(?:[\w.]+: )?\[{cause.key}\]", "matchedStatuses": ["failed", "broken"]}
        for cause in CAUSES
    ]


def tagged(cause: Optional[str], message: Optional[str]) -> str:
    """The failure message as Allure shows it, led by the cause key the categories match on."""
    return f"[{cause}] {message or ''}".strip() if cause else (message or "")


_TAG = re.compile(r"^\[(" + "|".join(CAUSE_KEYS) + r")\] ?")


def untagged(message: str) -> tuple[Optional[str], str]:
    """The cause key and the bare message of a ``tagged`` one (None and the message otherwise)."""
    found = _TAG.match(message)
    return (found.group(1), message[found.end():]) if found else (None, message)
