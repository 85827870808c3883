"""The abuse run of bench/serve.py: a unit's good traffic alone, then beside abusers, then alone
again. Good requests come from one address (X-Forwarded-For, which the service trusts from
localhost as it would from the city's proxy), the flood from another."""

from __future__ import annotations

import collections
import io
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import serve

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
OUT = ROOT / "bench" / "out"


def run(seconds: float, workers: int) -> None:
    port = serve._free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "validator", "serve", "--port", str(port), "--workers", str(workers)],
        stderr=subprocess.DEVNULL,
    )
    try:
        serve._wait_for(port)
        alone = _good(port, min(seconds, 20), threading.Event())
        peak, done = [0], threading.Event()
        sampler = threading.Thread(target=serve._sample, args=(server.pid, peak, done), daemon=True)
        sampler.start()
        statuses: collections.Counter = collections.Counter()
        stop = threading.Event()
        abusers = _abusers(port, statuses, stop)
        for thread in abusers:
            thread.start()
        loaded = _good(port, seconds, threading.Event())
        stop.set()
        for thread in abusers:
            thread.join(120)
        done.set()
        after = _good(port, 5, threading.Event())
    finally:
        server.terminate()
        server.wait(20)
    _say(alone, loaded, after, statuses, peak[0], seconds, workers)


def _good(port: int, seconds: float, _: threading.Event) -> list:
    """(latency, status) of one unit's checks, one after another, for `seconds`."""
    boundary, body = serve._multipart(serve.RETURNS[0])
    found, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.monotonic()
        status = _post(port, "/api/check", boundary, body, "10.0.0.1")
        found.append((time.monotonic() - started, status))
    return found


def _post(port: int, path: str, boundary: str, body: bytes, client: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "X-Forwarded-For": client},
    )
    try:
        with urllib.request.urlopen(request, timeout=600) as answer:
            answer.read()
            return answer.status
    except urllib.error.HTTPError as error:
        error.read()
        return error.code
    except OSError:
        return 0  # no answer at all


def _abusers(port: int, statuses: collections.Counter, stop: threading.Event) -> list:
    folder = Path(tempfile.mkdtemp(prefix="formcheck-abuse-"))
    from hostile_corpus import one_text_everywhere

    crafted = serve._multipart(one_text_everywhere(folder))
    million = _million_entries()
    flood = serve._multipart(serve.RETURNS[1])

    def loop(path: str, payload: tuple, client: str) -> None:
        while not stop.is_set():
            statuses[(path, _post(port, path, *payload, client))] += 1

    threads = [threading.Thread(target=loop, args=("/api/check", flood, "10.6.6.6")) for _ in range(16)]
    threads += [threading.Thread(target=loop, args=("/api/inspect", crafted, "10.6.6.7")) for _ in range(2)]
    threads.append(threading.Thread(target=loop, args=("/api/batch", million, "10.6.6.8")))
    threads += [threading.Thread(target=_half_requests, args=(port, stop, statuses)) for _ in range(50)]
    return threads


def _half_requests(port: int, stop: threading.Event, statuses: collections.Counter) -> None:
    """Connect, send half a request, wait until the service closes it; again."""
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=120) as slow:
                slow.sendall(b"POST /api/check HTTP/1.1\r\nHost: x\r\n")
                slow.recv(1)
                statuses[("half request", "closed")] += 1
        except OSError:
            statuses[("half request", "refused")] += 1
            time.sleep(1)


def _million_entries() -> tuple:
    """A .zip of 1,000,000 empty entries (some 100 MB), made once into bench/out."""
    path = OUT / "million_entries.zip"
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for index in range(1_000_000):
                archive.writestr(f"{index}.xlsx", b"")
        path.write_bytes(buffer.getvalue())
    boundary = "abuse-million"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="million.zip"\r\n'
        "Content-Type: application/zip\r\n\r\n"
    ).encode()
    return boundary, head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()


def _p95(found: list) -> float:
    ordered = sorted(latency for latency, status in found if status == 200)
    return ordered[int(0.95 * (len(ordered) - 1))] * 1000 if ordered else float("nan")


def _say(alone: list, loaded: list, after: list, statuses, peak_kb: int, seconds: float, workers: int) -> None:
    print(f"abuse for {seconds:g} s, workers {workers}")
    for name, found in (("alone", alone), ("under abuse", loaded), ("after", after)):
        codes = collections.Counter(status for _, status in found)
        print(f"good requests {name}: {len(found)}, statuses {dict(codes)}, p95 {_p95(found):.0f} ms")
    print(f"p95 under abuse / alone: {_p95(loaded) / _p95(alone):.1f}×")
    print("abusers' answers:", dict(statuses))
    fives = sum(count for (_, status), count in statuses.items() if status == 500)
    print(f"500 answers: {fives + sum(1 for _, s in loaded + after if s == 500)}")
    print(f"peak memory of the service and its processes: {peak_kb / 1024:.0f} MB")
