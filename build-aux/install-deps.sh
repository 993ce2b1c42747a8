#!/usr/bin/env bash
# Installs the Debian bookworm packages Baton needs to build, run and test. Idempotent: when
# everything is there already it changes nothing and needs no network.
set -euo pipefail

packages=(
  # build
  gcc meson ninja-build pkg-config gettext
  # libraries
  libglib2.0-dev libjson-glib-dev libsoup-3.0-dev libsqlite3-dev libpq-dev libsodium-dev
  libgtk-4-dev libadwaita-1-dev libnotify-dev libsecret-1-dev
  # tests: headless display, private session bus, notification server mock, validators
  # (desktop-file-validate, appstreamcli, glib-compile-schemas)
  xvfb xauth dbus dbus-daemon python3 python3-dbusmock desktop-file-utils appstream
  libglib2.0-bin
  # install: the icon cache update that meson's gnome.post_install looks up at setup
  libgtk-4-bin
  # the demo's health check
  curl
  # the store's PostgreSQL backend is tested against a throwaway PostgreSQL 15 cluster
  # (tests/baton-test-postgres.c: initdb and pg_ctl, run as nobody under root)
  postgresql-15
  # the French locale the ui suite runs the app in (tests/test-ui-locale.c)
  locales
)

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi

# fr_FR.UTF-8, which a clean bookworm lacks (after the packages: locale-gen is in "locales").
generate_french_locale() {
  if locale -a 2>/dev/null | grep -qix 'fr_FR\.utf-\?8'; then
    return
  fi
  echo "Generating the fr_FR.UTF-8 locale"
  $sudo sed -i 's/^# *\(fr_FR\.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  grep -q '^fr_FR\.UTF-8 UTF-8' /etc/locale.gen || echo 'fr_FR.UTF-8 UTF-8' | $sudo tee -a /etc/locale.gen >/dev/null
  $sudo locale-gen
}

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  generate_french_locale
  exit 0
fi

echo "Installing: ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
generate_french_locale
