"""`faqbot serve`'s command-line layer: flags, the secret, worker start-up, and a real multi-worker server."""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from adapters.cli import main
from adapters.settings import Settings, load_settings
from adapters.web import cli
from adapters.web.state import SECRET_ENV, StateSigner
from faqbot.settings import SettingsError

ROOT = Path(__file__).resolve().parents[2]


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    return parser.parse_args(argv)


def test_importing_the_cli_module_loads_no_web_stack() -> None:
    code = "import sys, adapters.web.cli; print(sorted(m for m in ('starlette', 'uvicorn') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_flags_override_web_settings_and_are_validated() -> None:
    args = parse("--host", "0.0.0.0", "--port", "9000", "--workers", "2", "--allow-origin", "https://a.example/")
    args_more = parse("--allow-origin", "https://a.example", "--allow-origin", "https://b.example")
    web = cli.settings_with_flags(args, Settings()).web
    assert (web.host, web.port, web.workers, web.allow_origins) == ("0.0.0.0", 9000, 2, ("https://a.example",))
    assert cli.settings_with_flags(args_more, Settings()).web.allow_origins == (
        "https://a.example",
        "https://b.example",
    )
    assert cli.settings_with_flags(parse(), Settings()) == Settings()
    with pytest.raises(SettingsError):
        cli.settings_with_flags(parse("--workers", "0"), Settings())
    for bad in ("*", "https://clinic.example/page", "clinic.example"):
        with pytest.raises(SettingsError, match="allowed origins"):
            cli.settings_with_flags(parse("--allow-origin", bad), Settings())


@pytest.mark.parametrize("port", ["-1", "0", "65536", "99999"])
def test_serve_refuses_a_port_outside_1_to_65535_in_one_line(
    port: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: None)  # were the port let through, serve returns 0
    monkeypatch.setenv(SECRET_ENV, "s3cret")
    assert main(["serve", "--port", port]) == 2
    assert capsys.readouterr().err == f"faqbot: error: setting web.port has an unusable value {port} " + (
        "(expected like 8000)\n" if int(port) < 1 else "(expected 1 to 65535)\n"
    )


def test_the_port_range_holds_for_the_settings_file_too(tmp_path: Path) -> None:
    config = tmp_path / "faqbot.toml"
    config.write_text("[web]\nport = 70000\n")
    with pytest.raises(SettingsError, match=r"web\.port has an unusable value 70000 \(expected 1 to 65535\)"):
        cli.settings_with_flags(parse(), load_settings(config))
    for port in ("1", "65535"):
        assert cli.settings_with_flags(parse("--port", port), load_settings(config)).web.port == int(port)


def test_secret_comes_from_the_environment_or_is_generated_with_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.ensure_secret({SECRET_ENV: "s3cret"}) == b"s3cret"
    assert capsys.readouterr().err == ""
    environ: dict[str, str] = {SECRET_ENV: "  "}
    generated = cli.ensure_secret(environ)
    assert len(generated) >= 32
    assert environ[SECRET_ENV].encode() == generated  # so worker processes inherit the same secret
    assert f"{SECRET_ENV} is not set" in capsys.readouterr().err


def test_worker_factory_rebuilds_settings_and_secret_from_the_environment() -> None:
    settings = cli.settings_with_flags(parse("--allow-origin", "https://clinic.example"), Settings())
    environ = {cli.SETTINGS_ENV: cli.settings_to_json(settings), SECRET_ENV: "shared"}
    client = TestClient(cli.app_from_environ(environ))
    body = client.post("/api/chat", json={"message": "hello"}, headers={"origin": "https://clinic.example"})
    assert body.headers["access-control-allow-origin"] == "https://clinic.example"
    assert StateSigner(b"shared", 60).verify(body.json()["state"]) is not None
    with pytest.raises(RuntimeError):
        cli.app_from_environ({cli.SETTINGS_ENV: environ[cli.SETTINGS_ENV]})


def test_worker_processes_get_the_clinic_details_from_the_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "faqbot.toml"
    path.write_text('[clinic]\nphone = "0161 496 0000"\nhours = "Mon-Fri 9-5"\n', encoding="utf-8")
    settings = cli.settings_with_flags(parse(), load_settings(path))
    environ = {cli.SETTINGS_ENV: cli.settings_to_json(settings), SECRET_ENV: "shared"}
    body = TestClient(cli.app_from_environ(environ)).post("/api/chat", json={"message": "what's your phone number?"})
    reply = body.json()
    assert reply["kind"] == "contact" and "0161 496 0000" in reply["lead"]
    assert reply["contact"] == {"phone": "0161 496 0000", "booking_url": None, "hours": "Mon-Fri 9-5", "address": None}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _post(url: str, payload: dict[str, object]) -> dict[str, object]:
    request = urllib.request.Request(url, json.dumps(payload).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:  # a new connection each time
        result: dict[str, object] = json.loads(response.read())
    return result


def _chain(url: str, turns: int) -> int:
    """Run one conversation of `turns` turns, a new connection each; returns the final turn count."""
    state: object = None
    for _ in range(turns):
        state = _post(url + "/api/chat", {"message": "What is acupuncture?", "state": state})["state"]
    payload = json.loads(base64.urlsafe_b64decode(str(state).split(".")[1] + "=="))
    return int(payload["s"]["turns"])


def test_two_workers_share_the_generated_secret(tmp_path: Path) -> None:
    config = tmp_path / "faqbot.toml"
    config.write_text("[web]\nrate_limit_per_minute = 100000\n")
    env = {k: v for k, v in os.environ.items() if k != SECRET_ENV}
    port = _free_port()
    command = [sys.executable, "-m", "adapters.cli", "serve", "--config", str(config), "--port", str(port)]
    server = subprocess.Popen([*command, "--workers", "2"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    assert server.stderr is not None
    reader = threading.Thread(target=lambda: lines.extend(server.stderr or ()), daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_workers(server, lines, 2)
        finals: list[int] = []
        with ThreadPoolExecutor(8) as pool:
            # Conversations hop between workers until both have served some turns (or give up after 400).
            for _ in range(5):
                finals += pool.map(lambda _: _chain(url, 10), range(8))
                if len(set(re.findall(r"pid=(\d+) POST /api/chat 200", "".join(lines)))) == 2:
                    break
    finally:
        server.terminate()
        server.wait(timeout=20)
        reader.join(timeout=5)
        server.stderr.close()
    err = "".join(lines)
    assert f"{SECRET_ENV} is not set" in err
    assert len(set(re.findall(r"pid=(\d+) POST /api/chat 200", err))) == 2, err[-1500:]
    assert set(finals) == {10}  # no turn ever restarted the conversation, whichever worker served it


def _wait_for_workers(server: subprocess.Popen[str], lines: list[str], count: int) -> None:
    deadline = time.monotonic() + 30
    while "".join(lines).count("Application startup complete") < count:
        if time.monotonic() > deadline or server.poll() is not None:
            raise AssertionError("faqbot serve did not start: " + "".join(lines)[-1500:])
        time.sleep(0.05)
