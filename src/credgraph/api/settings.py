"""How the HTTP API is configured: one frozen `ApiSettings`, read from the environment and the CLI.

Every field can be set with an environment variable named `CREDGRAPH_` + the field name in
upper case (`max_depth` -> `CREDGRAPH_MAX_DEPTH`), except `store_url`, which is `CREDGRAPH_STORE`
like everywhere else. Lists are comma-separated; booleans are `1/true/yes/on` or `0/false/no/off`.

    settings = load_settings(port=9000)      # env first, then explicit overrides
    settings.to_env()                        # the same settings as environment variables

Rate limits and metrics live in each process: with `--workers N` or several replicas every
process counts on its own, so a deployment that needs one global limit puts a shared limiter
(a gateway, or Redis behind one) in front.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from credgraph.api.http.server_limits import HEAD_BYTES_RANGE, MAX_TIMEOUT_SECONDS
from credgraph.errors import ConfigError

ENV_PREFIX = "CREDGRAPH_"
ACCESS_LOG_FORMATS = ("text", "json", "off")


@dataclass(frozen=True, slots=True)
class ApiSettings:
    """Settings of one API process; the defaults are safe to expose on a public address."""

    # -- server ------------------------------------------------------------------------------
    store_url: str | None = None  # None: $CREDGRAPH_STORE or sqlite:///credgraph.db
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    forwarded_allow_ips: str = "127.0.0.1"  # proxies whose X-Forwarded-For is believed
    # Per connection (credgraph.api.http.server_protocol): a larger head is answered 431, a
    # head or a declared body slower than its timeout 408, and the connection closed.
    max_header_bytes: int = 16_384  # the request line and headers together
    header_timeout_seconds: float = 10.0  # from connecting, or from the previous response
    body_timeout_seconds: float = 30.0  # from the end of the head

    # -- what one request may ask for --------------------------------------------------------
    max_depth: int = 10  # nesting of selections (introspection not counted: the cost bounds it)
    max_tokens: int = 2000  # lexical tokens in the document; parsing stops past it
    max_aliases: int = 30  # aliased fields in the document
    max_cost: int = 20_000  # estimated fields resolved (credgraph.api.query_cost)
    default_list_size: int = 10  # items the cost estimate assumes for a list without `first`
    timeout_seconds: float = 10.0  # one operation, from parsing to its result
    max_body_bytes: int = 1_000_000  # a POST body
    max_variables_bytes: int = 64_000  # the variables of one operation, as JSON
    max_batch: int = 10  # operations in one POST JSON array; 1 refuses batching
    max_concurrent_exports: int = 2  # /export streams and exportSubgraph running at once
    export_seconds: float = 60.0  # wall time of one /export stream, then it is cut

    # -- caching and persisted queries -------------------------------------------------------
    cache_max_age: int = 60  # Cache-Control max-age of successful GET responses, seconds
    persisted_queries: str | None = None  # allow-list file: JSON {name or sha256: query}
    require_persisted_queries: bool = False  # refuse every query not in the allow-list
    apq_cache_size: int = 1000  # automatic persisted queries kept (LRU); 0 turns APQ off

    # -- who may call, how often -------------------------------------------------------------
    cors_origins: tuple[str, ...] = ()  # browser origins allowed; empty: no CORS headers
    api_keys: tuple[str, ...] = field(default=(), repr=False)
    require_api_key: bool = False
    rate_limit_per_ip: float = 10.0  # requests per second without a key; 0 turns it off
    rate_burst_per_ip: int = 50
    rate_limit_per_key: float = 50.0  # requests per second per API key; 0 turns it off
    rate_burst_per_key: int = 200
    verify_rate_per_client: float = 0.5  # /verify and verifyCredential: each fetches the web
    verify_burst_per_client: int = 10

    # -- operations --------------------------------------------------------------------------
    access_log: str = "text"  # text | json | off
    metrics: bool = True  # serve /metrics
    # build matchJob's vocabulary and resolveCredentials' name index as the server starts
    # (credgraph.api.warming); off: each on first use
    warm_indexes: bool = True
    # start the verifier's check worker processes as the server starts (credgraph.api.warming):
    # the first verification's 5 s answer does not wait for them; off: on first use
    warm_verifier: bool = True
    # start the workers that read matchJob(url:)'s pages as the server starts: the first such
    # request does not wait for them outside its page's 3 s; off: on first use
    warm_page_parsers: bool = True

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise ConfigError(problems)

    def to_env(self) -> dict[str, str]:
        """These settings as `CREDGRAPH_*` variables (how `--workers N` hands them on)."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if isinstance(value, bool):
                text = "true" if value else "false"
            elif isinstance(value, tuple):
                text = ",".join(value)
            else:
                text = str(value)
            out[env_name(f.name)] = text
        return out


def env_name(field_name: str) -> str:
    return "CREDGRAPH_STORE" if field_name == "store_url" else ENV_PREFIX + field_name.upper()


def load_settings(env: Mapping[str, str] | None = None, **overrides: Any) -> ApiSettings:
    """Settings from `env` (default: os.environ), then `overrides` whose value is not None.

    Raises ConfigError naming every variable that cannot be read.
    """
    environ = os.environ if env is None else env
    values: dict[str, Any] = {}
    problems: list[str] = []
    for f in fields(ApiSettings):
        name = env_name(f.name)
        raw = environ.get(name)
        if raw is None or (raw.strip() == "" and f.name != "cors_origins"):
            continue
        try:
            values[f.name] = _PARSERS[str(f.type)](raw.strip())
        except ValueError as exc:
            problems.append(f"{name}={raw!r}: {exc}")
    if problems:
        raise ConfigError(problems)
    unknown = set(overrides) - {f.name for f in fields(ApiSettings)}
    if unknown:
        raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
    values.update({k: v for k, v in overrides.items() if v is not None})
    return replace(ApiSettings(), **values)


def _bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError("expected true or false")


def _items(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(",") if item.strip())


def _finite(text: str) -> float:
    """A number of seconds, a rate...: "nan" and "inf" are refused (every comparison with nan
    is false, so a rate limit of nan was no limit at all)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a finite number")
    return value


_PARSERS: dict[str, Callable[[str], Any]] = {
    "str": str,
    "str | None": str,
    "int": int,
    "float": _finite,
    "bool": _bool,
    "tuple[str, ...]": _items,
}

_AT_LEAST_ONE = ("port", "workers", "max_depth", "max_tokens", "max_aliases", "max_cost",
                 "max_body_bytes", "max_variables_bytes", "max_batch", "max_concurrent_exports",
                 "rate_burst_per_ip",
                 "rate_burst_per_key", "verify_burst_per_client")  # fmt: skip
_NOT_NEGATIVE = ("default_list_size", "cache_max_age", "apq_cache_size", "rate_limit_per_ip",
                 "rate_limit_per_key", "verify_rate_per_client")  # fmt: skip


def _problems(s: ApiSettings) -> list[str]:
    problems = [f"{env_name(n)} must be at least 1" for n in _AT_LEAST_ONE if getattr(s, n) < 1]
    problems += [f"{env_name(n)} must not be negative" for n in _NOT_NEGATIVE if getattr(s, n) < 0]
    if s.port > 65535:
        problems.append("CREDGRAPH_PORT must be at most 65535")
    if not s.timeout_seconds > 0:
        problems.append("CREDGRAPH_TIMEOUT_SECONDS must be positive")
    low, high = HEAD_BYTES_RANGE
    if not low <= s.max_header_bytes <= high:
        problems.append(f"CREDGRAPH_MAX_HEADER_BYTES must be from {low} to {high}")
    for name in ("header_timeout_seconds", "body_timeout_seconds"):
        if not 0 < getattr(s, name) <= MAX_TIMEOUT_SECONDS:
            problems.append(f"{env_name(name)} must be above 0 and at most {MAX_TIMEOUT_SECONDS:g}")
    if not s.export_seconds > 0:
        problems.append("CREDGRAPH_EXPORT_SECONDS must be positive")
    if s.access_log not in ACCESS_LOG_FORMATS:
        problems.append(f"CREDGRAPH_ACCESS_LOG must be one of {', '.join(ACCESS_LOG_FORMATS)}")
    if s.require_api_key and not s.api_keys:
        problems.append("CREDGRAPH_REQUIRE_API_KEY is set but CREDGRAPH_API_KEYS names no key")
    if s.require_persisted_queries and not s.persisted_queries:
        problems.append(
            "CREDGRAPH_REQUIRE_PERSISTED_QUERIES is set but CREDGRAPH_PERSISTED_QUERIES "
            "names no allow-list file"
        )
    return problems
