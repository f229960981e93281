"""Per-record outcome of a batch sent with `record_batch`."""

from __future__ import annotations

from dataclasses import dataclass

from . import metering_pb2 as pb


@dataclass(frozen=True)
class RecordBatchResult:
    """Results of a batch, one `RecordResult` per input record in input order."""

    results: list[pb.RecordResult]

    @property
    def stored(self) -> int:
        """Number of records stored by this batch (status OK, not duplicates)."""
        return sum(1 for result in self.results if result.status == pb.OK and not result.duplicate)

    @property
    def duplicates(self) -> int:
        """Number of records whose event id was already stored with the same content."""
        return sum(1 for result in self.results if result.status == pb.OK and result.duplicate)

    @property
    def rejected(self) -> list[tuple[int, pb.RecordResult]]:
        """(index, result) of every record that was not stored."""
        return [(index, result) for index, result in enumerate(self.results) if result.status != pb.OK]

    @property
    def notifications(self) -> list[tuple[int, pb.Notification]]:
        """(index, notification) for every quota notification the batch fired, in firing order."""
        return [
            (index, notification)
            for index, result in enumerate(self.results)
            for notification in result.notifications
        ]

    def __len__(self) -> int:
        return len(self.results)
