"""Conversation state per thread or DM, kept in the shared store (in memory unless `[store] url` names Redis)."""

from __future__ import annotations

import json
import logging
import threading

from faqbot.engine import Engine
from faqbot.models import Reply

from ..store import MemoryStore, Store, StoreDown, TTLCache

__all__ = ["Conversations", "MemoryStore", "TTLCache"]

log = logging.getLogger(__name__)
STATE_PREFIX = "slack:state:"


class Conversations:
    """Conversation state per thread or DM: the only thing the adapter remembers about people."""

    def __init__(self, engine: Engine, store: Store, ttl_seconds: float) -> None:
        self._engine = engine
        self._store = store
        self._ttl = ttl_seconds
        # A turn is get-respond-put; the lock stops two messages in one thread losing a turn (about 1 ms a turn, a few
        # ms for a 1,000-character message). Across processes two messages in one thread within that window can
        # still both start from the same state; the later write wins.
        self._lock = threading.Lock()

    def turn(self, key: str, text: str) -> Reply:
        """Answer `text` in conversation `key` and remember the new state.

        When the shared store is down the question is still answered, as the start of a new conversation: a reply
        out of context is better than none, and the emergency reply never depends on the store.
        """
        with self._lock:
            try:
                stored = self._store.get(STATE_PREFIX + key)
            except StoreDown:
                stored = None
                log.info("conversation state unavailable; answered without it")
            reply = self._engine.respond(text, None if stored is None else json.loads(stored))
            try:
                self._store.put(STATE_PREFIX + key, json.dumps(reply.state, separators=(",", ":")), self._ttl)
            except StoreDown:
                log.info("conversation state not saved; the next turn starts afresh")
            return reply
