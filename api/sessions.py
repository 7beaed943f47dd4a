"""Server-side dashboard sessions: the signed cookie only names a session kept in Redis, so
logging out (or out everywhere) ends every copy of the cookie, and idle and absolute lifetimes
hold whatever the browser does."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

import redis

from core.keys import session_key, sessions_of_user


class SessionRegistry:
    """Sessions as ``session:<id>`` -> user name, expiring at the idle or absolute deadline
    (whichever is first); each user's session ids in one set, for "log out everywhere"."""

    def __init__(self, client: redis.Redis, idle_seconds: int, absolute_seconds: int,
                 clock: Callable[[], float] = time.time) -> None:
        self.redis = client
        self.idle = idle_seconds
        self.absolute = absolute_seconds
        self.clock = clock

    def _deadline_ms(self, started: float, now: float) -> int:
        return int(min(now + self.idle, started + self.absolute) * 1000)

    def start(self, user: str) -> tuple[str, float]:
        """A new session for ``user``: its id and start time (both go into the cookie)."""
        sid, now = secrets.token_urlsafe(32), self.clock()
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(session_key(user, sid), user, pxat=self._deadline_ms(now, now))
            pipe.sadd(sessions_of_user(user), sid)
            pipe.expire(sessions_of_user(user), self.absolute)
            pipe.execute()
        return sid, now

    def touch(self, sid: str, user: str, started: float) -> bool:
        """Is this session still valid for ``user``? If so its idle deadline moves on."""
        now = self.clock()
        if now >= started + self.absolute:
            return False
        deadline = self._deadline_ms(started, now)
        return self.redis.getex(session_key(user, sid), pxat=deadline) == user

    def end(self, sid: str, user: str) -> None:
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(session_key(user, sid))
            pipe.srem(sessions_of_user(user), sid)
            pipe.execute()

    def end_all(self, user: str) -> int:
        """End every session of ``user``; returns how many there were."""
        sids = self.redis.smembers(sessions_of_user(user))
        self.redis.delete(sessions_of_user(user), *(session_key(user, sid) for sid in sids))
        return len(sids)
