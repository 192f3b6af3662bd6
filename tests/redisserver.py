"""A real redis-server for tests: its own process on a free port, in a temporary directory, saving nothing."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis

STARTUP_SECONDS = 10.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """One redis-server process; `stop()` and `start()` again keep its port, so clients can see it come back."""

    def __init__(self, directory: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run does this as root)")
        self.binary = binary
        self.directory = directory
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The redis:// URL of database 0."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        """Start the server and wait until it answers PING."""
        for _ in range(3):  # another process may take the free port between picking it and redis binding it
            command = [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"]
            command += ["--dir", str(self.directory), "--logfile", str(self.directory / "redis.log")]
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
            if self._answers():
                return self
            self.stop()
            self.port = _free_port()
        raise AssertionError("redis-server did not start: " + (self.directory / "redis.log").read_text()[-1000:])

    def _answers(self) -> bool:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and self.process is not None and self.process.poll() is None:
            with redis.Redis(port=self.port, socket_connect_timeout=0.5) as client:
                try:
                    return bool(client.ping())
                except redis.ConnectionError:
                    time.sleep(0.02)
        return False

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL)."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self.process = None

    def flush(self) -> None:
        """Forget every key, so each test starts from an empty store."""
        with redis.Redis(port=self.port) as client:
            client.flushall()


def unused_url() -> str:
    """A redis:// URL on a port nothing listens on (it was free a moment ago): a store that is down."""
    return f"redis://127.0.0.1:{_free_port()}/0"
