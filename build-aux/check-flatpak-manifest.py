#!/usr/bin/env python3
# Checks the Flatpak manifest against STYLE rule 16 without flatpak-builder: valid JSON, the
# required keys, a pinned runtime, exactly the minimal sandbox holes, pinned downloads, and
# our module last, built with meson and its tests.
#
# Usage: check-flatpak-manifest.py MANIFEST.json

import json
import pathlib
import sys

FINISH_ARGS = {
    "--share=ipc",
    "--socket=fallback-x11",
    "--socket=wayland",
    "--device=dri",
    "--share=network",
}
UNPINNED_VERSIONS = {"", "master", "main", "nightly", "latest"}


def check_source(module_name, source, problems):
    kind = source.get("type")
    where = f"module {module_name}: source {kind}"
    if kind in ("archive", "file") and "url" in source:
        if not source.get("sha256") and not source.get("sha512"):
            problems.append(f"{where} {source['url']} has no sha256")
    elif kind == "git":
        if not source.get("commit"):
            problems.append(f"{where} {source.get('url')} is not pinned to a commit")


def check(manifest, file_name):
    problems = []

    app_id = manifest.get("id") or manifest.get("app-id")
    if not app_id:
        problems.append("no id")
    elif file_name != app_id + ".json":
        problems.append(f"file name {file_name} does not match the id {app_id}")
    elif not app_id.endswith(".Devel"):
        problems.append(f"id {app_id} is not the development profile's .Devel id")

    expected = {"runtime": "org.gnome.Platform", "sdk": "org.gnome.Sdk", "command": "baton"}
    for key, value in expected.items():
        if manifest.get(key) != value:
            problems.append(f"{key} is {manifest.get(key)!r}, expected {value!r}")

    version = manifest.get("runtime-version")
    if not isinstance(version, str) or version.strip().lower() in UNPINNED_VERSIONS:
        problems.append(f"runtime-version {version!r} is not a pinned stable version")

    finish_args = manifest.get("finish-args", [])
    if len(finish_args) != len(set(finish_args)):
        problems.append("finish-args lists a permission twice")
    for arg in sorted(set(finish_args) - FINISH_ARGS):
        problems.append(f"finish-args: {arg} is not in the minimal set (no secrets or "
                        "notification holes: libsecret and libnotify use portals)")
    for arg in sorted(FINISH_ARGS - set(finish_args)):
        problems.append(f"finish-args: {arg} is missing")

    modules = manifest.get("modules", [])
    if not modules:
        problems.append("no modules")
        return problems
    for module in modules:
        if isinstance(module, str):
            continue  # an included module file
        name = module.get("name", "?")
        if not module.get("sources"):
            problems.append(f"module {name} has no sources")
        for source in module.get("sources", []):
            check_source(name, source, problems)

    app = modules[-1]
    if not isinstance(app, dict) or app.get("name") != "baton":
        problems.append("the last module is not baton: dependencies come first")
        return problems
    if app.get("buildsystem") != "meson":
        problems.append("baton is not built with meson")
    if app.get("run-tests") is not True:
        problems.append("baton does not set \"run-tests\": true")
    if "-Dprofile=development" not in app.get("config-opts", []):
        problems.append("baton is not configured with -Dprofile=development")
    if {"type": "dir", "path": ".."} not in [
        {k: s.get(k) for k in ("type", "path")} for s in app.get("sources", [])
    ]:
        problems.append("baton is not built from the source tree (type dir, path \"..\")")
    return problems


def main():
    if len(sys.argv) != 2:
        print("usage: check-flatpak-manifest.py MANIFEST.json", file=sys.stderr)
        return 2
    path = pathlib.Path(sys.argv[1])
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        print(f"{path}: {error}")
        return 1
    if not isinstance(manifest, dict):
        print(f"{path}: not a JSON object")
        return 1

    problems = check(manifest, path.name)
    for problem in problems:
        print(f"{path.name}: {problem}")
    if problems:
        return 1
    print(f"{path.name}: valid, runtime {manifest['runtime']} {manifest['runtime-version']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
