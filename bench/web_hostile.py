"""Hostile clients against one `faqbot serve` worker: everyday-question latency while N connections send worst cases.

    .venv/bin/python bench/web_hostile.py              # 5 hostile connections; 5 s baseline + 10 s under load
    .venv/bin/python bench/web_hostile.py --hostile 10

Each hostile connection sends 1,000-character messages of made-up words (every word is looked up for spelling, the
engine's most expensive input) back to back on one keep-alive connection; one client asks everyday questions on
another, 20 ms apart. Prints that client's p50 and p99 without and with the hostile ones (target: p50 rises < 2x).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ["does acupuncture hurt?", "what is dry needling", "how long does a session take", "is it safe"]
Stream = tuple[asyncio.StreamReader, asyncio.StreamWriter]


def gibberish(rng: random.Random) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < 1000:
        words.append("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 11))))
    return " ".join(words)[:1000]


async def ask(stream: Stream, message: str) -> int:
    """One request on a keep-alive connection; its status."""
    reader, writer = stream
    body = json.dumps({"message": message}).encode()
    head = f"POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    writer.write(head.encode() + b"\r\n" + body)
    status = int((await reader.readline()).split()[1])
    length = 0
    while (line := await reader.readline()) != b"\r\n":
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    await reader.readexactly(length)
    return status


async def everyday(port: int, seconds: float) -> list[float]:
    stream = await asyncio.open_connection("127.0.0.1", port)
    latencies: list[float] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.perf_counter()
        await ask(stream, QUESTIONS[len(latencies) % len(QUESTIONS)])
        latencies.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0.02)
    stream[1].close()
    return latencies


async def hostile(port: int, stop: asyncio.Event, seed: int) -> None:
    rng = random.Random(seed)
    messages = [gibberish(rng) for _ in range(50)]
    stream = await asyncio.open_connection("127.0.0.1", port)
    sent = 0
    while not stop.is_set():
        await ask(stream, messages[sent % len(messages)])
        sent += 1
    stream[1].close()


async def run(port: int, count: int) -> tuple[list[float], list[float]]:
    for _ in range(600):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            break
        except OSError:
            await asyncio.sleep(0.2)
    await asyncio.sleep(1)
    baseline = await everyday(port, 5)
    stop = asyncio.Event()
    attackers = [asyncio.create_task(hostile(port, stop, seed)) for seed in range(count)]
    await asyncio.sleep(1)
    loaded = await everyday(port, 10)
    stop.set()
    await asyncio.gather(*attackers, return_exceptions=True)
    return baseline, loaded


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--hostile", type=int, default=5)
    args = parser.parse_args()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    config = Path(tempfile.mkdtemp()) / "hostile.toml"
    config.write_text("[web]\nrate_limit_per_minute = 100000000\n")
    env = {**os.environ, "FAQBOT_STATE_SECRET": "hostile-secret"}
    command = [sys.executable, "-m", "adapters.cli", "serve", "--port", str(port), "--config", str(config)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        baseline, loaded = asyncio.run(run(port, args.hostile))
    finally:
        server.terminate()
        server.wait(30)
    before, after = statistics.median(baseline), statistics.median(loaded)
    p99 = statistics.quantiles(loaded, n=100)[98]
    print(f"everyday questions, one worker: p50 {before:.1f} ms alone ({len(baseline)} asked)")
    print(
        f"with {args.hostile} hostile connections: p50 {after:.1f} ms, p99 {p99:.1f} ms ({len(loaded)} asked): "
        f"{after / before:.1f}x (target < 2x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
