"""Turn user inputs (paths, folders, globs, ``-``, .gz/.zip/.tar archives) into named byte blobs.

Everything is read into memory one source at a time, with hard caps, so a hostile input (zip bomb,
endless stdin, huge single-line file) costs at most the cap and becomes one IngestError.
Archive members are read, never extracted: a member called ``../../etc/x`` is only a name.
"""

from __future__ import annotations

import glob
import io
import os
import sys
import tarfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

from marsad.errors import IngestError

MB = 1024 * 1024
#: Largest plain file or stdin read whole (beyond: one error, nothing read).
MAX_FILE_BYTES = 1024 * MB
#: Plain files above this size are not read whole when their format can stream (JSONL).
STREAM_BYTES = 64 * MB
#: Largest decompressed archive member (.zip member or .gz content): a zip-bomb guard.
MAX_MEMBER_BYTES = 200 * MB
_CHUNK = 1 * MB

#: Files skipped silently when walking a folder (never when named explicitly): corpus documentation.
_DOC_STEMS = ("readme", "license", "licence", "copying", "notice", "changelog", "citation", "source",
              "authors", "contributing")
_SKIP_EXT = (".md", ".rst", ".pyc", ".py", ".sh", ".png", ".jpg", ".jpeg", ".gif", ".pdf")


@dataclass(slots=True)
class Blob:
    """The bytes of one source (file, stdin, archive member) and the name to report it under."""

    name: str
    data: bytes  # the whole source; for a streamed file only its head (up to a line end)
    stream_size: int = 0  # > 0: a plain file too big to hold, read again from ``name`` in a stream


def _is_doc_file(filename: str) -> bool:
    low = filename.lower()
    stem = low.split(".", 1)[0]
    return low.startswith(".") or stem in _DOC_STEMS or low.endswith(_SKIP_EXT)


def _walk(folder: str) -> Iterator[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if not _is_doc_file(f):
                yield os.path.join(root, f)


def _read_capped(stream: IO[bytes], cap: int, name: str, what: str) -> bytes:
    """Read a stream whole, or raise IngestError once it passes ``cap`` bytes."""
    parts: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return b"".join(parts)
        total += len(chunk)
        if total > cap:
            raise IngestError(name, f"{what} larger than {cap // MB} MB; not read")
        parts.append(chunk)


def _gunzip(name: str, data: bytes) -> bytes:
    """Decompress gzip data (all members) with the size cap; truncation is an IngestError."""
    out: list[bytes] = []
    total = 0
    rest = data
    try:
        while rest:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            buf = rest
            # stop at the member's end: with max_length, zlib leaves the next member in unconsumed_tail as well
            # as in unused_data, and feeding that tail again loops forever (found by bench/fuzz_readers.py)
            while buf and not d.eof:
                chunk = d.decompress(buf, _CHUNK)
                total += len(chunk)
                if total > MAX_MEMBER_BYTES:
                    raise IngestError(name, f"decompressed size larger than {MAX_MEMBER_BYTES // MB} MB; "
                                            "not read (zip bomb?)")
                out.append(chunk)
                buf = d.unconsumed_tail
            if not d.eof:
                raise IngestError(name, "truncated gzip archive (compressed data ends early)")
            rest = d.unused_data.lstrip(b"\x00")
    except zlib.error as exc:
        raise IngestError(name, f"corrupt gzip archive ({exc})") from None
    return b"".join(out)


def _zip_members(name: str, data: bytes) -> Iterator[Blob | IngestError]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield IngestError(name, f"truncated or corrupt zip archive ({exc})")
        return
    with zf:
        wanted = [i for i in zf.infolist() if not i.is_dir() and not _is_doc_file(i.filename.rsplit("/", 1)[-1])]
        if not wanted:
            yield IngestError(name, "zip archive holds no readable files")
        for info in wanted:
            member = f"{name}!{info.filename}"
            if info.file_size > MAX_MEMBER_BYTES:
                yield IngestError(member, f"decompressed size {info.file_size // MB} MB exceeds "
                                          f"{MAX_MEMBER_BYTES // MB} MB; not read (zip bomb?)")
                continue
            try:
                with zf.open(info) as fh:
                    body = _read_capped(fh, MAX_MEMBER_BYTES, member, "decompressed member")
            except IngestError as exc:
                yield exc
                continue
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError,
                    NotImplementedError) as exc:  # ValueError: a corrupt header offset ("negative seek value")
                yield IngestError(member, f"cannot read zip member ({exc})")
                continue
            yield from _unpack(Blob(member, body), depth=1)


def _tar_members(name: str, data: bytes) -> Iterator[Blob | IngestError]:
    try:
        tf = tarfile.open(fileobj=io.BytesIO(data), mode="r:")  # noqa: SIM115 — closed by the with below
        members = tf.getmembers()
    except (tarfile.TarError, EOFError, OSError) as exc:
        yield IngestError(name, f"truncated or corrupt tar archive ({exc})")
        return
    with tf:
        wanted = [m for m in members if m.isfile() and not _is_doc_file(m.name.rsplit("/", 1)[-1])]
        if not wanted:
            yield IngestError(name, "tar archive holds no readable files")
        for info in wanted:
            member = f"{name}!{info.name}"
            if info.size > MAX_MEMBER_BYTES:
                yield IngestError(member, f"member size {info.size // MB} MB exceeds {MAX_MEMBER_BYTES // MB} MB")
                continue
            try:
                fh = tf.extractfile(info)
                body = fh.read(info.size) if fh is not None else b""
            except (tarfile.TarError, EOFError, OSError) as exc:
                yield IngestError(member, f"cannot read tar member ({exc})")
                continue
            if len(body) < info.size:
                yield IngestError(member, "truncated tar archive (member ends early)")
                continue
            yield from _unpack(Blob(member, body), depth=1)


def _unpack(blob: Blob, depth: int = 0) -> Iterator[Blob | IngestError]:
    """Open archives by their magic bytes (not their names); pass other blobs through."""
    data = blob.data
    if data[:2] == b"\x1f\x8b" and depth < 3:
        try:
            inner = _gunzip(blob.name, data)
        except IngestError as exc:
            yield exc
            return
        # The name stays "x.jsonl.gz" (the file the user can find); sniffing ignores the .gz suffix.
        yield from _unpack(Blob(blob.name, inner), depth + 1)
        return
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06") and depth < 3:
        yield from _zip_members(blob.name, data)
        return
    if data[257:262] == b"ustar" and depth < 3:
        yield from _tar_members(blob.name, data)
        return
    yield blob


def _read_file(path: str) -> Iterator[Blob | IngestError]:
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            if size > STREAM_BYTES:
                head = fh.read(_CHUNK)
                if not head.startswith((b"\x1f\x8b", b"PK")) and head[257:262] != b"ustar":
                    cut = head.rfind(b"\n")
                    yield Blob(path, head[:cut + 1] if cut > 0 else head, stream_size=size)
                    return
                fh.seek(0)
            data = fh.read()
    except OSError as exc:
        yield IngestError(path, f"cannot read ({exc.strerror or exc})")
        return
    yield from _unpack(Blob(path, data))


def read_whole(blob: Blob) -> Blob | IngestError:
    """The full bytes of a streamed blob, for formats that need the whole source."""
    if blob.stream_size > MAX_FILE_BYTES:
        return IngestError(blob.name, f"file larger than {MAX_FILE_BYTES // MB} MB; only JSONL is read "
                                      "in a stream")
    try:
        with open(blob.name, "rb") as fh:
            return Blob(blob.name, fh.read())
    except OSError as exc:
        return IngestError(blob.name, f"cannot read ({exc.strerror or exc})")


def iter_blobs(inputs: Iterable[str]) -> Iterator[Blob | IngestError]:
    """Expand inputs in order: ``-`` (stdin), folders (recursive, sorted), globs, files, archives."""
    for item in map(os.fspath, inputs):
        if item == "-":
            try:
                data = _read_capped(sys.stdin.buffer, MAX_FILE_BYTES, "-", "standard input")
            except IngestError as exc:
                yield exc
                continue
            yield from _unpack(Blob("-", data))
        elif os.path.isdir(item):
            found = False
            for path in _walk(item):
                found = True
                yield from _read_file(path)
            if not found:
                yield IngestError(item, "folder holds no readable files")
        elif os.path.exists(item):
            yield from _read_file(item)
        elif any(c in item for c in "*?["):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                yield IngestError(item, "pattern matched no files")
            for path in matches:
                if os.path.isdir(path):
                    yield from (b for p in _walk(path) for b in _read_file(p))
                else:
                    yield from _read_file(path)
        else:
            yield IngestError(item, "no such file or folder")

