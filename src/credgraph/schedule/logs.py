"""Structured logs of the scheduler: one event per line, as JSON or as readable text.

log_event(LOG, logging.INFO, "run finished", source="acme", status="SUCCEEDED")
json: {"ts": "2026-01-01T03:00:00.123Z", "level": "info", "logger": "credgraph.schedule",
       "event": "run finished", "source": "acme", "status": "SUCCEEDED"}
text: 2026-01-01T03:00:00.123Z INFO  run finished source=acme status=SUCCEEDED
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import IO, Any, Literal

from credgraph.driver_logs import quiet_driver_logs

LogFormat = Literal["json", "text"]
LOG = logging.getLogger("credgraph.schedule")
_FIELDS = "credgraph_fields"


def log_event(logger: logging.Logger, level: int, event: str, **fields: Any) -> None:
    logger.log(level, event, extra={_FIELDS: fields})


def _timestamp(record: logging.LogRecord) -> str:
    at = datetime.fromtimestamp(record.created, UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields: dict[str, Any] = dict(getattr(record, _FIELDS, {}))
    if record.exc_info:
        fields["error"] = logging.Formatter().formatException(record.exc_info)
    return fields


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": _timestamp(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
            **_fields(record),
        }
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        pairs = " ".join(f"{k}={_text(v)}" for k, v in _fields(record).items())
        head = f"{_timestamp(record)} {record.levelname:<5} {record.getMessage()}"
        return f"{head} {pairs}" if pairs else head


def _text(value: Any) -> str:
    text = str(value)
    return (
        json.dumps(text, ensure_ascii=False) if (not text or " " in text or "=" in text) else text
    )


def setup_logging(fmt: LogFormat, stream: IO[str] | None = None) -> None:
    """Send credgraph's and APScheduler's logs to `stream` (stderr) in `fmt`."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    # APScheduler reports skipped and missed runs as warnings in prose; the scheduler turns
    # them into its own events (see service.py), so only its errors pass.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    quiet_driver_logs()  # its retries and routing errors: the scheduler logs its own events
