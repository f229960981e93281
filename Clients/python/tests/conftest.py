"""Fixtures that run a real tallyd and build its configuration."""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import subprocess
import time

import pytest

PACKAGE_DIR = pathlib.Path(__file__).resolve().parents[1]
REPO_ROOT = PACKAGE_DIR.parents[1]
READY_TIMEOUT_S = 30.0

ADMIN_KEY = "tk_test_admin_0001"
AGENT_KEY = "tk_test_agent_acme_0001"
SERVICE_KEY = "tk_test_service_0001"


def key_entry(key: str, role: str, name: str, account: str | None = None) -> dict:
    entry = {"sha256": hashlib.sha256(key.encode()).hexdigest(), "role": role, "name": name}
    if account is not None:
        entry["account"] = account
    return entry


def standard_config(accounts: dict | None = None) -> dict:
    """Configuration with the free and unlimited plans, an admin, an agent of "acme" and a service key."""
    return {
        "plans": {"free": {"tokens": 500_000, "decisions": 5_000, "sessions": 100}, "unlimited": {}},
        "accounts": accounts
        or {"lab": {"plan": "unlimited"}, "acme": {"plan": "free"}},
        "keys": [
            key_entry(ADMIN_KEY, "admin", "test admin"),
            key_entry(AGENT_KEY, "agent", "test agent", account="acme"),
            key_entry(SERVICE_KEY, "service", "test service"),
        ],
    }


def find_tallyd() -> pathlib.Path:
    """Return $TALLYD, or tallyd in the directory that `swift build --show-bin-path` prints."""
    configured = os.environ.get("TALLYD")
    if configured:
        path = pathlib.Path(configured)
    else:
        result = subprocess.run(
            ["swift", "build", "--show-bin-path"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        )
        path = pathlib.Path(result.stdout.strip()) / "tallyd"
    if not path.is_file():
        pytest.fail(f"tallyd not found at {path}: run `swift build --product tallyd` or set TALLYD", pytrace=False)
    return path


class TallyServer:
    """A tallyd process on 127.0.0.1 with a port the kernel picks."""

    def __init__(self, binary: pathlib.Path, directory: pathlib.Path, config: dict | None, now_ms: int | None) -> None:
        self.directory = directory
        self.ready_file = directory / "ready"
        self.log_path = directory / "tallyd.log"
        arguments = [
            str(binary), "--listen", "127.0.0.1:0", "--data-dir", str(directory / "data"),
            "--ready-file", str(self.ready_file), "--log-level", "warning",
        ]
        if config is not None:
            config_path = directory / "config.json"
            config_path.write_text(json.dumps(config))
            arguments += ["--config", str(config_path)]
        environment = dict(os.environ)
        if now_ms is not None:
            environment["TALLY_TEST_NOW_MS"] = str(now_ms)
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(arguments, stdout=self._log, stderr=subprocess.STDOUT, env=environment)
        self.address = self._wait_ready()

    def _wait_ready(self) -> str:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.ready_file.exists():
                text = self.ready_file.read_text().strip()
                if text:
                    return text
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        pytest.fail(f"tallyd did not become ready; its log:\n{self.log_path.read_text()}", pytrace=False)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


@pytest.fixture(scope="session")
def tallyd_binary() -> pathlib.Path:
    return find_tallyd()


@pytest.fixture
def start_server(tallyd_binary, tmp_path):
    """Return a function that starts a tallyd with an optional config and fixed clock (TALLY_TEST_NOW_MS)."""
    servers: list[TallyServer] = []

    def start(config: dict | None = None, now_ms: int | None = None) -> TallyServer:
        directory = tmp_path / f"server{len(servers)}"
        directory.mkdir()
        server = TallyServer(tallyd_binary, directory, config, now_ms)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def configured_server(start_server) -> TallyServer:
    """A tallyd with standard_config() and the real clock."""
    return start_server(standard_config())
