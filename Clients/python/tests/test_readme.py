"""Runs the README's example, extracted from README.md, against a tallyd without configuration."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import PACKAGE_DIR


def readme_example() -> str:
    text = (PACKAGE_DIR / "README.md").read_text()
    section = text.split("## Example", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match is not None, "README.md has no python block under ## Example"
    return match.group(1)


def test_readme_example_runs(start_server):
    code = readme_example()
    assert len(code.strip().splitlines()) <= 10
    server = start_server()
    # The example uses the default address, and $TALLY_SERVER points it at this test's server.
    environment = {key: value for key, value in os.environ.items() if key != "TALLY_API_KEY"}
    environment["TALLY_SERVER"] = server.address

    outputs = []
    for _ in range(2):
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, timeout=60)
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    usage = "plan free: 1500 of 500000 tokens used, 498500 left\n"
    assert outputs == ["stored\n" + usage, "duplicate\n" + usage]
