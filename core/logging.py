"""Structured (JSON) logs. Only ids go in: never a name, phone number, address or message text."""

from __future__ import annotations

import logging

from pythonjsonlogger.json import JsonFormatter

JSON_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
RENAMED = {"asctime": "ts", "levelname": "level"}


def configure_logging(level: int = logging.INFO) -> None:
    """JSON lines on stderr for ``python app.py``; gunicorn uses ``gunicorn_logconfig``."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter(JSON_FORMAT, rename_fields=RENAMED))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # werkzeug's request lines carry query strings (search terms can be names): keep them out.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def gunicorn_logconfig(level: str = "INFO") -> dict:
    """gunicorn's ``logconfig_dict``: the app's, gunicorn's and the access log as JSON lines."""
    def logger(logger_level: str) -> dict:
        return {"level": logger_level, "handlers": ["json"], "propagate": False}

    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter, "fmt": JSON_FORMAT,
                                "rename_fields": RENAMED}},
        "handlers": {"json": {"class": "logging.StreamHandler", "formatter": "json",
                              "stream": "ext://sys.stdout"}},
        "root": {"level": level, "handlers": ["json"]},
        "loggers": {"gunicorn.error": logger(level), "gunicorn.access": logger("INFO")},
    }
