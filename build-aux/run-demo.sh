#!/usr/bin/env bash
# Installs what Baton needs, builds it, and opens the app on a local batond with a demo
# workspace. Without a display it runs the demo server alone.
# Usage: build-aux/run-demo.sh [PORT]   (PORT: for the server-only mode, default 8080)
set -euo pipefail
cd "$(dirname "$0")/.."

build-aux/install-deps.sh
build-aux/build.sh

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  # The app starts `batond demo` itself (data under ~/.local/share/baton/demo) and signs in.
  export GSETTINGS_SCHEMA_DIR="$PWD/_build/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"
  exec _build/src/app/baton --demo
fi

port="${1:-8080}"
data_dir="${BATON_DEMO_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/baton-demo}"
exec _build/src/server/batond demo --data-dir "$data_dir" --listen "127.0.0.1:$port" \
  --simulate 2
