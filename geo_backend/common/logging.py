"""Logging pieces configured in settings.LOGGING: a JSON line formatter for log collectors, and the slow-query log.

The JSON formatter is a few lines of the standard library rather than a dependency: it only needs to put the record's
fields and any `extra=` values on one line.
"""
import json
import logging
import time

_STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

slow_query_logger = logging.getLogger("musoya.db.slow")


class JsonLineFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the exception if any, and every extra field."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({key: value for key, value in vars(record).items() if key not in _STANDARD_ATTRIBUTES})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def log_slow_queries(threshold_ms: float):
    """A database execute wrapper that logs, at WARNING, every statement slower than threshold_ms."""

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            if elapsed_ms >= threshold_ms:
                slow_query_logger.warning("slow query: %.0f ms: %.300s", elapsed_ms, " ".join(str(sql).split()),
                                          extra={"duration_ms": round(elapsed_ms, 1)})

    return wrapper
