"""Request building shared by the synchronous and the asyncio client."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Mapping
from typing import Any, Union

from . import metering_pb2 as pb

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7600
SERVER_ENV = "TALLY_SERVER"
API_KEY_ENV = "TALLY_API_KEY"
INT64_MAX = 9_223_372_036_854_775_807

# A time given as Unix milliseconds (UTC) or as a timezone-aware datetime.
Instant = Union[int, datetime.datetime]
# A range given as a preset name ("today", "last_7_days", "last_30_days",
# "all_time"), a tally.v1.Preset value or a complete TimeRange message.
RangeSpec = Union[str, int, pb.TimeRange, None]
# A usage record as a message or as a mapping of UsageRecord field names.
RecordSpec = Union[pb.UsageRecord, Mapping[str, Any]]

_PRESET_NAMES = {
    "today": pb.PRESET_TODAY,
    "last_7_days": pb.PRESET_LAST_7_DAYS,
    "last_30_days": pb.PRESET_LAST_30_DAYS,
    "all_time": pb.PRESET_ALL_TIME,
}


def resolve_address(server: str | tuple[str, int] | None) -> tuple[str, int]:
    """Return (host, port) from "HOST:PORT", a tuple, or $TALLY_SERVER and then 127.0.0.1:7600."""
    if server is None:
        server = os.environ.get(SERVER_ENV) or f"{DEFAULT_HOST}:{DEFAULT_PORT}"
    if isinstance(server, tuple):
        host, port = server
        return host, int(port)
    host, separator, port_text = server.rpartition(":")
    if not separator or not host or not port_text.isdigit():
        raise ValueError(f'server: "{server}" is not HOST:PORT, for example 127.0.0.1:7600')
    port = int(port_text)
    if not 0 < port < 65536:
        raise ValueError(f"server: port {port} is outside 1 to 65535")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host, port


def resolve_api_key(api_key: str | None) -> str:
    """Return `api_key`, or $TALLY_API_KEY, or the empty key for a server without keys."""
    if api_key is None:
        return os.environ.get(API_KEY_ENV, "")
    return api_key


def to_ms(value: Instant, field: str) -> int:
    """Return Unix milliseconds for an int or a timezone-aware datetime."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{field}: datetime {value.isoformat()} has no time zone; attach one, such as datetime.timezone.utc")
        epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
        return (value - epoch) // datetime.timedelta(milliseconds=1)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{field}: expected Unix milliseconds (int) or a datetime, got {type(value).__name__}")
    return value


def build_time_range(
    range: RangeSpec = None,
    *,
    start: Instant | None = None,
    end: Instant | None = None,
    time_zone: str | None = None,
) -> pb.TimeRange | None:
    """Build the optional TimeRange of GetSummary and ListRecords.

    Give either a preset `range` or explicit `start` (inclusive) and `end`
    (exclusive) bounds. A missing `start` means 0 and a missing `end` means
    the end of time. `time_zone` is an IANA name for local midnight; alone it
    selects all time reported in that zone. Nothing at all means all time
    (no range in the request).
    """
    if isinstance(range, pb.TimeRange):
        if start is not None or end is not None or time_zone is not None:
            raise ValueError("range: a TimeRange message cannot be combined with start, end or time_zone")
        return range
    explicit = start is not None or end is not None
    if range is not None and explicit:
        raise ValueError("range: give either a preset or start/end, not both")
    if range is None and not explicit:
        if time_zone is None:
            return None
        return pb.TimeRange(preset=pb.PRESET_ALL_TIME, time_zone=time_zone)
    message = pb.TimeRange(time_zone=time_zone or "")
    if range is not None:
        message.preset = _preset_value(range)
    else:
        message.preset = pb.PRESET_UNSPECIFIED
        message.start_ms = 0 if start is None else to_ms(start, "start")
        message.end_ms = INT64_MAX if end is None else to_ms(end, "end")
    return message


def _preset_value(range: str | int) -> int:
    if isinstance(range, str):
        key = range.lower().removeprefix("preset_")
        if key not in _PRESET_NAMES:
            names = ", ".join(_PRESET_NAMES)
            raise ValueError(f'range: unknown preset "{range}"; use one of {names}')
        return _PRESET_NAMES[key]
    return int(range)


def build_usage_record(record: RecordSpec, index: int) -> pb.UsageRecord:
    """Return `record` as a UsageRecord; a mapping may give timestamp_ms as a datetime."""
    if isinstance(record, pb.UsageRecord):
        return record
    if not isinstance(record, Mapping):
        raise TypeError(f"records[{index}]: expected a UsageRecord or a mapping, got {type(record).__name__}")
    fields = dict(record)
    if "timestamp_ms" in fields:
        fields["timestamp_ms"] = to_ms(fields["timestamp_ms"], f"records[{index}].timestamp_ms")
    return pb.UsageRecord(**fields)


def record_usage_request(records: Iterable[RecordSpec], account_id: str) -> pb.RecordUsageRequest:
    built = [build_usage_record(record, index) for index, record in enumerate(records)]
    return pb.RecordUsageRequest(account_id=account_id, records=built)


def summary_request(
    account_id: str,
    range: RangeSpec,
    start: Instant | None,
    end: Instant | None,
    time_zone: str | None,
    max_sessions: int,
) -> pb.GetSummaryRequest:
    request = pb.GetSummaryRequest(account_id=account_id, max_sessions=max_sessions)
    time_range = build_time_range(range, start=start, end=end, time_zone=time_zone)
    if time_range is not None:
        request.range.CopyFrom(time_range)
    return request


def list_records_request(
    account_id: str,
    range: RangeSpec,
    start: Instant | None,
    end: Instant | None,
    time_zone: str | None,
    session_id: str,
    page_size: int,
    page_token: str,
) -> pb.ListRecordsRequest:
    request = pb.ListRecordsRequest(
        account_id=account_id, session_id=session_id, page_size=page_size, page_token=page_token
    )
    time_range = build_time_range(range, start=start, end=end, time_zone=time_zone)
    if time_range is not None:
        request.range.CopyFrom(time_range)
    return request


def quota_request(account_id: str, session_id: str, at: Instant | None) -> pb.GetQuotaRequest:
    at_ms = 0 if at is None else to_ms(at, "at")
    return pb.GetQuotaRequest(account_id=account_id, session_id=session_id, at_ms=at_ms)


def _varint_size(value: int) -> int:
    size = 1
    while value >= 0x80:
        value >>= 7
        size += 1
    return size


def split_batch(records: list[pb.UsageRecord], max_records: int, max_payload_bytes: int) -> list[list[pb.UsageRecord]]:
    """Split records into request-sized chunks, in order.

    Each chunk has at most `max_records` records, and its RecordUsageRequest
    payload stays within `max_payload_bytes`, leaving room for the account id.
    """
    # The account id field takes at most 1 tag byte, 1 length byte and 64 bytes.
    budget = max_payload_bytes - 66
    chunks: list[list[pb.UsageRecord]] = []
    current: list[pb.UsageRecord] = []
    current_bytes = 0
    for record in records:
        size = record.ByteSize()
        encoded = 1 + _varint_size(size) + size
        if current and (len(current) >= max_records or current_bytes + encoded > budget):
            chunks.append(current)
            current, current_bytes = [], 0
        current.append(record)
        current_bytes += encoded
    if current:
        chunks.append(current)
    return chunks
