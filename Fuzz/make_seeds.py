#!/usr/bin/env python3
"""Writes the seed inputs in Fuzz/corpus: valid and edge-case request frames.

Each input is one control byte (bits 0-5: chunk size, bits 6-7: caller,
see FuzzTarget.swift) followed by frames. Run it from the repository root.
"""
import hashlib
import os
import struct

NOW_MS = 1_796_385_600_000


def varint(value):
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field_varint(number, value):
    return varint(number << 3) + varint(value)


def field_bytes(number, data):
    if isinstance(data, str):
        data = data.encode()
    return varint(number << 3 | 2) + varint(len(data)) + data


def frame(method, payload, request_id=1, kind=1, status=0, flags=0):
    return struct.pack(">IIBBBB", 8 + len(payload), request_id, kind, method, status, flags) + payload


def record(session, event="", timestamp=0, inputs=0, outputs=0, decisions=0):
    body = b""
    if event:
        body += field_bytes(1, event)
    body += field_bytes(2, session)
    for number, value in ((3, timestamp), (4, inputs), (5, outputs), (6, decisions)):
        if value:
            body += field_varint(number, value)
    return body


def time_range(preset=0, start=0, end=0, zone=""):
    body = b""
    if preset:
        body += field_varint(1, preset)
    if start:
        body += field_varint(2, start)
    if end:
        body += field_varint(3, end)
    if zone:
        body += field_bytes(4, zone)
    return body


HELLO = field_varint(1, 1) + field_bytes(2, "fuzz-agent-key-000000000000") + field_bytes(3, "seed/1")

seeds = {
    "hello": frame(0, HELLO),
    "hello-wrong-version": frame(0, field_varint(1, 2)),
    "record-one": frame(1, field_bytes(2, record("s1", "e1", 0, 120, 30))),
    "record-batch": frame(1, b"".join(
        field_bytes(2, record(f"s{i}", f"e{i}", NOW_MS - i * 1000, 10 * i, i, i % 2)) for i in range(5))),
    "record-other-account": frame(1, field_bytes(1, "lab") + field_bytes(2, record("s", "", 0, 1))),
    "record-negative": frame(1, field_bytes(2, record("s", "", -5, -1, 3, -42))),
    "record-future": frame(1, field_bytes(2, record("s", "e", NOW_MS + 400_000, 1))),
    "record-long-ids": frame(1, field_bytes(2, record("s" * 129, "e" * 129, 0, 1))),
    "record-duplicate": frame(1, field_bytes(2, record("s", "dup", NOW_MS, 5)) + field_bytes(2, record("s", "dup", NOW_MS, 6))),
    "summary-today": frame(2, field_bytes(2, time_range(1, zone="Europe/Berlin")) + field_varint(3, 10)),
    "summary-explicit": frame(2, field_bytes(1, "acme") + field_bytes(2, time_range(0, NOW_MS - 86_400_000, NOW_MS))),
    "summary-bad-zone": frame(2, field_bytes(2, time_range(2, zone="Mars/Base"))),
    "summary-bad-preset": frame(2, field_bytes(2, time_range(9))),
    "list-page": frame(3, field_varint(4, 2) + field_bytes(3, "s1")),
    "list-token": frame(3, field_bytes(5, "bm90LWEtdG9rZW4") + field_bytes(2, time_range(4))),
    "quota": frame(4, field_bytes(2, "s1") + field_varint(3, NOW_MS)),
    "quota-service": frame(4, field_bytes(1, "lab")),
    "pipeline": frame(1, field_bytes(2, record("p", "p1", 0, 7)), 2)
    + frame(2, b"", 3) + frame(3, field_varint(4, 1), 4) + frame(4, b"", 5),
    "unknown-method": frame(42, b""),
    "huge-length": struct.pack(">IIBBBB", 0x80000000, 9, 1, 1, 0, 0),
    "short-length": struct.pack(">II", 4, 9),
    "bad-flags": frame(4, b"", flags=1),
    "reply-kind": frame(4, b"", kind=2),
    "unknown-fields": frame(4, field_varint(111, 1) + field_bytes(112, "ab")),
}

controls = {"agent": 0x00, "service-bytewise": 0x41, "admin-chunks": 0x83}

directory = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
os.makedirs(directory, exist_ok=True)
for name, data in seeds.items():
    for caller, control in controls.items():
        content = bytes([control]) + data
        digest = hashlib.sha1(content).hexdigest()[:12]
        with open(os.path.join(directory, f"{name}-{caller}-{digest}"), "wb") as handle:
            handle.write(content)
