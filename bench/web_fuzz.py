"""HTTP fuzz of a real `faqbot serve` on loopback: mutated bodies, headers and state tokens; target 0 responses >= 500.

    .venv/bin/python bench/web_fuzz.py                  # 10,000 requests, 16 connections at a time (~1-2 min)
    .venv/bin/python bench/web_fuzz.py --requests 2000 --seed 7

Each request goes on its own connection (Connection: close), so a request the server cannot parse cannot garble the
next one. The server's rate limit is raised out of the way; everything else runs with the default settings. At the
end the script prints the count of each status, the number of responses >= 500 and the tracebacks and ERROR lines
in the server's log, and exits 1 if either is not 0.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ["does acupuncture hurt?", "what is dry needling", "is it safe when pregnant", "hi", "I cant breathe"]
WEIRD = ["\ud800", "\x00", "\u202e", "é", "🪡", "\\", '"', "\n", "%0a", "\r\n", "\x7f", "\ufeff"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, log: Path) -> subprocess.Popen[bytes]:
    config = Path(tempfile.mkdtemp()) / "fuzz.toml"
    config.write_text("[web]\nrate_limit_per_minute = 100000000\n")
    env = {**os.environ, "FAQBOT_STATE_SECRET": "fuzz-secret"}
    command = [sys.executable, "-m", "adapters.cli", "serve", "--port", str(port), "--config", str(config)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("faqbot serve did not start")


def real_token(port: int) -> str:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/chat",
        data=json.dumps({"message": "what is dry needling"}).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        token: str = json.loads(response.read())["state"]
        return token


def mutate_text(rng: random.Random, text: str) -> str:
    """Flip, drop, insert or repeat characters of `text`."""
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        if not chars:
            chars.append(rng.choice(WEIRD))
        where = rng.randrange(len(chars))
        match rng.randrange(4):
            case 0:
                chars[where] = rng.choice([*WEIRD, chr(rng.randrange(32, 0x2FFFF))])
            case 1:
                del chars[where]
            case 2:
                chars.insert(where, rng.choice(WEIRD))
            case _:
                chars[where] = chars[where] * rng.randint(2, 50)
    return "".join(chars)


def state_token(rng: random.Random, token: str) -> object:
    """A state: the real token, mutated, replaced by another shape, or nested deep."""
    match rng.randrange(8):
        case 0:
            return token
        case 1 | 2:
            return mutate_text(rng, token)
        case 3:
            head, payload, mac = token.split(".")
            return f"{head}.{payload}.{mutate_text(rng, mac)}"
        case 4:
            return rng.choice([None, 0, -1, 1e308, True, [], {}, {"v": 1, "turns": 99}, "..", "v1..", "a" * 9000])
        case 5:
            depth = rng.choice([10, 500, 2000, 4000])
            return json.loads("[" * min(depth, 900) + "]" * min(depth, 900)) if depth < 900 else "DEEP"
        case _:
            return "".join(rng.choice(WEIRD) for _ in range(rng.randint(1, 40)))


def body_for(rng: random.Random, token: str) -> bytes:
    """A request body: a valid message with a mutated state, a mutated message, or mutated bytes."""
    data: dict[str, object] = {"message": rng.choice(QUESTIONS), "state": state_token(rng, token)}
    if rng.random() < 0.4:
        data["message"] = mutate_text(rng, str(data["message"]))
    if rng.random() < 0.1:
        data["message"] = rng.choice([None, 5, [], {"x": 1}, "x" * rng.choice([999, 1000, 1001, 5000])])
    if rng.random() < 0.1:
        data[mutate_text(rng, "extra")] = mutate_text(rng, "value")
    text = json.dumps(data, ensure_ascii=rng.random() < 0.5)
    if "DEEP" in text:
        depth = rng.choice([2000, 4000])
        text = text.replace('"DEEP"', "[" * depth + "]" * depth)
    raw = text.encode("utf-8", "surrogatepass")
    if rng.random() < 0.25:
        raw = bytearray(raw)
        for _ in range(rng.randint(1, 8)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        raw = bytes(raw)
    if rng.random() < 0.05:
        raw = raw[: rng.randrange(len(raw) + 1)]
    return raw


def request_for(rng: random.Random, token: str) -> bytes:
    """One whole HTTP/1.1 request with mutated method, path, headers and body."""
    body = body_for(rng, token)
    method = rng.choices(["POST", "GET", "OPTIONS", "PUT", "HEAD", "DELETE", "PATCH"], [80, 6, 6, 2, 2, 2, 2])[0]
    path = rng.choices(
        ["/api/chat", "/api/chat?x=1", "/api/greeting", "/healthz", "/", "/nope", "/api/chat/%0aX", "/%ff%fe", "//x"],
        [80, 3, 3, 3, 3, 2, 2, 2, 2],
    )[0]
    headers = {"Host": "127.0.0.1", "Connection": "close"}
    headers["Content-Type"] = rng.choices(
        ["application/json", "application/json; charset=utf-8", "text/plain", "APPLICATION/JSON", "", "a/b; x=\xe9"],
        [70, 10, 5, 5, 5, 5],
    )[0]
    length = str(len(body))
    if rng.random() < 0.03:
        length = rng.choice(["-1", "abc", "1e3", str(max(0, len(body) - 3)), " " + length, "99999999999999999999"])
    headers["Content-Length"] = length
    if rng.random() < 0.1:
        headers["Origin"] = rng.choice(["https://evil.example", "null", "http://127.0.0.1", "\xe9"])
        if method == "OPTIONS":
            headers["Access-Control-Request-Method"] = rng.choice(["POST", "DELETE", "X"])
    if rng.random() < 0.1:
        headers["X-Forwarded-For"] = rng.choice(["1.2.3.4", "::1, 10.0.0.1", "garbage", "\xe9"])
    if rng.random() < 0.05:
        headers[mutate_text(rng, "X-Junk").replace(":", "")] = mutate_text(rng, "value")
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return head.encode("utf-8", "surrogatepass") + body


async def send(port: int, raw: bytes) -> str:
    """The response's status code as text, or what happened instead."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return "connect-failed"
    try:
        writer.write(raw)
        await writer.drain()
        line = await asyncio.wait_for(reader.readline(), 30)
        await asyncio.wait_for(reader.read(), 30)
    except (OSError, TimeoutError):
        return "reset"
    finally:
        writer.close()
    parts = line.split()
    return parts[1].decode("ascii", "replace") if len(parts) >= 2 else "closed"


async def fuzz(port: int, requests: list[bytes], concurrency: int) -> Counter[str]:
    counts: Counter[str] = Counter()
    queue = iter(requests)

    async def worker() -> None:
        for raw in queue:
            counts[await send(port, raw)] += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    port = free_port()
    log = Path(tempfile.mkdtemp()) / "serve.log"
    server = start_server(port, log)
    try:
        rng = random.Random(args.seed)
        token = real_token(port)
        requests = [request_for(rng, token) for _ in range(args.requests)]
        started = time.monotonic()
        counts = asyncio.run(fuzz(port, requests, args.concurrency))
        seconds = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(30)
    text = log.read_text(encoding="utf-8", errors="replace")
    tracebacks = text.count("Traceback")
    errors = len(re.findall(r"^.*\bERROR\b.*$", text, re.MULTILINE))
    server_errors = sum(n for status, n in counts.items() if status.isdigit() and int(status) >= 500)
    print(f"{args.requests} mutated requests in {seconds:.1f} s, {args.concurrency} at a time (seed {args.seed})")
    for status, n in sorted(counts.items()):
        print(f"  {status:>15}: {n}")
    print(f"responses >= 500: {server_errors} (target 0)")
    print(f"tracebacks in the server log: {tracebacks}; ERROR lines: {errors} (target 0); log: {log}")
    return 0 if server_errors == 0 and tracebacks == 0 and errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
