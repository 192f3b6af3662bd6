"""Credentials come from the environment through a pure function; bad ones give one clear line, no traceback."""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import APP_TOKEN, BOT_TOKEN
from fakeslack import FakeSlack

from adapters.cli import main
from adapters.settings import Settings
from adapters.slack import cli
from adapters.slack.secrets import DEFAULT_API_URL, SecretsError, SlackSecrets, slack_secrets

ROOT = Path(__file__).resolve().parents[2]


def test_socket_mode_needs_bot_and_app_tokens() -> None:
    secrets = slack_secrets({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": f" {APP_TOKEN}\n"}, http=False)
    assert secrets == SlackSecrets(BOT_TOKEN, app_token=APP_TOKEN, api_url=DEFAULT_API_URL)
    assert BOT_TOKEN not in repr(secrets)


def test_http_mode_needs_the_signing_secret_and_takes_an_api_url() -> None:
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": "abc123", "SLACK_API_URL": "http://127.0.0.1:9/api"}
    secrets = slack_secrets(env, http=True)
    assert (secrets.signing_secret, secrets.app_token, secrets.api_url) == ("abc123", None, "http://127.0.0.1:9/api/")


@pytest.mark.parametrize(
    ("env", "http", "message"),
    [
        ({}, False, "SLACK_BOT_TOKEN is not set (a bot token starting with xoxb-)"),
        ({"SLACK_BOT_TOKEN": "xapp-1-wrong"}, False, "SLACK_BOT_TOKEN is malformed (a bot token starting with xoxb-)"),
        ({"SLACK_BOT_TOKEN": BOT_TOKEN}, False, "SLACK_APP_TOKEN is not set (an app-level token starting with xapp-)"),
        ({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": BOT_TOKEN}, False, "SLACK_APP_TOKEN is malformed"),
        ({"SLACK_BOT_TOKEN": BOT_TOKEN}, True, "SLACK_SIGNING_SECRET is not set"),
        ({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": "a b"}, True, "SLACK_SIGNING_SECRET is malformed"),
        ({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": "x.org"}, True, "SLACK_API_URL"),
    ],
)
def test_bad_credentials_name_the_variable(env: dict[str, str], http: bool, message: str) -> None:
    with pytest.raises(SecretsError) as raised:
        slack_secrets(env, http=http)
    assert str(raised.value).startswith(message)


def test_faqbot_slack_without_tokens_prints_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["slack"]) != 0
    err = capsys.readouterr().err
    assert err == "faqbot: error: SLACK_BOT_TOKEN is not set (a bot token starting with xoxb-)\n"


def test_a_token_slack_rejects_prints_one_line(
    fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "abc")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    fake_slack.fail_next("auth.test", "invalid_auth")
    args = argparse.Namespace(http=True, port=0, host="127.0.0.1")
    assert cli.run(args, Settings()) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("faqbot: error: Slack did not accept SLACK_BOT_TOKEN") and "invalid_auth" in line


def test_flags_are_declared() -> None:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    args = parser.parse_args(["--http", "--port", "8123"])
    assert (args.http, args.port, args.host) == (True, 8123, "127.0.0.1")


def test_importing_the_cli_loads_no_slack_library() -> None:
    heavy = "{'slack_bolt', 'slack_sdk', 'uvicorn', 'starlette', 'websockets'}"
    code = f"import sys, adapters.slack.cli; print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_port_in_use_is_named_as_such_not_as_slack_unreachable(
    fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "abc")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        args = argparse.Namespace(http=True, port=port, host="127.0.0.1")
        assert cli.run(args, Settings()) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"faqbot: error: cannot listen on 127.0.0.1:{port}: ") and "Slack" not in line
    assert fake_slack.calls_to("auth.test") == []
