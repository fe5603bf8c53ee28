"""The ``@offline`` rows' setup: a model loaded once with the network, then the server relaunched
with the hub cut off (``server/network.py``) or its models in a folder of their own
(``server/models_dir.py``); ``verdicts/offline.py`` judges the row that follows.

Every relaunch is a fresh server on the same data dir, so the model loads again and its load is
timed. After the scenario the server goes back online for whatever runs next.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional

from voicebox_e2e.row.conditions import OfflineCondition
from voicebox_e2e.row.result import RowResult
from voicebox_e2e.server.models_dir import ModelsDirError, ModelsFolder
from voicebox_e2e.server.network import HubCut
from voicebox_e2e.server.session import Session
from voicebox_e2e.verdicts import causes


class OfflineSetupError(RuntimeError):
    """The row could not be brought to its offline start; the message leads with its cause."""


class OfflineRows:
    def __init__(self) -> None:
        self.online_loads: dict[str, float] = {}  # model name -> its load with the network, this run
        self.cut: Optional[HubCut] = None
        self.folder: Optional[ModelsFolder] = None
        self.how: Optional[str] = None  # how the running server is cut off or moved; None: online

    def load_online(self, session: Session, model_name: str, run_row: Callable[[], RowResult]) -> None:
        """Load the model on a fresh server with the network and keep its load time; a model that
        had to be downloaded first is loaded once more, so the time is a cached load's."""
        for attempt in range(2):
            if self.how is not None or attempt or self._loaded(session, model_name):
                self._relaunch(session, "a fresh server with the network, to time a model's load", {})
            result = run_row()
            if not result.passed:
                raise OfflineSetupError(causes.tagged(result.cause, (
                    f"{result.label} did not run with the network, so there is no cached load to hold the offline one "
                    f"against: {result.error}"
                )))
            if result.was_cached is False:
                continue  # it was downloaded first: once more, so the time is a cached load's
            if result.performance.load_seconds is None:
                raise OfflineSetupError(
                    f"{result.label}'s load could not be timed with the network: the status stream never showed it generating."
                )
            self.online_loads[model_name] = result.performance.load_seconds
            return
        raise OfflineSetupError(f"{model_name} was downloaded again on a fresh server, so it is not kept in the cache.")

    def cut_hub(self, session: Session, kind: str) -> None:
        cut = HubCut(kind)
        try:
            self._relaunch(session, f"the hub {kind} ({cut.proxy})", cut.environment())
        except BaseException:
            cut.close()
            raise
        self.cut, self.how = cut, cut.describe()

    def move_models(self, session: Session, model_name: str) -> None:
        """Copy the model's folder out of the server's cache and relaunch the server there."""
        repo = next((m["hf_repo_id"] for m in session.client.model_status() if m.get("model_name") == model_name), None)
        if repo is None:
            raise OfflineSetupError(f"GET /models/status does not list {model_name}, so its folder cannot be found.")
        folder = ModelsFolder(session.data_dir)
        try:
            folder.copy_from(Path(session.client.cache_dir()), str(repo))
        except ModelsDirError as exc:
            raise OfflineSetupError(causes.tagged(causes.OFFLINE.key, str(exc))) from exc
        self._relaunch(session, f"{model_name} in a models folder of its own", folder.environment())
        self.folder, self.how = folder, folder.describe()

    def condition(self, model_name: str) -> Optional[OfflineCondition]:
        """What the next row of this model runs under (None when the server is online)."""
        if self.how is None:
            return None
        models_dir = None if self.folder is None else str(self.folder.models)
        return OfflineCondition(self.how, self.online_loads.get(model_name), models_dir)

    def back_online(self, session: Optional[Session]) -> None:
        """After an @offline scenario: the server as the run started it, for what runs next."""
        if session is not None and session.extra_env:
            if session.server is not None and not session.server.stopped:
                self._relaunch(session, "back to the run's own cache and network after a row that relaunched it", {})
            session.extra_env = {}
        self.how, self.folder = None, None
        self.close()

    def close(self) -> None:
        if self.cut is not None:
            self.cut.close()
            self.cut = None

    def _relaunch(self, session: Session, reason: str, extra_env: dict[str, str]) -> None:
        self.close()
        self.how, self.folder = None, None
        session.relaunch_with(reason, extra_env)

    @staticmethod
    def _loaded(session: Session, model_name: str) -> bool:
        return any(m.get("model_name") == model_name and m.get("loaded") for m in session.client.model_status())
