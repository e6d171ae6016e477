#!/usr/bin/env bash
# Runs every test of the solution. Beyond the .NET SDK, moto and cfn-lint, the tests need Debian's chromium (the HTML
# run report is checked as a browser draws it): installed here when missing, with apt-get (as root, or through sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium (apt-get) for the HTML report test…" >&2
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    as_root=(sudo)
  fi
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq chromium >/dev/null
fi

exec dotnet test Failover.sln "$@"
