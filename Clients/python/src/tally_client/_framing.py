"""Frame encoding and incremental decoding for the Tally native protocol.

Every frame starts with a 12-byte big-endian header: length (4 bytes, the
number of bytes after the length field, so 8 plus the payload size), request
id (4), kind (1), method (1), status (1) and flags (1).
"""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass

from . import metering_pb2 as pb

HEADER = struct.Struct(">IIBBBB")
HEADER_SIZE = HEADER.size
# Bytes counted by the length field before the payload: request id, kind,
# method, status and flags.
LENGTH_OVERHEAD = 8
DEFAULT_MAX_FRAME_BYTES = 4_194_304
PROTOCOL_VERSION = 1
MAX_REQUEST_ID = 0xFFFF_FFFF

KIND_REQUEST = 1
KIND_REPLY = 2


class Method(enum.IntEnum):
    """Method byte of a frame."""

    HELLO = 0
    RECORD_USAGE = 1
    GET_SUMMARY = 2
    LIST_RECORDS = 3
    GET_QUOTA = 4


RESPONSE_TYPES = {
    Method.HELLO: pb.HelloResponse,
    Method.RECORD_USAGE: pb.RecordUsageResponse,
    Method.GET_SUMMARY: pb.GetSummaryResponse,
    Method.LIST_RECORDS: pb.ListRecordsResponse,
    Method.GET_QUOTA: pb.GetQuotaResponse,
}


class FrameError(Exception):
    """A received frame that breaks the framing rules; the connection must close."""


@dataclass(frozen=True)
class Frame:
    """One decoded frame."""

    request_id: int
    kind: int
    method: int
    status: int
    flags: int
    payload: bytes


def encode_request(request_id: int, method: Method, payload: bytes) -> bytes:
    """Return a request frame carrying `payload`."""
    header = HEADER.pack(LENGTH_OVERHEAD + len(payload), request_id, KIND_REQUEST, int(method), 0, 0)
    return header + payload


class FrameDecoder:
    """Split a byte stream into reply frames.

    Feed received bytes with `feed`, then call `next_frame` until it returns
    None. It raises FrameError for a length outside 8 to `max_frame_bytes`,
    a kind other than reply, or a non-zero flags byte.
    """

    def __init__(self, max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES) -> None:
        self.max_frame_bytes = max_frame_bytes
        self._buffer = bytearray()

    def feed(self, data: bytes) -> None:
        self._buffer += data

    def next_frame(self) -> Frame | None:
        if len(self._buffer) < 4:
            return None
        (length,) = struct.unpack_from(">I", self._buffer, 0)
        if length < LENGTH_OVERHEAD or length > self.max_frame_bytes:
            raise FrameError(
                f"reply frame length {length} is outside 8 to {self.max_frame_bytes} bytes"
            )
        if len(self._buffer) < HEADER_SIZE:
            return None
        _, request_id, kind, method, status, flags = HEADER.unpack_from(self._buffer, 0)
        if kind != KIND_REPLY:
            raise FrameError(f"frame kind {kind} is not {KIND_REPLY} (reply)")
        if flags != 0:
            raise FrameError(f"frame flags {flags} are not 0")
        total = 4 + length
        if len(self._buffer) < total:
            return None
        payload = bytes(self._buffer[HEADER_SIZE:total])
        del self._buffer[:total]
        return Frame(request_id, kind, method, status, flags, payload)
