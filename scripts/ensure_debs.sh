#!/usr/bin/env bash
# Installs the Debian packages tinyaudio needs (cross compiler, newlib, QEMU, valgrind, cmake) if any is
# missing. As root it installs them; otherwise it prints the exact command to run and fails.
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "tinyaudio needs Debian packages that are not installed. Run:" >&2
  echo "  sudo apt-get update && sudo $cmd" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
$cmd -qq
