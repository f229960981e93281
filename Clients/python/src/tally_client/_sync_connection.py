"""One authenticated connection for the synchronous client, with a reader thread."""

from __future__ import annotations

import concurrent.futures
import logging
import socket
import threading
import time

from google.protobuf.message import DecodeError, Message

from . import metering_pb2 as pb
from ._framing import (
    DEFAULT_MAX_FRAME_BYTES,
    LENGTH_OVERHEAD,
    MAX_REQUEST_ID,
    PROTOCOL_VERSION,
    RESPONSE_TYPES,
    Frame,
    FrameDecoder,
    FrameError,
    Method,
    encode_request,
)
from .errors import StatusCode, TallyConnectionError, TallyError, TallyTimeoutError

logger = logging.getLogger("tally_client")

_HELLO_REQUEST_ID = 1
_RECEIVE_SIZE = 65536


def decode_reply(frame: Frame, method: Method) -> Message:
    """Return the reply's response message, or raise TallyError for a non-OK status."""
    if frame.status != StatusCode.OK:
        raise TallyError(frame.status, frame.payload.decode("utf-8", errors="replace"))
    try:
        return RESPONSE_TYPES[method].FromString(frame.payload)
    except DecodeError as error:
        raise TallyError(
            StatusCode.INTERNAL, f"{method.name} reply payload of {len(frame.payload)} bytes is not a valid response: {error}"
        ) from error


def check_payload_size(payload: bytes, max_frame_bytes: int, method: Method) -> None:
    """Raise INVALID_ARGUMENT for a request that would exceed the server's frame length limit."""
    if LENGTH_OVERHEAD + len(payload) > max_frame_bytes:
        raise TallyError(
            StatusCode.INVALID_ARGUMENT,
            f"{method.name} request payload of {len(payload)} bytes is over the maximum of "
            f"{max_frame_bytes - LENGTH_OVERHEAD} bytes; send fewer records per request",
        )


class SyncConnection:
    """A TCP connection after a successful Hello; safe to use from several threads."""

    def __init__(self, host: str, port: int, api_key: str, client_name: str, connect_timeout: float | None) -> None:
        self.address = f"{host}:{port}"
        try:
            self._socket = socket.create_connection((host, port), timeout=connect_timeout)
        except socket.timeout as error:
            raise TallyTimeoutError(f"connecting to {self.address} timed out after {connect_timeout} s") from error
        except OSError as error:
            raise TallyConnectionError(f"connecting to {self.address} failed: {error}") from error
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._decoder = FrameDecoder(DEFAULT_MAX_FRAME_BYTES)
        try:
            self.hello = self._handshake(api_key, client_name, connect_timeout)
        except BaseException:
            self._socket.close()
            raise
        self.limits = self.hello.limits
        self.max_frame_bytes = self.limits.max_frame_bytes or DEFAULT_MAX_FRAME_BYTES
        self._decoder.max_frame_bytes = self.max_frame_bytes
        self._socket.settimeout(None)

        self._lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._pending: dict[int, tuple[Method, concurrent.futures.Future]] = {}
        self._slots = threading.BoundedSemaphore(self.limits.max_in_flight or 1024)
        self._next_id = _HELLO_REQUEST_ID + 1
        self._closed = False
        self._reader = threading.Thread(target=self._read_loop, name=f"tally-reader-{self.address}", daemon=True)
        self._reader.start()

    @property
    def closed(self) -> bool:
        return self._closed

    def _handshake(self, api_key: str, client_name: str, timeout: float | None) -> pb.HelloResponse:
        request = pb.HelloRequest(protocol_version=PROTOCOL_VERSION, api_key=api_key, client_name=client_name)
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            self._socket.sendall(encode_request(_HELLO_REQUEST_ID, Method.HELLO, request.SerializeToString()))
            while True:
                frame = self._decoder.next_frame()
                if frame is not None:
                    break
                if deadline is not None:
                    self._socket.settimeout(max(deadline - time.monotonic(), 0.001))
                data = self._socket.recv(_RECEIVE_SIZE)
                if not data:
                    raise TallyConnectionError(f"{self.address} closed the connection before the Hello reply")
                self._decoder.feed(data)
        except socket.timeout as error:
            raise TallyTimeoutError(f"no Hello reply from {self.address} within {timeout} s") from error
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
        return response

    def submit(self, method: Method, request: Message, slot_timeout: float | None) -> concurrent.futures.Future:
        """Send a request and return a future for its response message."""
        payload = request.SerializeToString()
        check_payload_size(payload, self.max_frame_bytes, method)
        if self._closed:
            raise TallyConnectionError(f"the connection to {self.address} is closed")
        if not self._slots.acquire(timeout=-1 if slot_timeout is None else slot_timeout):
            raise TallyTimeoutError(
                f"no free request slot within {slot_timeout} s: {self.limits.max_in_flight} requests are in flight"
            )
        future: concurrent.futures.Future = concurrent.futures.Future()
        with self._lock:
            if self._closed:
                self._slots.release()
                raise TallyConnectionError(f"the connection to {self.address} is closed")
            request_id = self._allocate_id()
            self._pending[request_id] = (method, future)
        try:
            with self._send_lock:
                self._socket.sendall(encode_request(request_id, method, payload))
        except OSError as error:
            self._fail_all(TallyConnectionError(f"sending to {self.address} failed: {error}"))
            raise TallyConnectionError(f"sending to {self.address} failed: {error}") from error
        return future

    def _allocate_id(self) -> int:
        # Ids wrap around, skipping 0 (reserved for framing errors) and ids still in flight.
        while True:
            request_id = self._next_id
            self._next_id = 1 if request_id >= MAX_REQUEST_ID else request_id + 1
            if request_id not in self._pending:
                return request_id

    def _read_loop(self) -> None:
        try:
            while True:
                data = self._socket.recv(_RECEIVE_SIZE)
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
        with self._lock:
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
        try:
            future.set_result(decode_reply(frame, method))
        except TallyError as error:
            future.set_exception(error)
        return True

    def _fail_all(self, error: TallyError) -> None:
        with self._lock:
            self._closed = True
            pending = list(self._pending.values())
            self._pending.clear()
        for _ in pending:
            # Wake threads waiting for a slot: they find the connection closed.
            self._slots.release()
        for _, future in pending:
            if not future.done():
                future.set_exception(error)
        try:
            self._socket.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def close(self) -> None:
        """Close the socket and fail requests still in flight with TallyConnectionError."""
        self._fail_all(TallyConnectionError(f"the connection to {self.address} was closed by the client"))
        if threading.current_thread() is not self._reader:
            self._reader.join()
        self._socket.close()
