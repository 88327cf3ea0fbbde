#!/bin/sh
# WeasyPrint (PDF documents) needs Pango from the operating system. Install it when we are root on
# Debian/Ubuntu, otherwise say exactly what is missing.
set -eu
python="$1"
if "$python" -c "import weasyprint" >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Pango for WeasyPrint with apt-get..."
  apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  "$python" -c "import weasyprint" && exit 0
fi
echo "WeasyPrint cannot load Pango. On Debian/Ubuntu run:" >&2
echo "  sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" >&2
exit 1
