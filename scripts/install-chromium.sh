#!/usr/bin/env bash
# Headless Chromium for the browser tests (test/browser/), from Debian's packages: playwright-core drives
# it through `executablePath`, so no browser is ever downloaded by npm or Playwright.
#
#   bash scripts/install-chromium.sh     # installs /usr/bin/chromium if missing (needs root), prints its path
#
# Environment: CHROMIUM_PATH  a Chromium to use instead (checked, never installed).
set -euo pipefail

log() { printf '[install-chromium] %s\n' "$*" >&2; }

find_chromium() {
	local candidate
	for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
		if [[ -n "$candidate" && -x "$candidate" ]]; then
			echo "$candidate"
			return 0
		fi
	done
	return 1
}

if path="$(find_chromium)"; then
	echo "$path"
	exit 0
fi
if [[ -n "${CHROMIUM_PATH:-}" ]]; then
	log "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable"
	exit 1
fi

SUDO=()
if [[ "$(id -u)" != 0 ]]; then
	command -v sudo >/dev/null || { log "not root and no sudo: run 'apt-get update && apt-get install -y chromium' as root"; exit 1; }
	SUDO=(sudo)
fi
log "installing Debian's chromium (apt-get update, apt-get install -y chromium)"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update >&2
# fonts-liberation: the metric-compatible fonts the screenshots are taken with.
"${SUDO[@]}" apt-get install -y chromium fonts-liberation >&2

path="$(find_chromium)" || { log "chromium installed but not found on /usr/bin"; exit 1; }
"$path" --version >&2 || { log "$path does not start"; exit 1; }
echo "$path"
