"""The peer libraries (truthdiscovery, crowd-kit) as the benchmarks run them: each call in a
forked child process under a time limit and an address-space limit, so that a peer that is
too slow or too large is reported instead of stopping (or swapping) the benchmark.

    outcome = run_guarded(function, (arg, ...), timeout=20.0, memory=4 << 30)
    outcome.value        # what function returned, or None
    outcome.reason       # None, or why not: "over 20 s", "out of memory (> 4 GB)", an error
    outcome.seconds      # wall seconds in the parent (fork, run, answer sent back)

Used by ``benchmarks.accuracy`` (real datasets) and ``benchmarks.scale`` (synthetic tables).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import sys
import time
import types
import warnings
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Outcome", "address_space", "import_truthdiscovery", "peers_available", "run_guarded"]


@dataclass
class Outcome:
    """What a guarded call gave: its value, or the reason it has none, and its wall seconds."""

    value: object
    seconds: float
    reason: str | None = None


def import_truthdiscovery():
    """The ``truthdiscovery`` module; it imports ``cairo`` (for drawing graphs, unused here),
    so an empty stand-in is registered first when pycairo is not installed."""
    sys.modules.setdefault("cairo", types.ModuleType("cairo"))
    import truthdiscovery

    return truthdiscovery


def peers_available() -> dict[str, bool]:
    """``{"td": truthdiscovery importable, "ck": crowd-kit importable}``."""
    found = {}
    try:
        import_truthdiscovery()
        found["td"] = True
    except ImportError:
        found["td"] = False
    try:
        import crowdkit.aggregation  # noqa: F401
        found["ck"] = True
    except ImportError:
        found["ck"] = False
    return found


def address_space() -> int:
    """This process's virtual memory size in bytes (0 where /proc is not readable)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _child(sender, function: Callable, args: tuple, memory: int, on_top: bool) -> None:  # pragma: no cover - runs in a child
    try:
        limit = memory + (address_space() if on_top else 0)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sender.send(("ok", function(*args)))
    except MemoryError:
        sender.send(("skip", f"out of memory (> {memory / 2**30:g} GB{' more' if on_top else ''})"))
    except Exception as error:  # noqa: BLE001 - a peer's failure is reported, not fatal
        sender.send(("skip", f"{type(error).__name__}: {str(error)[:60]}"))
    finally:
        sender.close()


def run_guarded(function: Callable, args: tuple, timeout: float, memory: int, on_top: bool = False) -> Outcome:
    """``function(*args)`` in a forked child limited to ``timeout`` wall seconds and ``memory``
    bytes of address space (with ``on_top``: ``memory`` beyond what the child has mapped at the
    fork, that is beyond the parent's size: the child inherits the parent's data, so a large
    parent would otherwise leave no room).  The child is killed when the time is up."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    start = time.perf_counter()
    child = context.Process(target=_child, args=(sender, function, args, memory, on_top))
    child.start()
    sender.close()
    # read before joining: a large answer does not fit the pipe's buffer
    status, payload = ("skip", f"over {timeout:g} s")
    if receiver.poll(timeout):
        try:
            status, payload = receiver.recv()
        except EOFError:
            payload = "the peer's process died (out of memory?)"
    seconds = time.perf_counter() - start
    if child.is_alive():
        child.kill()
    child.join()
    receiver.close()
    if status == "ok":
        return Outcome(payload, seconds)
    return Outcome(None, seconds, payload)
