#!/usr/bin/env bash
# Installs what Baton needs, builds it, and runs a local batond with a demo workspace.
# Usage: build-aux/run-demo.sh [PORT]   (default 8080; data in ~/.local/share/baton-demo)
set -euo pipefail
cd "$(dirname "$0")/.."

build-aux/install-deps.sh
build-aux/build.sh

port="${1:-8080}"
data_dir="${BATON_DEMO_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/baton-demo}"
exec _build/src/server/batond demo --data-dir "$data_dir" --listen "127.0.0.1:$port" \
  --simulate 2
