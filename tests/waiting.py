"""Waiting in tests: for a condition to come true (``until``) or to stay true (``holds``),
never a fixed sleep. One module for every test (not dash.testing's ``wait.until``): a timeout
fails as an ``AssertionError`` that says what was awaited, for how long, and what the condition
gave last."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# How long a test waits for a condition by default: long enough for a machine whose cores are
# busy with other work (the browser tests' dash_duo waits use it too).
WAIT_SECONDS = 15
POLL_SECONDS = 0.05


class WaitTimeout(AssertionError):
    """A condition ``until`` waited for did not come true in time."""


def until(condition: Callable[[], T], timeout: float = WAIT_SECONDS,
          msg: str = "the condition", poll: float = POLL_SECONDS) -> T:
    """Poll ``condition`` until it returns something truthy; that value is returned."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise WaitTimeout(f"{msg} (waited {timeout:g} s; the condition last gave {value!r})")
        time.sleep(poll)


def holds(condition: Callable[[], object], seconds: float, msg: str) -> None:
    """For what must NOT happen: ``condition`` stays true for ``seconds`` (checked as it
    goes, failing the moment it stops holding). A slow machine makes this check weaker,
    never wrong."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert condition(), msg
        time.sleep(POLL_SECONDS)
    assert condition(), msg
