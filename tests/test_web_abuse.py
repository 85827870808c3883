"""The web service under load and attack, on a real server on localhost: clients that connect and
say nothing, bodies that stop, answers that would be huge, zips that would be parsed for a
minute, malformed fields, requests from another site, one client taking every worker, a flood
beyond the queue. Each is answered as JSON with its own code, and the service goes on."""

import io
import json
import socket
import struct
import threading
import time
import zipfile

import openpyxl
import pytest
from conftest import SAMPLES
from hostile_corpus import one_text_everywhere
from processes import workers
from webserver import Service, multipart, upload

pytestmark = pytest.mark.slow

AS_FILED = SAMPLES / "as_filed.xlsx"


@pytest.fixture(scope="module")
def service():
    running = Service("--max-files", "100", "--client-timeout", "1")
    yield running
    running.stop()


def _error(answer) -> tuple:
    return answer.status, answer.json()["error"]["code"]


def _zip_of(entries, flag=0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def test_the_grid_of_a_crafted_return_is_drawn_within_bounds(service, tmp_path):
    answer = service.post("/api/inspect", [upload(one_text_everywhere(tmp_path))])
    assert answer.status == 200 and len(answer.body) < 2_000_000  # 180 MB before
    drawn = next(s for s in answer.json()["sheets"] if s["name"] == "附表")
    assert drawn["rows"][0][0] == "长" * 99 + "…" and len(drawn["rows"]) == 150 and drawn["cut"]


def test_malformed_fields_and_zips_each_get_their_own_answer(service):
    deep = "[" * 100_000 + "]" * 100_000
    assert _error(service.post("/api/annotate", [upload(AS_FILED)], {"explanations": deep})) == (
        400,
        "bad_explanations",
    )
    damaged = bytearray(_zip_of([("a.xlsx", AS_FILED.read_bytes())]))
    damaged[60:200] = b"\xff" * 140  # the entry's deflate data, not its headers
    answer = service.post("/api/batch", [("files", "city.zip", bytes(damaged))])
    assert _error(answer) == (400, "damaged_entry")
    assert answer.json()["error"]["message"] == "上传的 city.zip 中的 a.xlsx 已损坏,无法解压;请重新压缩后上传"
    previous = [("files", "a.xlsx", AS_FILED.read_bytes()), ("previous", "2023.zip", bytes(damaged))]
    assert _error(service.post("/api/batch", previous)) == (400, "damaged_entry")
    assert _error(service.post("/api/batch", [("files", "city.zip", _falsely_utf8())])) == (400, "bad_entry_name")


def _falsely_utf8() -> bytes:
    """A zip whose entry name is flagged UTF-8 but is not."""
    content = bytearray(_zip_of([("aa.xlsx", AS_FILED.read_bytes())]))
    for signature, flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = content.find(signature)
        struct.pack_into("<H", content, at + flags, 0x800)
        name = content.find(b"aa.xlsx", at)
        content[name : name + 2] = b"\xff\xfe"
    return bytes(content)


def test_a_lone_surrogate_in_an_explanation_still_gives_the_copy(service):
    typed = json.dumps([{"rule": "T1-EXPL", "cell": "表1!C9", "text": "\ud800说明"}])
    answer = service.post("/api/annotate", [upload(AS_FILED)], {"explanations": typed})
    assert answer.status == 200 and answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert openpyxl.load_workbook(io.BytesIO(answer.body))["审核说明"]["C3"].value == "?说明"


def test_a_zip_declaring_too_many_entries_is_refused_before_it_is_listed(service):
    many = _zip_of((f"x{i}.txt", b"") for i in range(500))  # over 4 x --max-files 100 + 64
    answer = service.post("/api/batch", [("files", "many.zip", many)])
    assert _error(answer) == (413, "zip_entries")
    assert "含 500 个条目,超过 464 个" in answer.json()["error"]["message"]
    zip64 = _zip_of((f"{i}", b"") for i in range(70_000))  # 65,536 or more: counted in its ZIP64 record
    assert _error(service.post("/api/batch", [("files", "big.zip", zip64)])) == (413, "zip_entries")


def test_a_post_from_another_site_is_refused_and_the_page_s_own_goes_through(service):
    elsewhere = service.post("/api/check", [upload(AS_FILED)], headers={"Origin": "https://evil.example"})
    assert _error(elsewhere) == (403, "cross_origin")
    fetched = service.post("/api/check", [upload(AS_FILED)], headers={"Sec-Fetch-Site": "cross-site"})
    assert _error(fetched) == (403, "cross_origin")
    own = service.post("/api/check", [upload(AS_FILED)], headers={"Origin": service.url})
    assert own.status == 200


def test_connections_that_say_nothing_are_closed_and_a_check_goes_through(service):
    idle = [socket.create_connection(("127.0.0.1", service.port)) for _ in range(300)]
    half = socket.create_connection(("127.0.0.1", service.port))
    half.sendall(b"POST /api/check HTTP/1.1\r\nHost: x\r\n")  # headers begun, never ended
    try:
        time.sleep(1.5)
        assert all(_closed(connection) for connection in [*idle, half])
        assert service.post("/api/check", [upload(AS_FILED)]).json()["files"][0]["errors"] == 5
    finally:
        for connection in [*idle, half]:
            connection.close()


def _closed(connection) -> bool:
    connection.settimeout(2)
    try:
        return connection.recv(1) == b""
    except TimeoutError:
        return False  # still open, and silent
    except OSError:
        return True  # reset


def test_a_body_that_stops_arriving_is_answered_408(service):
    with socket.create_connection(("127.0.0.1", service.port)) as stalled:
        stalled.sendall(
            b"POST /api/check HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            b"Content-Length: 100000\r\n\r\n--b\r\n"
        )
        stalled.settimeout(10)
        answer = b""
        while piece := stalled.recv(4096):  # the head and the body may come apart; the service closes after
            answer += piece
    assert answer.startswith(b"HTTP/1.1 408") and b'"slow_body"' in answer


def test_no_client_holds_every_worker_and_a_full_queue_says_when_to_come_back(tmp_path):
    from hostile_corpus import million_rows

    slow = upload(million_rows(tmp_path))
    running = Service("--workers", "2", "--queue", "2")
    try:
        done: dict = {}

        def ask(name, files, client):
            answer = running.post("/api/check", files, headers={"X-Forwarded-For": client})
            done[name] = (time.monotonic(), answer.status, answer.headers.get("retry-after"))

        office = [threading.Thread(target=ask, args=(f"office{i}", [slow], "10.0.0.1")) for i in (1, 2)]
        for thread in office:
            thread.start()
        time.sleep(0.5)
        ask("unit", [upload(AS_FILED)], "10.0.0.2")  # one worker was left for it
        flood = [threading.Thread(target=ask, args=(f"flood{i}", [slow], f"10.0.1.{i}")) for i in range(4)]
        for thread in flood:
            thread.start()
        for thread in [*office, *flood]:
            thread.join(600)
        assert done["unit"][1] == 200 and done["unit"][0] < max(done["office1"][0], done["office2"][0])
        refused = [done[f"flood{i}"] for i in range(4) if done[f"flood{i}"][1] == 503]
        assert refused and all(retry == "10" for _, _, retry in refused)
    finally:
        running.stop()


def test_a_shutdown_ends_within_its_time_while_an_upload_drips_in(tmp_path):
    import signal

    running = Service(env={"TMPDIR": str(tmp_path)})
    dripping = socket.create_connection(("127.0.0.1", running.port))
    try:
        dripping.sendall(
            b"POST /api/check HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            b"Content-Length: 1000000\r\n\r\n--b\r\n"
        )
        stop = threading.Event()

        def drip() -> None:
            while not stop.is_set():
                try:
                    dripping.sendall(b"x")
                except OSError:
                    return
                time.sleep(0.5)

        dripper = threading.Thread(target=drip)
        dripper.start()
        time.sleep(1)
        started = time.monotonic()
        running.process.send_signal(signal.SIGTERM)
        running.process.wait(30)
        assert time.monotonic() - started < 15  # over 40 s before: the upload held the shutdown
        assert list(tmp_path.iterdir()) == []  # the request cut short left its folder before
        stop.set()
        dripper.join()
    finally:
        dripping.close()
        if running.process.poll() is None:
            running.stop()


def test_a_client_s_uploads_are_read_at_its_rate(tmp_path):
    running = Service("--upload-rate", "2")  # MB a second
    try:
        started = time.monotonic()
        answer = running.post("/api/check", [("file", "big.xlsx", bytes(6 << 20))])  # 6 MB of zeros
        assert answer.status == 200 and time.monotonic() - started >= 2.0  # at least 3 s at 2 MB/s
    finally:
        running.stop()


def test_an_answer_is_streamed_to_slow_readers_and_never_held_whole(tmp_path):
    """Four clients that read 64 KB of an 18 MB annotated copy and stop: the service holds a piece
    of each answer, not the answer (before: the body, and a copy of it in the transport's buffer)."""
    import base64
    import os

    book = openpyxl.load_workbook(AS_FILED)
    sheet = book.create_sheet("附表")
    for _ in range(6_000):
        sheet.append([base64.b64encode(os.urandom(750)).decode() for _ in range(4)])
    big = tmp_path / "附表很大.xlsx"
    book.save(big)
    (tmp_path / "tmp").mkdir()
    service = Service(env={"TMPDIR": str(tmp_path / "tmp")})
    whole = service.post("/api/annotate", [upload(big)])
    assert whole.status == 200 and int(whole.headers["content-length"]) == len(whole.body) > 18_000_000
    before = _resident(service)
    content_type, body = multipart([upload(big)])
    head = (
        f"POST /api/annotate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    readers = []
    for _ in range(4):
        reader = socket.socket()
        reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)  # the kernel holds little for it
        reader.connect(("127.0.0.1", service.port))
        reader.sendall(head + body)
        readers.append(reader)
    try:
        for reader in readers:
            reader.settimeout(120)
            assert reader.recv(65536).startswith(b"HTTP/1.1 200")
        time.sleep(1)
        assert _resident(service) - before < 16_000_000  # 4 answers of 18 MB: 64 MB held before
        (serving,) = (tmp_path / "tmp").glob("formcheck-serve-*")
        assert list(serving.iterdir()) == []  # the answers' files removed, still read while open
    finally:
        for reader in readers:
            reader.close()
    assert service.post("/api/check", [upload(AS_FILED)]).status == 200
    service.stop()
    assert list((tmp_path / "tmp").iterdir()) == []


def _resident(service) -> int:
    """The service process's resident memory, in bytes."""
    with open(f"/proc/{service.process.pid}/status", encoding="ascii") as status:
        kilobytes = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return kilobytes * 1024


def test_a_worker_that_grew_large_is_replaced_and_an_ordinary_one_kept(tmp_path):
    running = Service("--workers", "1")
    try:
        (first,) = workers(running)
        assert running.post("/api/check", [upload(AS_FILED)]).status == 200
        assert workers(running) == [first]  # an ordinary return: the same worker goes on
        # the crafted grid's 6,000 cells of one 10,000-character text take the worker past 256 MB
        assert running.post("/api/inspect", [upload(one_text_everywhere(tmp_path))]).status == 200
        (second,) = workers(running)
        assert second != first
        assert running.post("/api/check", [upload(AS_FILED)]).json()["files"][0]["errors"] == 5
    finally:
        running.stop()
