"""Engines that map a pure per-document function over a stream of documents.

:func:`map_documents` runs in this process by default; with
``engine="dask"`` it hands the work to :func:`dask_map`, which runs it on a
Dask cluster: a ``LocalCluster`` on this machine, or an existing cluster whose
scheduler address is given (``tcp://host:port``).

How the work is shipped matters more than the number of workers:

* documents go out in batches (by count and by characters), one task per batch;
* each batch is scattered to a worker before its task is submitted, so the task
  graph stays small whatever the corpus size;
* the number of batches in flight is bounded, so memory in this process and on
  the workers does not grow with the corpus, and results come back in input
  order as soon as the head batch is done;
* results should be compact (rows or counts): shipping token lists back costs
  more in serialisation than the tokenising itself.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

logger = logging.getLogger(__name__)

#: Most documents in one task. Batches are pinned to the worker they are
#: scattered to, so they must be small enough for the last ones to balance:
#: on 2 workers, batches of 64 documents / 200,000 characters gave 1.33x over
#: one worker, batches of 8 / 50,000 gave 1.77x (clean+segment+metrics, 86
#: reports); per-document tasks 1.66x (scheduling overhead).
BATCH_ITEMS = 8
#: Most characters (of the text fields of the documents) in one task.
BATCH_CHARS = 50_000
#: Batches in flight per worker thread (queued, running or not yet collected).
IN_FLIGHT_PER_THREAD = 3
#: How long to wait for an existing scheduler before giving up.
CONNECT_TIMEOUT = "10s"

_ADDRESS = re.compile(r"^(?:(?P<scheme>[a-z][a-z0-9+.-]*)://)?(?P<host>[^:/\s]+):\d+$")
_SCHEMES = {"tcp", "tls", "ucx", "ws", "wss", "inproc"}


def _apply_batch(func: Callable[[Any], Any], batch: list[Any]) -> list[Any]:
    """Apply ``func`` to every document of one batch (runs on a worker)."""
    return [func(item) for item in batch]


def _weight(item: Any) -> int:
    """Approximate size of a document in characters, for batching."""
    if isinstance(item, str | bytes):
        return len(item)
    if isinstance(item, Mapping):
        return sum(len(v) for v in item.values() if isinstance(v, str | bytes))
    if isinstance(item, tuple | list):
        return sum(len(v) for v in item if isinstance(v, str | bytes))
    return 0


def batches(
    items: Iterable[Any], *, max_items: int = BATCH_ITEMS, max_chars: int = BATCH_CHARS
) -> Iterator[list[Any]]:
    """Group a stream of documents into lists, lazily.

    A batch closes when it holds ``max_items`` documents or at least
    ``max_chars`` characters of text (a single larger document forms a batch of
    its own).

    Args:
        items: Documents (strings, mappings of fields, or any object).
        max_items: Most documents per batch.
        max_chars: Character budget per batch.

    Yields:
        Non-empty lists of consecutive documents, in input order.
    """
    batch: list[Any] = []
    chars = 0
    for item in items:
        batch.append(item)
        chars += _weight(item)
        if len(batch) >= max_items or chars >= max_chars:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def check_scheduler_address(address: str) -> str:
    """Validate a scheduler address and return it with a scheme.

    Args:
        address: ``tcp://host:port`` (``host:port`` is read as TCP).

    Returns:
        The address, e.g. ``tcp://10.0.0.5:8786``.

    Raises:
        ValueError: If the address is not ``scheme://host:port``.
    """
    address = address.strip()
    match = _ADDRESS.match(address)
    scheme = match and (match.group("scheme") or "tcp")
    if not match or scheme not in _SCHEMES:
        raise ValueError(
            f"invalid Dask scheduler address {address!r}: expected tcp://HOST:PORT"
        )
    return address if "://" in address else f"tcp://{address}"


def _import_distributed() -> Any:
    """Import ``distributed`` or explain how to install it."""
    try:
        import distributed
    except ImportError as exc:  # pragma: no cover - dask is pinned in the env
        raise RuntimeError(
            "the dask engine needs the 'dask' and 'distributed' packages: "
            "pip install 'citytext[dask]'"
        ) from exc
    return distributed


@contextlib.contextmanager
def local_cluster(workers: int | None = None) -> Iterator[Any]:
    """Start a quiet ``LocalCluster`` on this machine and close it on exit.

    One single-threaded worker process per core (jieba and the regular
    expressions hold the GIL, so threads would not help), no dashboard (the
    scheduler's HTTP endpoint takes a free port) and only errors logged.

    Args:
        workers: Worker processes (default: all cores).

    Yields:
        The cluster; pass ``cluster.scheduler_address`` as ``scheduler``.
    """
    distributed = _import_distributed()
    n_workers = workers or os.cpu_count() or 1
    quiet = logging.getLogger("distributed")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # the scheduler runs in this process
    try:
        with distributed.LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": ":0"},
            silence_logs=logging.ERROR,
        ) as cluster:
            logger.info("started a local Dask cluster with %d workers", n_workers)
            yield cluster
    finally:
        quiet.setLevel(level)


@contextlib.contextmanager
def _client(scheduler: str, workers: int | None) -> Iterator[Any]:
    """Connect to ``scheduler``, or to a local cluster started for the call."""
    distributed = _import_distributed()
    with contextlib.ExitStack() as stack:
        if scheduler:
            address = check_scheduler_address(scheduler)
            if workers:
                logger.info(
                    "workers=%s ignored: using the cluster at %s", workers, address
                )
        else:
            address = stack.enter_context(local_cluster(workers)).scheduler_address
        try:
            client = distributed.Client(
                address, timeout=CONNECT_TIMEOUT, set_as_default=False
            )
        except (OSError, TimeoutError) as exc:
            raise RuntimeError(
                f"cannot reach the Dask scheduler at {address} within "
                f"{CONNECT_TIMEOUT}: is `dask scheduler` running there?"
            ) from exc
        with client:
            yield client


@dataclass
class _Placer:
    """Send each batch to the worker with the fewest unfinished batches."""

    client: Any
    nthreads: dict[str, int] = field(default_factory=dict)
    running: dict[str, list[Any]] = field(default_factory=dict)

    def refresh(self) -> None:
        """Re-read the cluster's workers (they may join or leave)."""
        self.nthreads = dict(self.client.nthreads())
        if not self.nthreads:
            raise RuntimeError("the Dask cluster has no workers: start `dask worker`")

    def choose(self) -> str:
        """Return the address of the least loaded worker."""

        def load(address: str) -> float:
            futures = [f for f in self.running.get(address, []) if not f.done()]
            self.running[address] = futures
            return len(futures) / self.nthreads[address]

        return min(sorted(self.nthreads), key=load)

    def submit(self, func: Callable[[Any], Any], batch: list[Any]) -> Any:
        """Scatter ``batch`` to a worker and submit its task there."""
        address = self.choose()
        [data] = self.client.scatter([batch], workers=[address], hash=False)
        future = self.client.submit(_apply_batch, func, data, pure=False)
        self.running.setdefault(address, []).append(future)
        return future


def dask_map(
    func: Callable[[Any], Any],
    items: Iterable[Any],
    *,
    scheduler: str = "",
    workers: int | None = None,
    batch_items: int = BATCH_ITEMS,
    batch_chars: int = BATCH_CHARS,
    in_flight: int | None = None,
) -> Iterator[Any]:
    """Apply ``func`` to each document on a Dask cluster, yielding in input order.

    Documents are read from ``items`` lazily and sent out in batches; at most
    ``in_flight`` batches are out at once, so memory stays flat however long
    the stream. A cluster started here is closed when the iterator is exhausted
    or closed.

    Args:
        func: Pure, picklable per-document function with a compact result.
        items: Documents (any picklable objects), read lazily.
        scheduler: ``tcp://host:port`` of a running scheduler; empty starts a
            ``LocalCluster`` on this machine.
        workers: Worker processes of the local cluster (default: all cores);
            ignored with ``scheduler``.
        batch_items: Most documents per task.
        batch_chars: Character budget per task.
        in_flight: Most batches out at once (default: 3 per worker thread).

    Yields:
        ``func(item)`` for each item, in input order.

    Raises:
        ValueError: If ``scheduler`` is not an address.
        RuntimeError: If the scheduler cannot be reached or has no workers.
    """
    pending: deque[Any] = deque()
    with _client(scheduler, workers) as client:
        placer = _Placer(client)
        placer.refresh()
        limit = in_flight or IN_FLIGHT_PER_THREAD * sum(placer.nthreads.values())
        for n, batch in enumerate(
            batches(items, max_items=batch_items, max_chars=batch_chars)
        ):
            if n % 64 == 63:
                placer.refresh()
            pending.append(placer.submit(func, batch))
            while len(pending) >= limit:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


Engine = Literal["local", "dask"]


def map_documents(
    func: Callable[[Any], Any],
    items: Iterable[Any],
    *,
    engine: Engine = "local",
    scheduler: str = "",
    workers: int | None = None,
) -> Iterator[Any]:
    """Apply ``func`` to each item, in input order, on the chosen engine.

    ``func`` must be a pure, picklable module-level function whose result is
    compact (rows, not token lists), since results cross process boundaries on
    the Dask engine.

    Args:
        func: Per-document function.
        items: Documents (any picklable objects).
        engine: ``"local"`` (this process) or ``"dask"``.
        scheduler: Address of an existing Dask scheduler (``tcp://host:port``);
            empty starts a ``LocalCluster``.
        workers: Number of local Dask workers (default: all cores).

    Yields:
        ``func(item)`` for each item, in input order.

    Raises:
        ValueError: For an unknown engine.
    """
    if engine == "local":
        for item in items:
            yield func(item)
        return
    if engine != "dask":
        raise ValueError(f"unknown engine {engine!r}: use 'local' or 'dask'")
    yield from dask_map(func, items, scheduler=scheduler, workers=workers)
