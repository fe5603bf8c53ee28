"""Steps of features/api_contract.feature: ask, then compare with the recorded answers."""

import uuid

from behave import then, when

from voicebox_e2e.checks import api as api_checks


@when("speech is requested for a profile id that does not exist")
def step_unknown_profile(context):
    context.answer = context.voicebox.client.request("POST", "/generate", api_checks.generation_body(str(uuid.uuid4())))


@when("speech is requested with the {field} set to {value}")
def step_invalid_field(context, field, value):
    body = api_checks.generation_body(context.profile_id, **{field: api_checks.parse_value(value)})
    context.answer = context.voicebox.client.request("POST", "/generate", body)


@when("kokoro is asked to speak with the cloned voice")
def step_engine_mismatch(context):
    body = api_checks.generation_body(context.profile_id, engine="kokoro")
    context.answer = context.voicebox.client.request("POST", "/generate", body)


@when('a profile named "{name}" is created again')
def step_duplicate_profile(context, name):
    body = {"name": name, "voice_type": "cloned", "language": "en"}
    context.answer = context.voicebox.client.request("POST", "/profiles", body)


@when('a kokoro preset profile is created with the voice "{voice}"')
def step_unknown_voice(context, voice):
    body = {"name": f"e2e-kokoro-{voice}", "voice_type": "preset", "language": "en", "preset_engine": "kokoro", "preset_voice_id": voice}
    context.answer = context.voicebox.client.request("POST", "/profiles", body)


@when("{sample} is uploaded as a reference sample")
def step_bad_sample(context, sample):
    upload = api_checks.reference_sample(sample, context.voicebox.settings.reference_wav)
    context.answer = api_checks.upload(context.voicebox.client, context.profile_id, upload)


@when("the status of a generation id that was never issued is followed")
def step_unknown_status(context):
    context.unknown_id = str(uuid.uuid4())
    context.events = api_checks.status_of_unknown_generation(context.voicebox.client, context.unknown_id)


@when("/health is called {calls:d} times in a row")
def step_health_calls(context, calls):
    context.latency = api_checks.health_latency(context.voicebox.client, calls)


@then('the server answers {status:d} with the detail "{detail}"')
def step_answer_detail(context, status, detail):
    api_checks.expect_answer(context.answer, status, detail=detail)


@then('the server answers {status:d} with a detail starting "{prefix}"')
def step_answer_prefix(context, status, prefix):
    api_checks.expect_answer(context.answer, status, detail_prefix=prefix)


@then('the server answers 422 naming the field "{field}"')
def step_answer_field(context, field):
    api_checks.expect_field_error(context.answer, field)


@then('the stream holds exactly one event, with the status "{status}" and that id')
def step_single_event(context, status):
    assert context.events == [{"status": status, "id": context.unknown_id}], f"the stream sent {context.events}"


@then("the 99th percentile of its answer time is within the health latency budget")
def step_health_budget(context):
    latency, budget = context.latency, api_checks.HEALTH_P99_BUDGET_MS
    assert latency.p99_ms <= budget, f"p99 {latency.p99_ms} ms over {latency.calls} calls exceeds the {budget} ms budget (p50 {latency.p50_ms} ms)"
