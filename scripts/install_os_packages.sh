#!/usr/bin/env bash
# Install Debian packages once: does nothing when CHECK is already there.
#   scripts/install_os_packages.sh CHECK PACKAGE...
# CHECK is a command on PATH (java), or a path or glob pattern ('/usr/lib/postgresql/*/bin/initdb').
# Needs root (or sudo) and apt-get; `apt-get update` runs once, only when something is missing.
set -euo pipefail

if [ "$#" -lt 2 ]; then
    echo "usage: $0 CHECK PACKAGE..." >&2
    exit 2
fi
CHECK="$1"
shift
if command -v "$CHECK" >/dev/null 2>&1 || compgen -G "$CHECK" >/dev/null; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_os_packages: $CHECK is missing and apt-get is not available; install $* by hand" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
echo "install_os_packages: installing $* from the OS packages (for $CHECK)"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
