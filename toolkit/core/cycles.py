"""Building many objects without the cycle collector looking at them again and again.

The reader and the rules make hundreds of thousands of small objects that hold no reference cycles. Python's
cycle collector would scan them repeatedly while they are made, and, with collection paused, would walk all of
them at its next young collection. ``no_cycle_collection`` pauses it and, at the end, hands what was made to
the oldest generation (``gc.freeze`` and ``gc.unfreeze`` move every tracked object there in constant time),
which only a full collection visits.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause the cycle collector for a block that makes many acyclic objects."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()
