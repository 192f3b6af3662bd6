"""`faqbot slack`'s port check, kept here because the Slack tests live in a directory another team edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.cli import main


@pytest.fixture(autouse=True)
def no_slack_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without credentials a port that passes the check stops at the next one and nothing connects to Slack."""
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("port", ["-1", "65536", "99999"])
def test_slack_refuses_a_port_outside_0_to_65535_in_one_line(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["slack", "--http", "--port", port]) == 2
    assert capsys.readouterr().err == f"faqbot: error: port {port} is out of range (0 to 65535; 0 picks a free port)\n"


def test_slack_checks_the_settings_file_port_and_accepts_the_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "faqbot.toml"
    config.write_text("[slack]\nport = 70000\n")
    assert main(["slack", "--http", "--config", str(config)]) == 2
    assert "port 70000 is out of range" in capsys.readouterr().err
    for port in ("0", "65535"):
        assert main(["slack", "--http", "--port", port, "--config", str(config)]) == 2
        assert capsys.readouterr().err.startswith("faqbot: error: SLACK_BOT_TOKEN is not set")
