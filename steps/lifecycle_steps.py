"""Steps of features/server_lifecycle.feature. Each scenario's server is removed at its end."""

from behave import given, then, when

from voicebox_e2e.checks import lifecycle

def _launch(context, with_helper_parent=False):
    context.fresh = lifecycle.launch_fresh(context.voicebox.workspace(), with_helper_parent)
    context.add_cleanup(context.fresh.discard)


@when("the server binary is asked for its --version")
def step_version(context):
    context.version = lifecycle.ask_version(context.voicebox.workspace())


@then("it prints its version and exits with code 0 within {seconds:d} seconds")
def step_version_answer(context, seconds):
    answer = context.version
    assert answer.code == 0 and answer.output.startswith("voicebox-server "), f"--version answered {answer.output!r} with exit code {answer.code}"
    assert answer.seconds <= seconds, f"--version took {answer.seconds:.1f} s"


@then("it leaves no process behind")
def step_version_leftovers(context):
    assert not context.version.leftovers, f"--version left processes running: {context.version.leftovers}"


@when("a new server is launched")
def step_launch(context):
    _launch(context)


@given("a new server is running")
def step_new_server(context):
    _launch(context)
    lifecycle.healthy_within(context.fresh, context.voicebox.settings.health_timeout)


@then("it answers /health as healthy within the start-up budget")
def step_healthy_in_budget(context):
    lifecycle.healthy_within(context.fresh, context.voicebox.settings.health_timeout)


@given("a new server is running whose --parent-pid is a helper process")
def step_server_with_helper_parent(context):
    _launch(context, with_helper_parent=True)
    lifecycle.healthy_within(context.fresh, context.voicebox.settings.health_timeout)


@given('a client is watching the download progress of "{model_name}"')
def step_watch_progress(context, model_name):
    lifecycle.hold_progress_stream(context.fresh, model_name)


@when("the server receives SIGTERM")
def step_sigterm(context):
    lifecycle.send_sigterm(context.fresh)


@when("the helper process dies")
def step_parent_dies(context):
    lifecycle.kill_parent(context.fresh)


@then("the server exits within {seconds:d} seconds")
def step_exits_within(context, seconds):
    lifecycle.expect_exit_within(context.fresh, seconds)


@then("its port is free")
def step_port_free(context):
    lifecycle.expect_port_free(context.fresh)
