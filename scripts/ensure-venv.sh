#!/bin/sh
# Create the virtual environment. Debian and Ubuntu ship venv separately (python3-venv):
# install it when we are root, otherwise say exactly what is missing.
set -eu
python="$1"
venv="$2"
if [ -x "$venv/bin/python" ]; then exit 0; fi
if "$python" -m venv "$venv" 2>/dev/null; then exit 0; fi
rm -rf "$venv"
version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing python$version-venv with apt-get..."
  apt-get update -qq && (apt-get install -y -qq "python$version-venv" || apt-get install -y -qq python3-venv)
  exec "$python" -m venv "$venv"
fi
echo "Cannot create a virtual environment: install the venv module, e.g." >&2
echo "  sudo apt-get install python$version-venv" >&2
exit 1
