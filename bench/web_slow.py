"""Slow clients against one `faqbot serve` worker: legitimate latency while N connections trickle, then SIGTERM.

    .venv/bin/python bench/web_slow.py                      # 300 slow-body connections, 20 s (~35 s)
    .venv/bin/python bench/web_slow.py --slow 300 --seconds 20 --kind headers

Each slow connection sends its headers (or, with --kind headers, half of them) and then one byte of body (or
header) a second, for ever; the server cuts them off at its deadlines (10 s) and the script opens new ones, so N are
held at any time. Meanwhile one client sends legitimate questions back to back on fresh connections and records
their latency. At the end SIGTERM is sent while a stalled client is still connected, and the time to exit is printed
(target: under 10 s).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ["does acupuncture hurt?", "what is dry needling", "how long does a session take", "is it safe"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(port: int, log: Path) -> subprocess.Popen[bytes]:
    config = Path(tempfile.mkdtemp()) / "slow.toml"
    config.write_text("[web]\nrate_limit_per_minute = 100000000\n")
    env = {**os.environ, "FAQBOT_STATE_SECRET": "slow-secret"}
    command = [sys.executable, "-m", "adapters.cli", "serve", "--port", str(port), "--config", str(config)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"))


async def wait_ready(port: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.2)
    raise SystemExit("faqbot serve did not start")


async def slow_client(port: int, kind: str, stop: asyncio.Event) -> None:
    """Hold one trickling connection open, reopening it whenever the server closes it."""
    head = b"POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(head if kind == "headers" else head + b"Content-Length: 100000\r\n\r\n{")
            while not stop.is_set() and not reader.at_eof():
                await asyncio.sleep(1)
                writer.write(b"X" if kind == "headers" else b" ")
                await writer.drain()
            writer.close()
        except OSError:
            await asyncio.sleep(0.1)


async def ask(port: int, question: str) -> tuple[float, int]:
    body = json.dumps({"message": question}).encode()
    request = (
        b"POST /api/chat HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    line = await reader.readline()
    await reader.read()
    writer.close()
    return (time.perf_counter() - started) * 1000, int(line.split()[1])


async def measure(port: int, slow: int, seconds: float, kind: str) -> tuple[list[float], list[int]]:
    stop = asyncio.Event()
    holders = [asyncio.create_task(slow_client(port, kind, stop)) for _ in range(slow)]
    await asyncio.sleep(2)  # let them connect
    latencies: list[float] = []
    statuses: list[int] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ms, status = await ask(port, QUESTIONS[len(latencies) % len(QUESTIONS)])
        latencies.append(ms)
        statuses.append(status)
        await asyncio.sleep(0.01)
    stop.set()
    for task in holders:
        task.cancel()
    await asyncio.gather(*holders, return_exceptions=True)
    return latencies, statuses


async def stalled_then_sigterm(port: int, server: subprocess.Popen[bytes]) -> float:
    """Seconds from SIGTERM to exit while a client has sent half a request body and stopped."""
    _, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{")
    await writer.drain()
    await asyncio.sleep(0.5)
    started = time.monotonic()
    server.send_signal(signal.SIGTERM)
    while server.poll() is None and time.monotonic() - started < 60:
        await asyncio.sleep(0.05)
    writer.close()
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--slow", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--kind", choices=["body", "headers"], default="body")
    args = parser.parse_args()
    port = free_port()
    log = Path(tempfile.mkdtemp()) / "serve.log"
    server = start(port, log)
    try:
        asyncio.run(wait_ready(port))
        baseline, _ = asyncio.run(measure(port, 0, 3, args.kind))
        latencies, statuses = asyncio.run(measure(port, args.slow, args.seconds, args.kind))
        exit_seconds = asyncio.run(stalled_then_sigterm(port, server))
    finally:
        if server.poll() is None:
            server.kill()
    cuts = statistics.quantiles(latencies, n=100)
    print(f"one worker, {args.slow} slow-{args.kind} connections held, legitimate questions back to back")
    print(f"  without slow clients: {len(baseline)} answered, p50 {statistics.median(baseline):.1f} ms")
    print(
        f"  with them: {len(latencies)} asked, {statuses.count(200)} answered 200, other statuses "
        f"{sorted(set(statuses) - {200})}; p50 {cuts[49]:.1f} ms, p99 {cuts[98]:.1f} ms (target < 100 ms)"
    )
    print(f"SIGTERM with a stalled client connected: exited after {exit_seconds:.1f} s (target < 10 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
