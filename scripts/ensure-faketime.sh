#!/bin/sh
# The moved-clock test runs (.ci/run) start the suite under libfaketime, so the whole process,
# SQLite included, believes it is another day. Install it when we are root on Debian/Ubuntu,
# otherwise say exactly what is missing.
set -eu
if command -v faketime >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing libfaketime for the moved-clock runs with apt-get..."
  apt-get update -qq && apt-get install -y -qq faketime
  command -v faketime >/dev/null 2>&1 && exit 0
fi
echo "The moved-clock runs need libfaketime. On Debian/Ubuntu run:" >&2
echo "  sudo apt-get install faketime" >&2
exit 1
