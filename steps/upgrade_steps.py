"""Steps of features/upgrade.feature: the previous release's data, opened by this build."""

from behave import given, then, when

from voicebox_e2e.checks.inventory import effects_chain


@given('the previous release made a cloned profile with {samples:d} samples and a {engine} preset profile with the voice "{voice}"')
def step_previous_data(context, samples, engine, voice):
    context.upgrade = context.voicebox.upgrade()
    context.add_cleanup(context.upgrade.discard)
    context.upgrade.make_user_data(samples, engine, voice)


@given('the previous release gave the cloned profile the effects "{effects}" and saved them as a preset')
def step_previous_effects(context, effects):
    context.upgrade.make_effects(effects_chain(effects))


@given("the previous release put that generation in a story")
def step_previous_story(context):
    context.upgrade.make_story()


@given('the previous release said "{text}" with the {engine} preset profile')
def step_previous_generation(context, text, engine):
    context.upgrade.say(text, engine, "previous")


@when("this build starts on the previous release's data")
def step_open(context):
    context.upgrade.record_and_stop()
    context.upgrade.open_with_this_build()


@then("every profile, sample, generation, audio file, story and effect preset is still there, byte for byte")
def step_nothing_lost(context):
    context.upgrade.nothing_lost()


@then('this build says "{text}" with the old {engine} preset profile')
def step_new_generation(context, text, engine):
    context.upgrade.say(text, engine, "new")
