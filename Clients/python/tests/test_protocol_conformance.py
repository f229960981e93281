"""Raw-frame checks of the server rules in Proto/PROTOCOL.md that the client relies on."""

from __future__ import annotations

import socket
import struct

import pytest

from conftest import ADMIN_KEY
from tally_client import StatusCode
from tally_client import metering_pb2 as pb

HEADER = struct.Struct(">IIBBBB")


class RawConnection:
    def __init__(self, address: str) -> None:
        host, port = address.rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)), timeout=10)

    def send(self, request_id: int, method: int, payload: bytes = b"", kind: int = 1, status: int = 0, flags: int = 0) -> None:
        self.sock.sendall(HEADER.pack(8 + len(payload), request_id, kind, method, status, flags) + payload)

    def _read_exact(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self.sock.recv(size - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data

    def read(self) -> tuple[int, int, int, int, int, bytes]:
        length, request_id, kind, method, status, flags = HEADER.unpack(self._read_exact(12))
        return request_id, kind, method, status, flags, self._read_exact(length - 8)

    def is_closed(self) -> bool:
        return self.sock.recv(1) == b""

    def hello(self, version: int = 1, key: str = ADMIN_KEY) -> tuple:
        self.send(1, 0, pb.HelloRequest(protocol_version=version, api_key=key, client_name="conformance").SerializeToString())
        return self.read()


@pytest.fixture
def raw(configured_server):
    connection = RawConnection(configured_server.address)
    yield connection
    connection.sock.close()


def test_hello_reply(raw):
    request_id, kind, method, status, flags, payload = raw.hello()
    assert (request_id, kind, method, status, flags) == (1, 2, 0, 0, 0)
    response = pb.HelloResponse.FromString(payload)
    assert response.protocol_version == 1
    assert response.role == pb.ROLE_ADMIN
    assert response.account_id == ""


def test_first_frame_not_hello(raw):
    raw.send(5, 4, pb.GetQuotaRequest(account_id="acme").SerializeToString())
    assert raw.read()[:4] == (5, 2, 4, StatusCode.UNAUTHENTICATED)
    assert raw.is_closed()


def test_unsupported_protocol_version(raw):
    request_id, _, _, status, _, payload = raw.hello(version=2)
    assert (request_id, status) == (1, StatusCode.FAILED_PRECONDITION)
    assert "1" in payload.decode()
    assert raw.is_closed()


def test_second_hello_keeps_connection(raw):
    raw.hello()
    assert raw.hello()[3] == StatusCode.FAILED_PRECONDITION
    raw.send(2, 4, b"")
    # An empty payload decodes as a default GetQuotaRequest, which an admin key may not send without an account.
    assert raw.read()[:4] == (2, 2, 4, StatusCode.INVALID_ARGUMENT)


def test_unknown_method_and_nonzero_status(raw):
    raw.hello()
    raw.send(2, 9, b"")
    assert raw.read()[:4] == (2, 2, 9, StatusCode.UNIMPLEMENTED)
    raw.send(3, 4, pb.GetQuotaRequest(account_id="acme").SerializeToString(), status=1)
    assert raw.read()[:4] == (3, 2, 4, StatusCode.INVALID_ARGUMENT)
    raw.send(4, 4, pb.GetQuotaRequest(account_id="acme").SerializeToString())
    assert raw.read()[:4] == (4, 2, 4, StatusCode.OK)


def test_framing_error_replies_with_id_zero(raw):
    raw.hello()
    raw.send(7, 4, b"", flags=1)
    request_id, kind, method, status, _, _ = raw.read()
    assert (request_id, kind, method, status) == (0, 2, 0, StatusCode.INVALID_ARGUMENT)
    assert raw.is_closed()


def test_frame_length_over_maximum(raw):
    raw.hello()
    raw.sock.sendall(struct.pack(">I", 2_147_483_648))
    request_id, _, method, status, _, payload = raw.read()
    assert (request_id, method, status) == (0, 0, StatusCode.INVALID_ARGUMENT)
    assert payload.decode() == "frame length 2147483648 is over the maximum of 4194304 bytes"
    assert raw.is_closed()


@pytest.mark.parametrize(
    "time_range",
    [pb.TimeRange(preset=9), pb.TimeRange(start_ms=10, end_ms=5), pb.TimeRange(start_ms=10, end_ms=10)],
)
def test_invalid_ranges(raw, time_range):
    raw.hello()
    request = pb.GetSummaryRequest(account_id="lab", range=time_range)
    raw.send(2, 2, request.SerializeToString())
    assert raw.read()[:4] == (2, 2, 2, StatusCode.INVALID_ARGUMENT)


def test_page_token_with_other_parameters(raw):
    raw.hello()
    records = [pb.UsageRecord(session_id=f"s{i}", input_tokens=1) for i in range(3)]
    raw.send(2, 1, pb.RecordUsageRequest(account_id="lab", records=records).SerializeToString())
    assert raw.read()[3] == StatusCode.OK
    raw.send(3, 3, pb.ListRecordsRequest(account_id="lab", page_size=1).SerializeToString())
    token = pb.ListRecordsResponse.FromString(raw.read()[5]).next_page_token
    assert token != ""
    raw.send(4, 3, pb.ListRecordsRequest(account_id="lab", page_size=1, session_id="s1", page_token=token).SerializeToString())
    assert raw.read()[3] == StatusCode.INVALID_ARGUMENT
    raw.send(5, 3, pb.ListRecordsRequest(account_id="lab", page_size=1, page_token="forged").SerializeToString())
    assert raw.read()[3] == StatusCode.INVALID_ARGUMENT


def test_record_timestamp_limits(raw):
    raw.hello()
    records = [
        pb.UsageRecord(session_id="s", timestamp_ms=-1, input_tokens=1),
        pb.UsageRecord(session_id="s", timestamp_ms=9_000_000_000_000, input_tokens=1),
        pb.UsageRecord(session_id="", input_tokens=1),
    ]
    raw.send(2, 1, pb.RecordUsageRequest(account_id="lab", records=records).SerializeToString())
    _, _, _, status, _, payload = raw.read()
    assert status == StatusCode.OK
    results = pb.RecordUsageResponse.FromString(payload).results
    assert [result.status for result in results] == [StatusCode.INVALID_ARGUMENT] * 3
    assert [result.message.split(":")[0] for result in results] == [
        "records[0].timestamp_ms", "records[1].timestamp_ms", "records[2].session_id"]
