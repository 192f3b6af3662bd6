"""Benchmark the Slack adapter's HTTP mode: signed events at a fixed rate against `faqbot slack --http`.

Prints ack latency (p50/p99), replies posted to a local fake Slack, and whether every event was answered exactly
once (redeliveries with the same event_id and X-Slack-Retry-Num retries are mixed in and must not be answered).
With --redis URL it runs two processes sharing that Redis ([store] url), sends events to each in turn and every
redelivery and retry to the other one.
Run: .venv/bin/python bench/slack_bench.py [--rate 50] [--seconds 20] [--redis redis://127.0.0.1:6379/0]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "slack"))

from fakeslack import FakeSlack, wait_until  # noqa: E402
from slackhttp import SECRET, signature_headers  # noqa: E402

# In every channel and event id, so a second run against the same Redis is not taken for redeliveries of the first.
RUN = secrets.token_hex(4).upper()
QUESTIONS = ("does acupuncture hurt?", "what is dry needling?", "how long does a session take?", "hello", "is it safe?")


def main() -> int:
    """Run the benchmark and print its figures; non-zero exit when an event was not answered exactly once."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50.0, help="events per second (default 50)")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long to send (default 20)")
    parser.add_argument("--redeliver", type=float, default=0.1, help="share of events also redelivered (0.1)")
    parser.add_argument("--redis", metavar="URL", help="run two processes sharing this Redis (its data is kept)")
    args = parser.parse_args()
    fake = FakeSlack().start()
    config = Path(tempfile.mkdtemp()) / "faqbot.toml"
    config.write_text(f'[store]\nurl = "{args.redis}"\n' if args.redis else "", encoding="utf-8")
    ports = [_free_port() for _ in range(2 if args.redis else 1)]
    servers = []
    try:
        servers = [_start_server(fake.url, port, config) for port in ports]
        urls = [f"http://127.0.0.1:{port}/slack/events" for port in ports]
        total = int(args.rate * args.seconds)
        sent_at, acks, statuses = asyncio.run(_send_all(urls, total, args.rate, args.redeliver))
        wait_until(lambda: len(fake.calls_to("chat.postMessage")) >= total, 60, "every reply")
        time.sleep(1.0)  # let a stray duplicate show up before counting (a benchmark, not a test)
        return _report(args, total, sent_at, acks, statuses, fake)
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)
        fake.stop()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start_server(api_url: str, port: int, config: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(SLACK_BOT_TOKEN="xoxb-bench-1", SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=api_url)
    command = [sys.executable, "-m", "adapters.cli", "slack", "--http", "--port", str(port), "--config", str(config)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"faqbot slack exited with status {server.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.05)
    server.terminate()
    raise SystemExit("faqbot slack did not start within 30 s")


def _event(i: int) -> dict[str, Any]:
    ts = f"1700{i:06d}.{i:06d}"
    event = {
        "type": "app_mention",
        "user": "U0BENCH",
        "text": f"<@UBOT> {QUESTIONS[i % len(QUESTIONS)]}",
        "ts": ts,
        "event_ts": ts,
        "channel": f"C0{RUN}",
        "team": "T0CLINIC",
    }
    return {
        "type": "event_callback",
        "team_id": "T0CLINIC",
        "api_app_id": "A0FAQBOT",
        "event": event,
        "event_id": f"Ev{RUN}{i:08d}",
        "event_time": 1700000000 + i,
    }


async def _send_all(
    urls: list[str], total: int, rate: float, redeliver: float
) -> tuple[dict[str, float], list[float], Counter[int]]:
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        sent_at: dict[str, float] = {}
        acks: list[float] = []
        statuses: Counter[int] = Counter()

        async def send(body: dict[str, Any], retry: bool, measured: bool, url: str) -> None:
            raw = json.dumps(body).encode()
            headers = {**signature_headers(raw), "Content-Type": "application/json"}
            if retry:
                headers["X-Slack-Retry-Num"] = "1"
            started = time.monotonic()
            if measured:
                sent_at[body["event"]["ts"]] = started
            response = await client.post(url, content=raw, headers=headers)
            if measured:
                acks.append(time.monotonic() - started)
            statuses[response.status_code] += 1

        tasks = []
        every = int(1 / redeliver) if redeliver > 0 else 0
        start = time.monotonic()
        for i in range(total):
            await asyncio.sleep(max(0.0, start + i / rate - time.monotonic()))
            body = _event(i)
            tasks.append(asyncio.create_task(send(body, retry=False, measured=True, url=urls[i % len(urls)])))
            if every and i % every == every - 1:
                # A redelivery of an earlier event (same event_id) and a retry of it: neither may be answered. With
                # two processes both go to the one that did not get the event.
                j = i - every // 2
                other = urls[(j + 1) % len(urls)]
                tasks.append(asyncio.create_task(send(_event(j), retry=False, measured=False, url=other)))
                tasks.append(asyncio.create_task(send(_event(j), retry=True, measured=False, url=other)))
        await asyncio.gather(*tasks)
        return sent_at, acks, statuses


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _report(
    args: argparse.Namespace,
    total: int,
    sent_at: dict[str, float],
    acks: list[float],
    statuses: Counter[int],
    fake: FakeSlack,
) -> int:
    posts = fake.calls_to("chat.postMessage")
    per_event = Counter(str(p.body.get("thread_ts")) for p in posts)
    unanswered = [ts for ts in sent_at if per_event[ts] == 0]
    doubled = [ts for ts, n in per_event.items() if n > 1]
    disclaimed = sum("Please note:" in str(p.body.get("text")) for p in posts)
    replies = [p.at - sent_at[str(p.body.get("thread_ts"))] for p in posts if p.body.get("thread_ts") in sent_at]
    ms = [a * 1000 for a in acks]
    print(
        f"faqbot Slack HTTP mode: {total} signed app_mention events at {args.rate:g}/s for {args.seconds:g} s "
        f"(+{sum(statuses.values()) - total} redeliveries/retries), "
        + ("two processes sharing Redis" if args.redis else "one process")
    )
    print(f"  HTTP statuses: {dict(sorted(statuses.items()))}")
    print(
        f"  ack latency ms: p50 {_percentile(ms, 50):.1f}  p99 {_percentile(ms, 99):.1f}  "
        f"max {max(ms):.1f}  mean {statistics.fmean(ms):.1f}"
    )
    reply_ms = [r * 1000 for r in replies]
    print(f"  reply posted ms after send: p50 {_percentile(reply_ms, 50):.1f}  p99 {_percentile(reply_ms, 99):.1f}")
    print(
        f"  replies posted: {len(posts)} for {total} events; unanswered {len(unanswered)}; answered twice "
        f"{len(doubled)}; with disclaimers {disclaimed}"
    )
    ok = not unanswered and not doubled and len(posts) == total and disclaimed == total
    target = _percentile(ms, 99) < 50
    print(f"  exactly once: {'yes' if ok else 'NO'}; ack p99 < 50 ms target: {'met' if target else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
