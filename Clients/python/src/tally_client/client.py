"""Synchronous Tally client."""

from __future__ import annotations

import concurrent.futures
import threading
import time
from collections.abc import Iterable, Iterator

from google.protobuf.message import Message

from . import metering_pb2 as pb
from ._framing import LENGTH_OVERHEAD, Method
from ._requests import (
    Instant,
    RangeSpec,
    RecordSpec,
    build_usage_record,
    list_records_request,
    quota_request,
    record_usage_request,
    resolve_address,
    resolve_api_key,
    split_batch,
    summary_request,
)
from ._sync_connection import SyncConnection
from .errors import TallyConnectionError, TallyTimeoutError
from .results import RecordBatchResult

DEFAULT_CLIENT_NAME = "tally-client-python/0.1"
DEFAULT_TIMEOUT = 10.0


class Client:
    """Synchronous client of a Tally server over the native protocol.

    The client opens one connection on first use (or in `connect` or `with`),
    sends Hello with the API key, and reuses the connection for every call.
    When the server closes it, the next call opens a new one. The client is
    thread-safe: calls from several threads share the connection and are
    pipelined, and `submit` sends a request without waiting for its reply.

    `server` is "HOST:PORT" or (host, port); None reads $TALLY_SERVER and
    falls back to 127.0.0.1:7600. `api_key` None reads $TALLY_API_KEY and
    falls back to the empty key of a server without configuration. `timeout`
    is the default time in seconds each call waits for its reply (None waits
    forever), and `connect_timeout` bounds connecting plus Hello.
    """

    def __init__(
        self,
        server: str | tuple[str, int] | None = None,
        *,
        api_key: str | None = None,
        client_name: str = DEFAULT_CLIENT_NAME,
        timeout: float | None = DEFAULT_TIMEOUT,
        connect_timeout: float | None = DEFAULT_TIMEOUT,
    ) -> None:
        self.host, self.port = resolve_address(server)
        self._api_key = resolve_api_key(api_key)
        self.client_name = client_name
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self._connection: SyncConnection | None = None
        self._connect_lock = threading.Lock()
        self._closed = False

    # Connection management

    def connect(self) -> pb.HelloResponse:
        """Open the connection if none is open and return the server's Hello reply."""
        return self._open().hello

    @property
    def hello(self) -> pb.HelloResponse:
        """Hello reply of the current connection: role, own account and server limits."""
        return self._open().hello

    def close(self) -> None:
        """Close the connection; requests in flight fail with TallyConnectionError."""
        with self._connect_lock:
            self._closed = True
            connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()

    def __enter__(self) -> Client:
        self.connect()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _open(self) -> SyncConnection:
        with self._connect_lock:
            if self._closed:
                raise TallyConnectionError("the client is closed")
            if self._connection is None or self._connection.closed:
                if self._connection is not None:
                    self._connection.close()
                    self._connection = None
                self._connection = SyncConnection(
                    self.host, self.port, self._api_key, self.client_name, self.connect_timeout
                )
            return self._connection

    # Generic calls

    def submit(self, method: Method, request: Message) -> concurrent.futures.Future:
        """Send one request without waiting; the future resolves to the response message.

        The future raises TallyError for a non-OK status. Several submitted
        requests are in flight at once on the same connection.
        """
        return self._open().submit(method, request, self.timeout)

    def call(self, method: Method, request: Message, *, timeout: float | None = None) -> Message:
        """Send one request and wait for its response message."""
        wait = self.timeout if timeout is None else timeout
        deadline = None if wait is None else time.monotonic() + wait
        future = self._open().submit(method, request, wait)
        try:
            return future.result(timeout=None if deadline is None else max(deadline - time.monotonic(), 0.0))
        except concurrent.futures.TimeoutError as error:
            raise TallyTimeoutError(f"no {method.name} reply from {self.host}:{self.port} within {wait} s") from error

    # RPCs

    def record_usage(
        self, records: Iterable[RecordSpec] = (), *, account_id: str = "", timeout: float | None = None
    ) -> pb.RecordUsageResponse:
        """Send one RecordUsage request and return its per-record results.

        `records` are UsageRecord messages or mappings of their fields. The
        call raises TallyError for a whole-request error, such as more records
        than the server's max_batch_records; per-record rejections are in the
        results.
        """
        response = self.call(Method.RECORD_USAGE, record_usage_request(records, account_id), timeout=timeout)
        assert isinstance(response, pb.RecordUsageResponse)
        return response

    def record(
        self,
        session_id: str,
        *,
        input_tokens: int = 0,
        output_tokens: int = 0,
        decisions: int = 0,
        event_id: str = "",
        timestamp: Instant = 0,
        account_id: str = "",
        timeout: float | None = None,
    ) -> pb.RecordResult:
        """Record one usage event and return its RecordResult (check `.status`)."""
        record = {
            "session_id": session_id,
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "decisions": decisions,
            "event_id": event_id,
            "timestamp_ms": timestamp,
        }
        return self.record_usage([record], account_id=account_id, timeout=timeout).results[0]

    def record_batch(
        self, records: Iterable[RecordSpec], *, account_id: str = "", timeout: float | None = None
    ) -> RecordBatchResult:
        """Record any number of records and return one result per record, in input order.

        The records are split into requests that fit the server's
        max_batch_records and frame length limits. The requests go one after
        another, so each record sees the effects of the records before it.
        `timeout` applies to each request.
        """
        built = [build_usage_record(record, index) for index, record in enumerate(records)]
        limits = self.hello.limits
        chunks = split_batch(built, limits.max_batch_records or 10_000, (limits.max_frame_bytes or 4_194_304) - LENGTH_OVERHEAD)
        results: list[pb.RecordResult] = []
        for chunk in chunks:
            results.extend(self.record_usage(chunk, account_id=account_id, timeout=timeout).results)
        return RecordBatchResult(results)

    def get_summary(
        self,
        *,
        account_id: str = "",
        range: RangeSpec = None,
        start: Instant | None = None,
        end: Instant | None = None,
        time_zone: str | None = None,
        max_sessions: int = 0,
        timeout: float | None = None,
    ) -> pb.GetSummaryResponse:
        """Return usage totals and per-session rows over a time range.

        `range` is a preset ("today", "last_7_days", "last_30_days",
        "all_time"), a tally.v1.Preset value or a TimeRange; or give explicit
        `start` (inclusive) and `end` (exclusive) as Unix milliseconds or
        aware datetimes. `time_zone` is the IANA zone for local midnight
        (empty means UTC). No range at all means all time.
        """
        request = summary_request(account_id, range, start, end, time_zone, max_sessions)
        response = self.call(Method.GET_SUMMARY, request, timeout=timeout)
        assert isinstance(response, pb.GetSummaryResponse)
        return response

    def list_records(
        self,
        *,
        account_id: str = "",
        range: RangeSpec = None,
        start: Instant | None = None,
        end: Instant | None = None,
        time_zone: str | None = None,
        session_id: str = "",
        page_size: int = 0,
        page_token: str = "",
        timeout: float | None = None,
    ) -> pb.ListRecordsResponse:
        """Return one page of stored records, newest first; see `iter_records` to walk every page."""
        request = list_records_request(account_id, range, start, end, time_zone, session_id, page_size, page_token)
        response = self.call(Method.LIST_RECORDS, request, timeout=timeout)
        assert isinstance(response, pb.ListRecordsResponse)
        return response

    def iter_records(
        self,
        *,
        account_id: str = "",
        range: RangeSpec = None,
        start: Instant | None = None,
        end: Instant | None = None,
        time_zone: str | None = None,
        session_id: str = "",
        page_size: int = 0,
        timeout: float | None = None,
    ) -> Iterator[pb.StoredRecord]:
        """Yield every stored record in the range, newest first, fetching one page at a time."""
        token = ""
        while True:
            page = self.list_records(
                account_id=account_id, range=range, start=start, end=end, time_zone=time_zone,
                session_id=session_id, page_size=page_size, page_token=token, timeout=timeout,
            )
            yield from page.records
            token = page.next_page_token
            if not token:
                return

    def get_quota(
        self,
        *,
        account_id: str = "",
        session_id: str = "",
        at: Instant | None = None,
        timeout: float | None = None,
    ) -> pb.GetQuotaResponse:
        """Return the account's plan, usage and caps for the billing period containing `at` (default now).

        With `session_id`, `session_allowed` tells whether a record with
        tokens in that session would be accepted now.
        """
        response = self.call(Method.GET_QUOTA, quota_request(account_id, session_id, at), timeout=timeout)
        assert isinstance(response, pb.GetQuotaResponse)
        return response
