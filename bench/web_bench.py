"""Benchmark `POST /api/chat` against `faqbot serve` started as a subprocess (a script, not a test).

    .venv/bin/python bench/web_bench.py [--seconds 30] [--clients 50] [--workers 2 1] [--runs 3]
                                        [--client auto|wrk|asyncio] [--no-baseline]

The load generator runs on the same machine as the server and competes with it for CPU. By default it uses
`wrk` (C, keep-alive connections, apt-get install wrk) when it is installed, else a small asyncio raw-HTTP/1.1
keep-alive client (one connection per simulated client). Each request is a new conversation with one of a few
questions; the rate limit is raised out of the way (it is still checked on every request).

Each run starts a fresh server, so the load generator's connections are spread over the workers afresh, and the
measured seconds include opening them. Every run is printed with the CPU it used, split into the server's
processes, the load generator and everything else on the machine (other people's work shows up there), then the
median of the runs. Then, as the baseline, one run of GET /healthz on the same kind of server: the framework's
floor on this machine at this moment, so the chat figures can be read as a ratio when the machine is slower or
faster than usual.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
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
# `--mix real`: the distinct real patients' questions of eval/real.jsonl (not a blind file), as a realistic load.
REAL_QUESTIONS = ROOT / "eval" / "real.jsonl"


def real_questions(limit: int = 1000) -> list[str]:
    """Each case's last turn from eval/real.jsonl, once each, those the API accepts (at most `limit` characters)."""
    lines = REAL_QUESTIONS.read_text(encoding="utf-8").splitlines()
    turns = [json.loads(line)["turns"][-1] for line in lines if line.strip()]
    return [q for q in dict.fromkeys(turns) if len(q) <= limit]


def chat_requests(questions: list[str]) -> list[bytes]:
    """Raw HTTP/1.1 chat requests, one per question, each a new conversation."""
    bodies = [json.dumps({"message": q, "state": None}).encode() for q in questions]
    head = b"POST /api/chat HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
    return [head + f"Content-Length: {len(body)}\r\n\r\n".encode() + body for body in bodies]


# Raw HTTP/1.1 requests each load sends in turn: the chat API, and GET /healthz as the baseline (the same server,
# framework and connections with no engine call) that the chat figures are set against.
CHAT = chat_requests(QUESTIONS)
HEALTHZ = [b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n"]


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


async def _client(
    port: int, requests: list[bytes], stop: float, latencies: list[float], errors: list[str], offset: int
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
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


async def _asyncio_load(port: int, requests: list[bytes], clients: int, seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[str] = []
    stop = time.perf_counter() + seconds
    started = time.perf_counter()
    await asyncio.gather(*(_client(port, requests, stop, latencies, errors, n) for n in range(clients)))
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {"rps": len(latencies) / elapsed, "p50": cuts[49] * 1000, "p99": cuts[98] * 1000, "errors": len(errors)}


def asyncio_load(port: int, requests: list[bytes], clients: int, seconds: float) -> dict[str, float]:
    """Drive the server with `clients` keep-alive connections for `seconds`; uvloop when installed."""
    try:
        import uvloop

        return uvloop.run(_asyncio_load(port, requests, clients, seconds))
    except ImportError:
        return asyncio.run(_asyncio_load(port, requests, clients, seconds))


_WRK_SCRIPT = """
local requests = {%s}
local i = 0
request = function()
  i = i %% #requests + 1
  return requests[i]
end
"""


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk_load(port: int, requests: list[bytes], clients: int, seconds: float, scratch: Path) -> dict[str, float]:
    """Drive the server with wrk (2 threads, `clients` connections) and parse its report."""
    lua = scratch / "requests.lua"
    # JSON string escapes (\\r, \\n, \\") are Lua's too, for ASCII text.
    lua.write_text(_WRK_SCRIPT % ", ".join(json.dumps(r.decode("ascii")) for r in requests))
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


def run_load(
    client: str, port: int, requests: list[bytes], clients: int, seconds: float, scratch: Path
) -> dict[str, float]:
    """One measured run with the chosen load generator."""
    if client == "wrk":
        return wrk_load(port, requests, clients, seconds, scratch)
    return asyncio_load(port, requests, clients, seconds)


_TICK = os.sysconf("SC_CLK_TCK")


def _tree(pid: int) -> list[int]:
    """`pid` and all its descendants (uvicorn's supervisor and its workers)."""
    pids = [pid]
    for parent in pids:
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                pids += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                continue
    return pids


def _process_cpu(pids: list[int]) -> float:
    """User plus system CPU seconds used so far by `pids`."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / _TICK
    return total


def _machine_busy() -> float:
    """CPU seconds the whole machine has spent not idle (all cores)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(values) - values[3] - values[4]) / _TICK


def _own_cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def measured_run(
    client: str,
    server: subprocess.Popen[bytes],
    port: int,
    args: argparse.Namespace,
    scratch: Path,
    requests: list[bytes],
) -> dict[str, float]:
    """One measured run plus the CPU (in cores) it took: server processes, load generator and everything else."""
    pids = _tree(server.pid)
    # wrk is a child process that subprocess.run reaps; the asyncio client runs in this process.
    who = resource.RUSAGE_CHILDREN if client == "wrk" else resource.RUSAGE_SELF
    server_before, load_before, busy_before = _process_cpu(pids), _own_cpu(who), _machine_busy()
    started = time.monotonic()
    result = run_load(client, port, requests, args.clients, args.seconds, scratch)
    elapsed = time.monotonic() - started
    server_cpu = _process_cpu(pids) - server_before
    load_cpu = _own_cpu(who) - load_before
    busy = _machine_busy() - busy_before
    result["server_cores"] = server_cpu / elapsed
    result["load_cores"] = load_cpu / elapsed
    result["other_cores"] = max(0.0, busy - server_cpu - load_cpu) / elapsed
    # Server CPU per request hardly depends on how busy the machine is, unlike throughput and latency.
    result["server_ms"] = server_cpu * 1000 / max(1.0, result["rps"] * elapsed)
    return result


def _line(result: dict[str, float], errors: str = "errors") -> str:
    return (
        f"{result['rps']:,.0f} requests/s, p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms, "
        f"{errors} {int(result['errors'])}; CPU cores used: server {result['server_cores']:.2f} "
        f"({result['server_ms']:.2f} ms per request), load generator {result['load_cores']:.2f}, "
        f"other processes {result['other_cores']:.2f}"
    )


def fresh_server_run(
    client: str, workers: int, requests: list[bytes], args: argparse.Namespace, scratch: Path, config: Path
) -> dict[str, float]:
    """Start a server, warm it up, measure one run of `requests` and stop it."""
    port = _free_port()
    server = start_server(workers, port, scratch / f"serve-{workers}.log", config)
    try:
        run_load(client, port, requests, args.clients, min(2.0, args.seconds), scratch)  # warm-up, not reported
        return measured_run(client, server, port, args, scratch, requests)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> int:
    """Run the benchmark for each worker count and print each run and the medians."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30.0, help="measured seconds per run (default 30)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent keep-alive connections (default 50)")
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 1], help="worker counts to run (default 2 1)")
    parser.add_argument("--runs", type=int, default=3, help="runs per worker count, each on a fresh server (default 3)")
    parser.add_argument(
        "--no-baseline", dest="baseline", action="store_false", help="skip the GET /healthz baseline run"
    )
    parser.add_argument("--client", choices=["auto", "wrk", "asyncio"], default="auto", help="load generator")
    parser.add_argument(
        "--mix", choices=["four", "real"], default="four", help="4 repeated questions, or eval/real.jsonl's real ones"
    )
    args = parser.parse_args()
    chat = CHAT if args.mix == "four" else chat_requests(real_questions())
    client = "wrk" if args.client == "auto" and shutil.which("wrk") else args.client
    client = "asyncio" if client == "auto" else client
    print(
        f"POST /api/chat ({len(chat)} distinct questions), {args.clients} clients, {args.seconds:g} s per run, "
        f"{args.runs} runs, load generator: "
        f"{client}, {os.cpu_count()} CPUs shared by server, load generator and anything else running"
    )
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        config = scratch / "bench.toml"
        config.write_text("[web]\nrate_limit_per_minute = 1000000000\n")
        for workers in args.workers:
            results = []
            for run in range(1, args.runs + 1):
                results.append(fresh_server_run(client, workers, chat, args, scratch, config))
                print(f"workers={workers} run {run}: {_line(results[-1])}", flush=True)
            median = {key: statistics.median(r[key] for r in results) for key in results[0]}
            median["errors"] = sum(r["errors"] for r in results)  # every error counts, not the median run's
            print(f"workers={workers} median of {args.runs}: {_line(median, 'errors in all runs')}", flush=True)
            if args.baseline:
                floor = fresh_server_run(client, workers, HEALTHZ, args, scratch, config)
                print(f"workers={workers} baseline GET /healthz: {_line(floor)}", flush=True)
                if not floor["rps"] or not floor["server_ms"]:
                    continue  # the baseline run failed; its line above says how
                print(
                    f"workers={workers} chat vs baseline: {median['rps'] / floor['rps']:.2f}x the requests/s, "
                    f"{median['server_ms'] / floor['server_ms']:.2f}x the server CPU per request",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
