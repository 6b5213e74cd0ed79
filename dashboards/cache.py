"""A small in-process memory of recent answers, shared by the threads of one worker.

MUSOYA_DASHBOARD_CACHE_SECONDS in the environment overrides every lifetime (0 turns the memory off: the benchmark
measures the callbacks' real work that way).
"""
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class RecentCache:
    """The last answers computed, by key, for a short while (bounded in size and age)."""

    def __init__(self, size: int = 64, seconds: float = 120):
        override = os.environ.get("MUSOYA_DASHBOARD_CACHE_SECONDS")
        self.size, self.seconds = size, float(override) if override else seconds
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, build: Callable[[], object]) -> object:
        now = time.monotonic()
        with self._lock:
            found = self._items.get(key)
            if found and now - found[0] < self.seconds:
                return found[1]
        value = build()
        with self._lock:
            self._items[key] = (now, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = (time.monotonic(), value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
