"""behave hooks: start the run, skip rows that only/skip deselect, and always clean up.

The server is launched as the run starts (when rows are selected), so its start-up overlaps
behave's own; the first step that needs it ("Given a Voicebox server is running") waits for its
/health, so a server that will not start fails each selected row with the reason.
"""

from voicebox_e2e.behave_glue import failure_text, finished_badly, start_run, table_row
from voicebox_e2e.row.spec import is_matrix_row, spec_from_table


def before_all(context):
    context.voicebox = start_run(context)
    context.voicebox.catch_sigterm()


def before_scenario(context, scenario):
    cells = table_row(context)
    if cells and is_matrix_row(cells) and not context.voicebox.settings.selects(cells["engine"]):
        scenario.skip(f"deselected by only/skip ({cells['engine']})")


def after_scenario(context, scenario):
    context.voicebox.end_scenario()
    cells = table_row(context)
    if cells and is_matrix_row(cells) and finished_badly(scenario) and not scenario.skip_reason:
        context.voicebox.report_unfinished(spec_from_table(cells), failure_text(scenario), interrupted=context.aborted)


def after_all(context):
    if hasattr(context, "voicebox"):
        context.voicebox.finish(aborted=context.aborted)
