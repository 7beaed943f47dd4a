"""Structured (JSON) logs. Only ids go in: never a name, phone number, address or message text."""

from __future__ import annotations

import logging

from pythonjsonlogger.json import JsonFormatter


def configure_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s",
                                       rename_fields={"asctime": "ts", "levelname": "level"}))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # werkzeug's request lines carry query strings (search terms can be names): keep them out.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
