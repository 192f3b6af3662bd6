"""Benchmark `POST /api/chat` against `faqbot serve` started as a subprocess (a script, not a test).

    .venv/bin/python bench/web_bench.py [--seconds 30] [--clients 50] [--workers 2 1] [--client auto|wrk|asyncio]

The load generator runs on the same machine as the server and competes with it for CPU. By default it uses
`wrk` (C, keep-alive connections, apt-get install wrk) when it is installed, else a small asyncio raw-HTTP/1.1
keep-alive client (one connection per simulated client). Each request is a new conversation with one of a few
questions; the rate limit is raised out of the way (it is still checked on every request).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ["What is acupuncture?", "does dry needling hurt", "how many sessions do I need", "hello"]
BODIES = [json.dumps({"message": q, "state": None}).encode() for q in QUESTIONS]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(workers: int, port: int, log: Path, config: Path) -> subprocess.Popen[bytes]:
    """Start `faqbot serve` and wait until every worker is up."""
    env = {**os.environ, "FAQBOT_STATE_SECRET": "bench-secret"}
    command = [sys.executable, "-m", "adapters.cli", "serve", "--config", str(config), "--port", str(port)]
    server = subprocess.Popen([*command, "--workers", str(workers)], cwd=ROOT, env=env, stderr=log.open("wb"))
    deadline = time.monotonic() + 30
    while not (_answers(port) and log.read_text(errors="replace").count("Application startup complete") >= workers):
        if time.monotonic() > deadline or server.poll() is not None:
            server.terminate()
            raise SystemExit("faqbot serve did not start:\n" + log.read_text(errors="replace")[-2000:])
        time.sleep(0.05)
    return server


def _answers(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).close()
    except OSError:
        return False
    return True


async def _client(port: int, stop: float, latencies: list[float], errors: list[str], offset: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    requests = [
        b"POST /api/chat HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
        for body in BODIES
    ]
    i = offset
    try:
        while time.perf_counter() < stop:
            started = time.perf_counter()
            writer.write(requests[i % len(requests)])
            i += 1
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if not head.startswith(b"HTTP/1.1 200"):
                errors.append(head.split(b"\r\n", 1)[0].decode())
    except (OSError, asyncio.IncompleteReadError) as error:
        errors.append(repr(error))
    finally:
        writer.close()


async def _asyncio_load(port: int, clients: int, seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[str] = []
    stop = time.perf_counter() + seconds
    started = time.perf_counter()
    await asyncio.gather(*(_client(port, stop, latencies, errors, n) for n in range(clients)))
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {"rps": len(latencies) / elapsed, "p50": cuts[49] * 1000, "p99": cuts[98] * 1000, "errors": len(errors)}


def asyncio_load(port: int, clients: int, seconds: float) -> dict[str, float]:
    """Drive the server with `clients` keep-alive connections for `seconds`; uvloop when installed."""
    try:
        import uvloop

        return uvloop.run(_asyncio_load(port, clients, seconds))
    except ImportError:
        return asyncio.run(_asyncio_load(port, clients, seconds))


_WRK_SCRIPT = """
local bodies = {%s}
local i = 0
request = function()
  i = i %% #bodies + 1
  return wrk.format("POST", "/api/chat", {["Content-Type"] = "application/json"}, bodies[i])
end
"""


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk_load(port: int, clients: int, seconds: float, scratch: Path) -> dict[str, float]:
    """Drive the server with wrk (2 threads, `clients` connections) and parse its report."""
    lua = scratch / "chat.lua"
    lua.write_text(_WRK_SCRIPT % ", ".join(json.dumps(b.decode()) for b in BODIES))
    command = ["wrk", "-t2", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--latency", "-s", str(lua)]
    out = subprocess.run([*command, f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True).stdout
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": _ms(re.search(r"\s50%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "p99": _ms(re.search(r"\s99%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0),
    }


def run_load(client: str, port: int, clients: int, seconds: float, scratch: Path) -> dict[str, float]:
    """One measured run with the chosen load generator."""
    if client == "wrk":
        return wrk_load(port, clients, seconds, scratch)
    return asyncio_load(port, clients, seconds)


def main() -> int:
    """Run the benchmark for each worker count and print one line of figures each."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30.0, help="measured seconds per run (default 30)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent keep-alive connections (default 50)")
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 1], help="worker counts to run (default 2 1)")
    parser.add_argument("--client", choices=["auto", "wrk", "asyncio"], default="auto", help="load generator")
    args = parser.parse_args()
    client = "wrk" if args.client == "auto" and shutil.which("wrk") else args.client
    client = "asyncio" if client == "auto" else client
    print(
        f"POST /api/chat, {args.clients} clients, {args.seconds:g} s per run, load generator: {client}, "
        f"{os.cpu_count()} CPUs shared by server and load generator"
    )
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        config = scratch / "bench.toml"
        config.write_text("[web]\nrate_limit_per_minute = 1000000000\n")
        for workers in args.workers:
            port = _free_port()
            server = start_server(workers, port, scratch / f"serve-{workers}.log", config)
            try:
                run_load(client, port, args.clients, min(2.0, args.seconds), scratch)  # warm-up, not reported
                result = run_load(client, port, args.clients, args.seconds, scratch)
            finally:
                server.terminate()
                server.wait(timeout=30)
            print(
                f"workers={workers}: {result['rps']:,.0f} requests/s, p50 {result['p50']:.1f} ms, "
                f"p99 {result['p99']:.1f} ms, errors {int(result['errors'])}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
