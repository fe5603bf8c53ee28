"""Steps of features/upgrade.feature: the previous release's data, opened by this build."""

from behave import given, then, when

from voicebox_e2e.checks.inventory import effects_chain, settings_patch


@given('the previous release made a cloned profile with {samples:d} samples and a {engine} preset profile with the voice "{voice}"')
def step_previous_data(context, samples, engine, voice):
    context.upgrade = context.voicebox.upgrade()
    context.add_cleanup(context.upgrade.discard)
    context.made = context.upgrade.make_user_data(samples, engine, voice)


@given('the previous release gave the cloned profile the avatar "{image}"')
def step_previous_avatar(context, image):
    context.made.make_avatar(image)


@given('the previous release gave the cloned profile the effects "{effects}" and saved them as a preset')
def step_previous_effects(context, effects):
    context.made.make_effects(effects_chain(effects))


@given('the previous release put the cloned profile on an audio channel of its own with the devices "{devices}"')
def step_previous_channel(context, devices):
    context.made.make_channel([d.strip() for d in devices.split(",")])


@given('the previous release said "{text}" with the {engine} preset profile')
def step_previous_generation(context, text, engine):
    context.upgrade.say(text, engine, "previous")


@given('the previous release applied the effects "{effects}" to that generation as a new version and marked it a favourite')
def step_previous_version(context, effects):
    context.made.make_versions(effects_chain(effects))


@given("the previous release put that generation in a story")
def step_previous_story(context):
    context.made.make_story()


@given('the previous release set its {which} settings "{values}" where it has them')
def step_previous_settings(context, which, values):
    context.made.make_settings(which, settings_patch(values))


@given('the previous release bound the MCP client "{client_id}" to the cloned profile where it has them')
def step_previous_binding(context, client_id):
    context.made.make_mcp_binding(client_id)


@given('the previous release made a capture of the reference recording with whisper "{size}" where it has it downloaded')
def step_previous_capture(context, size):
    context.made.make_capture(size)


@when("this build starts on the previous release's data")
def step_open(context):
    context.upgrade.record_and_stop()
    context.upgrade.open_with_this_build()


@then("everything the user had is still there, byte for byte")
def step_nothing_lost(context):
    context.scenario.notes = context.upgrade.nothing_lost()


@then('this build says "{text}" with the old {engine} preset profile')
def step_new_generation(context, text, engine):
    context.upgrade.say(text, engine, "new")
