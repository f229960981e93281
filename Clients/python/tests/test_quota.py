"""Quota exhaustion on the free plan (500,000 tokens per month) and its notifications."""

from __future__ import annotations

import datetime
import zoneinfo

from conftest import ADMIN_KEY, AGENT_KEY, standard_config
from tally_client import Client, StatusCode
from tally_client import metering_pb2 as pb

NOW = datetime.datetime(2024, 3, 15, 12, 0, tzinfo=datetime.timezone.utc)
NOW_MS = int(NOW.timestamp()) * 1000
# The billing month of an account in Europe/Berlin starts at local midnight on March 1.
PERIOD_START_MS = int(datetime.datetime(2024, 3, 1, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin")).timestamp()) * 1000
PERIOD_END_MS = int(datetime.datetime(2024, 4, 1, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin")).timestamp()) * 1000
CAP = 500_000


def quota_config() -> dict:
    return standard_config({
        "acme": {"plan": "free", "time_zone": "Europe/Berlin", "notification_thresholds": [75, 90, 100]},
        "lab": {"plan": "unlimited"},
    })


def test_record_crossing_cap_is_accepted_then_exhausted(start_server):
    server = start_server(quota_config(), now_ms=NOW_MS)
    # (input, output) tokens; cumulative 300,000, 400,000 (80 %), 460,000 (92 %), 560,000 (112 %).
    steps = [(250_000, 50_000), (90_000, 10_000), (60_000, 0), (99_000, 1_000)]
    with Client(server.address, api_key=AGENT_KEY) as client:
        assert client.hello.role == pb.ROLE_AGENT
        assert client.hello.account_id == "acme"

        results = []
        for index, (input_tokens, output_tokens) in enumerate(steps):
            results.append(client.record(
                "s1", input_tokens=input_tokens, output_tokens=output_tokens,
                event_id=f"step-{index}", timestamp=NOW_MS - 10_000 + index,
            ))
        assert [result.status for result in results] == [pb.OK] * 4
        fired = [
            (index, n.resource, n.threshold_percent, n.used, n.limit, n.crossed_at_ms, n.period_start_ms)
            for index, result in enumerate(results)
            for n in result.notifications
        ]
        assert fired == [
            (1, pb.RESOURCE_TOKENS, 75, 400_000, CAP, NOW_MS - 10_000 + 1, PERIOD_START_MS),
            (2, pb.RESOURCE_TOKENS, 90, 460_000, CAP, NOW_MS - 10_000 + 2, PERIOD_START_MS),
            (3, pb.RESOURCE_TOKENS, 100, 560_000, CAP, NOW_MS - 10_000 + 3, PERIOD_START_MS),
        ]

        # Tokens are used up: the next record with tokens is rejected and not stored.
        rejected = client.record("s1", input_tokens=1, event_id="after-cap", timestamp=NOW_MS - 5_000)
        assert rejected.status == StatusCode.RESOURCE_EXHAUSTED
        assert rejected.message != ""
        assert rejected.notifications == []

        # A record that needs no tokens is still accepted.
        decisions_only = client.record("s1", decisions=1, event_id="decision", timestamp=NOW_MS - 4_000)
        assert decisions_only.status == pb.OK

        quota = client.get_quota(session_id="s1")
        assert quota.account_id == "acme"
        assert quota.plan == "free"
        assert quota.time_zone == "Europe/Berlin"
        assert (quota.period_start_ms, quota.period_end_ms) == (PERIOD_START_MS, PERIOD_END_MS)
        tokens, decisions, sessions = quota.resources
        assert (tokens.resource, tokens.used, tokens.limit, tokens.remaining, tokens.exhausted, tokens.unlimited) == (
            pb.RESOURCE_TOKENS, 560_000, CAP, 0, True, False)
        assert (decisions.resource, decisions.used, decisions.limit, decisions.remaining, decisions.exhausted) == (
            pb.RESOURCE_DECISIONS, 1, 5_000, 4_999, False)
        assert (sessions.resource, sessions.used, sessions.limit, sessions.remaining, sessions.exhausted) == (
            pb.RESOURCE_SESSIONS, 1, 100, 99, False)
        assert [(n.threshold_percent, n.used) for n in quota.notifications] == [(75, 400_000), (90, 460_000), (100, 560_000)]
        assert quota.session_allowed is False
        assert quota.session_denied_reason != ""

        stored = [record.event_id for record in client.iter_records()]
        assert stored == ["decision", "step-3", "step-2", "step-1", "step-0"]


def test_one_record_crossing_all_thresholds(start_server):
    server = start_server(quota_config(), now_ms=NOW_MS)
    with Client(server.address, api_key=AGENT_KEY) as client:
        result = client.record("big", input_tokens=CAP, event_id="big", timestamp=NOW_MS)
        assert result.status == pb.OK
        assert [(n.threshold_percent, n.used) for n in result.notifications] == [(75, CAP), (90, CAP), (100, CAP)]

        # The same event again is a duplicate: no new usage, no notifications.
        again = client.record("big", input_tokens=CAP, event_id="big", timestamp=NOW_MS)
        assert again.status == pb.OK
        assert again.duplicate is True
        assert again.timestamp_ms == NOW_MS
        assert again.notifications == []

        quota = client.get_quota()
        assert quota.resources[0].used == CAP
        assert quota.resources[0].exhausted is True
        assert quota.session_allowed is False
        assert quota.session_denied_reason == ""


def test_unlimited_plan_reports_no_caps(start_server):
    server = start_server(quota_config(), now_ms=NOW_MS)
    with Client(server.address, api_key=AGENT_KEY) as client:
        assert client.record("s", input_tokens=10, timestamp=NOW_MS).status == pb.OK
    with Client(server.address, api_key=ADMIN_KEY) as admin:
        admin.record("s", input_tokens=7, output_tokens=3, account_id="lab", timestamp=NOW_MS)
        quota = admin.get_quota(account_id="lab", session_id="s")
        assert quota.plan == "unlimited"
        assert [(r.resource, r.used, r.limit, r.remaining, r.exhausted, r.unlimited) for r in quota.resources] == [
            (pb.RESOURCE_TOKENS, 10, 0, 0, False, True),
            (pb.RESOURCE_DECISIONS, 0, 0, 0, False, True),
            (pb.RESOURCE_SESSIONS, 1, 0, 0, False, True),
        ]
        assert quota.session_allowed is True
        assert list(quota.notifications) == []
