"""The city deployment as shipped (docs/deploy/): Debian's nginx, with formcheck.nginx.conf, in
front of a real `formcheck serve` on loopback. A request without an account is refused, a unit
cannot reach the review page's batch API, a client slow to send its headers is cut by the proxy,
and a unit's check goes through. Skipped where nginx is not installed (.ci/run installs it and sets
FORMCHECK_REQUIRE_NGINX=1)."""

import base64
import hashlib
import json
import os
import shutil
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
import uuid

import pytest
from conftest import ROOT, SAMPLES
from webserver import Service

pytestmark = pytest.mark.slow
DEPLOY = ROOT / "docs" / "deploy"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _htpasswd(accounts: dict) -> str:
    """nginx's {SSHA} lines: salted SHA-1, which nginx reads without the htpasswd tool."""
    lines = []
    for user, password in accounts.items():
        salt = os.urandom(8)
        digest = hashlib.sha1(password.encode() + salt).digest()
        lines.append(f"{user}:{{SSHA}}{base64.b64encode(digest + salt).decode()}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    if NGINX is None:
        if os.environ.get("FORMCHECK_REQUIRE_NGINX"):
            pytest.fail("nginx is required here (FORMCHECK_REQUIRE_NGINX) but not installed")
        pytest.skip("nginx is not installed")
    folder = tmp_path_factory.mktemp("nginx")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    (folder / "units.htpasswd").write_text(_htpasswd({"xiangxiang": "unit-pw", "reviewer": "review-pw"}))
    (folder / "reviewers.htpasswd").write_text(_htpasswd({"reviewer": "review-pw"}))
    service = Service()
    port = _free_port()
    site = (DEPLOY / "formcheck.nginx.conf").read_text(encoding="utf-8")
    for shipped, here in (
        ("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;"),
        ("listen 80;", f"listen 127.0.0.1:{_free_port()};"),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{service.port};"),
        ("/etc/formcheck/tls/", f"{folder}/"),
        ("/etc/formcheck/", f"{folder}/"),
        ("client_header_timeout 10s;", "client_header_timeout 2s;"),  # the test does not wait 10 s
    ):
        assert shipped in site
        site = site.replace(shipped, here)
    (folder / "site.conf").write_text(site, encoding="utf-8")
    temp = " ".join(
        f"{kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (folder / "nginx.conf").write_text(
        f"user root; worker_processes 1; daemon off; pid {folder}/nginx.pid; error_log {folder}/error.log;\n"
        f"events {{ worker_connections 256; }}\n"
        f"http {{ access_log off; {temp} include {folder}/site.conf; }}\n"
    )
    running = subprocess.Popen([NGINX, "-c", str(folder / "nginx.conf"), "-p", str(folder)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if running.poll() is not None:
                raise RuntimeError(running.stderr.read().decode()) from None
            time.sleep(0.1)
    yield port
    running.terminate()
    running.wait(10)
    service.stop()


def _post(port: int, path: str, account=None):
    boundary = uuid.uuid4().hex
    content = (SAMPLES / "as_filed.xlsx").read_bytes()
    field = "files" if path == "/api/batch" else "file"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="a.xlsx"\r\n\r\n'.encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    if account:
        headers["Authorization"] = "Basic " + base64.b64encode(":".join(account).encode()).decode()
    request = urllib.request.Request(f"https://127.0.0.1:{port}{path}", data=body, headers=headers)
    context = ssl._create_unverified_context()  # the test's own certificate
    try:
        with urllib.request.urlopen(request, context=context, timeout=60) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_a_request_without_an_account_is_refused(proxy):
    assert _post(proxy, "/api/check")[0] == 401
    assert _post(proxy, "/api/check", ("xiangxiang", "wrong"))[0] == 401


def test_a_unit_s_check_goes_through_and_only_reviewers_reach_the_batch(proxy):
    status, body = _post(proxy, "/api/check", ("xiangxiang", "unit-pw"))
    assert status == 200 and json.loads(body)["files"][0]["errors"] == 5
    assert _post(proxy, "/api/batch", ("xiangxiang", "unit-pw"))[0] == 401
    assert _post(proxy, "/api/batch", ("reviewer", "review-pw"))[0] == 200


def test_a_client_slow_to_send_its_headers_is_cut_by_the_proxy(proxy):
    context = ssl._create_unverified_context()
    with socket.create_connection(("127.0.0.1", proxy)) as raw, context.wrap_socket(raw) as slow:
        slow.sendall(b"POST /api/check HTTP/1.1\r\nHost: localhost\r\n")  # and nothing more
        started = time.monotonic()
        slow.settimeout(10)
        try:
            left = slow.recv(4096)
        except (ConnectionResetError, ssl.SSLError):
            left = b""
        assert time.monotonic() - started < 6 and b"200 OK" not in left
