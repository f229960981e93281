"""Errors carry the status code and the server's message, and leave the connection usable."""

from __future__ import annotations

import pytest

from conftest import ADMIN_KEY, AGENT_KEY, SERVICE_KEY
from tally_client import Client, StatusCode, TallyError
from tally_client import metering_pb2 as pb


def test_page_size_over_maximum(configured_server):
    with Client(configured_server.address, api_key=ADMIN_KEY) as client:
        with pytest.raises(TallyError) as raised:
            client.list_records(account_id="lab", page_size=5000)
        assert raised.value.code == StatusCode.INVALID_ARGUMENT
        assert raised.value.code == 3
        assert raised.value.code.name == "INVALID_ARGUMENT"
        assert raised.value.code_name == "INVALID_ARGUMENT"
        assert raised.value.message == "page_size: 5000 is over the maximum of 1000"
        # The connection stays open after a request error.
        assert client.list_records(account_id="lab").records == []


def test_unknown_time_zone(configured_server):
    with Client(configured_server.address, api_key=ADMIN_KEY) as client:
        with pytest.raises(TallyError) as raised:
            client.get_summary(account_id="lab", range="today", time_zone="Mars/Base")
        assert raised.value.code == StatusCode.INVALID_ARGUMENT
        assert raised.value.message == 'range.time_zone: unknown time zone "Mars/Base"; use an IANA name such as Europe/Berlin'


def test_empty_explicit_range_is_rejected(configured_server):
    with Client(configured_server.address, api_key=ADMIN_KEY) as client:
        with pytest.raises(TallyError) as raised:
            client.get_summary(account_id="lab", start=5_000, end=5_000)
        assert raised.value.code == StatusCode.INVALID_ARGUMENT
        assert raised.value.message == "range.end_ms: 5000 is not after range.start_ms 5000"


def test_bad_api_key_is_unauthenticated(configured_server):
    client = Client(configured_server.address, api_key="tk_not_configured")
    with pytest.raises(TallyError) as raised:
        client.connect()
    assert raised.value.code == StatusCode.UNAUTHENTICATED
    client.close()


def test_agent_key_naming_other_account(configured_server):
    with Client(configured_server.address, api_key=AGENT_KEY) as client:
        for account in ("lab", "no-such-account"):
            with pytest.raises(TallyError) as raised:
                client.get_summary(account_id=account)
            assert raised.value.code == StatusCode.PERMISSION_DENIED


def test_service_key_rules(configured_server):
    with Client(configured_server.address, api_key=SERVICE_KEY) as client:
        assert client.hello.role == pb.ROLE_SERVICE
        assert client.hello.account_id == ""
        with pytest.raises(TallyError) as denied:
            client.record("s", input_tokens=1, account_id="acme")
        assert denied.value.code == StatusCode.PERMISSION_DENIED
        with pytest.raises(TallyError) as missing:
            client.get_summary()
        assert missing.value.code == StatusCode.INVALID_ARGUMENT
        with pytest.raises(TallyError) as unknown:
            client.get_quota(account_id="no-such-account")
        assert unknown.value.code == StatusCode.NOT_FOUND
        assert client.get_quota(account_id="acme").plan == "free"


def test_record_errors_are_per_record(configured_server):
    with Client(configured_server.address, api_key=ADMIN_KEY) as client:
        response = client.record_usage(
            account_id="lab",
            records=[
                {"event_id": "ok", "session_id": "s", "input_tokens": 5},
                {"event_id": "long", "session_id": "x" * 130, "input_tokens": 5},
                pb.UsageRecord(event_id="too-many", session_id="s", output_tokens=4_294_967_296),
            ],
        )
        statuses = [result.status for result in response.results]
        assert statuses == [pb.OK, StatusCode.INVALID_ARGUMENT, StatusCode.INVALID_ARGUMENT]
        assert response.results[1].message == "records[1].session_id: 130 bytes is over the maximum of 128 bytes (max_session_id_bytes)"
        assert response.results[2].message.startswith("records[2].output_tokens: ")

        # A conflicting duplicate of a stored event id.
        conflict = client.record("s", input_tokens=6, event_id="ok", account_id="lab")
        assert conflict.status == StatusCode.ALREADY_EXISTS
        assert client.get_summary(account_id="lab").input_tokens == 5


def test_batch_over_server_limit(configured_server):
    records = [{"session_id": "s", "input_tokens": 1} for _ in range(10_001)]
    with Client(configured_server.address, api_key=ADMIN_KEY) as client:
        with pytest.raises(TallyError) as raised:
            client.record_usage(records, account_id="lab")
        assert raised.value.code == StatusCode.INVALID_ARGUMENT
        assert client.get_summary(account_id="lab").records == 0

        # record_batch splits the same records into requests the server accepts.
        batch = client.record_batch(records, account_id="lab")
        assert batch.stored == 10_001
        assert client.get_summary(account_id="lab").records == 10_001


def test_request_over_frame_limit_is_rejected_locally(configured_server):
    huge = {"session_id": "s", "event_id": "e" * 100}
    with Client(configured_server.address, api_key=ADMIN_KEY) as client:
        with pytest.raises(TallyError) as raised:
            client.record_usage([huge] * 40_000, account_id="lab")
        assert raised.value.code == StatusCode.INVALID_ARGUMENT
        assert "over the maximum of 4194296 bytes" in raised.value.message
        # Nothing was sent, so the connection is still open.
        assert client.get_summary(account_id="lab").records == 0
