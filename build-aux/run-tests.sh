#!/usr/bin/env bash
# Installs what Baton needs, builds it, and runs the whole test suite headless: under Xvfb
# and a private D-Bus session, as CI does. Then builds it again with AddressSanitizer and
# UndefinedBehaviorSanitizer (_build/asan) and runs the unit, server and client suites there,
# leak detection on: every batond those tests start is the sanitized one.
#   --no-sanitizers   skip the sanitized run (a quick local run)
# Other arguments go to both `meson test` runs (e.g. --suite unit, a test name).
set -euo pipefail
cd "$(dirname "$0")/.."

sanitizers=1
args=()
for arg in "$@"; do
  case "$arg" in
    --no-sanitizers) sanitizers=0 ;;
    *) args+=("$arg") ;;
  esac
done

build-aux/install-deps.sh
build-aux/build.sh

status=0
logs=()
xvfb-run -a -s "-screen 0 1280x800x24" \
  dbus-run-session -- meson test -C _build --print-errorlogs "${args[@]}" || status=$?
logs+=(_build/meson-logs/testlog.json)

# A sanitized meson test run: $1 names its log, $2 adds to ASAN_OPTIONS.
run_sanitized () {
  local logbase=$1 unwind=$2
  shift 2
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:quarantine_size_mb=16:$unwind" \
  LSAN_OPTIONS="suppressions=$PWD/build-aux/lsan.supp:print_suppressions=0" \
  UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
  G_SLICE=always-malloc \
    meson test -C _build/asan --no-rebuild --print-errorlogs --timeout-multiplier 3 \
      --logbase "$logbase" "$@" "${args[@]}" || status=$?
  logs+=("_build/asan/meson-logs/$logbase.json")
}

if [ "$sanitizers" -eq 1 ]; then
  # gcc's libasan and libubsan come with Debian's gcc (libgcc-12-dev)
  if [ ! -f _build/asan/build.ninja ]; then
    meson setup _build/asan --werror -Db_sanitize=address,undefined
  fi
  ninja -C _build/asan
  # A small quarantine: test-input measures batond's memory while it drops a 128 MiB body.
  # GLib's slice allocator would hide leaks and frees from ASan. lsan.supp lists what GLib,
  # GIO and libsoup keep or drop at exit, nothing of ours; matching it needs whole stacks
  # through GLib (built without frame pointers), so the slow unwinder. The fuzz seeds,
  # a malloc at every step of hundreds of thousands of runs, keep the fast one.
  run_sanitized asan fast_unwind_on_malloc=0 --suite unit --suite domain --suite server \
    --suite client --no-suite fuzz
  run_sanitized asan-fuzz fast_unwind_on_malloc=1 --suite fuzz
fi

# One closing line that any CI reads: N passed, N failed, over both runs.
python3 - "${logs[@]}" <<'PY'
import json
import sys
counts = {"OK": 0, "FAIL": 0, "SKIP": 0}
for path in sys.argv[1:]:
    with open(path) as log:
        for line in log:
            result = json.loads(line).get("result", "FAIL")
            key = result if result in counts else "FAIL"
            counts[key] += 1
print(f"{counts['OK']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped")
PY
exit $status
