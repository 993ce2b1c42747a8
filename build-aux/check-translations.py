#!/usr/bin/env python3
# Checks that every translation in po/LINGUAS is complete (STYLE rule 15): a string added to
# the app without being translated, or a translation left fuzzy by msgmerge, fails the test.
#
# For each language it
#  - extracts a fresh template from po/POTFILES.in the way `ninja baton-pot` does (xgettext
#    with meson's glib preset; .ui, .desktop, metainfo and gschema files through the ITS rules
#    that gettext, GTK, AppStream and GLib install) into a temporary folder, so nothing in the
#    tree changes;
#  - runs msgcmp: every message of that template must be in the .po and translated (msgcmp
#    ignores fuzzy and untranslated entries, so they count as missing);
#  - runs msgfmt -c --check-accelerators=_: the header, printf formats and mnemonics must be
#    valid, and the statistics must show no fuzzy and no untranslated message.
#
# Needs only the gettext tools, no network. To fix a failure, refresh the .po files
# (`ninja -C <build> baton-pot baton-update-po`, or msgmerge) and translate what is missing.
#
# Usage: check-translations.py [SOURCE_ROOT [LANGUAGE...]]
#        (default: the parent of this script's folder, and every language in po/LINGUAS)

import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

PACKAGE = "baton"

# meson's i18n.gettext(preset: 'glib') arguments (mesonbuild/modules/i18n.py PRESET_ARGS),
# plus the -k_ meson's gettext script always adds. Keep in step with po/meson.build.
XGETTEXT_ARGS = [
    "--from-code=UTF-8",
    "--add-comments",
    "--keyword=_",
    "--keyword=N_",
    "--keyword=C_:1c,2",
    "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2",
    "--keyword=g_dngettext:2,3",
    "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format",
    "--flag=C_:2:pass-c-format",
    "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format",
    "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format",
    "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format",
    "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format",
    "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format",
    "--flag=g_printerr:1:c-format",
    "--flag=g_printf:1:c-format",
    "--flag=g_fprintf:2:c-format",
    "--flag=g_sprintf:2:c-format",
    "--flag=g_snprintf:3:c-format",
]

STATISTICS = re.compile(r"(\d+) (translated messages?|fuzzy translations?|untranslated messages?)")


def read_list(path):
    """The words of a LINGUAS-style list; # starts a comment."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        words += line.split("#", 1)[0].split()
    return words


def run(command, cwd=None):
    # English messages, whatever the caller's locale: the statistics are parsed below.
    env = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)


def extract_template(root, folder):
    pot = pathlib.Path(folder) / (PACKAGE + ".pot")
    result = run(["xgettext", "--package-name=" + PACKAGE, "-f", str(root / "po" / "POTFILES.in"),
                  "-D", str(root), "-k_", "-o", str(pot)] + XGETTEXT_ARGS, cwd=root)
    if result.returncode != 0 or not pot.is_file():
        print(f"xgettext failed (exit {result.returncode}):\n{result.stderr}", end="")
        return None
    if result.stderr.strip():
        print(result.stderr, end="")
    return pot


def message_at(lines, number):
    """The msgctxt and msgid of the PO entry that line NUMBER belongs to."""
    first = number - 1
    while first > 0 and lines[first - 1].strip():
        first -= 1
    last = number - 1
    while last + 1 < len(lines) and lines[last + 1].strip():
        last += 1
    entry = []
    for line in lines[first:last + 1]:
        if line.startswith("msgstr"):
            break
        if line.startswith(("msgctxt ", "msgid", '"')):
            entry.append("    " + line)
    return "\n".join(entry)


def describe_msgcmp(output, files):
    """msgcmp's report with each message quoted: the template is temporary, so a bare line
    number in it would tell the reader nothing. msgcmp also calls every untranslated or fuzzy
    entry "not used" (it skips them): that second line about the same entry is left out."""
    texts = {str(path): path.read_text(encoding="utf-8").splitlines() for path in files}
    position = re.compile(r"(.*?):(\d+): (.*)")
    reported = set()
    described = []
    for line in output.rstrip().splitlines():
        found = position.match(line)
        if not found or found.group(1) not in texts:
            described.append(line)
            continue
        name, number, text = found.group(1), int(found.group(2)), found.group(3)
        if text == "warning: this message is not used" and (name, number) in reported:
            continue
        reported.add((name, number))
        label = "template" if name.endswith(".pot") else pathlib.Path(name).name
        described.append(f"{label}:{number}: {text}\n{message_at(texts[name], number)}")
    return "\n".join(described)


def count_messages(pot):
    result = run(["msgfmt", "--statistics", "-o", os.devnull, str(pot)])
    counts = {kind.split()[0]: int(number) for number, kind in STATISTICS.findall(result.stderr)}
    return counts.get("untranslated", 0)


def check_language(root, language, pot):
    po = root / "po" / (language + ".po")
    problems = []
    if not po.is_file():
        return [f"po/{language}.po: missing (it is listed in po/LINGUAS)"]

    compared = run(["msgcmp", str(po), str(pot)])
    if compared.returncode != 0:
        problems.append(f"po/{language}.po: does not translate every message of the current "
                        f"template:\n{describe_msgcmp(compared.stderr, [po, pot])}")

    checked = run(["msgfmt", "-c", "--check-accelerators=_", "--statistics", "-o", os.devnull,
                   str(po)])
    counts = {kind.split()[0]: int(number)
              for number, kind in STATISTICS.findall(checked.stderr)}
    if checked.returncode != 0:
        problems.append(f"po/{language}.po: msgfmt -c fails:\n{checked.stderr.rstrip()}")
    elif counts.get("fuzzy", 0) or counts.get("untranslated", 0):
        problems.append(f"po/{language}.po: {checked.stderr.strip()}")
    if not problems:
        print(f"po/{language}.po: {checked.stderr.strip()} (complete, checked against "
              f"{count_messages(pot)} messages of a fresh template)")
    return problems


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1
                        else pathlib.Path(__file__).resolve().parent.parent).resolve()
    languages = sys.argv[2:] or read_list(root / "po" / "LINGUAS")
    if not languages:
        print("po/LINGUAS: no languages, nothing to check")
        return 0

    missing_tools = [tool for tool in ("xgettext", "msgfmt", "msgcmp") if not shutil.which(tool)]
    if missing_tools:
        print(f"missing gettext tools: {', '.join(missing_tools)} (build-aux/install-deps.sh "
              "installs gettext)")
        return 1

    with tempfile.TemporaryDirectory(prefix="baton-check-translations-") as folder:
        pot = extract_template(root, folder)
        if pot is None:
            return 1
        problems = []
        for language in languages:
            problems += check_language(root, language, pot)

    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
