"""CSV snapshots: every matching row of a query streamed from copies of its indexes."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import redis

from core.keys import LocationKeys
from services.table.index_reader import IndexReader, merge_key
from services.table.planning import Source

EXPORT_SNAPSHOT_SECONDS = 300
EXPORT_CHUNK = 500


def snapshot(client: redis.Redis, sources: list[Source]) -> None:
    """Copy each source's set, so rows that move while an export streams are neither
    skipped nor repeated; the source then reads its copy."""
    with client.pipeline(transaction=False) as pipe:
        for source in sources:
            copy = f"{LocationKeys(source.location_id).tag}:tmp:export:{uuid4().hex}"
            if source.merged:  # a temperature's bands: only that part of the score index
                low, high = source.segments[0].low, source.segments[-1].high
                pipe.zrangestore(copy, source.key, low.arg(), high.arg(), byscore=True)
            else:
                pipe.copy(source.key, copy)
            pipe.expire(copy, EXPORT_SNAPSHOT_SECONDS)
            source.key = copy
        pipe.execute()


def stream(reader: IndexReader, source: Source) -> Iterator[tuple[tuple, str, str]]:
    """The source's live members in order, with their merge key, one chunk at a time (each
    chunk keeps the snapshot alive)."""
    for first in range(0, source.total, EXPORT_CHUNK):
        reader.redis.expire(source.key, EXPORT_SNAPSHOT_SECONDS)
        for seg, score, member in reader.read_any(source, first, first + EXPORT_CHUNK):
            yield merge_key(seg, score, member, source), source.location_id, member
