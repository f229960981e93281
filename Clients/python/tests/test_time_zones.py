"""Summaries and listings with preset ranges in non-UTC time zones, with the server clock fixed."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from conftest import ADMIN_KEY, standard_config
from tally_client import Client

UTC = datetime.timezone.utc
# 2024-03-15 03:30 UTC is 23:30 on March 14 in New York (EDT, UTC-4, since March 10)
# and 09:00 on March 15 in Kolkata (UTC+5:30).
NOW = datetime.datetime(2024, 3, 15, 3, 30, tzinfo=UTC)
NOW_MS = int(NOW.timestamp()) * 1000


def local_midnight_ms(zone: str, days_before_today: int) -> int:
    """Unix ms of 00:00 local time, `days_before_today` calendar days before NOW's local date."""
    tz = zoneinfo.ZoneInfo(zone)
    day = NOW.astimezone(tz).date() - datetime.timedelta(days=days_before_today)
    return int(datetime.datetime(day.year, day.month, day.day, tzinfo=tz).timestamp()) * 1000


def boundary_records() -> list[dict]:
    """Records one millisecond either side of each local midnight that a preset starts at."""
    instants = {"latest": NOW_MS - 1_000, "now": NOW_MS, "after-now": NOW_MS + 1, "future": NOW_MS + 60_000}
    for zone, label in (("America/New_York", "ny"), ("Asia/Kolkata", "kolkata")):
        for days, preset in ((0, "today"), (6, "7d"), (29, "30d")):
            midnight = local_midnight_ms(zone, days)
            instants[f"{label}-{preset}-before"] = midnight - 1
            instants[f"{label}-{preset}-start"] = midnight
    records = []
    for index, (name, timestamp_ms) in enumerate(sorted(instants.items())):
        records.append({
            "event_id": name,
            "session_id": f"session-{name}",
            "timestamp_ms": timestamp_ms,
            "input_tokens": 10 ** (index % 6) + index,
            "output_tokens": index,
        })
    return records


def test_new_york_presets_start_at_local_midnight():
    # Across the DST change on 2024-03-10 the seven-day range starts at 05:00 UTC, the day at 04:00 UTC.
    assert local_midnight_ms("America/New_York", 0) == int(datetime.datetime(2024, 3, 14, 4, tzinfo=UTC).timestamp()) * 1000
    assert local_midnight_ms("America/New_York", 6) == int(datetime.datetime(2024, 3, 8, 5, tzinfo=UTC).timestamp()) * 1000


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Kolkata"])
@pytest.mark.parametrize(("preset", "days"), [("today", 0), ("last_7_days", 6), ("last_30_days", 29)])
def test_preset_summary_in_time_zone(start_server, zone, preset, days):
    server = start_server(standard_config(), now_ms=NOW_MS)
    records = boundary_records()
    start_ms = local_midnight_ms(zone, days)
    # A preset range ends one millisecond after now, so a record stamped now is inside.
    inside = [record for record in records if start_ms <= record["timestamp_ms"] <= NOW_MS]

    with Client(server.address, api_key=ADMIN_KEY) as client:
        batch = client.record_batch(records, account_id="lab")
        assert batch.stored == len(records)

        summary = client.get_summary(account_id="lab", range=preset, time_zone=zone)
        assert summary.start_ms == start_ms
        assert summary.end_ms == NOW_MS + 1
        assert summary.time_zone == zone
        assert summary.records == len(inside)
        assert summary.input_tokens == sum(record["input_tokens"] for record in inside)
        assert summary.output_tokens == sum(record["output_tokens"] for record in inside)
        assert summary.sessions_used == len(inside)

        listed = list(client.iter_records(account_id="lab", range=preset, time_zone=zone))
        expected_ids = [record["event_id"] for record in sorted(inside, key=lambda r: -r["timestamp_ms"])]
        assert [record.event_id for record in listed] == expected_ids


def test_explicit_range_with_aware_datetimes(start_server):
    server = start_server(standard_config(), now_ms=NOW_MS)
    records = boundary_records()
    tz = zoneinfo.ZoneInfo("Asia/Kolkata")
    start = datetime.datetime(2024, 3, 15, 0, 0, tzinfo=tz)
    end = datetime.datetime(2024, 3, 15, 9, 0, tzinfo=tz)
    start_ms = int(start.timestamp()) * 1000
    end_ms = int(end.timestamp()) * 1000
    inside = {record["event_id"] for record in records if start_ms <= record["timestamp_ms"] < end_ms}

    with Client(server.address, api_key=ADMIN_KEY) as client:
        client.record_batch(records, account_id="lab")
        summary = client.get_summary(account_id="lab", start=start, end=end)
        assert (summary.start_ms, summary.end_ms) == (start_ms, end_ms)
        assert summary.records == len(inside)
        listed = {record.event_id for record in client.iter_records(account_id="lab", start=start_ms, end=end_ms)}
        assert listed == inside
