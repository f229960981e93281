"""Python client of Tally, a token-usage metering service.

`Client` is synchronous and thread-safe, `AsyncClient` is for asyncio. Both
speak Tally's native protocol over TCP and return the protobuf messages of
`tally_client.metering_pb2` (generated from tally/v1/metering.proto).
"""

from . import metering_pb2
from ._framing import Method
from .aio import AsyncClient
from .client import Client
from .errors import StatusCode, TallyConnectionError, TallyError, TallyTimeoutError
from .results import RecordBatchResult

__version__ = "0.1.0"

__all__ = [
    "AsyncClient",
    "Client",
    "Method",
    "RecordBatchResult",
    "StatusCode",
    "TallyConnectionError",
    "TallyError",
    "TallyTimeoutError",
    "metering_pb2",
]
