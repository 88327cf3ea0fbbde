#!/bin/sh
# The end-to-end tests (tests/e2e) drive Debian's Chromium through Playwright; Playwright's own
# browser download is never used. Install Chromium when we are root on Debian/Ubuntu, otherwise
# say exactly what is missing.
set -eu
chromium="${MUTUA_E2E_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$chromium" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium for the end-to-end tests with apt-get..."
  apt-get update -qq && apt-get install -y -qq chromium
  [ -x "$chromium" ] && exit 0
fi
echo "The end-to-end tests need Chromium at $chromium. On Debian/Ubuntu run:" >&2
echo "  sudo apt-get install chromium" >&2
exit 1
