"""Fuzz every reader with seeded hostile inputs and print counts per reader (documents, errors, failures).

    nice -n 10 .venv/bin/python bench/fuzz_readers.py                 # 10,000 inputs per reader
    nice -n 10 .venv/bin/python bench/fuzz_readers.py -n 200 --only feed --seed 3

A failure is any outcome other than a Document or a one-line IngestError (another exception, a multi-line
message, a Document with text that is not valid Unicode, an input taking more than --limit seconds). Inputs are
read through ``marsad.ingest.read`` from files in a scratch working directory, which must be unchanged afterwards
(nothing written outside the store).
Exit status 1 if anything failed; the first failures are printed with the seed that reproduces them.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fuzz_inputs import ALL

from marsad.errors import IngestError
from marsad.ingest import read
from marsad.model import Document


def check(item: object) -> str | None:
    """Why an outcome breaks the reader contract, or None."""
    if isinstance(item, IngestError):
        msg = str(item)
        if "\n" in msg or "\r" in msg:
            return f"multi-line error: {msg[:200]!r}"
        return None
    if isinstance(item, Document):
        for name in ("text", "title", "url", "published", "author", "site", "category", "language"):
            value = getattr(item, name)
            if value is not None:
                if not isinstance(value, str):
                    return f"Document.{name} is {type(value).__name__}"
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    return f"Document.{name} holds lone surrogates"
        return None
    return f"yielded {type(item).__name__}"


def tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def run(reader: str, n: int, seed: int, workdir: Path, limit: int = 60) -> dict[str, object]:
    gen = ALL[reader]
    docs = errors = 0
    slowest = (0.0, -1)
    failures: list[str] = []
    started = time.perf_counter()
    for i in range(n):
        case_seed = seed * 1_000_003 + i
        name, data, fmt = gen(random.Random(case_seed))
        path = workdir / "in" / name
        path.write_bytes(data)
        began = time.perf_counter()
        signal.alarm(limit)  # a hang is a failure with its seed, not a silent stall of the whole run
        try:
            for item in read([str(path)], format=fmt):
                why = check(item)
                if why:
                    failures.append(f"{reader} seed={case_seed}: {why}")
                elif isinstance(item, Document):
                    docs += 1
                else:
                    errors += 1
        except TimeoutError:
            failures.append(f"{reader} seed={case_seed}: took more than {limit} s")
        except Exception as exc:  # noqa: BLE001 — this is what we are hunting
            tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
            failures.append(f"{reader} seed={case_seed}: raised {tb[:300]}")
        finally:
            signal.alarm(0)
        took = time.perf_counter() - began
        if took > slowest[0]:
            slowest = (took, case_seed)
        path.unlink()
        if (i + 1) % 1000 == 0:
            print(f"  {reader}: {i + 1}/{n} in {time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)
    return {"reader": reader, "inputs": n, "documents": docs, "errors": errors, "failures": failures,
            "seconds": time.perf_counter() - started, "slowest": slowest}


def _timeout(signum: int, frame: object) -> None:
    raise TimeoutError


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=10_000, help="inputs per reader")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", action="append", choices=sorted(ALL), help="readers to fuzz (default: all)")
    ap.add_argument("--limit", type=int, default=60, help="seconds one input may take before it is a failure")
    args = ap.parse_args()
    signal.signal(signal.SIGALRM, _timeout)
    readers = args.only or list(ALL)
    rows = []
    with tempfile.TemporaryDirectory(prefix="marsad-fuzz-") as tmp:
        work = Path(tmp)
        (work / "in").mkdir()
        cwd = os.getcwd()
        os.chdir(work)  # anything a reader wrote relative to the cwd would show up here
        try:
            before = tree(work)
            for reader in readers:
                r = run(reader, args.n, args.seed, work, args.limit)
                rows.append(r)
                print(f"{reader}: {r['inputs']} inputs, {r['documents']} documents, {r['errors']} errors, "
                      f"{len(r['failures'])} failures in {r['seconds']:.0f}s", file=sys.stderr, flush=True)
            after = tree(work)
        finally:
            os.chdir(cwd)
    escaped = [p for p in ("/tmp/marsad_fuzz_escape_abs.txt", "/tmp/marsad_fuzz_escape.txt") if os.path.exists(p)]
    print(f"{'reader':<9} {'inputs':>7} {'documents':>10} {'errors':>7} {'failures':>9} {'inputs/s':>9} "
          f"{'slowest input':>16}")
    failures: list[str] = []
    for r in rows:
        fails = r["failures"]
        assert isinstance(fails, list)
        failures += fails
        print(f"{r['reader']:<9} {r['inputs']:>7} {r['documents']:>10} {r['errors']:>7} {len(fails):>9} "
              f"{int(r['inputs']) / float(r['seconds']):>9.0f} "  # type: ignore[arg-type]
              f"{r['slowest'][0]:>6.2f} s (seed {r['slowest'][1]})")  # type: ignore[index]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:.0f} MB · files left in the scratch cwd: {sorted(after - before) or 'none'} · "
          f"files escaped: {escaped or 'none'}")
    for line in failures[:20]:
        print("FAIL", line)
    return 1 if failures or after != before or escaped else 0


if __name__ == "__main__":
    sys.exit(main())
