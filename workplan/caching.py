"""Keeping what is costly to build: rendered pages and feeds, reused until their data changes.

Each worker process keeps its own; the key names what was built (a feed's scope, a page and its
language) and the version it was built from (an ETag, the audit log's position), so a change
anywhere is never served stale: the next request finds a different version and builds again.
"""

import threading
import time
from collections import OrderedDict


class BodyCache:
    """Built bodies by key, each with the version (ETag) it was built for, bounded by size.

    One entry per key: a newer version replaces the older body. Builds of one key are serialised
    in this process so that a burst of requests after a change builds once. Beside the bodies,
    small answers (a feed's validator) are remembered with the clock they were computed at, and
    trusted for a while as long as that clock stands still.
    """

    def __init__(self, max_bytes: int, trust_seconds: float = 60.0, memo_max: int = 10_000):
        self.max_bytes = max_bytes
        self.trust_seconds = trust_seconds
        self.memo_max = memo_max
        self._entries: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self._building: dict[str, threading.Lock] = {}
        self._memo: dict[tuple, tuple[tuple, float, object]] = {}
        self.builds = 0

    def known(self, key: tuple, clock: tuple):
        """The answer computed at this clock, while it is still trusted; else None."""
        with self._lock:
            entry = self._memo.get(key)
        if entry is None or entry[0] != clock:
            return None
        if time.monotonic() - entry[1] >= self.trust_seconds:
            return None
        return entry[2]

    def remember(self, key: tuple, clock: tuple, answer) -> None:
        """Keep an answer with the clock it was computed at."""
        with self._lock:
            if len(self._memo) >= self.memo_max:
                self._memo.clear()
            self._memo[key] = (clock, time.monotonic(), answer)

    def get(self, key: str, etag: str) -> bytes | None:
        """The body built for this ETag, if it is still here."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != etag:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: str, etag: str, body: bytes) -> None:
        """Keep a body, dropping the least recently used ones beyond the size bound."""
        if len(body) > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old[1])
            self._entries[key] = (etag, body)
            self._size += len(body)
            while self._size > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._size -= len(dropped)

    def building(self, key: str) -> threading.Lock:
        """The lock that one build of this scope holds."""
        with self._lock:
            return self._building.setdefault(key, threading.Lock())

    def clear(self) -> None:
        """Forget every body."""
        with self._lock:
            self._entries.clear()
            self._memo.clear()
            self._size = 0
