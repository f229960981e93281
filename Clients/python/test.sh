#!/usr/bin/env bash
# Installs what the Python client's tests need and runs them against the
# tallyd binary from $TALLYD, or else from `swift build --show-bin-path`.
# Build tallyd first (swift build --product tallyd). Exits non-zero when a
# test fails or when pytest collects no test.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

# The staleness check of the generated code runs protoc.
if ! command -v protoc >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq protobuf-compiler >/dev/null
fi
if ! python3 -m pip --version >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq python3-pip >/dev/null
fi

# CI runs as root on a machine of its own. Without this setting, Debian's
# Python rejects pip installs outside a virtual environment (PEP 668).
export PIP_BREAK_SYSTEM_PACKAGES=1 PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1
python3 -m pip install --quiet "$here[test]"

if [[ -z "${TALLYD:-}" ]]; then
  TALLYD="$(cd "$root" && swift build --show-bin-path)/tallyd"
fi
if [[ ! -x "$TALLYD" ]]; then
  echo "tallyd not found at $TALLYD: run 'swift build --product tallyd' or set TALLYD" >&2
  exit 1
fi
export TALLYD

cd "$here"
status=0
python3 -m pytest -p no:cacheprovider tests "$@" || status=$?
if [[ $status -eq 5 ]]; then
  echo "pytest collected no tests in $here/tests" >&2
fi
exit $status
