"""No SQLite connection is used by two threads at once or closed under a call still running.

The crash this guards against (a segmentation fault that ended a suite run): the key watch's
poll ran ``asyncio.to_thread`` on the directory's connection; shutdown cancelled the poll, whose
thread went on running the query, and the directory then closed the connection from the event
loop under it. The stress below did that within a second on that code (signal 11 in every
run); it runs in a child process so that a crash fails this test instead of ending the run.
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.accounts.directory import Directory
from app.store.interface import Record, StoreUnavailable
from app.store.sqlite import SqliteStore

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "ACC-stress"


async def _round(url: str, path: Path, rng: random.Random, created: list[str]) -> int:
    """One directory and one broker store on the same file, readers, writers and appends on
    both, all cancelled after a random few milliseconds, then both closed (in a random order).
    Returns how many tasks ended with anything but a cancellation or a closed store."""
    directory = await Directory(url).open()
    store = SqliteStore(path)
    await store.open()
    epoch = await store.claim(ACCOUNT)
    last = (await store.load(ACCOUNT)).last_seq

    async def read() -> None:
        while True:
            await directory.keys_version()
            await directory.accounts()
            await directory.live_keys()

    async def create() -> None:
        while True:
            account, _ = await directory.create_account(f"n{rng.random()}", 1.0)
            created.append(account.id)

    async def append() -> None:
        nonlocal last
        while True:
            batch = [Record(seq, "Stepped", b'{"n":%d}' % seq) for seq in range(last + 1, last + 4)]
            await store.append(ACCOUNT, epoch, batch)
            last += len(batch)

    tasks = [asyncio.create_task(work()) for work in (read, read, create, append)]
    await asyncio.sleep(rng.random() * 0.01)
    for task in tasks:
        task.cancel()
    closers = [directory.close(), store.close()]
    rng.shuffle(closers)
    for close in closers:
        await close
    results = await asyncio.gather(*tasks, return_exceptions=True)
    return sum(not isinstance(r, (asyncio.CancelledError, StoreUnavailable)) for r in results)


async def _stress(path: Path, rounds: int, seed: int) -> dict[str, int]:
    url = f"sqlite:///{path}"
    rng = random.Random(seed)
    created: list[str] = []
    errors = 0
    for _ in range(rounds):
        errors += await _round(url, path, rng, created)
    directory = await Directory(url).open()
    try:
        listed = {a.id for a in await directory.accounts()}
        integrity = await directory.sql.fetch("PRAGMA integrity_check")
    finally:
        await directory.close()
    store = SqliteStore(path)
    await store.open()
    try:
        stored = await store.load(ACCOUNT)
    finally:
        await store.close()
    seqs = [r.seq for r in stored.records]
    return {"errors": errors, "acknowledged": len(created), "missing": len(set(created) - listed),
            "integrity_ok": int(integrity == [("ok",)]), "gapless": int(seqs == list(range(1, len(seqs) + 1))),
            "last_seq_agrees": int(stored.last_seq == len(seqs))}


def test_cancelled_calls_and_shutdown_never_share_or_close_a_connection_under_a_thread(tmp_path: Path) -> None:
    child = subprocess.run([sys.executable, "-X", "faulthandler", "-m", "tests.accounts.test_directory_threads",
                            str(tmp_path / "stress.sqlite3"), "150", "7"],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert child.returncode == 0, f"exit {child.returncode}\n{child.stderr[-4000:]}"
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    assert figures["acknowledged"] > 0
    assert figures == {"errors": 0, "acknowledged": figures["acknowledged"], "missing": 0, "integrity_ok": 1,
                       "gapless": 1, "last_seq_agrees": 1}


async def test_close_waits_for_a_call_whose_caller_was_cancelled(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "one.sqlite3")
    await store.open()
    started = threading.Event()
    outcome: list[object] = []

    def slow(conn: sqlite3.Connection) -> None:
        started.set()
        time.sleep(0.2)
        try:  # the connection is still open: the close has not run under this call
            outcome.append(select_one(conn))
        except BaseException as exc:
            outcome.append(exc)

    call = asyncio.create_task(store.run(slow))
    while not started.is_set():
        await asyncio.sleep(0.001)
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call
    assert outcome == []  # the caller stopped waiting, the thread is still in the call
    await store.close()
    assert outcome == [[(1,)]]  # close returned only after the call had finished on its open connection
    with pytest.raises(StoreUnavailable, match="closed"):
        await store.run(select_one)


async def test_a_directory_call_after_close_is_refused_and_close_is_idempotent(tmp_path: Path) -> None:
    directory = await Directory(f"sqlite:///{tmp_path / 'dir.sqlite3'}").open()
    sql = directory.sql
    await directory.close()
    await directory.close()
    with pytest.raises(StoreUnavailable):
        await directory.accounts()
    with pytest.raises(StoreUnavailable, match="closed"):
        await sql.fetch("SELECT 1")


def select_one(conn: sqlite3.Connection) -> list[tuple[int]]:
    return conn.execute("SELECT 1").fetchall()


if __name__ == "__main__":
    print(json.dumps(asyncio.run(_stress(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])))))
