#!/usr/bin/env bash
# Install what the queue-mode e2e suite (test/e2e/queue-mode.e2e.test.ts) runs besides n8n: Redis and
# PostgreSQL from Debian's packages. The suite starts its own throw-away servers (127.0.0.1, free ports,
# temporary data folders); nothing here starts or configures a service.
#
#   scripts/install-queue-services.sh     # installs redis-server and postgresql if missing
#
# Needs root (or sudo) when something is missing; does nothing when both are present.
set -euo pipefail

log() { printf '[install-queue-services] %s\n' "$*" >&2; }

have_postgres() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; }
have_redis() { command -v redis-server >/dev/null; }

if have_postgres && have_redis; then
	log "redis-server and postgresql already installed"
	exit 0
fi

SUDO=()
if [[ "$(id -u)" != 0 ]]; then
	command -v sudo >/dev/null || { log "ERROR: not root and no sudo: install redis-server and postgresql yourself"; exit 1; }
	SUDO=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
log "apt-get update"
"${SUDO[@]}" apt-get update -qq
# The packages' own scripts may try to start their default service; in a container that is refused,
# which is fine: the suite never uses those.
log "apt-get install -y redis-server postgresql"
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends redis-server postgresql >&2

have_postgres || { log "ERROR: postgresql installed but no /usr/lib/postgresql/*/bin/initdb"; exit 1; }
have_redis || { log "ERROR: redis-server installed but not on PATH"; exit 1; }
log "done"
