"""Feedback and outcomes under load: are any records lost? (a script, not a test)

    .venv/bin/python bench/feedback_load.py [--clients 50] [--rounds 20] [--workers 2]

Starts `faqbot serve --workers N` as a subprocess with the SQLite insights store in a fresh folder (questions kept,
so the scrubbing path runs too), then `--clients` concurrent keep-alive clients each ask `--rounds` questions
(answers, declines and small talk in turn) and vote on every answer (up and down in turn, a comment with every
down). The server is stopped, then the rows in the file are counted against the requests the server said it
recorded (HTTP 200): the difference is what was lost, and must be 0.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_bench import _free_port, start_server

QUESTIONS = [
    "What is acupuncture?",
    "does dry needling hurt",
    "my name is Jo Bloggs, can I pay with bitcoin on the moon?",
    "how many sessions do I need",
    "hello",
]


async def _request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str, data: dict[str, object]
) -> tuple[int, bytes]:
    body = json.dumps(data).encode()
    head = f"POST {path} HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    writer.write(head.encode() + b"\r\n" + body)
    response = await reader.readuntil(b"\r\n\r\n")
    length = int(re.search(rb"(?i)content-length: *(\d+)", response).group(1))  # type: ignore[union-attr]
    return int(response.split(b" ", 2)[1]), await reader.readexactly(length)


async def _client(port: int, number: int, rounds: int, counts: Counter[str], latencies: list[float]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for turn in range(rounds):
            started = time.perf_counter()
            status, body = await _request(reader, writer, "/api/chat", {"message": QUESTIONS[(number + turn) % 5]})
            latencies.append(time.perf_counter() - started)
            counts[f"chat {status}"] += 1
            reply = json.loads(body) if status == 200 else {}
            if reply.get("kind") != "answer":
                continue
            vote = {"answer_id": reply["answer"]["id"], "vote": "up" if turn % 2 else "down"}
            if vote["vote"] == "down":
                vote.update(comment="prices, call me on 07700 900123", question=QUESTIONS[(number + turn) % 5])
            started = time.perf_counter()
            status, _ = await _request(reader, writer, "/api/feedback", vote)
            latencies.append(time.perf_counter() - started)
            counts[f"feedback {status}"] += 1
    finally:
        writer.close()


async def load(port: int, clients: int, rounds: int) -> tuple[Counter[str], list[float], float]:
    """Run every client to the end; the response counts by endpoint and status, latencies and seconds taken."""
    counts: Counter[str] = Counter()
    latencies: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(_client(port, n, rounds, counts, latencies) for n in range(clients)))
    return counts, latencies, time.perf_counter() - started


def rows(path: Path) -> dict[str, int]:
    """Rows in the insights file, by table, and how many kept text that the scrubber should have cleaned."""
    with sqlite3.connect(path) as db:
        found = {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("outcomes", "feedback")}
        texts = db.execute("SELECT question FROM outcomes WHERE question IS NOT NULL").fetchall()
        texts += db.execute("SELECT comment FROM feedback WHERE comment IS NOT NULL").fetchall()
    db.close()
    found["texts with a name or number left"] = sum("Jo Bloggs" in t or "07700" in t for (t,) in texts)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        store = folder / "insights.sqlite3"
        config = folder / "bench.toml"
        config.write_text(
            f'[web]\nrate_limit_per_minute = 1000000000\n[insights]\npath = "{store}"\nkeep_questions = true\n',
            encoding="utf-8",
        )
        port = _free_port()
        server = start_server(args.workers, port, folder / "serve.log", config)
        try:
            counts, latencies, seconds = asyncio.run(load(port, args.clients, args.rounds))
        finally:
            server.terminate()
            server.wait(timeout=30)
        kept = rows(store)
    cuts = statistics.quantiles(latencies, n=100)
    print(f"{args.workers} workers, {args.clients} concurrent clients x {args.rounds} questions, {seconds:.1f} s")
    print(f"responses: {dict(sorted(counts.items()))}")
    print(f"requests/s {len(latencies) / seconds:.0f}, p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms")
    lost = {
        "outcomes": counts["chat 200"] - kept["outcomes"],
        "feedback": counts["feedback 200"] - kept["feedback"],
    }
    print(f"rows: {kept}")
    print(f"lost: outcomes {lost['outcomes']}, feedback {lost['feedback']}")
    failed = sum(n for key, n in counts.items() if not key.endswith(" 200"))
    return 0 if not any(lost.values()) and not failed and not kept["texts with a name or number left"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
