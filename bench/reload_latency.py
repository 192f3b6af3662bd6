"""Answer latency while `faqbot serve` reloads an edited corpus (SIGHUP), against the same client at rest.

    .venv/bin/python bench/reload_latency.py            # 1 worker; 5 s at rest, then reloads of an edited copy
    .venv/bin/python bench/reload_latency.py --reloads 3

One client asks everyday questions back to back on new connections. Each reload appends a new section to a temporary
copy of the corpus (so the whole corpus is embedded again, the costly case) and sends SIGHUP; latencies from the
signal to the "reloaded" log line count as "during a reload". Prints p50, p99, max and any status other than 200.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ["does acupuncture hurt?", "what is dry needling", "how long does a session take", "is it safe"]


def ask(url: str, message: str) -> int:
    request = urllib.request.Request(
        url, json.dumps({"message": message}).encode(), {"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def summary(name: str, samples: list[tuple[float, int]]) -> str:
    times = sorted(ms for ms, _ in samples)
    bad = [status for _, status in samples if status != 200]
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return (
        f"{name}: {len(times)} requests, p50 {statistics.median(times):.1f} ms, p99 {p99:.1f} ms, "
        f"max {times[-1]:.1f} ms, non-200: {len(bad)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reloads", type=int, default=2)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(ROOT / "corpus", corpus)
        # A cache of its own: the edited corpora it embeds would push others out of the shared one (8 kept per kind).
        cache = json.dumps(str(Path(tmp) / "cache"))
        (Path(tmp) / "faqbot.toml").write_text(
            f"[engine]\ncache_dir = {cache}\n[web]\nrate_limit_per_minute = 1000000\n"
        )
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        command = [sys.executable, "-m", "adapters.cli", "serve", "--corpus", str(corpus), "--port", str(port)]
        env = {**os.environ, "FAQBOT_STATE_SECRET": "bench"}
        server = subprocess.Popen(
            [*command, "--config", str(Path(tmp) / "faqbot.toml")], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
        )
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(server.stderr or ()), daemon=True)
        reader.start()
        url = f"http://127.0.0.1:{port}/api/chat"
        try:
            while "Application startup complete" not in "".join(lines):
                time.sleep(0.05)
            rest: list[tuple[float, int]] = []
            during: list[tuple[float, int]] = []
            for window, reloads in ((rest, 0), (during, options.reloads)):
                run(url, server, corpus, lines, window, reloads)
            print(summary("at rest", rest))
            print(summary("during reloads", during))
            print("".join(line for line in lines if "reload" in line), end="")
        finally:
            server.terminate()
            server.wait(timeout=30)
            reader.join(timeout=5)


def run(
    url: str, server: subprocess.Popen[str], corpus: Path, lines: list[str], into: list[tuple[float, int]], reloads: int
) -> None:
    """Ask for 5 s (reloads == 0) or through `reloads` reloads of an edited corpus."""
    deadline = time.monotonic() + 5
    done = "".join(lines).count("reloaded the documents")
    for _ in range(reloads):
        with (corpus / "acupuncture.txt").open("a", encoding="utf-8") as document:
            document.write(f"\n\nIs there parking at the clinic?\n\nYes, bay {uuid.uuid4().hex[:6]} is free.\n")
        server.send_signal(signal.SIGHUP)
        done += 1
        while "".join(lines).count("reloaded the documents") < done:
            into.append(timed(url, len(into)))
    while not reloads and time.monotonic() < deadline:
        into.append(timed(url, len(into)))


def timed(url: str, n: int) -> tuple[float, int]:
    start = time.perf_counter()
    status = ask(url, QUESTIONS[n % len(QUESTIONS)])
    return (time.perf_counter() - start) * 1000, status


if __name__ == "__main__":
    main()
