"""A scripted in-process server for client behaviour that a real tallyd does not show on demand."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable

from tally_client import metering_pb2 as pb

HEADER = struct.Struct(">IIBBBB")


class MockConnection:
    """Server side of one accepted connection."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.sock.settimeout(10)

    def _read_exact(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self.sock.recv(size - len(data))
            if not chunk:
                raise ConnectionError("client closed the connection")
            data += chunk
        return data

    def read_request(self) -> tuple[int, int, bytes]:
        """Return (request id, method, payload) of the next request frame."""
        length, request_id, kind, method, status, flags = HEADER.unpack(self._read_exact(12))
        assert (kind, status, flags) == (1, 0, 0)
        return request_id, method, self._read_exact(length - 8)

    def reply(self, request_id: int, method: int, payload: bytes, status: int = 0) -> None:
        self.sock.sendall(HEADER.pack(8 + len(payload), request_id, 2, method, status, 0) + payload)

    def accept_hello(self) -> pb.HelloRequest:
        request_id, method, payload = self.read_request()
        assert method == 0
        limits = pb.Limits(
            max_frame_bytes=4_194_304, max_batch_records=10_000, max_session_id_bytes=128,
            max_event_id_bytes=128, max_page_size=1_000, max_in_flight=1_024, max_summary_sessions=1_000,
        )
        response = pb.HelloResponse(
            protocol_version=1, server_version="mock", account_id="default", role=pb.ROLE_ADMIN, limits=limits
        )
        self.reply(request_id, 0, response.SerializeToString())
        return pb.HelloRequest.FromString(payload)


class MockServer:
    """Accepts connections on 127.0.0.1 and runs `script` for each one in its own thread."""

    def __init__(self, script: Callable[[MockConnection, int], None]) -> None:
        self.script = script
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self.listener.getsockname()[1]}"
        self.connections = 0
        self.errors: list[BaseException] = []
        self._threads: list[threading.Thread] = []
        self._accept_thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._accept_thread.start()

    def _accept_loop(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            index = self.connections
            self.connections += 1
            thread = threading.Thread(target=self._run, args=(sock, index), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _run(self, sock: socket.socket, index: int) -> None:
        connection = MockConnection(sock)
        try:
            self.script(connection, index)
        except BaseException as error:  # Reported by close() in the test thread.
            self.errors.append(error)
        finally:
            sock.close()

    def close(self) -> None:
        """Stop accepting, wait for the scripts and re-raise the first script error."""
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()
        self._accept_thread.join(timeout=10)
        for thread in self._threads:
            thread.join(timeout=10)
        if self.errors:
            raise self.errors[0]
