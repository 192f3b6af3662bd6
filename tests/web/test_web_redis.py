"""`faqbot serve` on a shared Redis: one rate limit across workers and processes; a store outage is a polite 503."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from redisserver import unused_url
from starlette.testclient import TestClient

from adapters.redis_store import RedisStore
from adapters.settings import Settings
from adapters.web.app import create_app
from adapters.web.state import SECRET_ENV
from faqbot.engine import Engine

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 6


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _status(url: str, message: str) -> int:
    body = json.dumps({"message": message}).encode()
    request = urllib.request.Request(url + "/api/chat", body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # a new connection each time
            return int(response.status)
    except urllib.error.HTTPError as error:
        error.close()
        return int(error.code)


@pytest.fixture
def two_servers(tmp_path: Path, redis_url: str) -> Iterator[list[str]]:
    """`faqbot serve --workers 2` and `faqbot serve` on other ports, both on one Redis, with one state secret."""
    config = tmp_path / "faqbot.toml"
    config.write_text(f'[web]\nrate_limit_per_minute = {LIMIT}\n[store]\nurl = "{redis_url}"\n', encoding="utf-8")
    env = {**os.environ, SECRET_ENV: "one-secret-for-every-host"}
    ports, servers, logs = [_free_port(), _free_port()], [], [tmp_path / "a.log", tmp_path / "b.log"]
    for port, workers, log in zip(ports, (2, 1), logs, strict=True):
        command = [sys.executable, "-m", "adapters.cli", "serve", "--config", str(config), "--port", str(port)]
        with log.open("wb") as out:
            servers.append(subprocess.Popen([*command, "--workers", str(workers)], cwd=ROOT, env=env, stderr=out))
    try:
        deadline = time.monotonic() + 60
        while any(
            log.read_text().count("Application startup complete") < n for log, n in zip(logs, (2, 1), strict=True)
        ):
            if time.monotonic() > deadline or any(server.poll() is not None for server in servers):
                raise AssertionError("faqbot serve did not start: " + "".join(log.read_text() for log in logs))
            time.sleep(0.05)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for server in servers:
            server.terminate()
            server.wait(20)
    text = "".join(log.read_text() for log in logs)
    assert "Traceback" not in text, text[-2000:]


def test_workers_and_processes_on_one_redis_share_one_rate_limit(two_servers: list[str]) -> None:
    first, second = two_servers
    statuses = [(url, _status(url, "hi")) for _ in range(LIMIT) for url in (first, second)]
    assert [status for _, status in statuses] == [200] * LIMIT + [429] * LIMIT
    assert {url for url, status in statuses if status == 429} == {first, second}  # each saw the other's requests


def test_the_shared_store_keeps_hashed_client_addresses(redis_url: str, engine: Engine) -> None:
    store = RedisStore(redis_url)
    try:
        with TestClient(create_app(Settings(), b"test-secret", engine, store)) as client:
            assert client.post("/api/chat", json={"message": "hi"}).status_code == 200
    finally:
        store.close()
    with redis.Redis.from_url(redis_url, decode_responses=True) as raw:
        [key] = raw.keys("*")
    assert key.startswith("faqbot:web:rate:h:") and "testclient" not in key


def test_with_the_store_down_an_emergency_is_answered_and_the_rest_get_a_polite_503(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    store = RedisStore(unused_url())
    settings = dataclasses.replace(Settings(), web=dataclasses.replace(Settings().web, rate_limit_per_minute=1000))
    try:
        with TestClient(create_app(settings, b"test-secret", engine, store)) as client:
            everyday = client.post("/api/chat", json={"message": "what is acupuncture?"})
            emergency = client.post("/api/chat", json={"message": "I cant breathe"})
    finally:
        store.close()
    assert everyday.status_code == 503 and everyday.json()["error"]["code"] == "busy"
    assert everyday.headers["retry-after"] == "1"
    assert emergency.status_code == 200 and emergency.json()["kind"] == "emergency"
    warnings = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "failed (ConnectionError)" in warnings[0].getMessage()
    assert not any(record.exc_info for record in caplog.records)
