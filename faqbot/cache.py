"""A folder of NumPy arrays keyed by the content they were computed from, so a restart doesn't redo the work."""

from __future__ import annotations

import hashlib
import logging
import os
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

_log = logging.getLogger(__name__)
# Each edit of the corpus leaves a file behind; the newest few of each kind are plenty to come back to.
KEEP_PER_KIND = 8


def default_cache_dir() -> Path:
    """Where results are kept between starts: $XDG_CACHE_HOME/faqbot, else ~/.cache/faqbot."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "faqbot"


def default_data_dir() -> Path:
    """Where records are kept: $XDG_DATA_HOME/faqbot, else ~/.local/share/faqbot."""
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "faqbot"


def content_key(parts: Iterable[str]) -> str:
    """A short hash of the texts a result was computed from (NUL-separated, so parts can't run together)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


class ArrayCache:
    """Arrays saved as `<kind>-<key>.npz` (never pickles); unreadable or missing files are simply recomputed."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def load(self, kind: str, key: str) -> dict[str, NDArray[Any]] | None:
        """The arrays saved under this kind and key, or None."""
        if self.folder is None:
            return None
        path = self.folder / f"{kind}-{key}.npz"
        if not path.exists():
            return None
        try:
            # Opened here, not by np.load, which leaves its handle open when the file is not a zip at all.
            with path.open("rb") as handle, np.load(handle, allow_pickle=False) as saved:
                return {name: saved[name] for name in saved.files}
        except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error):
            _log.warning("ignoring an unreadable %s cache file", kind)
            return None

    def save(self, kind: str, key: str, arrays: Mapping[str, NDArray[Any]]) -> None:
        """Write atomically (another worker never reads half a file); a read-only cache only costs time."""
        if self.folder is None:
            return
        path = self.folder / f"{kind}-{key}.npz"
        partial = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            np.savez(partial, allow_pickle=False, **arrays)
            partial.replace(path)
            self._prune(kind)
        except OSError:
            _log.warning("could not write the %s cache; it is recomputed at each start", kind)

    def _prune(self, kind: str) -> None:
        assert self.folder is not None
        saved = sorted(self.folder.glob(f"{kind}-*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in saved[KEEP_PER_KIND:]:
            stale.unlink(missing_ok=True)


def pack_strings(texts: Sequence[str]) -> NDArray[np.uint8]:
    """Strings without newlines as one UTF-8 byte array (a string array would pad every entry to the longest)."""
    joined = "\n".join(texts)
    if joined.count("\n") != max(len(texts) - 1, 0):
        raise ValueError("a packed string may not contain a newline")
    return np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8)


def unpack_strings(packed: NDArray[np.uint8], count: int) -> list[str]:
    """The `count` strings `pack_strings` packed (ValueError if there are not that many)."""
    texts = packed.tobytes().decode("utf-8", "surrogatepass").split("\n") if count else []
    if len(texts) != count:
        raise ValueError(f"expected {count} packed strings, found {len(texts)}")
    return texts
