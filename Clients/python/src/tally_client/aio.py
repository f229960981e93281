"""Asyncio Tally client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable

from google.protobuf.message import Message

from . import metering_pb2 as pb
from ._async_connection import AsyncConnection
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
from .client import DEFAULT_CLIENT_NAME, DEFAULT_TIMEOUT
from .errors import TallyConnectionError
from .results import RecordBatchResult


class AsyncClient:
    """Asyncio client of a Tally server over the native protocol.

    Arguments and behaviour match `tally_client.Client`. Concurrent calls
    (for example with `asyncio.gather`) share one connection and are
    pipelined, up to the server's max_in_flight. Use the client from one
    event loop, ideally as `async with AsyncClient(...) as client:`.
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
        self._connection: AsyncConnection | None = None
        self._connect_lock = asyncio.Lock()
        self._closed = False

    # Connection management

    async def connect(self) -> pb.HelloResponse:
        """Open the connection if none is open and return the server's Hello reply."""
        return (await self._open()).hello

    async def close(self) -> None:
        """Close the connection; requests in flight fail with TallyConnectionError."""
        self._closed = True
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.close()

    async def __aenter__(self) -> AsyncClient:
        await self.connect()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _open(self) -> AsyncConnection:
        async with self._connect_lock:
            if self._closed:
                raise TallyConnectionError("the client is closed")
            if self._connection is None or self._connection.closed:
                if self._connection is not None:
                    await self._connection.close()
                    self._connection = None
                self._connection = await AsyncConnection.open(
                    self.host, self.port, self._api_key, self.client_name, self.connect_timeout
                )
            return self._connection

    async def call(self, method: Method, request: Message, *, timeout: float | None = None) -> Message:
        """Send one request and wait for its response message."""
        connection = await self._open()
        return await connection.call(method, request, self.timeout if timeout is None else timeout)

    # RPCs

    async def record_usage(
        self, records: Iterable[RecordSpec] = (), *, account_id: str = "", timeout: float | None = None
    ) -> pb.RecordUsageResponse:
        """Send one RecordUsage request and return its per-record results; see `Client.record_usage`."""
        response = await self.call(Method.RECORD_USAGE, record_usage_request(records, account_id), timeout=timeout)
        assert isinstance(response, pb.RecordUsageResponse)
        return response

    async def record(
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
        response = await self.record_usage([record], account_id=account_id, timeout=timeout)
        return response.results[0]

    async def record_batch(
        self, records: Iterable[RecordSpec], *, account_id: str = "", timeout: float | None = None
    ) -> RecordBatchResult:
        """Record any number of records in order and return one result per record; see `Client.record_batch`."""
        built = [build_usage_record(record, index) for index, record in enumerate(records)]
        limits = (await self._open()).hello.limits
        chunks = split_batch(built, limits.max_batch_records or 10_000, (limits.max_frame_bytes or 4_194_304) - LENGTH_OVERHEAD)
        results: list[pb.RecordResult] = []
        for chunk in chunks:
            response = await self.record_usage(chunk, account_id=account_id, timeout=timeout)
            results.extend(response.results)
        return RecordBatchResult(results)

    async def get_summary(
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
        """Return usage totals and per-session rows over a time range; see `Client.get_summary`."""
        request = summary_request(account_id, range, start, end, time_zone, max_sessions)
        response = await self.call(Method.GET_SUMMARY, request, timeout=timeout)
        assert isinstance(response, pb.GetSummaryResponse)
        return response

    async def list_records(
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
        """Return one page of stored records, newest first."""
        request = list_records_request(account_id, range, start, end, time_zone, session_id, page_size, page_token)
        response = await self.call(Method.LIST_RECORDS, request, timeout=timeout)
        assert isinstance(response, pb.ListRecordsResponse)
        return response

    async def iter_records(
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
    ) -> AsyncIterator[pb.StoredRecord]:
        """Yield every stored record in the range, newest first, fetching one page at a time."""
        token = ""
        while True:
            page = await self.list_records(
                account_id=account_id, range=range, start=start, end=end, time_zone=time_zone,
                session_id=session_id, page_size=page_size, page_token=token, timeout=timeout,
            )
            for record in page.records:
                yield record
            token = page.next_page_token
            if not token:
                return

    async def get_quota(
        self,
        *,
        account_id: str = "",
        session_id: str = "",
        at: Instant | None = None,
        timeout: float | None = None,
    ) -> pb.GetQuotaResponse:
        """Return the account's plan, usage and caps for the billing period containing `at` (default now)."""
        response = await self.call(Method.GET_QUOTA, quota_request(account_id, session_id, at), timeout=timeout)
        assert isinstance(response, pb.GetQuotaResponse)
        return response
