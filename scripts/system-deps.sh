#!/usr/bin/env bash
# Debian packages Jalon needs. As root they are installed; otherwise the missing ones are
# named with the command to install them.
#   scripts/system-deps.sh run    -> what `make run` needs (WeasyPrint's Pango)
#   scripts/system-deps.sh test   -> plus Chromium for the browser tests
set -euo pipefail
purpose="${1:-run}"
packages=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
if [ "$purpose" = "test" ]; then
  packages+=(chromium wrk)
fi
python3 -c 'import venv, ensurepip' 2>/dev/null || packages+=(python3-venv)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
