#!/usr/bin/env bash
# Install Debian's Chromium (and a Latin font set) for the report's browser test, once.
# Idempotent: does nothing when /usr/bin/chromium is already there. Needs root (or sudo) and apt-get.
# Never `playwright install`: the tests drive this OS Chromium through Playwright's bundled driver.
set -euo pipefail

CHROMIUM="${LEAD_FUNNEL_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
bash "$(dirname "$0")/install_os_packages.sh" "$CHROMIUM" chromium fonts-liberation
"$CHROMIUM" --version
