"""Load on `formcheck serve`: N clients on localhost post sample returns to /api/check for a bounded
time; prints throughput, p50/p95 latency, and the peak memory of the service with every process
it started (the fork server and its workers), sampled every 50 ms; then `formcheck batch --jobs
WORKERS` over as many copies of the same returns, for the throughput the service is held to.

    python bench/serve.py [--clients 4] [--seconds 20] [--workers 2]
    python bench/serve.py --abuse [--seconds 60]

With --abuse (bench/abuse.py), one unit's good traffic is timed alone, then for `seconds` beside a
flood of 16 clients from one address, 50 connections that send half a request and wait, clients
posting a return whose grid would be 180 MB to /api/inspect, and a .zip of a million entries to
/api/batch; then once more alone. It prints the good requests' p95 alone and under abuse, every
answer's status, the service's peak memory, and whether it still answers afterwards.

A benchmark, not a test: run it on a quiet machine and state the machine with the figures."""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RETURNS = [ROOT / "samples" / "as_filed.xlsx", ROOT / "samples" / "clean.xlsx", ROOT / "samples" / "broken_yoy_t1.xlsx"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--abuse", action="store_true")
    options = parser.parse_args()
    if options.abuse:
        import abuse

        abuse.run(options.seconds if options.seconds != 20 else 60, options.workers)
        return
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "validator", "serve", "--port", str(port), "--workers", str(options.workers)],
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port)
        peak = [0]
        done = threading.Event()
        sampler = threading.Thread(target=_sample, args=(server.pid, peak, done), daemon=True)
        sampler.start()
        latencies, failures = _load(port, options.clients, options.seconds)
        done.set()
        sampler.join()
    finally:
        server.terminate()
        server.wait(10)
    _report(options, latencies, failures, peak[0])
    batch = _batch_rate(max(300, len(latencies)), options.workers)
    served = len(latencies) / options.seconds
    print(
        f"batch --jobs {options.workers} on the same returns: {batch:.1f} returns/s; served/batch {served / batch:.2f}"
    )


def _batch_rate(count: int, jobs: int) -> float:
    """Returns a second of `formcheck batch --jobs` over `count` copies of the bench's returns."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        for number in range(count):
            shutil.copy(RETURNS[number % len(RETURNS)], Path(folder) / f"{number:05d}.xlsx")
        command = [sys.executable, "-m", "validator", "batch", folder, "--jobs", str(jobs), "--format", "json"]
        started = time.monotonic()
        subprocess.run(command + ["-o", str(Path(folder) / "report.json")], capture_output=True, check=False)
        return count / (time.monotonic() - started)


def _load(port: int, clients: int, seconds: float) -> tuple:
    bodies = [_multipart(path) for path in RETURNS]
    latencies: list = []
    failures = [0]
    end = time.monotonic() + seconds
    lock = threading.Lock()

    def client(number: int) -> None:
        # each client from an address of its own (127.0.0.2, .3, …), as units in their offices: one
        # address gets half the workers (web/turns.py), so four clients on one would measure one
        import http.client

        turn = number
        while time.monotonic() < end:
            boundary, body = bodies[turn % len(bodies)]
            turn += 1
            started = time.monotonic()
            try:
                connection = http.client.HTTPConnection(
                    "127.0.0.1", port, timeout=120, source_address=(f"127.0.0.{2 + number}", 0)
                )
                connection.request(
                    "POST", "/api/check", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
                )
                answer = connection.getresponse()
                answer.read()
                ok = answer.status == 200
                connection.close()
            except OSError:
                ok = False
            with lock:
                latencies.append(time.monotonic() - started) if ok else None
                failures[0] += 0 if ok else 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures[0]


def _report(options, latencies: list, failures: int, peak_kb: int) -> None:
    ordered = sorted(latencies)
    p95 = ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan")
    print(f"clients {options.clients}, workers {options.workers}, {options.seconds:g} s, {os.cpu_count()} CPUs")
    print(f"answered {len(latencies)} ({failures} failed): {len(latencies) / options.seconds:.1f} returns/s")
    print(
        f"latency p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms" if ordered else "no answers"
    )
    print(f"peak memory of the service and its processes: {peak_kb / 1024:.0f} MB")


def _sample(pid: int, peak: list, done: threading.Event) -> None:
    while not done.is_set():
        peak[0] = max(peak[0], sum(_rss_kb(p) for p in _family(pid)))
        time.sleep(0.05)


def _family(pid: int) -> list:
    """The process and every descendant, from /proc."""
    parents: dict = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    family, pending = [], [pid]
    while pending:
        current = pending.pop()
        family.append(current)
        pending.extend(parents.get(current, []))
    return family


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _multipart(path: Path) -> tuple:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return boundary, head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the service did not start")


if __name__ == "__main__":
    main()
