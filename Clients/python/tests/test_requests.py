"""Argument handling that needs no server: addresses, ranges, records and batch splitting."""

from __future__ import annotations

import datetime

import pytest

from tally_client import Client, StatusCode, TallyError
from tally_client import metering_pb2 as pb
from tally_client._requests import build_time_range, build_usage_record, resolve_address, split_batch, to_ms


def test_default_address_without_environment(monkeypatch):
    monkeypatch.delenv("TALLY_SERVER", raising=False)
    monkeypatch.delenv("TALLY_API_KEY", raising=False)
    client = Client()
    assert (client.host, client.port) == ("127.0.0.1", 7600)
    assert client._api_key == ""


def test_address_from_environment(monkeypatch):
    monkeypatch.setenv("TALLY_SERVER", "localhost:7601")
    monkeypatch.setenv("TALLY_API_KEY", "tk_env")
    client = Client()
    assert (client.host, client.port) == ("localhost", 7601)
    assert client._api_key == "tk_env"


@pytest.mark.parametrize(
    ("server", "expected"),
    [("[::1]:7600", ("::1", 7600)), (("127.0.0.1", 9), ("127.0.0.1", 9)), ("example:80", ("example", 80))],
)
def test_resolve_address(server, expected):
    assert resolve_address(server) == expected


@pytest.mark.parametrize("server", ["7600", "host:", ":7600", "host:port", "host:70000"])
def test_resolve_address_rejects_invalid(server):
    with pytest.raises(ValueError):
        resolve_address(server)


def test_to_ms_requires_aware_datetime():
    aware = datetime.datetime(2024, 1, 2, 3, 4, 5, 678_900, tzinfo=datetime.timezone.utc)
    assert to_ms(aware, "at") == 1_704_164_645_678
    with pytest.raises(ValueError) as raised:
        to_ms(datetime.datetime(2024, 1, 2), "at")
    assert str(raised.value).startswith("at: datetime 2024-01-02T00:00:00 has no time zone")
    with pytest.raises(TypeError):
        to_ms(1.5, "at")


def test_build_time_range_variants():
    assert build_time_range() is None
    assert build_time_range("today") == pb.TimeRange(preset=pb.PRESET_TODAY)
    assert build_time_range("PRESET_LAST_7_DAYS", time_zone="Asia/Kolkata") == pb.TimeRange(
        preset=pb.PRESET_LAST_7_DAYS, time_zone="Asia/Kolkata")
    assert build_time_range(pb.PRESET_LAST_30_DAYS) == pb.TimeRange(preset=pb.PRESET_LAST_30_DAYS)
    assert build_time_range(time_zone="Europe/Berlin") == pb.TimeRange(preset=pb.PRESET_ALL_TIME, time_zone="Europe/Berlin")
    assert build_time_range(start=10) == pb.TimeRange(start_ms=10, end_ms=9_223_372_036_854_775_807)
    assert build_time_range(end=20) == pb.TimeRange(start_ms=0, end_ms=20)
    message = pb.TimeRange(preset=pb.PRESET_TODAY, time_zone="UTC")
    assert build_time_range(message) is message


def test_build_time_range_rejects_conflicts():
    with pytest.raises(ValueError):
        build_time_range("today", start=1)
    with pytest.raises(ValueError):
        build_time_range("yesterday")
    with pytest.raises(ValueError):
        build_time_range(pb.TimeRange(), time_zone="UTC")


def test_build_usage_record_from_mapping():
    moment = datetime.datetime(1970, 1, 1, 0, 0, 1, tzinfo=datetime.timezone.utc)
    record = build_usage_record({"session_id": "s", "timestamp_ms": moment, "input_tokens": 3}, 0)
    assert record == pb.UsageRecord(session_id="s", timestamp_ms=1000, input_tokens=3)
    with pytest.raises(TypeError):
        build_usage_record(("s", 3), 4)


def test_split_batch_by_count_and_size():
    records = [pb.UsageRecord(session_id="s", event_id=f"{i:04d}") for i in range(10)]
    assert [len(chunk) for chunk in split_batch(records, 4, 1_000_000)] == [4, 4, 2]
    # Each record encodes to 9 bytes plus 2 bytes of tag and length; 66 bytes stay reserved for the account id.
    assert [len(chunk) for chunk in split_batch(records, 100, 66 + 11 * 3)] == [3, 3, 3, 1]
    assert [len(chunk) for chunk in split_batch(records, 100, 66 + 11 * 3 - 1)] == [2, 2, 2, 2, 2]
    assert split_batch([], 4, 1_000) == []


def test_error_string_names_code_and_message():
    error = TallyError(8, "tokens: 500,000 used")
    assert error.code is StatusCode.RESOURCE_EXHAUSTED
    assert str(error) == "RESOURCE_EXHAUSTED (8): tokens: 500,000 used"
    assert TallyError(99, "x").code is StatusCode.UNKNOWN
