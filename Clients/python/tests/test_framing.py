"""Frame encoding and decoding, checked against the worked examples of Proto/PROTOCOL.md."""

from __future__ import annotations

import pytest

from tally_client import metering_pb2 as pb
from tally_client._framing import FrameDecoder, FrameError, Method, encode_request


def hex_bytes(text: str) -> bytes:
    return bytes.fromhex(" ".join(text.split()))


def test_hello_example_bytes():
    request = pb.HelloRequest(protocol_version=1, api_key="tk_demo", client_name="demo/1.0")
    frame = encode_request(1, Method.HELLO, request.SerializeToString())
    assert frame == hex_bytes("""
        00 00 00 1d  00 00 00 01  01 00 00 00
        08 01
        12 07 74 6b 5f 64 65 6d 6f
        1a 08 64 65 6d 6f 2f 31 2e 30
    """)
    assert len(frame) == 33


def test_record_usage_example_bytes():
    record = pb.UsageRecord(event_id="e1", session_id="s1", input_tokens=120, output_tokens=30)
    frame = encode_request(2, Method.RECORD_USAGE, pb.RecordUsageRequest(records=[record]).SerializeToString())
    assert frame == hex_bytes("""
        00 00 00 16  00 00 00 02  01 01 00 00
        12 0c  0a 02 65 31  12 02 73 31  20 78  28 1e
    """)
    assert len(frame) == 26


def test_error_reply_example_decodes():
    decoder = FrameDecoder()
    decoder.feed(hex_bytes("00 00 00 0f  00 00 00 02  02  01  10  00  62 61 64 20 6b 65 79"))
    frame = decoder.next_frame()
    assert (frame.request_id, frame.kind, frame.method, frame.status, frame.flags) == (2, 2, 1, 16, 0)
    assert frame.payload == b"bad key"
    assert decoder.next_frame() is None


def test_decoder_reassembles_split_frames():
    reply = pb.GetQuotaResponse(plan="free").SerializeToString()
    header = (8 + len(reply)).to_bytes(4, "big") + (7).to_bytes(4, "big") + bytes([2, 4, 0, 0])
    data = header + reply + (8).to_bytes(4, "big") + (8).to_bytes(4, "big") + bytes([2, 0, 0, 0])
    decoder = FrameDecoder()
    frames = []
    for index in range(len(data)):
        decoder.feed(data[index:index + 1])
        while (frame := decoder.next_frame()) is not None:
            frames.append(frame)
    assert [(frame.request_id, frame.method) for frame in frames] == [(7, 4), (8, 0)]
    assert pb.GetQuotaResponse.FromString(frames[0].payload).plan == "free"
    assert frames[1].payload == b""


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("00 00 00 07", "reply frame length 7 is outside 8 to 4194304 bytes"),
        ("00 40 00 01", "reply frame length 4194305 is outside 8 to 4194304 bytes"),
        ("00 00 00 08 00 00 00 01 01 00 00 00", "frame kind 1 is not 2 (reply)"),
        ("00 00 00 08 00 00 00 01 02 00 00 01", "frame flags 1 are not 0"),
    ],
)
def test_decoder_rejects_invalid_headers(header, message):
    decoder = FrameDecoder()
    decoder.feed(hex_bytes(header))
    with pytest.raises(FrameError) as raised:
        decoder.next_frame()
    assert str(raised.value) == message
