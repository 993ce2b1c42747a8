#!/usr/bin/env bash
# Installs what Baton needs, builds it, and runs the whole test suite headless: under Xvfb
# and a private D-Bus session, as CI does.
set -euo pipefail
cd "$(dirname "$0")/.."

build-aux/install-deps.sh
build-aux/build.sh

status=0
xvfb-run -a -s "-screen 0 1280x800x24" \
  dbus-run-session -- meson test -C _build --print-errorlogs "$@" || status=$?

# One closing line that any CI reads: N passed, N failed.
python3 - <<'PY'
import json
counts = {"OK": 0, "FAIL": 0, "SKIP": 0}
with open("_build/meson-logs/testlog.json") as log:
    for line in log:
        result = json.loads(line).get("result", "FAIL")
        key = result if result in counts else "FAIL"
        counts[key] += 1
print(f"{counts['OK']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped")
PY
exit $status
