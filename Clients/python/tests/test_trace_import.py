"""Imports a real Azure LLM trace through the client and checks it against expected_figures.py."""

from __future__ import annotations

import csv
import datetime
import json
import subprocess
import sys

import pytest

from conftest import ADMIN_KEY, REPO_ROOT, standard_config
from tally_client import Client, StatusCode
from tally_client import metering_pb2 as pb

TRACE = REPO_ROOT / "Tests" / "Data" / "azure-llm-2023" / "AzureLLMInferenceTrace_code.csv"
EXPECTED_SCRIPT = REPO_ROOT / "Tests" / "EndToEndTests" / "expected_figures.py"
PAGE_SIZE = 997


def trace_records() -> list[dict]:
    """Read the trace: one record per row, session = UTC minute window, event id FILE:LINE."""
    records = []
    with open(TRACE, newline="") as handle:
        reader = csv.DictReader(handle)
        # The header is line 1, so the first data row is line 2.
        for line, row in enumerate(reader, start=2):
            moment = datetime.datetime.strptime(row["TIMESTAMP"][:23], "%Y-%m-%d %H:%M:%S.%f")
            moment = moment.replace(tzinfo=datetime.timezone.utc)
            timestamp_ms = int(moment.replace(microsecond=0).timestamp()) * 1000 + moment.microsecond // 1000
            window = moment.replace(second=0, microsecond=0)
            records.append({
                "event_id": f"{TRACE.name}:{line}",
                "session_id": window.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "timestamp_ms": timestamp_ms,
                "input_tokens": int(row["ContextTokens"]),
                "output_tokens": int(row["GeneratedTokens"]),
            })
    return records


@pytest.fixture(scope="module")
def expected() -> dict:
    output = subprocess.run(
        [sys.executable, str(EXPECTED_SCRIPT), str(TRACE)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output)


def check_summary(summary: pb.GetSummaryResponse, expected: dict) -> None:
    assert summary.records == expected["records"]
    assert summary.input_tokens == expected["input_tokens"]
    assert summary.output_tokens == expected["output_tokens"]
    assert summary.total_tokens == expected["total_tokens"]
    assert summary.sessions_used == expected["sessions_used"]
    got_sessions = [
        {
            "session_id": row.session_id,
            "input_tokens": row.input_tokens,
            "output_tokens": row.output_tokens,
            "total_tokens": row.total_tokens,
            "records": row.records,
        }
        for row in summary.sessions
    ]
    assert got_sessions == expected["sessions"]


def test_trace_import_matches_reference(configured_server, expected):
    records = trace_records()
    assert [record["event_id"] for record in records] == expected["event_ids"]

    with Client(configured_server.address, api_key=ADMIN_KEY, timeout=60) as client:
        # An account without caps stores every row once.
        first = client.record_batch(records, account_id="lab")
        assert len(first) == expected["records"]
        assert first.stored == expected["records"]
        assert first.duplicates == 0
        assert first.rejected == []
        assert [result.timestamp_ms for result in first.results] == [record["timestamp_ms"] for record in records]

        summary = client.get_summary(account_id="lab", range="all_time")
        check_summary(summary, expected)
        assert summary.start_ms == 0
        assert summary.end_ms == 9_223_372_036_854_775_807

        # Importing the same rows again stores nothing new.
        second = client.record_batch(records, account_id="lab")
        assert second.stored == 0
        assert second.duplicates == expected["records"]
        assert second.rejected == []
        assert client.get_summary(account_id="lab", range="all_time") == summary


def test_page_walk_returns_each_record_once(configured_server, expected):
    records = trace_records()
    with Client(configured_server.address, api_key=ADMIN_KEY, timeout=60) as client:
        assert client.record_batch(records, account_id="lab").stored == len(records)

        seen: list[str] = []
        timestamps: list[int] = []
        token = ""
        pages = 0
        while True:
            page = client.list_records(account_id="lab", page_size=PAGE_SIZE, page_token=token)
            pages += 1
            assert len(page.records) <= PAGE_SIZE
            seen.extend(record.event_id for record in page.records)
            timestamps.extend(record.timestamp_ms for record in page.records)
            token = page.next_page_token
            if not token:
                break
            assert pages < 1_000

        assert pages == (len(records) + PAGE_SIZE - 1) // PAGE_SIZE
        assert len(seen) == len(expected["event_ids"])
        assert len(set(seen)) == len(seen)
        assert set(seen) == set(expected["event_ids"])
        assert timestamps == sorted(timestamps, reverse=True)

        # iter_records walks the same pages.
        walked = [record.event_id for record in client.iter_records(account_id="lab", page_size=PAGE_SIZE)]
        assert walked == seen


def test_free_plan_import_stops_at_cap(configured_server, expected):
    plan = expected["free_plan"]
    records = trace_records()
    with Client(configured_server.address, api_key=ADMIN_KEY, timeout=60) as client:
        batch = client.record_batch(records, account_id="acme")

        accepted = [records[index]["event_id"] for index, result in enumerate(batch.results) if result.status == pb.OK]
        assert accepted == [f"{TRACE.name}:{line}" for line in plan["accepted_lines"]]
        rejected_lines = [index + 2 for index, _ in batch.rejected]
        assert rejected_lines == plan["rejected_lines"]
        assert {result.status for _, result in batch.rejected} == {StatusCode.RESOURCE_EXHAUSTED}

        fired = [
            {
                "resource": pb.Resource.Name(notification.resource),
                "threshold_percent": notification.threshold_percent,
                "line": index + 2,
                "used": notification.used,
                "crossed_at_ms": notification.crossed_at_ms,
            }
            for index, notification in batch.notifications
        ]
        assert fired == plan["notifications"]

        stored = {record.event_id for record in client.iter_records(account_id="acme", page_size=1000)}
        assert stored == set(accepted)

        at = datetime.datetime(2023, 11, 16, 19, 0, tzinfo=datetime.timezone.utc)
        quota = client.get_quota(account_id="acme", at=at)
        assert quota.plan == "free"
        assert quota.period_start_ms == 1_698_796_800_000
        assert quota.period_end_ms == 1_701_388_800_000
        tokens = quota.resources[0]
        assert tokens.resource == pb.RESOURCE_TOKENS
        assert tokens.used == plan["tokens_used"]
        assert tokens.limit == 500_000
        assert tokens.remaining == 0
        assert tokens.exhausted is True
        assert [n.threshold_percent for n in quota.notifications] == [n["threshold_percent"] for n in plan["notifications"]]
