"""Ready answers of entity lookups, kept until the store changes.

``GET /entities/{kind}/{slug}`` reads an entity's labels, types, reports,
mentions and a page of facts: half a dozen queries, about 2 ms for most
entities and far more for one named in thousands of reports. The store
only changes when a report is built, uploaded or removed, so the rendered
JSON of each answer is kept (:class:`EntityCache`, least recently used out
first, within ``entity_cache_mb``) and, after start-up and after every
write, a background thread renders every entity's first page in advance
(:meth:`EntityCache.warm_up`). A write empties the cache at once
(:func:`marketgraph.api.deps.store_changed`), so no answer outlives the
data it was read from; an answer computed while a write happened is not
kept. A remote store can change behind the server's back, so it gets no
cache.

>>> cache = EntityCache(max_bytes=10)
>>> cache.put(("org", "a"), b"12345", cache.generation)
>>> cache.get(("org", "a"))
b'12345'
>>> cache.invalidate()
>>> cache.get(("org", "a")) is None
True
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator

from marketgraph.api import models
from marketgraph.errors import MarketGraphError
from marketgraph.graph import queries
from marketgraph.graph.store import MarketStore
from marketgraph.settings import Settings

log = logging.getLogger(__name__)

#: What an entity lookup's answer depends on: kind, slug, limit, offset, mention_limit.
EntityKey = tuple[str, str, int, int, int]


class EntityCache:
    """Rendered answers by key, at most ``max_bytes`` of them, valid for one store state.

    ``generation`` counts the store's changes seen; an answer is only kept
    when it was computed within the current generation.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.generation = 0
        #: Whether the last warm-up rendered every entity (or filled the cache).
        self.warm = False
        self._answers: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def __len__(self) -> int:
        return len(self._answers)

    @property
    def size(self) -> int:
        """Bytes held."""
        return self._size

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            body = self._answers.get(key)
            if body is not None:
                self._answers.move_to_end(key)
            return body

    def put(self, key: Hashable, body: bytes, generation: int) -> None:
        """Keep ``body`` unless the store changed since ``generation`` or it is too big."""
        with self._lock:
            if generation != self.generation or key in self._answers:
                return
            if len(body) > self.max_bytes:
                return
            self._answers[key] = body
            self._size += len(body)
            while self._size > self.max_bytes:
                _, dropped = self._answers.popitem(last=False)
                self._size -= len(dropped)

    def invalidate(self) -> None:
        """Forget every answer (the store changed); a running warm-up stops."""
        with self._lock:
            self.generation += 1
            self.warm = False
            self._answers.clear()
            self._size = 0

    def warm_up(
        self, keys: Callable[[], Iterable[Hashable]], render: Callable[[Hashable], bytes]
    ) -> threading.Thread:
        """Render the answer of every key in a background thread, until full or outdated.

        ``keys`` is called in the thread (listing them reads the store too);
        a key whose rendering fails with a marketgraph error is skipped.
        """
        generation = self.generation

        def work() -> None:
            try:
                for key in keys():
                    if generation != self.generation:
                        return
                    if self._size >= self.max_bytes:
                        break
                    if self.get(key) is None:
                        try:
                            body = render(key)
                        except MarketGraphError:
                            continue
                        self.put(key, body, generation)
            except Exception:
                if generation == self.generation:  # else the store changed or closed
                    log.exception("the entity cache warm-up failed; answers are computed on demand")
                return
            with self._lock:
                if generation == self.generation:
                    self.warm = True

        thread = threading.Thread(target=work, name="entity-cache-warm-up", daemon=True)
        self._thread = thread
        thread.start()
        return thread

    def wait(self, seconds: float) -> bool:
        """Wait (up to ``seconds``) for a running warm-up to end; True when none runs."""
        if self._thread is not None:
            self._thread.join(seconds)
            return not self._thread.is_alive()
        return True

    def close(self, seconds: float = 10.0) -> None:
        """Forget every answer and wait (up to ``seconds``) for a warm-up to stop."""
        self.invalidate()
        self.wait(seconds)


def etag(body: bytes) -> str:
    """A strong entity tag of an answer: a digest of its bytes, quoted.

    >>> etag(b"{}") == etag(b"{}") != etag(b"[]")
    True
    """
    return f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}"'


def render_entity(store: MarketStore, key: EntityKey) -> bytes:
    """The JSON answer of an entity lookup.

    Raises:
        InputError, UnknownEntity: as :func:`marketgraph.graph.queries.entity_detail`.
    """
    kind, slug, limit, offset, mention_limit = key
    detail = queries.entity_detail(
        store, kind, slug, limit=limit, offset=offset, mention_limit=mention_limit
    )
    return models.EntityDetail.model_validate(detail).model_dump_json().encode()


def first_pages(store: MarketStore) -> Iterator[EntityKey]:
    """The key of every entity's default answer (first page of facts and mentions)."""
    for kind, slug in queries.entity_keys(store):
        yield (kind, slug, queries.FACT_LIMIT, 0, queries.MENTION_LIMIT)


def cache_for(settings: Settings) -> EntityCache | None:
    """A cache as the settings size it; None when off or over a remote store."""
    if settings.entity_cache_mb <= 0 or settings.backend == "sparql":
        return None
    return EntityCache(settings.entity_cache_mb * 1024 * 1024)


def refresh(cache: EntityCache | None, store: MarketStore) -> threading.Thread | None:
    """Forget every answer (the store changed) and render them again in the background.

    Returns the warm-up thread (None without a cache).
    """
    if cache is None:
        return None
    cache.invalidate()
    return cache.warm_up(lambda: first_pages(store), lambda key: render_entity(store, key))
