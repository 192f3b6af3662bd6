"""The engine in service, swapped for a rebuilt one when the documents change (SIGHUP or watching the corpus)."""

from __future__ import annotations

import logging
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from faqbot.corpus import CorpusError
from faqbot.engine import Engine
from faqbot.settings import EngineSettings

log = logging.getLogger("faqbot.reload")
# Milliseconds of quiet after a change before rebuilding: an editor's save (write, rename, metadata) or a copied
# folder arrives as a burst of events, and one rebuild should follow the whole burst (watchfiles' default, 50 ms,
# rebuilt halfway through one). A stream of changes with no such pause is still read every DEBOUNCE_MS.
QUIET_MS = 500
DEBOUNCE_MS = 5000


class EngineHolder:
    """The current engine behind one reference: readers take `.engine` once per request, reloads swap it whole."""

    def __init__(self, build: Callable[[], Engine], engine: Engine | None = None) -> None:
        self._build = build
        # A plain attribute: reading or rebinding it is atomic under the GIL, so readers never take a lock, and a
        # request that already holds the old engine finishes on it.
        self._engine = engine if engine is not None else build()
        self._lock = threading.Lock()
        self._last_start = 0.0
        self._last_result = True

    @classmethod
    def from_settings(cls, settings: EngineSettings) -> EngineHolder:
        """A holder whose engine is built (and rebuilt) from these settings' corpus folder."""
        return cls(lambda: Engine.from_settings(settings))

    @classmethod
    def fixed(cls, engine: Engine) -> EngineHolder:
        """A holder for an engine that is never rebuilt (tests, embedding)."""
        return cls(lambda: engine, engine)

    @classmethod
    def of(cls, engine: Engine | EngineHolder) -> EngineHolder:
        """The holder itself, or a fixed one for a bare engine: what every adapter that takes either keeps."""
        return engine if isinstance(engine, EngineHolder) else cls.fixed(engine)

    @property
    def engine(self) -> Engine:
        """The engine to answer with now."""
        return self._engine

    def reload(self) -> bool:
        """Rebuild from the documents and swap the new engine in; on failure keep the current one and log one line.

        Returns whether the engine in service now reflects the documents as they were when this was called.
        """
        asked = time.monotonic()
        with self._lock:
            if self._last_start > asked:
                # A rebuild that began after this request read the folder already: nothing newer to read.
                return self._last_result
            self._last_start = time.monotonic()
            try:
                engine = self._build()
            except Exception as error:  # any failure must leave the last good engine serving
                log.error("reload failed, still serving the previous documents: %s", _reason(error))
                self._last_result = False
                return False
            self._engine = engine
            elapsed = time.monotonic() - self._last_start
            log.info("reloaded the documents: %d sections in %.1f s", len(engine.kb.pairs), elapsed)
            self._last_result = True
            return True

    def reload_in_background(self) -> threading.Thread:
        """Start a reload on its own thread (signal handlers and event loops must not wait for a build)."""
        thread = threading.Thread(target=self.reload, name="faqbot-reload", daemon=True)
        thread.start()
        return thread


def _reason(error: Exception, doing: str = "building the index") -> str:
    """One line naming what went wrong: CorpusError messages name the file and the reason; anything else is
    named by its type and where it was raised, never by its message, which could quote a document."""
    if isinstance(error, CorpusError):
        return " ".join(str(error).split())
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"unexpected {type(error).__name__}{where} while {doing}"


@contextmanager
def reload_on_sighup(holder: EngineHolder) -> Iterator[None]:
    """While inside, SIGHUP reloads the documents (main thread only; the previous handler is restored after)."""

    def on_hup(signum: int, frame: FrameType | None) -> None:
        holder.reload_in_background()

    previous = signal.signal(signal.SIGHUP, on_hup)
    try:
        yield
    finally:
        signal.signal(signal.SIGHUP, previous)


class CorpusWatcher:
    """A thread that reloads the holder after each burst of changes in the corpus folder."""

    def __init__(self, holder: EngineHolder, folder: Path, quiet_ms: int = QUIET_MS) -> None:
        self._holder = holder
        self._folder = folder
        self._quiet = quiet_ms
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="faqbot-watch", daemon=True)

    def start(self) -> CorpusWatcher:
        """Begin watching."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop watching and wait for the thread (watchfiles checks the stop event between its waits)."""
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        try:
            watched = None
            while not self._stop.is_set():
                current = _identity(self._folder)
                if current is None:  # gone (deleted, or mid-replacement): look again shortly
                    self._stop.wait(self._quiet / 1000)
                    continue
                if watched is not None and current != watched:
                    self._holder.reload()  # a folder replaced whole (mv, a switched symlink) brings no event
                watched = current
                self._watch(current)
        except Exception as error:  # an exhausted inotify limit, say: must not go unnoticed
            log.error("stopped watching %s: %s", self._folder, _reason(error, "watching"))

    def _watch(self, identity: tuple[int, int]) -> None:
        """Reload after each burst of changes until told to stop or the folder is no longer the one watched."""
        import watchfiles  # here: only watching processes load it

        # yield_on_timeout: an empty batch every second, to notice a folder replaced without an event inside it.
        for batch in watchfiles.watch(
            self._folder,
            step=self._quiet,
            debounce=DEBOUNCE_MS,
            stop_event=self._stop,
            rust_timeout=1000,
            yield_on_timeout=True,
            raise_interrupt=False,
        ):
            if _identity(self._folder) != identity:
                return
            if batch:
                self._holder.reload()


def _identity(folder: Path) -> tuple[int, int] | None:
    """Which folder the path names now (device and inode, through symlinks); None when there is none."""
    try:
        status = folder.stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino


@contextmanager
def watching(holder: EngineHolder, folder: Path | None) -> Iterator[None]:
    """While inside, changes under `folder` reload the documents (nothing when `folder` is None)."""
    if folder is None:
        yield
        return
    # watchfiles logs "N changes detected" at INFO for every batch; the reload's own line says what matters.
    logging.getLogger("watchfiles").setLevel(logging.WARNING)
    watcher = CorpusWatcher(holder, folder).start()
    log.info("watching %s for changes", folder)
    try:
        yield
    finally:
        watcher.stop()
