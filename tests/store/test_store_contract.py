"""One contract, two stores: the in-memory default and Redis must behave the same to the adapters."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from adapters.redis_store import RedisStore
from adapters.store import MemoryStore, Store

StoreFactory = Callable[[], Store]


@pytest.fixture(params=["memory", "redis"])
def make_store(request: pytest.FixtureRequest) -> Iterator[StoreFactory]:
    """Stores that share one backing store: one MemoryStore, or one Redis database behind separate clients."""
    opened: list[Store] = []
    memory = MemoryStore(1000)

    def make() -> Store:
        if request.param == "memory":
            return memory
        opened.append(RedisStore(request.getfixturevalue("redis_url")))
        return opened[-1]

    if request.param == "redis":
        request.getfixturevalue("redis_url")  # empty the database once, before the first client
    yield make
    for store in opened:
        store.close()


def test_add_is_true_once_until_it_expires(make_store: StoreFactory) -> None:
    store = make_store()
    assert store.add("event:Ev1", 0.3)
    assert not store.add("event:Ev1", 0.3)
    assert not make_store().add("event:Ev1", 0.3)  # another process sees it too
    assert store.add("event:Ev2", 0.3)
    time.sleep(0.4)
    assert store.add("event:Ev1", 0.3)


def test_exactly_one_of_many_racing_adds_wins(make_store: StoreFactory) -> None:
    stores = [make_store() for _ in range(4)]
    keys = [f"event:Ev{n}" for n in range(50)]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda job: stores[job % 4].add(keys[job // 8], 60), range(8 * len(keys))))
    assert sum(results) == len(keys)


def test_put_and_get_keep_a_value_until_it_expires(make_store: StoreFactory) -> None:
    store = make_store()
    assert store.get("state:thread:C1:1") is None
    store.put("state:thread:C1:1", '{"turns":1}', 0.3)
    assert make_store().get("state:thread:C1:1") == '{"turns":1}'
    store.put("state:thread:C1:1", '{"turns":2}', 0.3)
    assert store.get("state:thread:C1:1") == '{"turns":2}'
    time.sleep(0.4)
    assert store.get("state:thread:C1:1") is None


def test_take_allows_a_burst_then_names_the_wait(make_store: StoreFactory) -> None:
    store, other = make_store(), make_store()
    assert [store.take("rate:a", 3, 60), other.take("rate:a", 3, 60), store.take("rate:a", 3, 60)] == [0, 0, 0]
    wait = other.take("rate:a", 3, 60)
    assert 19 < wait <= 20  # one token comes back every 20 s
    assert store.take("rate:b", 3, 60) == 0  # buckets are per key


def test_take_refills_over_time(make_store: StoreFactory) -> None:
    store = make_store()
    assert [store.take("rate:a", 2, 0.4), store.take("rate:a", 2, 0.4)] == [0, 0]
    assert 0 < store.take("rate:a", 2, 0.4) <= 0.2
    time.sleep(0.25)
    assert store.take("rate:a", 2, 0.4) == 0


def test_close_is_allowed(make_store: StoreFactory) -> None:
    make_store().close()
