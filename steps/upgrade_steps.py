"""Steps of features/upgrade.feature: the previous release's data, opened by this build."""

from behave import given, then, when


@given('the previous release made a cloned profile with {samples:d} samples and a {engine} preset profile with the voice "{voice}"')
def step_previous_data(context, samples, engine, voice):
    context.upgrade = context.voicebox.upgrade()
    context.add_cleanup(context.upgrade.discard)
    context.upgrade.make_user_data(samples, engine, voice)


@given('the previous release said "{text}" with the {engine} preset profile')
def step_previous_generation(context, text, engine):
    context.upgrade.say(text, engine, "previous")


@when("this build starts on the previous release's data")
def step_open(context):
    context.upgrade.record_and_stop()
    context.upgrade.open_with_this_build()


@then("every profile, sample, generation and audio file is still there, byte for byte")
def step_nothing_lost(context):
    context.upgrade.nothing_lost()


@then('this build says "{text}" with the old {engine} preset profile')
def step_new_generation(context, text, engine):
    context.upgrade.say(text, engine, "new")
