"""Steps of the @offline rows: a model loaded with the network, then the server cut off from the
hub or given its models in a folder of their own. Each is a call into voicebox_e2e."""

from behave import given, then, when

from voicebox_e2e.row.spec import make_spec
from voicebox_e2e.server.profiles import ProfileKey


@given("the {voice} voice of {engine}")
def step_voice_of(context, voice, engine):
    context.profile_id = context.voicebox.profile(ProfileKey.for_voice(engine, voice))


@given('{engine} {model_size} (model {model_name}) has said "{text}" in {language} with the network')
def step_loaded_online(context, engine, model_size, model_name, text, language):
    spec = make_spec(context.active_outline["row"], engine, model_size, model_name, text, language)
    context.voicebox.load_online(spec, context.profile_id)


@when("the server restarts with the hub {kind}")
def step_hub_cut(context, kind):
    context.voicebox.cut_hub(kind)


@when("the server restarts with {model_name}'s files in a models folder of their own")
def step_models_moved(context, model_name):
    context.voicebox.move_models(model_name)


@then("it loaded from its cache as fast as with the network")
@then("it found its model in that folder without a download")
def step_offline_ok(context):
    assert context.result.offline_ok, context.result.failure_message
