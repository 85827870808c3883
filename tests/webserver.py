"""A real formcheck service on localhost for the web tests, and a multipart POST by the standard
library (what a browser or curl sends)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path


class Service:
    def __init__(self, *options, env=None):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "validator", "serve", "--port", str(self.port), *map(str, options)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stderr.read().decode()) from None
                time.sleep(0.1)
        raise RuntimeError("the service did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)

    def get(self, path: str, headers=None):
        return self._open(urllib.request.Request(self.url + path, headers=headers or {}))

    def post(self, path: str, files=(), fields=None, headers=None):
        """POST multipart/form-data: `files` as (field, file name, bytes), `fields` as {name: text}."""
        content_type, body = multipart(files, fields)
        request = urllib.request.Request(
            self.url + path, data=body, headers={"Content-Type": content_type, **(headers or {})}
        )
        return self._open(request)

    @staticmethod
    def _open(request):
        try:
            with urllib.request.urlopen(request, timeout=300) as response:
                return Answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read())


def multipart(files=(), fields=None) -> tuple:
    """(Content-Type, body) of a multipart/form-data POST of `files` and `fields`."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in (fields or {}).items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for field, filename, content in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    return f"multipart/form-data; boundary={boundary}", b"".join(parts) + f"--{boundary}--\r\n".encode()


class Answer:
    def __init__(self, status: int, headers: dict, body: bytes):
        self.status, self.headers, self.body = status, {k.lower(): v for k, v in headers.items()}, body

    def json(self):
        return json.loads(self.body)


def upload(path: Path, field: str = "file", name: str = "") -> tuple:
    return field, name or path.name, Path(path).read_bytes()


def answer_then_die(job):
    """A job for validator/web/jobs.run whose first worker writes its answer as every worker does
    and is killed before it can say so; done again, read each file in a child of its own (as the
    service does after a worker died), it answers "again"."""
    import signal

    from validator.web import jobs

    if not job.contained:
        jobs._written(jobs.Answer(b"first", "text/plain"), job.folder)
        os.kill(os.getpid(), signal.SIGKILL)
    return jobs.Answer(b"again", "text/plain")
