"""The asyncio client against a live tallyd: pipelining on one connection and the context manager."""

from __future__ import annotations

import asyncio

import pytest

from conftest import ADMIN_KEY
from tally_client import AsyncClient, Client, Method, StatusCode, TallyConnectionError, TallyError
from tally_client import metering_pb2 as pb

CONCURRENT = 200


def test_async_concurrent_records_on_one_connection(configured_server):
    async def main() -> None:
        async with AsyncClient(configured_server.address, api_key=ADMIN_KEY) as client:
            connection = client._connection
            results = await asyncio.gather(*(
                client.record(f"session-{i % 7}", input_tokens=i, output_tokens=1, event_id=f"event-{i}", account_id="lab")
                for i in range(CONCURRENT)
            ))
            assert [result.status for result in results] == [pb.OK] * CONCURRENT
            assert [result.duplicate for result in results] == [False] * CONCURRENT

            summaries = await asyncio.gather(*(client.get_summary(account_id="lab") for _ in range(CONCURRENT)))
            for summary in summaries:
                assert summary.records == CONCURRENT
                assert summary.input_tokens == sum(range(CONCURRENT))
                assert summary.output_tokens == CONCURRENT
                assert summary.sessions_used == 7
            assert client._connection is connection

            listed = [record.event_id async for record in client.iter_records(account_id="lab", page_size=33)]
            assert sorted(listed) == sorted(f"event-{i}" for i in range(CONCURRENT))

            batch = await client.record_batch(
                [{"session_id": "batch", "input_tokens": 2, "event_id": f"event-{i}"} for i in range(3)],
                account_id="lab",
            )
            assert [result.status for result in batch.results] == [StatusCode.ALREADY_EXISTS] * 3

            quota = await client.get_quota(account_id="acme")
            assert quota.plan == "free"

    asyncio.run(main())


def test_async_error_carries_code_and_message(configured_server):
    async def main() -> None:
        async with AsyncClient(configured_server.address, api_key=ADMIN_KEY) as client:
            with pytest.raises(TallyError) as raised:
                await client.get_summary(account_id="lab", max_sessions=1001)
            assert raised.value.code == StatusCode.INVALID_ARGUMENT
            assert "max_sessions" in raised.value.message
            assert (await client.get_summary(account_id="lab", max_sessions=1000)).records == 0

    asyncio.run(main())


def test_async_context_manager_closes_connection(configured_server):
    async def main() -> None:
        client = AsyncClient(configured_server.address, api_key=ADMIN_KEY)
        async with client:
            hello = await client.connect()
            assert hello.role == pb.ROLE_ADMIN
            connection = client._connection
        assert client._connection is None
        assert connection.closed
        with pytest.raises(TallyConnectionError):
            await client.get_quota(account_id="acme")

    asyncio.run(main())


def test_sync_context_manager_closes_connection(configured_server):
    with Client(configured_server.address, api_key=ADMIN_KEY) as client:
        connection = client._connection
        assert client.get_quota(account_id="acme").plan == "free"
    assert client._connection is None
    assert connection.closed
    with pytest.raises(TallyConnectionError) as raised:
        client.get_quota(account_id="acme")
    assert raised.value.message == "the client is closed"


def test_sync_concurrent_submits_on_live_server(configured_server):
    with Client(configured_server.address, api_key=ADMIN_KEY) as client:
        futures = [
            client.submit(Method.GET_QUOTA, pb.GetQuotaRequest(account_id="acme" if i % 2 else "lab"))
            for i in range(CONCURRENT)
        ]
        plans = [future.result(timeout=30).plan for future in futures]
    assert plans == ["free" if i % 2 else "unlimited" for i in range(CONCURRENT)]
