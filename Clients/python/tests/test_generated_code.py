"""The checked-in generated code matches the .proto, and StatusCode matches tally.v1.Code."""

from __future__ import annotations

import subprocess

from conftest import PACKAGE_DIR
from tally_client import StatusCode
from tally_client import metering_pb2 as pb


def test_generated_code_is_current():
    # Needs protoc from Debian's protobuf-compiler, which test.sh installs when missing.
    result = subprocess.run([str(PACKAGE_DIR / "generate.sh"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_status_codes_match_proto():
    from_proto = {value.name: value.number for value in pb.Code.DESCRIPTOR.values}
    assert {code.name: int(code) for code in StatusCode} == from_proto
