"""The download a ``@while_downloading`` row ran during: it must finish with the model downloaded.

The row's workload becomes what the download was doing (how far it was when the generation was
sent, and whether it was still running when the generation ended), for every report. A download
that failed or did not finish within ``timeout_download`` fails a row that otherwise passed, with
cause ``download``; a row that failed for its own reason keeps it, and the download's end is
added as a warning. Judged after the order verdict, so a failed download is never taken for an
order-dependent failure of the row's own model.
"""

from __future__ import annotations

from voicebox_e2e.row.result import RowResult
from voicebox_e2e.verdicts import causes
from voicebox_e2e.verdicts.base import RowContext


class DownloadDuringCheck:
    def judge(self, result: RowResult, row: RowContext) -> None:
        download = row.downloading
        if download is None:
            return
        result.workload = download.describe()
        if download.error is None:
            return
        sentence = f"the download of {download.model_name}, which the row ran during, {download.error}"
        if result.passed:
            result.fail(causes.FETCH_KIND, sentence)
            result.decide_cause([])
        else:
            result.warnings.append(sentence)
