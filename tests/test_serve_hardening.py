"""`build.py serve` against a hostile client and a hostile content folder, without a
browser: raw HTTP to a preview started in a subprocess, waiting on what it prints."""

from __future__ import annotations

import asyncio
import concurrent.futures
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from pathlib import Path

import pytest
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from helpers import ROOT, run_build

TIMEOUT = 90  # seconds: generous, for a loaded machine; a hang fails the test


class Preview:
    """`build.py serve` in a subprocess; its output is collected line by line so a test
    can wait for a line (no sleeping)."""

    def __init__(self, content: Path) -> None:
        self.process = subprocess.Popen(  # port 0: the preview takes a free one and says which
            [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0",
             "--content", str(content)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:  # type: ignore[union-attr]
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()
        with self.changed:
            self.lines.append("")  # end of output
            self.changed.notify_all()

    def wait_for(self, text: str, after: int = 0) -> str:
        """The first line from `after` on that contains `text` (fails after TIMEOUT)."""
        def found():
            return next((line for line in self.lines[after:] if text in line), None)
        with self.changed:
            line = self.changed.wait_for(found, TIMEOUT)
        assert line, f"{text!r} not printed within {TIMEOUT} s:\n{self.output}"
        return line

    @property
    def port(self) -> int:
        """The port the preview said it serves on (it binds before its first build)."""
        return int(re.search(r"Serving the preview on http://127\.0\.0\.1:(\d+)/",
                             self.wait_for("Serving the preview on")).group(1))

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def get(self, path: str, host: str | None = "default") -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
            if host is not None:
                connection.putheader("Host", f"127.0.0.1:{self.port}" if host == "default" else host)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def folder(self) -> Path:
        """The preview's private folder (named after its process)."""
        found = list(Path(tempfile.gettempdir()).glob(f"duizhao-serve-{self.process.pid}-*"))
        assert len(found) == 1, found
        return found[0]

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            where(self.process, lambda: "most recent call first" in self.output)
            raise AssertionError(f"the preview did not stop within {TIMEOUT} s:\n{self.output}") from None
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content", ignore=shutil.ignore_patterns("raw"))
    return tmp_path / "content"


@pytest.fixture(scope="module")
def shared_preview(tmp_path_factory: pytest.TempPathFactory):
    """One preview for the tests that only send it requests (SHARED): none changes a file."""
    content = tmp_path_factory.mktemp("serve") / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("raw"))
    running = Preview(content)
    try:
        running.wait_for("(Ctrl-C to stop)")
        yield running
    finally:
        assert running.stop() == 0
        assert "Traceback" not in running.output, running.output


def where(process: subprocess.Popen, dumped) -> None:
    """Ask a preview that does not stop where its threads are (SIGUSR1), and wait (a
    while) until `dumped()` says it answered, so the failure shows it."""
    process.send_signal(signal.SIGUSR1)
    deadline = time.monotonic() + 10
    while not dumped() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # a poll interval, under the deadline


SHARED = pytest.mark.xdist_group("serve-requests")  # on the worker that started shared_preview


@pytest.fixture
def preview(shared_preview: Preview):
    """The shared preview, still running, and no traceback in what it printed meanwhile."""
    assert shared_preview.process.poll() is None, shared_preview.output
    mark = len(shared_preview.lines)
    yield shared_preview
    assert "Traceback" not in "".join(shared_preview.lines[mark:]), shared_preview.output


@pytest.mark.parametrize("port", ["70000", "65536", "-1"])
def test_a_port_outside_1_to_65535_is_refused(content: Path, port: str) -> None:
    result = run_build("serve", "--port", port, "--content", str(content))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == f"--port {port}: a port is a number from 1 to 65535 (0: any free one)\n"


def test_a_port_in_use_is_said_before_any_build(content: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        (content / "site.yaml").write_text("{{ not yaml", "utf-8")  # a build would fail on this
        result = run_build("serve", "--port", str(port), "--content", str(content))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"--port {port}: cannot serve on 127.0.0.1:{port}: ")
    assert "site.yaml" not in result.stderr


@SHARED
def test_it_answers_only_its_own_host_names(preview: Preview) -> None:
    port = preview.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", "LOCALHOST", "127.0.0.1"):
        status, body = preview.get("/", host)
        assert status == 200 and b"<html" in body, host
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}",
                 f"localhost:{port + 1 if port < 65535 else 1}", "", f"localhost:{port}, evil.example"):
        assert preview.get("/", host)[0] == 400, host
        assert preview.get("/livereload.js", host)[0] == 400, host
        assert preview.get("/2024/index.html", host)[0] == 400, host
    assert preview.get("/livereload.js")[0] == 200


@SHARED
def test_a_path_with_a_nul_byte_gets_400(preview: Preview) -> None:
    for path in ("/index.html%00", "/%00", "/2024/%00index.html", "/static/x%00.css"):
        status, _ = preview.get(path)
        assert status == 400, path
    assert preview.get("/2024/index.html")[0] == 200
    assert "Traceback" not in preview.output


@SHARED
def test_the_websocket_answers_only_its_own_host(preview: Preview) -> None:
    def handshake(host: str) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=TIMEOUT)
        try:
            connection.putrequest("GET", "/livereload", skip_host=True)
            for name, value in (("Host", host), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
                                ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
                                ("Sec-WebSocket-Version", "13"), ("Origin", f"http://{host}")):
                connection.putheader(name, value)
            connection.endheaders()
            return connection.getresponse().status
        finally:
            connection.close()
    assert handshake(f"127.0.0.1:{preview.port}") == 101
    assert handshake("evil.example") == 400


@SHARED
def test_garbage_on_the_websocket_closes_it_without_a_traceback(preview: Preview) -> None:
    async def send(message: str) -> tuple[str | None, int | None]:
        request = HTTPRequest(f"ws://127.0.0.1:{preview.port}/livereload",
                              headers={"Origin": f"http://127.0.0.1:{preview.port}"})
        socket_ = await asyncio.wait_for(websocket_connect(request), TIMEOUT)
        await socket_.write_message(message)
        reply = await asyncio.wait_for(socket_.read_message(), TIMEOUT)
        socket_.close()
        return reply, socket_.close_code
    def run(coroutine):  # in a thread of its own: the browser tests' Playwright keeps a loop running here
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, coroutine).result()
    for garbage in ("not json", "[1, 2]", "null", '{"command": 5}', '{"command": "info", "url": {}}'):
        assert run(send(garbage)) == (None, 1003), garbage
    reply, code = run(send('{"command": "hello"}'))
    assert '"command": "hello"' in reply and code is None
    assert "Traceback" not in preview.output


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_stopping_it_removes_its_folder(content: Path, sig: int) -> None:
    running = Preview(content)
    try:
        running.wait_for("(Ctrl-C to stop)")
        folder = running.folder()
        assert (folder / "site/index.html").is_file()
        assert running.stop(sig) == 0
        assert not folder.exists()
        assert "Traceback" not in running.output, running.output
    finally:
        running.stop(signal.SIGKILL)


def test_a_killed_previews_folder_is_removed_by_the_next(content: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = Path(tempfile.mkdtemp(prefix=f"duizhao-serve-{dead.pid}-"))
    (left / "site").mkdir()
    other = Path(tempfile.mkdtemp(prefix=f"duizhao-serve-{os.getpid()}-"))  # a live process's
    try:
        running = Preview(content)
        try:
            running.wait_for("(Ctrl-C to stop)")
            assert not left.exists() and other.exists()
        finally:
            running.stop()
    finally:
        shutil.rmtree(left, ignore_errors=True)
        shutil.rmtree(other, ignore_errors=True)


def test_links_to_big_trees_and_loops_do_not_freeze_the_watcher(content: Path) -> None:
    (content / "loop").symlink_to(content)
    (content / "root").symlink_to("/")
    (content / "reports" / "up").symlink_to("..")
    (content / "reports" / "usr.md").symlink_to("/usr", target_is_directory=True)
    running = Preview(content)
    try:
        running.wait_for("(Ctrl-C to stop)")
        assert f"usr.md: a link out of {content}" in running.output  # said, not walked
        mark = len(running.lines)
        (content / "reports" / "usr.md").unlink()
        running.wait_for("rebuilt 3 report(s)", after=mark)  # the next poll saw the link go
        report = content / "reports" / "beijing" / "2024.md"
        mark = len(running.lines)
        report.write_text(report.read_text("utf-8").replace("兜准兜牢民生底线", "兜准兜牢民生保障底线"), "utf-8")
        running.wait_for(f"changed: {report}", after=mark)
        running.wait_for("rebuilt 3 report(s)", after=mark)
        status, body = running.get("/beijing/2024/index.html")
        assert status == 200 and "兜准兜牢民生保障底线" in body.decode("utf-8")
        changed = [name for line in running.lines if line.startswith("changed: ")
                   for name in line[len("changed: "):].strip().split(", ")]
        assert changed == [str(content / "reports" / "usr.md"), str(report)]  # nothing behind a link
    finally:
        assert running.stop() == 0
        assert "Traceback" not in running.output, running.output


def test_a_port_in_use_is_a_located_error_and_leaves_no_folder(content: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port),
                                    "--content", str(content)], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        _, errors = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 2 and "Traceback" not in errors
    assert f"--port {port}: cannot serve on 127.0.0.1:{port}" in errors
    assert not list(Path(tempfile.gettempdir()).glob(f"duizhao-serve-{process.pid}-*"))


def test_pages_rendered_after_the_reload_report_their_errors_and_can_be_stopped() -> None:
    """A template error in a page rendered after the reload (a compare page) reaches the
    preview's error page like any build error; a stop ends the thread between pages."""
    from duizhao.build.write import Later
    from duizhao.errors import fail
    from duizhao.serve.later import LaterPages
    failed, logged = [], []
    later = LaterPages(logged.append, failed.append)

    def broken(stop):
        raise fail("templates/compare.html", 3, "template: 'x' is undefined")
    later.start(Later(["compare/a/1-2/index.html"], broken))
    later.wait()
    assert [str(d) for d in failed[0]] == ["templates/compare.html:3: template: 'x' is undefined"]
    assert not later.holds("compare/a/1-2/index.html")  # done: a request no longer waits
    gate, written = threading.Event(), []

    def slow(stop):
        for path in ("a.html", "b.html", "c.html"):
            if stop.is_set():
                break
            written.append(path)
            gate.wait(TIMEOUT)  # the first page is "rendering" until the test stops the thread
        return written
    later.start(Later(["a.html", "b.html", "c.html"], slow))
    assert later.holds("b.html") and not later.holds("d.html")
    stopper = threading.Thread(target=later.stop)
    stopper.start()
    assert later.stopping.wait(TIMEOUT)  # asked to stop while its first page renders …
    gate.set()  # … which then finishes: no other page is begun
    stopper.join(TIMEOUT)
    assert written == ["a.html"] and not stopper.is_alive()


def test_a_running_preview_says_where_its_threads_are_on_sigusr1(content: Path) -> None:
    """How a preview that will not stop can be asked what it is doing (the fixtures do)."""
    running = Preview(content)
    try:
        running.wait_for("(Ctrl-C to stop)")
        mark = len(running.lines)
        running.process.send_signal(signal.SIGUSR1)
        running.wait_for("most recent call first", after=mark)
        running.wait_for('File "', after=mark)  # a frame, after the thread's header line
        assert running.process.poll() is None  # asked, not stopped
    finally:
        assert running.stop() == 0


class _Thing:
    pass


def _loop_stopped_by(building: bool) -> tuple[bool, list[str]]:
    """Run an event loop in which a stop signal's handler is called from inside a weakref
    callback (where Python prints a raised KeyboardInterrupt as ignored, and loses it);
    whether the signal was noted, and what ended the loop."""
    from duizhao.serve.server import on_stop_signal
    stopping, ended = threading.Event(), []
    loop = asyncio.new_event_loop()

    def land_in_a_weakref_callback() -> None:
        thing = _Thing()
        keep = weakref.ref(thing, lambda _: on_stop_signal(stopping, lambda: building, lambda: loop,
                                                               signal.SIGTERM, None))
        del thing  # the callback runs here
        assert keep() is None
        ended.append("the loop went on")

    loop.call_soon(land_in_a_weakref_callback)
    loop.call_later(TIMEOUT / 9, lambda: (ended.append("the fallback"), loop.stop()))
    try:
        loop.run_forever()
    finally:
        loop.close()
    return stopping.is_set(), ended


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # (the one lost)
def test_a_stop_signal_lost_in_a_weakref_callback_still_stops_the_preview() -> None:
    """The preview once served on after SIGTERM: Python's default handler raised
    KeyboardInterrupt inside a weakref callback, which swallowed it. The loop is now
    asked to stop instead, which nothing can swallow, also while a rebuild runs (cut short by
    KeyboardInterrupt, if that is not lost)."""
    for building in (False, True):  # in a thread of its own: this process may hold a loop (Playwright's)
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            noted, ended = pool.submit(_loop_stopped_by, building).result()
        assert noted and ended == ["the loop went on"], (building, ended)


def test_a_stop_signal_before_the_loop_runs_interrupts_the_first_build() -> None:
    """And touches no other loop: this process may be running Playwright's."""
    from duizhao.serve.server import on_stop_signal
    stopping, other = threading.Event(), asyncio.new_event_loop()
    try:
        for preview in (None, other):  # not made yet; made, not running
            stopping.clear()
            with pytest.raises(KeyboardInterrupt):
                on_stop_signal(stopping, lambda: True, lambda: preview, signal.SIGINT, None)
            assert stopping.is_set()
        assert not other._ready  # nothing was scheduled on it
    finally:
        other.close()


def test_a_failed_build_says_whether_a_good_one_is_being_served(tmp_path: Path) -> None:
    """Started on broken content, it said it was still serving the last good build: there
    was none."""
    from duizhao.serve.preview import Preview as InProcess
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("raw"))
    report = content / "reports/beijing/2024.md"
    good = report.read_text("utf-8")
    report.write_text(good.replace("[^17]:", "[^71]:"), "utf-8")
    lines: list[str] = []
    preview = InProcess(content, 0, None, lines.append)
    try:
        preview.rebuild()
        assert [l for l in lines if l.startswith("build failed")] == [
            "build failed: 1 error(s); every page shows them until a save fixes them"], lines
        report.write_text(good, "utf-8")
        preview.rebuild()
        report.write_text(good.replace("[^17]:", "[^71]:"), "utf-8")
        preview.rebuild()
        assert [l for l in lines if l.startswith("build failed")][-1] == \
            "build failed: 1 error(s); still serving the last good build", lines
    finally:
        preview.close()


def test_a_stop_signal_taken_in_a_forked_worker_ends_the_worker() -> None:
    """A pool's worker, forked from the preview, holds its handler until it sets its own;
    the pool's SIGTERM taken then must end the worker (by SIGTERM's default), not ask
    the preview's loop, copied into it, to stop."""
    from duizhao.serve.server import on_stop_signal
    pid = os.fork()
    if pid == 0:  # the worker
        try:
            on_stop_signal(threading.Event(), lambda: False, lambda: None, signal.SIGTERM, None)
        finally:
            os._exit(3)  # reached only if the handler did not end it
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGTERM, status


def test_the_previews_log_lines_are_written_whole_from_any_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    from duizhao.serve.server import print_line

    class Stream:  # records each write; a second thread prints while the first writes
        def __init__(self) -> None:
            self.writes: list[str] = []
            self.other: threading.Thread | None = None

        def write(self, text: str) -> int:
            self.writes.append(text)
            if self.other is None:
                self.other = threading.Thread(target=print_line, args=("from another thread",))
                self.other.start()
                self.other.join(0.2)  # the lock keeps it waiting: it cannot print inside this line
                assert self.other.is_alive(), "another thread printed while a line was being written"
            return len(text)

        def flush(self) -> None:
            pass

    stream = Stream()
    monkeypatch.setattr(sys, "stdout", stream)
    print_line("changed: content/reports/beijing/2024.md")
    stream.other.join(TIMEOUT)
    assert "".join(stream.writes).splitlines() == ["changed: content/reports/beijing/2024.md",
                                                   "from another thread"]


def test_a_save_during_the_first_build_is_seen(content: Path, monkeypatch) -> None:
    """The watcher took its first look after the first build: a report saved while that
    build ran (a big corpus, an editor who starts at once) counted as seen, and its page
    stayed stale until another save."""
    from duizhao.serve import server
    report, seen = content / "reports/beijing/2024.md", []

    class SavedDuring(server.Preview):
        def rebuild(self) -> None:
            if not seen:  # the first build: the editor saves meanwhile
                report.write_text(report.read_text("utf-8") + "\n", "utf-8")
            super().rebuild()

    def first_look(self, *args, **kwargs) -> None:  # instead of serving: the watcher's first poll
        seen.append(self.watcher.is_changed(None))
    monkeypatch.setattr(server, "Preview", SavedDuring)
    monkeypatch.setattr(server.PreviewServer, "serve", first_look)
    server.serve(content, 0, None, lambda line: None)
    assert seen == [[str(report)]]


def test_a_reload_asked_for_after_the_loop_closed_is_nothing() -> None:
    """The build behind an edited page may fail while the preview stops: its reload must
    not raise (the errors went unlogged behind a thread's traceback)."""
    from duizhao.serve.server import reload_pages
    loop = asyncio.new_event_loop()
    loop.close()
    reload_pages(loop)
