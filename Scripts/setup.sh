#!/usr/bin/env bash
# Installs the Debian packages Tally builds against, when any is missing:
# protobuf-c (runtime and protoc-c), OpenSSL's libcrypto headers, pkg-config,
# and python3 for the end-to-end reference script. Needs root for apt-get.
set -euo pipefail

packages=(libprotobuf-c-dev protobuf-c-compiler libssl-dev pkg-config)
command -v python3 >/dev/null 2>&1 || packages+=(python3)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "Installing: ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "swift is not on PATH; install the Swift 6 toolchain (swift.org) and retry." >&2
  exit 1
fi
