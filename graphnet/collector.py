"""Pausing Python's cyclic garbage collector while millions of objects are built.

Loading rows and projecting the graph allocate millions of small dicts, sets
and lists that stay alive until the work is done. Each automatic collection
of the oldest generation walks all of them again: mapping 250,000 call rows
took 28.6 s of CPU with the collector and 13.3 s without. The objects built
there make no reference cycles worth collecting (reference counting frees
them), so the collector is paused.

A graph built for a command (a projection of millions of ties) then lives
until the process ends. :func:`settle` moves it out of the collector's sight
(``gc.freeze``) in a process declared one-shot (:func:`one_shot_process`: the
``graphnet`` command does it), so the collections that the report's own work
sets off no longer walk it, and the interpreter does not free it object by
object at exit: on the national scenario a degree report took 221 s (its
output at 196 s), and 184 s settled. A library caller (a notebook, a
service) keeps the ordinary behaviour: frozen objects would never be
collected there.

>>> import gc
>>> with no_cyclic_gc(collect=False):
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["no_cyclic_gc", "one_shot_process", "settle"]

_one_shot = False


@contextlib.contextmanager
def no_cyclic_gc(collect: bool = True) -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block (as it was before, after it).

    ``collect``: run one full collection at the end (a process about to exit,
    such as a mapping worker, or a caller that keeps what it built, skips it).
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
        if collect:
            gc.collect()


def one_shot_process() -> None:
    """Declare that this process ends when its work does (the ``graphnet`` command): :func:`settle` acts."""
    global _one_shot
    _one_shot = True


def settle() -> None:
    """Everything allocated so far lives to the end of a one-shot process: the collector stops walking it.

    Does nothing unless :func:`one_shot_process` was called. Objects settled
    are still freed by reference counting when dropped; only reference
    cycles among them are never collected, which a process about to end does
    not need.
    """
    if _one_shot:
        gc.freeze()
