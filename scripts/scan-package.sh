#!/usr/bin/env bash
# Run @n8n/scan-community-package's checks on a LOCAL tarball, offline (CI-friendly).
#
#   scripts/scan-package.sh                         # npm pack this repo (dist/ must be built) and scan it
#   scripts/scan-package.sh path/to/pkg.tgz         # scan a tarball; source = this repo
#   scripts/scan-package.sh --source DIR pkg.tgz    # source tree the tarball was built from
#   scripts/scan-package.sh --git-ref HEAD [pkg.tgz] # source = `git archive HEAD` of this repo, i.e. exactly
#                                                   # the committed tree the online scan downloads
#   scripts/scan-package.sh --no-source pkg.tgz     # lint only the tarball contents
#   scripts/scan-package.sh --strict ...            # warnings (e.g. non-GitHub repository URL) fail too
#
# The scanner is installed once, isolated, into $N8N_NYNE_CACHE/scanner-<version>
# (default cache: $HOME/.cache/n8n-nodes-nyne); it needs the npm registry only for that first install.
# Exit status: 0 passed, 1 the scan found problems (printed), 2 usage/setup error.
#
# Environment:
#   N8N_NYNE_CACHE        cache root
#   N8N_SCANNER_VERSION   @n8n/scan-community-package version (default 0.32.0)
set -euo pipefail

SCANNER_VERSION="${N8N_SCANNER_VERSION:-0.32.0}"
CACHE="${N8N_NYNE_CACHE:-$HOME/.cache/n8n-nodes-nyne}"
SCANNER_DIR="$CACHE/scanner-$SCANNER_VERSION"
MARKER="$SCANNER_DIR/.installed"
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '[scan-package] %s\n' "$*" >&2; }

# ---- install the scanner (once) -----------------------------------------------------------
if [[ ! -f "$MARKER" ]]; then
	mkdir -p "$CACHE"
	exec 9>"$CACHE/.scanner.lock"
	flock 9
	if [[ ! -f "$MARKER" ]]; then
		log "installing @n8n/scan-community-package@$SCANNER_VERSION into $SCANNER_DIR"
		rm -rf "$SCANNER_DIR"
		mkdir -p "$SCANNER_DIR"
		printf '{ "name": "n8n-nodes-nyne-scanner", "private": true }\n' >"$SCANNER_DIR/package.json"
		# Its own project folder, so the repo's node_modules and .npmrc play no part. No dependency
		# of the scanner needs an install script (isolated-vm, pulled in through the n8n-workflow
		# peer, would try to compile and is never loaded by the scanner).
		(cd "$SCANNER_DIR" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error \
			--save-exact "@n8n/scan-community-package@$SCANNER_VERSION" >&2) ||
			{ log "scanner install failed"; exit 2; }
		touch "$MARKER"
	fi
	exec 9>&-
fi

# ---- arguments -------------------------------------------------------------------------------
ARGS=()
TARBALL=""
HAVE_SOURCE=""
GIT_REF=""
while [[ $# -gt 0 ]]; do
	case "$1" in
	--source) ARGS+=("--source" "$2"); HAVE_SOURCE=1; shift 2 ;;
	--git-ref) GIT_REF="$2"; HAVE_SOURCE=1; shift 2 ;;
	--no-source) ARGS+=("--no-source"); HAVE_SOURCE=1; shift ;;
	--strict) ARGS+=("--strict"); shift ;;
	-h | --help) sed -n '2,18p' "$0"; exit 0 ;;
	-*) log "unknown option $1"; exit 2 ;;
	*) TARBALL="$1"; shift ;;
	esac
done
[[ -n "$HAVE_SOURCE" ]] || ARGS+=("--source" "$REPO_DIR")

PACK_DIR=""
SOURCE_DIR=""
cleanup() {
	[[ -z "$PACK_DIR" ]] || rm -rf "$PACK_DIR"
	[[ -z "$SOURCE_DIR" ]] || rm -rf "$SOURCE_DIR"
}
trap cleanup EXIT

if [[ -n "$GIT_REF" ]]; then
	# What the online scan lints: the repository archive at the attested commit.
	SOURCE_DIR="$(mktemp -d)"
	git -C "$REPO_DIR" archive --format=tar "$GIT_REF" | tar -x -C "$SOURCE_DIR" ||
		{ log "git archive $GIT_REF failed"; exit 2; }
	ARGS+=("--source" "$SOURCE_DIR")
fi

if [[ -z "$TARBALL" ]]; then
	[[ -d "$REPO_DIR/dist" ]] || { log "no tarball given and $REPO_DIR/dist does not exist: run npm run build first"; exit 2; }
	PACK_DIR="$(mktemp -d)"
	log "packing $REPO_DIR (no rebuild)"
	(cd "$REPO_DIR" && npm pack --ignore-scripts --silent --pack-destination "$PACK_DIR" >/dev/null)
	TARBALL="$(ls "$PACK_DIR"/*.tgz)"
fi

node "$REPO_DIR/scripts/scan-package.mjs" --scanner-dir "$SCANNER_DIR" "${ARGS[@]}" "$TARBALL"
