#!/usr/bin/env python3
"""Computes, from a trace CSV alone, the figures Tally must report for it.

Reads a CSV with TIMESTAMP, ContextTokens and GeneratedTokens columns and
groups rows into sessions by the UTC start of their window. Prints JSON with
the all-time totals and the per-session breakdown (largest total first, ties
by session id). It also replays the rows in file order against monthly caps
on tokens and sessions, and lists the accepted and rejected lines and the
line that fires each notification threshold. It shares no code with Tally.
"""
import argparse
import csv
import datetime
import json
import os


def parse_timestamp_ms(text):
    """Unix milliseconds of 'YYYY-MM-DD HH:MM:SS.fffffff' read as UTC, fraction truncated."""
    date_part, time_part = text.strip().split(" ")
    whole, _, fraction = time_part.partition(".")
    moment = datetime.datetime.strptime(f"{date_part} {whole}", "%Y-%m-%d %H:%M:%S")
    moment = moment.replace(tzinfo=datetime.timezone.utc)
    millis = int((fraction + "000")[:3]) if fraction else 0
    return int(moment.timestamp()) * 1000 + millis


def session_of(timestamp_ms, window_ms):
    start = timestamp_ms - timestamp_ms % window_ms
    moment = datetime.datetime.fromtimestamp(start / 1000, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def read_rows(path, window_ms):
    rows = []
    with open(path, newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        ts_col = header.index("TIMESTAMP")
        in_col = header.index("ContextTokens")
        out_col = header.index("GeneratedTokens")
        for line, fields in enumerate(reader, start=2):
            ts = parse_timestamp_ms(fields[ts_col])
            rows.append({
                "line": line,
                "event_id": f"{os.path.basename(path)}:{line}",
                "timestamp_ms": ts,
                "session_id": session_of(ts, window_ms),
                "input": int(fields[in_col]),
                "output": int(fields[out_col]),
            })
    return rows


def totals(rows):
    sessions = {}
    for row in rows:
        entry = sessions.setdefault(row["session_id"], {"input": 0, "output": 0, "records": 0})
        entry["input"] += row["input"]
        entry["output"] += row["output"]
        entry["records"] += 1
    ordered = sorted(sessions.items(), key=lambda item: (-(item[1]["input"] + item[1]["output"]), item[0]))
    input_tokens = sum(row["input"] for row in rows)
    output_tokens = sum(row["output"] for row in rows)
    return {
        "records": len(rows),
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "total_tokens": input_tokens + output_tokens,
        "sessions_used": len(sessions),
        "sessions": [
            {
                "session_id": session_id,
                "input_tokens": entry["input"],
                "output_tokens": entry["output"],
                "total_tokens": entry["input"] + entry["output"],
                "records": entry["records"],
            }
            for session_id, entry in ordered
        ],
    }


def month_of(timestamp_ms):
    moment = datetime.datetime.fromtimestamp(timestamp_ms / 1000, tz=datetime.timezone.utc)
    return (moment.year, moment.month)


def capped_import(rows, token_cap, session_cap, thresholds):
    """Replays the rows in order against monthly caps (UTC months)."""
    used = {}
    accepted, rejected, notifications = [], [], []
    for row in rows:
        period = month_of(row["timestamp_ms"])
        state = used.setdefault(period, {"tokens": 0, "sessions": set(), "fired": set()})
        tokens = row["input"] + row["output"]
        needs_tokens = tokens > 0 and state["tokens"] >= token_cap
        new_session = row["session_id"] not in state["sessions"]
        needs_session = new_session and len(state["sessions"]) >= session_cap
        if needs_tokens or needs_session:
            rejected.append(row["line"])
            continue
        accepted.append(row["line"])
        before = state["tokens"]
        state["tokens"] += tokens
        state["sessions"].add(row["session_id"])
        for percent in thresholds:
            crossed = state["tokens"] * 100 >= token_cap * percent > before * 100
            if crossed and ("tokens", percent) not in state["fired"]:
                state["fired"].add(("tokens", percent))
                notifications.append({
                    "resource": "RESOURCE_TOKENS",
                    "threshold_percent": percent,
                    "line": row["line"],
                    "used": state["tokens"],
                    "crossed_at_ms": row["timestamp_ms"],
                })
        sessions_before = len(state["sessions"]) - (1 if new_session else 0)
        for percent in thresholds:
            count = len(state["sessions"])
            if count * 100 >= session_cap * percent > sessions_before * 100 and ("sessions", percent) not in state["fired"]:
                state["fired"].add(("sessions", percent))
                notifications.append({
                    "resource": "RESOURCE_SESSIONS",
                    "threshold_percent": percent,
                    "line": row["line"],
                    "used": count,
                    "crossed_at_ms": row["timestamp_ms"],
                })
    return {"accepted_lines": accepted, "rejected_lines": rejected, "notifications": notifications,
            "tokens_used": sum(state["tokens"] for state in used.values())}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("csv")
    parser.add_argument("--window-seconds", type=int, default=60)
    parser.add_argument("--token-cap", type=int, default=500_000)
    parser.add_argument("--session-cap", type=int, default=100)
    args = parser.parse_args()
    rows = read_rows(args.csv, args.window_seconds * 1000)
    result = totals(rows)
    result["event_ids"] = [row["event_id"] for row in rows]
    result["free_plan"] = capped_import(rows, args.token_cap, args.session_cap, [75, 90, 100])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
