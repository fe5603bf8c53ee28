"""The suite's step vocabulary. Each step is a call into voicebox_e2e; no logic lives here."""

from behave import given, then, when

from voicebox_e2e.behave_glue import table_row
from voicebox_e2e.reports.allure_attach import attach_row
from voicebox_e2e.row.spec import language_code, long_text, make_spec, spec_from_table
from voicebox_e2e.server.profiles import ProfileKey


@given("a Voicebox server is running")
def step_server_running(context):
    context.voicebox.server_ready()


@given("a cloned voice profile made from the reference recording")
def step_cloned_profile(context):
    context.profile_id = context.voicebox.profile(ProfileKey("cloned"))


@given("a cloned voice profile made from the reference recording as {reference}")
@given("a cloned voice profile made from {reference} of the reference voice")
@given("a cloned voice profile made from the reference recording repeated to {reference}")
@given("a cloned voice profile made from a reference recording in {reference}")
def step_cloned_profile_from(context, reference):
    context.profile_id = context.voicebox.profile(ProfileKey("cloned", reference=reference))


@given('the {engine} preset voice "{voice}"')
def step_preset_profile(context, engine, voice):
    context.profile_id = context.voicebox.profile(ProfileKey("preset", engine, voice))


@when('{engine} {model_size} (model {model_name}) speaks "{text}" in {language}')
def step_generate(context, engine, model_size, model_name, text, language):
    spec = make_spec(context.active_outline["row"], engine, model_size, model_name, text, language, table_row(context))
    context.result = context.voicebox.run(spec, context.profile_id)
    attach_row(context.result, context.voicebox.last_exchanges, context.voicebox.previous_of(context.result))


@when('{engine} {model_size} (model {model_name}) reads "{text_file}" in {language}')
def step_read_long_text(context, engine, model_size, model_name, text_file, language):
    spec = spec_from_table(table_row(context), text=long_text(text_file), language=language_code(language))
    context.result = context.voicebox.run(spec, context.profile_id)
    attach_row(context.result, context.voicebox.last_exchanges, context.voicebox.previous_of(context.result))


@then("the generation completes")
def step_completes(context):
    assert context.result.generation_completed, context.result.failure_message


@then("the audio is a playable WAV of plausible length")
def step_audio_ok(context):
    assert context.result.audio_ok, context.result.failure_message


@then("it says the sentence it was given")
def step_speech_ok(context):
    assert context.result.speech_ok, context.result.failure_message


@then("it speaks in the voice it was cloned from")
def step_voice_ok(context):
    assert context.result.voice_ok, context.result.failure_message


@then("it speaks as it did in the matrix's order")
def step_order_ok(context):
    assert context.result.passed, context.result.failure_message


@then("it ran on the backend the build is made for")
def step_backend_ok(context):
    assert context.result.backend_ok, context.result.failure_message


@then("the server's memory does not keep growing")
def step_memory_bounded(context):
    assert context.result.passed, context.result.failure_message
