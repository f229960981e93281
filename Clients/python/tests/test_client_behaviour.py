"""Pipelining, timeouts, reconnection and framing errors, against a scripted server."""

from __future__ import annotations

import asyncio
import threading

import pytest

from mock_server import MockConnection, MockServer
from tally_client import AsyncClient, Client, Method, StatusCode, TallyConnectionError, TallyError, TallyTimeoutError
from tally_client import metering_pb2 as pb

GET_QUOTA = 4
REQUESTS = 200


def reverse_order_script(seen_ids: list[int]):
    """Read REQUESTS GetQuota requests, then answer them newest first, echoing each account id."""

    def script(connection: MockConnection, index: int) -> None:
        connection.accept_hello()
        requests = [connection.read_request() for _ in range(REQUESTS)]
        seen_ids.extend(request_id for request_id, _, _ in requests)
        for request_id, method, payload in reversed(requests):
            request = pb.GetQuotaRequest.FromString(payload)
            response = pb.GetQuotaResponse(account_id=request.account_id, plan="mock")
            connection.reply(request_id, method, response.SerializeToString())

    return script


@pytest.fixture
def mock_server():
    servers: list[MockServer] = []

    def start(script) -> MockServer:
        server = MockServer(script)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def test_sync_submit_matches_out_of_order_replies(mock_server):
    seen_ids: list[int] = []
    server = mock_server(reverse_order_script(seen_ids))
    with Client(server.address) as client:
        futures = [
            client.submit(Method.GET_QUOTA, pb.GetQuotaRequest(account_id=f"account-{i}")) for i in range(REQUESTS)
        ]
        replies = [future.result(timeout=10) for future in futures]
    assert [reply.account_id for reply in replies] == [f"account-{i}" for i in range(REQUESTS)]
    assert len(set(seen_ids)) == REQUESTS
    assert 0 not in seen_ids
    assert server.connections == 1


def test_sync_threads_share_one_connection(mock_server):
    seen_ids: list[int] = []
    server = mock_server(reverse_order_script(seen_ids))
    replies: dict[int, str] = {}

    with Client(server.address) as client:

        def worker(i: int) -> None:
            replies[i] = client.get_quota(account_id=f"account-{i}").account_id

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(REQUESTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert replies == {i: f"account-{i}" for i in range(REQUESTS)}
    assert server.connections == 1


def test_async_gather_matches_out_of_order_replies(mock_server):
    seen_ids: list[int] = []
    server = mock_server(reverse_order_script(seen_ids))

    async def main() -> list[str]:
        async with AsyncClient(server.address) as client:
            replies = await asyncio.gather(*(client.get_quota(account_id=f"account-{i}") for i in range(REQUESTS)))
            return [reply.account_id for reply in replies]

    assert asyncio.run(main()) == [f"account-{i}" for i in range(REQUESTS)]
    assert len(set(seen_ids)) == REQUESTS
    assert server.connections == 1


def late_reply_script(release: threading.Event, ids: list[int]):
    """Hold the first request until `release` is set, then answer it and every later request."""

    def script(connection: MockConnection, index: int) -> None:
        connection.accept_hello()
        first_id, method, _ = connection.read_request()
        ids.append(first_id)
        assert release.wait(timeout=10)
        connection.reply(first_id, method, pb.GetQuotaResponse(plan="late").SerializeToString())
        second_id, method, _ = connection.read_request()
        ids.append(second_id)
        connection.reply(second_id, method, pb.GetQuotaResponse(plan="on time").SerializeToString())

    return script


def test_sync_timeout_then_connection_reused(mock_server):
    release = threading.Event()
    ids: list[int] = []
    server = mock_server(late_reply_script(release, ids))
    with Client(server.address) as client:
        with pytest.raises(TallyTimeoutError) as raised:
            client.get_quota(timeout=0.2)
        assert raised.value.code == StatusCode.DEADLINE_EXCEEDED
        assert raised.value.code.name == "DEADLINE_EXCEEDED"
        assert "GET_QUOTA" in raised.value.message
        assert isinstance(raised.value, TimeoutError)
        release.set()
        assert client.get_quota().plan == "on time"
    assert ids[0] != ids[1]
    assert server.connections == 1


def test_async_timeout_then_connection_reused(mock_server):
    release = threading.Event()
    ids: list[int] = []
    server = mock_server(late_reply_script(release, ids))

    async def main() -> str:
        async with AsyncClient(server.address) as client:
            with pytest.raises(TallyTimeoutError) as raised:
                await client.get_quota(timeout=0.2)
            assert raised.value.code == StatusCode.DEADLINE_EXCEEDED
            release.set()
            return (await client.get_quota()).plan

    assert asyncio.run(main()) == "on time"
    assert ids[0] != ids[1]
    assert server.connections == 1


def close_after_request_script(connection: MockConnection, index: int) -> None:
    """First connection: read one request and close without a reply. Later ones: answer normally."""
    connection.accept_hello()
    request_id, method, _ = connection.read_request()
    if index == 0:
        return
    connection.reply(request_id, method, pb.GetQuotaResponse(plan=f"connection {index}").SerializeToString())


def test_sync_reconnects_after_server_close(mock_server):
    server = mock_server(close_after_request_script)
    with Client(server.address) as client:
        with pytest.raises(TallyConnectionError) as raised:
            client.get_quota()
        assert raised.value.code == StatusCode.UNAVAILABLE
        assert client.get_quota().plan == "connection 1"
    assert server.connections == 2


def test_async_reconnects_after_server_close(mock_server):
    server = mock_server(close_after_request_script)

    async def main() -> str:
        async with AsyncClient(server.address) as client:
            with pytest.raises(TallyConnectionError) as raised:
                await client.get_quota()
            assert raised.value.code == StatusCode.UNAVAILABLE
            return (await client.get_quota()).plan

    assert asyncio.run(main()) == "connection 1"
    assert server.connections == 2


def framing_error_script(connection: MockConnection, index: int) -> None:
    """Answer the first request with a framing error (request id 0), as a server does before closing."""
    connection.accept_hello()
    connection.read_request()
    connection.reply(0, 0, b"frame flags 7 are not 0", status=StatusCode.INVALID_ARGUMENT)


def test_framing_error_reply_fails_requests_in_flight(mock_server):
    server = mock_server(framing_error_script)
    with Client(server.address) as client:
        with pytest.raises(TallyError) as raised:
            client.get_quota()
    assert raised.value.code == StatusCode.INVALID_ARGUMENT
    assert raised.value.message == "frame flags 7 are not 0"


def unknown_id_script(connection: MockConnection, index: int) -> None:
    """Answer with a request id that was never sent; the client must close the connection."""
    connection.accept_hello()
    request_id, method, _ = connection.read_request()
    connection.reply(request_id + 1000, method, b"")


def test_reply_with_unknown_id_closes_connection(mock_server):
    server = mock_server(unknown_id_script)
    with Client(server.address) as client:
        with pytest.raises(TallyConnectionError) as raised:
            client.get_quota()
    assert "matches no request in flight" in raised.value.message


def unknown_status_script(connection: MockConnection, index: int) -> None:
    connection.accept_hello()
    request_id, method, _ = connection.read_request()
    connection.reply(request_id, method, b"something new", status=200)


def test_unknown_status_is_reported_as_unknown(mock_server):
    server = mock_server(unknown_status_script)
    with Client(server.address) as client:
        with pytest.raises(TallyError) as raised:
            client.get_quota()
    assert raised.value.code == StatusCode.UNKNOWN
    assert raised.value.message == "something new"


def hold_requests_script(connection: MockConnection, index: int) -> None:
    """Answer Hello, read one request and never reply; end when the client closes."""
    connection.accept_hello()
    connection.read_request()
    try:
        connection.read_request()
    except (ConnectionError, OSError):
        return


def test_close_fails_requests_in_flight(mock_server):
    server = mock_server(hold_requests_script)
    client = Client(server.address)
    future = client.submit(Method.GET_QUOTA, pb.GetQuotaRequest())
    client.close()
    with pytest.raises(TallyConnectionError) as raised:
        future.result(timeout=10)
    assert raised.value.code == StatusCode.UNAVAILABLE
    with pytest.raises(TallyConnectionError) as after_close:
        client.get_quota()
    assert after_close.value.message == "the client is closed"
