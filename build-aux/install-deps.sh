#!/usr/bin/env bash
# Installs the Debian bookworm packages Baton needs to build, run and test. Idempotent: when
# everything is there already it changes nothing and needs no network.
set -euo pipefail

packages=(
  # build
  gcc meson ninja-build pkg-config gettext
  # libraries
  libglib2.0-dev libjson-glib-dev libsoup-3.0-dev libsqlite3-dev libsodium-dev
  libgtk-4-dev libadwaita-1-dev libnotify-dev libsecret-1-dev
  # tests: headless display, private session bus, notification server mock, validators
  # (desktop-file-validate, appstreamcli, glib-compile-schemas)
  xvfb xauth dbus dbus-daemon python3 python3-dbusmock desktop-file-utils appstream
  libglib2.0-bin
  # install: the icon cache update that meson's gnome.post_install looks up at setup
  libgtk-4-bin
  # the demo's health check
  curl
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "Installing: ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
