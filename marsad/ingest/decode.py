"""Bytes to text: binary check, BOMs, UTF-8, UTF-16 and the legacy Arabic code pages, detected.

Order of decisions (first that applies wins):

1. Known binary magic (PDF, PNG, ...), or NUL/control bytes that are not UTF-16's pattern: binary.
2. A BOM: UTF-8, UTF-16 LE/BE (UTF-32 is refused as binary-looking by 1 unless BOM'd).
3. UTF-16 without BOM, recognised by its byte pattern (every other byte 0x00 or 0x06 for Arabic).
4. Strict UTF-8.
5. Mostly valid UTF-8 with a few broken sequences: an error ("invalid UTF-8 at byte N"), never a guess.
6. Windows-1256 vs ISO-8859-6: decode with both and keep the one that reads as Arabic letters (the two
   put Arabic letters at different codes: ISO text read as cp1256 turns ه و ى ي into ç è é ê, and
   cp1256 text uses bytes such as ف ق ك = 0xDD-0xDF that ISO-8859-6 leaves undefined); a tie (a few
   letters without any of و ي ه ى ف ق ك) goes to the reading with more «ال», then to cp1256.
7. charset-normalizer's best guess for anything else; no guess: an error.
"""

from __future__ import annotations

from dataclasses import dataclass

from marsad.errors import IngestError

_MAGIC = {
    b"%PDF": "PDF document",
    b"\x89PNG": "PNG image",
    b"GIF8": "GIF image",
    b"\xff\xd8\xff": "JPEG image",
    b"\x7fELF": "ELF executable",
    b"SQLite format 3": "SQLite database",
    b"\xd0\xcf\x11\xe0": "MS Office document",
    b"BZh": "bzip2 archive",
    b"\xfd7zXZ": "xz archive",
    b"7z\xbc\xaf": "7z archive",
    b"Rar!": "RAR archive",
    b"PAR1": "Parquet file",
}
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be", "utf-16-be"),
)
_SAMPLE = 65536
_CONTROL = bytes(sorted(set(range(32)) - {9, 10, 12, 13, 27}))


@dataclass(slots=True)
class Decoded:
    """Decoded text, the encoding name recorded in Provenance, and how bytes map to it."""

    text: str
    encoding: str  # utf-8, utf-8-sig, utf-16-le, utf-16-be, cp1256, iso-8859-6, ...
    codec: str  # codec that encodes text back to the source bytes (no BOM)
    bom: int  # bytes of BOM before the text


class ByteOffsets:
    """Map increasing character offsets of a Decoded text to byte offsets in its source."""

    __slots__ = ("_bom", "_byte", "_codec", "_pos", "_text", "_width")

    def __init__(self, dec: Decoded) -> None:
        self._text = dec.text
        self._codec = dec.codec
        self._pos = 0
        self._byte = self._bom = dec.bom
        self._width = 1 if dec.codec in ("cp1256", "iso-8859-6", "latin-1", "ascii") else 0

    def at(self, pos: int) -> int:
        """Byte offset of character ``pos`` (fast when called with non-decreasing positions)."""
        if self._width:
            return self._bom + pos
        if pos < self._pos:  # going backwards: count again from the start
            self._pos, self._byte = 0, self._bom
        self._byte += len(self._text[self._pos:pos].encode(self._codec, "surrogatepass"))
        self._pos = pos
        return self._byte


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when every other byte looks like a UTF-16 high byte (0x00 or 0x06)."""
    if len(sample) < 8:
        return None
    n = len(sample) // 2 * 2
    even, odd = sample[0:n:2], sample[1:n:2]

    def high(b: bytes) -> float:
        return (b.count(0) + b.count(6)) / len(b)

    if high(odd) > 0.8 and high(even) < 0.3:
        return "utf-16-le"
    if high(even) > 0.8 and high(odd) < 0.3:
        return "utf-16-be"
    return None


def _arabic_score(text: str) -> float:
    """Share of non-ASCII characters that are Arabic letters/punctuation (not Latin-1 accented letters)."""
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return 0.0
    arabic = sum(1 for c in non_ascii if "\u0600" <= c <= "\u06ff")
    return arabic / len(non_ascii)


def _legacy_arabic(data: bytes) -> tuple[str, str] | None:
    """Pick cp1256 or iso-8859-6 for legacy Arabic bytes; None when neither reads as Arabic."""
    best: tuple[tuple[float, int], str, str] | None = None
    for enc in ("cp1256", "iso-8859-6"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        sample = text[:_SAMPLE]
        # Tie-break for short texts that read as Arabic both ways: the article ال survives only the
        # right reading (ISO ال read as cp1256 is ان; cp1256 ال read as ISO is اف).
        score = (_arabic_score(sample), sample.count("ال"))
        if best is None or score > best[0]:
            best = (score, enc, text)
    if best is None or best[0][0] < 0.6:
        return None
    return best[2], best[1]


def decode(name: str, data: bytes) -> Decoded:
    """Detect the encoding of ``data`` and decode it, or raise IngestError naming the reason."""
    if not data:
        raise IngestError(name, "empty file")
    kind = _binary_kind(data)
    if kind:
        raise IngestError(name, f"binary file ({kind}), not text")
    for bom, enc, codec in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(codec), enc, codec, len(bom))
            except UnicodeDecodeError as exc:
                raise IngestError(name, f"invalid {codec.upper()} bytes at byte {exc.start + len(bom)}") from None
    sample = data[:_SAMPLE]
    utf16 = _utf16_without_bom(sample)
    if utf16:
        try:
            return Decoded(data.decode(utf16), utf16, utf16, 0)
        except UnicodeDecodeError as exc:
            raise IngestError(name, f"invalid {utf16.upper()} bytes at byte {exc.start}") from None
    controls = len(sample) - len(sample.translate(None, _CONTROL))  # C speed, no Python loop
    if controls > len(sample) * 0.02 or 0 in sample:
        raise IngestError(name, "binary file (NUL or control bytes), not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8", 0)
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    loose = data.decode("utf-8", "replace")
    bad = loose.count("\ufffd")
    good = sum(1 for c in loose if ord(c) > 127) - bad
    if good >= 4 * bad:
        raise IngestError(name, f"invalid UTF-8 bytes at byte {first_bad} ({bad} bad sequence(s)); "
                                "re-save the file as UTF-8")
    legacy = _legacy_arabic(data)
    if legacy:
        return Decoded(legacy[0], legacy[1], legacy[1], 0)
    from charset_normalizer import from_bytes  # imported lazily: only odd inputs get here

    guess = from_bytes(data[:_SAMPLE]).best()
    if guess is not None and guess.encoding:
        try:
            return Decoded(data.decode(guess.encoding), guess.encoding, guess.encoding, 0)
        except (UnicodeDecodeError, LookupError):
            pass
    raise IngestError(name, f"undecodable bytes (not UTF-8/UTF-16/cp1256/ISO-8859-6; first bad byte {first_bad})")
