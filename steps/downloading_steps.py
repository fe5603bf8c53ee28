"""Steps of the @while_downloading rows: another model downloading while the row generates. Each
is a call into voicebox_e2e."""

from behave import given, then

from voicebox_e2e.behave_glue import table_row
from voicebox_e2e.row.spec import spec_from_table


@given("{other_model} is downloading, missing from the models folder the server was given")
def step_downloading(context, other_model):
    context.voicebox.download_during(spec_from_table(table_row(context) or {}))


@then("it speaks as it did with nothing downloading")
def step_speaks_during_download(context):
    assert context.result.passed, context.result.failure_message


@then("the download of {other_model} completes")
def step_download_completes(context, other_model):
    assert context.result.download_ok, context.result.failure_message
