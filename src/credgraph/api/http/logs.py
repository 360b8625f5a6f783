"""Log formatting for the server: plain text, or one JSON object per line.

`logging_config(fmt)` is a `logging.config.dictConfig` mapping (uvicorn applies it in every
worker process): credgraph's and uvicorn's loggers to stderr, access records to stdout,
uvicorn's own access log off (ours carries the request id and operation name), and the Neo4j
driver's retries and routing errors off (credgraph.driver_logs).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from credgraph.driver_logs import DRIVER_LOGGER, driver_logger_config

_TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonLinesFormatter(logging.Formatter):
    """`{"ts", "level", "logger", "message", ...access fields, "exc"}` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        access = getattr(record, "access", None)
        if isinstance(access, dict):
            out.update(access)
        else:
            out["message"] = record.getMessage()
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def _handler(stream: str) -> dict[str, str]:
    return {"class": "logging.StreamHandler", "formatter": "main", "stream": stream}


def logging_config(fmt: str = "text", level: str = "INFO") -> dict[str, Any]:
    formatter: dict[str, Any] = (
        {"()": f"{__name__}.JsonLinesFormatter"} if fmt == "json" else {"format": _TEXT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": formatter},
        "handlers": {
            "stderr": _handler("ext://sys.stderr"),
            "access": _handler("ext://sys.stdout"),
        },
        "loggers": {
            "credgraph": {"handlers": ["stderr"], "level": level, "propagate": False},
            "credgraph.access": {
                "handlers": ["access"] if fmt != "off" else [],
                "level": level,
                "propagate": False,
            },
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            DRIVER_LOGGER: driver_logger_config(["stderr"]),
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            # Strawberry logs every GraphQL error, client mistakes included; internal ones are
            # logged by credgraph.api.limits with the request id instead.
            "strawberry.execution": {"handlers": [], "level": "CRITICAL", "propagate": False},
        },
    }
