"""Crash safety: SIGKILL a process in the middle of writing batches; the store must open, pass its integrity
checks, hold only whole batches (never half an article), and a re-run must complete the set with no duplicate."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from marsad.store import open_store

BATCH, DOCS = 50, 600

WRITER = f"""
import sys
from marsad.model import Analysis, Document, Mention, Paragraph, Provenance
from marsad.store import open_store

def make(i):
    paras = [f"فقرة {{j}} من الخبر رقم {{i}} عن الاتفاق بين تونس والمغرب وإسرائيل" for j in range(8)]
    text = "\\n".join(paras)
    a = Analysis(Document(text=text, provenance=Provenance(source=f"crash/{{i}}.txt", format="page")))
    start = 0
    for j, p in enumerate(paras, 1):
        a.paragraphs.append(Paragraph(j, start, start + len(p)))
        a.mentions.append(Mention("GPE", start + p.index("تونس"), start + p.index("تونس") + 4, "تونس", j, "تونس"))
        start += len(p) + 1
    return a

docs = [make(i) for i in range({DOCS})]
with open_store(sys.argv[1]) as store:
    print("ready", flush=True)
    for k in range(0, len(docs), {BATCH}):
        store.add(docs[k:k + {BATCH}])
print("done", flush=True)
"""


def run_writer(db: Path, kill_after: float | None) -> str:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    if kill_after is None:
        proc.wait(timeout=120)
        return proc.stdout.read()
    time.sleep(kill_after)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return proc.stdout.read()


@pytest.mark.slow
def test_sigkill_while_writing_never_leaves_half_an_article(tmp_path: Path) -> None:
    rng = random.Random(7)
    for trial in range(6):
        db = tmp_path / f"crash{trial}.db"
        run_writer(db, kill_after=rng.uniform(0.0, 0.6))
        with open_store(db) as store:
            assert store.verify() == []
            stats = store.stats()
            assert stats["documents"] % BATCH == 0  # whole batches only
            assert stats["paragraphs"] == 8 * stats["documents"] == stats["mentions"]
            assert store.search("تونس").total == stats["documents"]  # index agrees with the table
        assert "done" in run_writer(db, kill_after=None)  # the same ingest again completes the set
        with open_store(db) as store:
            stats = store.stats()
            assert (stats["documents"], stats["sources"]) == (DOCS, DOCS)
            assert store.verify() == []
