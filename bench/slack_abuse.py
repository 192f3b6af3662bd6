"""Oversized and unsigned posts against `faqbot slack --http` (local fake Slack): the process's memory must not grow.

    .venv/bin/python bench/slack_abuse.py            # three 100 MB posts of each kind (~10 s)

Each post tries to send 100 MB: announced with Content-Length, or chunked with no length, unsigned or with a fresh
timestamp and a wrong signature. The server should answer from the headers (413, 401) or after at most 1 MB (413)
and close the connection; the script then prints the server's resident memory before and after (target: < 20 MB
growth) and every status it got.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "slack"))
from fakeslack import FakeSlack  # noqa: E402

MB = 1024 * 1024
POST_BYTES = 100 * MB


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def post(port: int, chunked: bool, signed: bool) -> str:
    """Try to send 100 MB; the status the server answered with, or how the connection ended."""
    head = "POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    head += "Transfer-Encoding: chunked\r\n" if chunked else f"Content-Length: {POST_BYTES}\r\n"
    if signed:
        head += f"X-Slack-Request-Timestamp: {int(time.time())}\r\nX-Slack-Signature: v0={'0' * 64}\r\n"
    block = b"x" * MB
    piece = b"%x\r\n" % len(block) + block + b"\r\n" if chunked else block
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(head.encode() + b"\r\n")
        try:
            for _ in range(POST_BYTES // MB):
                conn.sendall(piece)
        except OSError:
            pass  # the server answered and closed: the rest is never read
        try:
            answer = conn.recv(200)
        except OSError as error:
            return type(error).__name__
    return answer.split(b"\r\n", 1)[0].decode("ascii", "replace") or "closed"


def main() -> int:
    fake = FakeSlack().start()
    port = free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-1-bench",
        "SLACK_SIGNING_SECRET": "bench-secret",
        "SLACK_API_URL": fake.url,
    }
    command = [sys.executable, "-m", "adapters.cli", "slack", "--http", "--port", str(port)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("faqbot slack --http did not start") from None
                time.sleep(0.2)
        before = rss_mb(server.pid)
        results = []
        for chunked in (False, True):
            for signed in (False, True):
                for _ in range(3):
                    results.append((chunked, signed, post(port, chunked, signed)))
        after = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(30)
        fake.stop()
    for chunked, signed, status in results:
        kind = ("chunked" if chunked else "Content-Length") + (", bad signature" if signed else ", unsigned")
        print(f"  100 MB post ({kind}): {status}")
    print(f"server RSS: {before:.0f} MB before, {after:.0f} MB after: +{after - before:.1f} MB (target < 20 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
