"""Names are data, never code. Objects with hostile keys, made with the raw
protocol clients in a bucket whose name has upper case and an underscore,
are shown as inert visible text (on the rendered screen and in the raw bytes
a real terminal receives), download only inside the chosen folder (refused
or renamed, and the user told which), and two keys that map to one file
never overwrite each other."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Stack, remove_bucket
from test_browser_story import profile_for
from transfer_helpers import wait_done
from ui_driver import open_row, table, toasts, wait_for, wait_idle

from allas_tui.transfers.jobs import JobState
from allas_tui.ui.app import AllasApp

pytestmark = pytest.mark.stack

HOSTILE = {
    "colour": "colour-\x1b[31mRED\x1b[0m",
    "cursor": "cursor-\x1b[2J\x1b[1;1HCLEARED",
    "clipboard": "osc52-\x1b]52;c;cHduZWQ=\x07CLIP",
    "title": "title-\x1b]0;PWNED\x07TITLE",
    "markup": "markup-[bold red]BOLD",  # no '/': a '[/]' would make a pseudo-folder
    "action": "click-[@click=app.quit]QUIT",
    "newline": "newline-\nNL",
    "return": "cr-\rCR",
    "tab": "tab-\tTAB",
    "nul": "nul-\x00NUL",
    "right-to-left": "rlo-\u202eTXT.exe",
    "climbing": "../../escape.txt",
    "absolute": "/etc/passwd",
    "double slash": "a//b",
    "its plain twin": "a/b",
    "dot": "./a",
    "dot dot": "..",
    "ends in /": "trailing/",
    "1024 bytes": "L" * 1024,
    "NFC": "caf\u00e9.txt",
    "NFD": "cafe\u0301.txt",
    "upper case": "Case.txt",
    "lower case": "case.txt",
}
MUST_STORE = {"colour", "cursor", "clipboard", "title", "markup", "action", "newline", "return"}
MUST_STORE |= {"right-to-left", "double slash", "its plain twin", "1024 bytes", "NFC", "NFD"}
MUST_STORE |= {"upper case", "lower case", "ends in /", "absolute"}
"""Kinds the stand-in's radosgw stores; the rest are tried, and counted if stored."""
SHOWN = {
    "colour": "colour-\\e[31mRED\\e[0m",
    "clipboard": "osc52-\\e]52;c;cHduZWQ=\\x07CLIP",
    "title": "title-\\e]0;PWNED\\x07TITLE",
    "markup": "markup-[bold red]BOLD",  # no '/': a '[/]' would make a pseudo-folder
    "action": "click-[@click=app.quit]QUIT",
    "newline": "newline-\\nNL",
    "right-to-left": "rlo-\\u202eTXT.exe",
}
"""What the table must show for some of them, literally."""
RAW_FORBIDDEN = [b"\x1b[31mRED", b"\x1b]52;c;", b"\x1b]0;PWNED", b"\x1b[1;1HCLEARED"]
RAW_FORBIDDEN += [b"\x07CLIP", b"\x07TITLE", "\u202e".encode(), b"\nNL", b"\rCR"]


def _content(key: str) -> bytes:
    return f"the object stored under {key!r}\n".encode()


@pytest.fixture(scope="module")
def hostile_bucket(stack: Stack) -> Iterator[tuple[str, dict[str, str]]]:
    """A bucket named with upper case and '_' (Allas allows it over Swift),
    holding every hostile key radosgw stores; kind → key of those stored."""
    bucket = f"Hostile_{uuid.uuid4().hex[:8]}"
    swift = stack.backend("rgw-swift")
    s3 = stack.backend("rgw-s3").client  # type: ignore[attr-defined]
    swift.connections.get().put_container(bucket)  # type: ignore[attr-defined]
    for key in HOSTILE.values():
        try:
            s3.put_object(Bucket=bucket, Key=key, Body=_content(key))
        except Exception:
            try:
                swift.connections.get().put_object(bucket, key, _content(key))  # type: ignore[attr-defined]
            except Exception:  # noqa: S112
                continue
    listed = {o.key for page in swift.iter_pages(bucket) for o in page.objects}
    stored = {kind: key for kind, key in HOSTILE.items() if key in listed}
    print(
        f"\nhostile names tried: {len(HOSTILE)}, stored by radosgw: {len(stored)}; "
        f"not stored: {sorted(set(HOSTILE) - set(stored))}; also stored: {sorted(listed - set(HOSTILE.values()))}"
    )
    assert set(stored) >= MUST_STORE, sorted(MUST_STORE - set(stored))
    yield bucket, stored
    remove_bucket(swift, bucket)


def _rows_on_screen(app: AllasApp) -> list[str]:
    object_table = table(app)
    return [object_table.render_line(y).text for y in range(object_table.size.height)]


@pytest.mark.parametrize("combination", ["rgw-swift", "rgw-s3"])
async def test_hostile_names_show_as_inert_text(
    stack: Stack, combination: str, hostile_bucket: tuple[str, dict[str, str]]
) -> None:
    bucket, _ = hostile_bucket  # the fixture has checked what was stored
    app = AllasApp(profile_for(stack, combination))
    async with app.run_test(size=(180, 60)) as pilot:
        await wait_idle(pilot, app)
        await open_row(pilot, app, bucket)
        lines = _rows_on_screen(app)
        screen = "\n".join(lines)
        for kind, shown in SHOWN.items():
            assert shown in screen, (kind, shown)
        for line in lines:
            assert not any(c in line for c in "\x1b\x07\n\r\x00\u202e"), repr(line)
        assert "QUIT" in screen and app.is_running  # the [@click] stayed text


def test_no_escape_sequence_from_a_name_reaches_the_terminal(
    stack: Stack, hostile_bucket: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    """The real app in a pseudo-terminal: every byte it writes is read, and
    none of the keys' escape sequences is among them; their visible text is."""
    bucket, _ = hostile_bucket
    login = stack.s3_login("rgw")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OS_", "AWS_"))}
    env |= {
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "COLUMNS": "180",
        "LINES": "60",
        "AWS_ACCESS_KEY_ID": login.access_key,
        "AWS_SECRET_ACCESS_KEY": login.secret_key,
        "AWS_CA_BUNDLE": stack.ca_bundle,
    }
    command = [sys.executable, "-m", "allas_tui", "--protocol", "s3"]
    command += ["--endpoint", str(login.endpoint_url)]
    master, slave = pty.openpty()
    os.set_blocking(master, False)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 60, 180, 0, 0))
    app = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    output = bytearray()

    def read_for(seconds: float) -> None:
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    output.extend(os.read(master, 65536))
                except OSError:
                    return

    def wait_for_text(text: bytes, seconds: float = 30) -> None:
        until = time.monotonic() + seconds
        while text not in output and time.monotonic() < until:
            read_for(0.2)
        assert text in output, (text, bytes(output[-2000:]))

    try:
        wait_for_text(bucket.encode())  # the bucket list is drawn
        os.write(master, b"o")
        read_for(1)
        os.write(master, bucket.encode() + b"\r")
        wait_for_text(b"CLIP")
        read_for(2)
        os.write(master, b"q")
        app.wait(timeout=20)
        read_for(0.5)
    finally:
        if app.poll() is None:
            app.kill()
        os.close(master)
    raw = bytes(output)
    for visible_text in (b"RED", b"CLIP", b"TITLE", b"CLEARED", b"TXT.exe"):
        assert visible_text in raw, visible_text
    found = [seq for seq in RAW_FORBIDDEN if seq in raw]
    print(
        f"\n{len(raw):,} bytes from the terminal searched for {len(RAW_FORBIDDEN)} sequences: {found}"
    )
    assert found == []


@pytest.mark.parametrize("combination", ["rgw-swift", "rgw-s3"])
async def test_downloads_stay_inside_the_folder_and_never_overwrite(
    stack: Stack, combination: str, hostile_bucket: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    """The whole bucket downloaded, through the app's queue: every file lands
    under the chosen folder with its own object's bytes; keys that would climb
    out or that no file system can name are left out, names changed to be
    safe are said, and of `a//b` and `a/b` one is left out, not overwritten."""
    bucket, stored = hostile_bucket
    dest = tmp_path / "one" / "two" / "dest"
    dest.mkdir(parents=True)
    app = AllasApp(profile_for(stack, combination))
    async with app.run_test(size=(180, 60), notifications=True) as pilot:
        await wait_idle(pilot, app)
        queue = app.queue
        assert queue is not None
        batch = queue.download(bucket, "", [], [""], dest)
        wait_done(queue)
        await wait_for(pilot, lambda: batch.reported, "the walk's report")
        shown = toasts(app)
    assert "changed to be safe on disk" in shown and "left out" in shown, shown
    jobs = queue.jobs
    assert all(j.state is JobState.DONE for j in jobs), [(j.key, j.error) for j in jobs]
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(p.is_relative_to(dest) for p in files), files  # nothing outside the folder
    by_path = {j.local_path: j.key for j in jobs}
    for path in files:  # each file holds its own object's bytes
        assert path.read_bytes() == _content(by_path[path]), path
    skipped = batch.skipped
    refused = {kind: stored[kind] for kind in ("climbing", "dot", "dot dot", "1024 bytes")}
    refused = {kind: key for kind, key in refused.items() if kind in stored}
    for kind, key in refused.items():
        assert key in skipped, (kind, skipped)
    assert "255" in skipped[stored["1024 bytes"]]
    twins = {stored["double slash"], stored["its plain twin"]}
    [left_out] = twins & set(skipped)
    assert "same file as" in skipped[left_out]
    assert (dest / "a" / "b").read_bytes() == _content((twins - {left_out}).pop())
    renamed = batch.renamed
    assert (dest / "colour-␛[31mRED␛[0m").read_bytes() == _content(stored["colour"])
    assert (dest / "newline-␊NL").exists() and (dest / "rlo-_TXT.exe").exists()
    assert (dest / "etc" / "passwd").read_bytes() == _content(stored["absolute"])
    assert "leading '/'" in renamed[stored["absolute"]]
    for kind in ("NFC", "NFD", "upper case", "lower case"):  # distinct names, distinct files
        assert (dest / stored[kind]).read_bytes() == _content(stored[kind])
    saved = len(jobs)
    print(
        f"\n{combination}: {len(stored)} hostile keys downloaded: {saved} saved inside the "
        f"folder ({len(renamed)} renamed), {len(skipped)} left out with why"
    )
