#!/usr/bin/env bash
# Install the system packages soleus needs, with the system package manager.
#   scripts/system-deps.sh run    what the app needs: pango, harfbuzz and a font for the
#                                 PDF handout (WeasyPrint)
#   scripts/system-deps.sh test   plus PostgreSQL, Chromium, D-Bus, espeak-ng, Node/npm, tmux,
#                                 poppler-utils (pdftotext reads the handout back), nginx and
#                                 openssl (tests/deploy)
set -euo pipefail
what=${1:-run}
packages=()
need() { command -v "$1" >/dev/null 2>&1 || packages+=("$2"); }
# A shared library by its soname (ldconfig's cache), else its package.
need_lib() { /sbin/ldconfig -p 2>/dev/null | grep -q "$1" || packages+=("$2"); }
need_lib libpango-1.0.so.0 libpango-1.0-0
need_lib libpangoft2-1.0.so.0 libpangoft2-1.0-0
need_lib libharfbuzz-subset.so.0 libharfbuzz-subset0
[ -d /usr/share/fonts/truetype/dejavu ] || packages+=(fonts-dejavu-core)
if [ "$what" = test ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)
  need chromium chromium
  need dbus-run-session dbus
  need espeak-ng espeak-ng
  need npm npm
  need systemd-analyze systemd
  need tmux tmux
  need pdftotext poppler-utils
  [ -x /usr/sbin/nginx ] || need nginx nginx
  need openssl openssl
fi
[ ${#packages[@]} -eq 0 ] && exit 0
echo "soleus: installing system packages: ${packages[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if command -v apt-get >/dev/null 2>&1; then
  $sudo apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
elif command -v dnf >/dev/null 2>&1; then
  $sudo dnf install -y "${packages[@]/postgresql/postgresql-server}"
elif command -v brew >/dev/null 2>&1; then
  brew install "${packages[@]/chromium/--cask chromium}"
else
  echo "soleus: please install: ${packages[*]}" >&2
  exit 1
fi
