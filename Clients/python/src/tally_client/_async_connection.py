"""One authenticated connection for the asyncio client, with a reader task."""

from __future__ import annotations

import asyncio
import logging
import socket

from google.protobuf.message import Message

from . import metering_pb2 as pb
from ._framing import (
    DEFAULT_MAX_FRAME_BYTES,
    MAX_REQUEST_ID,
    PROTOCOL_VERSION,
    Frame,
    FrameDecoder,
    FrameError,
    Method,
    encode_request,
)
from ._sync_connection import check_payload_size, decode_reply
from .errors import StatusCode, TallyConnectionError, TallyError, TallyTimeoutError

logger = logging.getLogger("tally_client")

_HELLO_REQUEST_ID = 1
_RECEIVE_SIZE = 65536


class AsyncConnection:
    """A TCP connection after a successful Hello, used from one event loop."""

    def __init__(self, address: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.address = address
        self._reader = reader
        self._writer = writer
        self._decoder = FrameDecoder(DEFAULT_MAX_FRAME_BYTES)
        self._pending: dict[int, tuple[Method, asyncio.Future]] = {}
        self._next_id = _HELLO_REQUEST_ID + 1
        self._closed = False
        self._reader_task: asyncio.Task | None = None
        self._slots = asyncio.Semaphore(1024)
        self.hello = pb.HelloResponse()
        self.max_frame_bytes = DEFAULT_MAX_FRAME_BYTES

    @classmethod
    async def open(
        cls, host: str, port: int, api_key: str, client_name: str, connect_timeout: float | None
    ) -> AsyncConnection:
        """Connect, send Hello and return the authenticated connection."""
        address = f"{host}:{port}"
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), connect_timeout)
        except asyncio.TimeoutError as error:
            raise TallyTimeoutError(f"connecting to {address} timed out after {connect_timeout} s") from error
        except OSError as error:
            raise TallyConnectionError(f"connecting to {address} failed: {error}") from error
        connection = cls(address, reader, writer)
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            await asyncio.wait_for(connection._handshake(api_key, client_name), connect_timeout)
        except asyncio.TimeoutError as error:
            writer.close()
            raise TallyTimeoutError(f"no Hello reply from {address} within {connect_timeout} s") from error
        except BaseException:
            writer.close()
            raise
        connection._reader_task = asyncio.get_running_loop().create_task(connection._read_loop())
        return connection

    @property
    def closed(self) -> bool:
        return self._closed

    async def _handshake(self, api_key: str, client_name: str) -> None:
        request = pb.HelloRequest(protocol_version=PROTOCOL_VERSION, api_key=api_key, client_name=client_name)
        try:
            self._writer.write(encode_request(_HELLO_REQUEST_ID, Method.HELLO, request.SerializeToString()))
            await self._writer.drain()
            while (frame := self._decoder.next_frame()) is None:
                data = await self._reader.read(_RECEIVE_SIZE)
                if not data:
                    raise TallyConnectionError(f"{self.address} closed the connection before the Hello reply")
                self._decoder.feed(data)
        except FrameError as error:
            raise TallyConnectionError(f"invalid Hello reply from {self.address}: {error}") from error
        except OSError as error:
            raise TallyConnectionError(f"Hello to {self.address} failed: {error}") from error
        if frame.request_id not in (_HELLO_REQUEST_ID, 0) or (frame.status == StatusCode.OK and frame.method != Method.HELLO):
            raise TallyConnectionError(
                f"{self.address} answered Hello with request id {frame.request_id} and method {frame.method}"
            )
        response = decode_reply(frame, Method.HELLO)
        assert isinstance(response, pb.HelloResponse)
        if response.protocol_version != PROTOCOL_VERSION:
            raise TallyError(
                StatusCode.FAILED_PRECONDITION,
                f"server speaks protocol version {response.protocol_version}; this client speaks {PROTOCOL_VERSION}",
            )
        self.hello = response
        self.max_frame_bytes = response.limits.max_frame_bytes or DEFAULT_MAX_FRAME_BYTES
        self._decoder.max_frame_bytes = self.max_frame_bytes
        self._slots = asyncio.Semaphore(response.limits.max_in_flight or 1024)

    async def call(self, method: Method, request: Message, timeout: float | None) -> Message:
        """Send a request and wait up to `timeout` seconds for its response message."""
        payload = request.SerializeToString()
        check_payload_size(payload, self.max_frame_bytes, method)
        try:
            return await asyncio.wait_for(self._exchange(method, payload), timeout)
        except asyncio.TimeoutError as error:
            raise TallyTimeoutError(f"no {method.name} reply from {self.address} within {timeout} s") from error

    async def _exchange(self, method: Method, payload: bytes) -> Message:
        if self._closed:
            raise TallyConnectionError(f"the connection to {self.address} is closed")
        await self._slots.acquire()
        if self._closed:
            self._slots.release()
            raise TallyConnectionError(f"the connection to {self.address} is closed")
        request_id = self._allocate_id()
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self._pending[request_id] = (method, future)
        # The entry stays in _pending until the reply arrives, even when the
        # caller stops waiting, so that the id is not reused while in flight.
        try:
            self._writer.write(encode_request(request_id, method, payload))
            await self._writer.drain()
        except OSError as error:
            self._fail_all(TallyConnectionError(f"sending to {self.address} failed: {error}"))
            raise TallyConnectionError(f"sending to {self.address} failed: {error}") from error
        return await future

    def _allocate_id(self) -> int:
        # Ids wrap around, skipping 0 (reserved for framing errors) and ids still in flight.
        while True:
            request_id = self._next_id
            self._next_id = 1 if request_id >= MAX_REQUEST_ID else request_id + 1
            if request_id not in self._pending:
                return request_id

    async def _read_loop(self) -> None:
        try:
            while True:
                data = await self._reader.read(_RECEIVE_SIZE)
                if not data:
                    self._fail_all(TallyConnectionError(f"{self.address} closed the connection"))
                    return
                self._decoder.feed(data)
                while (frame := self._decoder.next_frame()) is not None:
                    if not self._dispatch(frame):
                        return
        except FrameError as error:
            logger.warning("closing connection to %s: invalid reply frame: %s", self.address, error)
            self._fail_all(TallyConnectionError(f"invalid reply frame from {self.address}: {error}"))
        except OSError as error:
            self._fail_all(TallyConnectionError(f"receiving from {self.address} failed: {error}"))

    def _dispatch(self, frame: Frame) -> bool:
        """Complete the request that `frame` answers; return False once the connection is closed."""
        if frame.request_id == 0:
            # The server found a framing error and closes the connection.
            message = frame.payload.decode("utf-8", errors="replace")
            logger.warning("%s rejected a frame: %s", self.address, message)
            self._fail_all(TallyError(frame.status, message))
            return False
        entry = self._pending.pop(frame.request_id, None)
        if entry is None or entry[0] != frame.method:
            logger.warning(
                "closing connection to %s: reply with request id %d and method %d matches no request",
                self.address, frame.request_id, frame.method,
            )
            self._fail_all(TallyConnectionError(
                f"{self.address} sent a reply with request id {frame.request_id} and method {frame.method} "
                "that matches no request in flight"
            ))
            return False
        method, future = entry
        self._slots.release()
        if future.done():
            # The caller stopped waiting (timeout or cancellation).
            return True
        try:
            future.set_result(decode_reply(frame, method))
        except TallyError as error:
            future.set_exception(error)
        return True

    def _fail_all(self, error: TallyError) -> None:
        self._closed = True
        pending = list(self._pending.values())
        self._pending.clear()
        for _, future in pending:
            self._slots.release()
            if not future.done():
                future.set_exception(error)
        self._writer.close()

    async def close(self) -> None:
        """Close the connection; requests in flight fail with TallyConnectionError."""
        self._fail_all(TallyConnectionError(f"the connection to {self.address} was closed by the client"))
        if self._reader_task is not None and self._reader_task is not asyncio.current_task():
            self._reader_task.cancel()
            try:
                await self._reader_task
            except asyncio.CancelledError:
                pass
        try:
            await self._writer.wait_closed()
        except OSError:
            pass
