#!/usr/bin/env bash
# Installs what the hub (and, with --test, its test suite) needs on a Debian bookworm machine with
# Node 20, then the npm dependencies. Idempotent: when everything is there it prints nothing and
# changes nothing.
#
#   bash scripts/ensure-system-deps.sh          # runtime needs
#   bash scripts/ensure-system-deps.sh --test   # runtime + test needs
set -euo pipefail

# Debian packages, one list per purpose; adding a package is one edit here.
RUNTIME_PACKAGES=(redis-server)
TEST_PACKAGES=(dovecot-imapd openssh-server)

readonly ME="ensure-system-deps"
# Seconds apt-get waits for the dpkg lock (another apt run, unattended-upgrades) before failing.
readonly DPKG_LOCK_TIMEOUT_S=300

die() {
  echo "$ME: error: $*" >&2
  exit 1
}

usage() {
  echo "usage: $0 [--test]" >&2
  exit 2
}

with_test=false
for arg in "$@"; do
  case "$arg" in
    --test) with_test=true ;;
    -h | --help) usage ;;
    *) echo "$ME: unknown argument: $arg" >&2; usage ;;
  esac
done

packages=("${RUNTIME_PACKAGES[@]}")
if [[ "$with_test" == true ]]; then
  packages+=("${TEST_PACKAGES[@]}")
fi

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# ---------------------------------------------------------------------------------------------
# Debian packages
# ---------------------------------------------------------------------------------------------

is_installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" == installed ]]
}

missing=()
for pkg in "${packages[@]}"; do
  if ! is_installed "$pkg"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} > 0)); then
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install these Debian packages by hand: ${missing[*]}"

  as_root=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "installing ${missing[*]} needs root, and sudo is not available; run this script as root"
    as_root=(sudo)
  fi

  log="$(mktemp "${TMPDIR:-/tmp}/$ME.XXXXXX.log")"
  added_policy=false
  cleanup() {
    if [[ "$added_policy" == true ]]; then
      "${as_root[@]}" rm -f /usr/sbin/policy-rc.d || true
    fi
    rm -f "$log"
  }
  trap cleanup EXIT
  # Turn INT/TERM into a normal exit so the EXIT trap removes our policy-rc.d.
  trap 'exit 130' INT
  trap 'exit 143' TERM

  # Packages such as redis-server start their service from the maintainer script. The hub runs
  # its own redis-server (and tests theirs on free ports), so keep invoke-rc.d and
  # deb-systemd-invoke from starting anything: exit status 101 of policy-rc.d means "action
  # forbidden". An existing policy-rc.d (container images ship one) is left as it is.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${as_root[@]}" chmod 755 /usr/sbin/policy-rc.d
    added_policy=true
  fi

  apt=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o "DPkg::Lock::Timeout=$DPKG_LOCK_TIMEOUT_S")

  if ! "${apt[@]}" -qq update >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    die "apt-get update failed (needed to install: ${missing[*]})"
  fi

  for pkg in "${missing[@]}"; do
    echo "$ME: installing Debian package $pkg"
    if ! "${apt[@]}" -y -qq --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
      install "$pkg" >"$log" 2>&1; then
      tail -n 20 "$log" >&2
      die "failed to install Debian package $pkg (apt-get output above)"
    fi
    is_installed "$pkg" || die "Debian package $pkg is still not installed after apt-get install"
  done
fi

# ---------------------------------------------------------------------------------------------
# npm dependencies
# ---------------------------------------------------------------------------------------------

cd "$repo_root"

# node_modules counts as up to date when it, or npm's own record of it
# (node_modules/.package-lock.json, written by every npm install), is not older than the lockfile.
needs_npm=false
if [[ ! -d node_modules ]]; then
  needs_npm=true
elif [[ -f package-lock.json && package-lock.json -nt node_modules ]]; then
  if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    needs_npm=true
  fi
fi

if [[ "$needs_npm" == true ]]; then
  command -v npm >/dev/null 2>&1 || die "npm not found; this script expects Node 20 with npm"
  # `npm install`, not `npm ci`: the registry we can reach lacks some other platforms' optional
  # binaries (e.g. @swc/core-darwin-arm64 at our version), so the lockfile cannot list them and
  # `npm ci` refuses it as out of sync. `npm install` still follows the lockfile for what it lists.
  echo "$ME: node_modules missing or older than package-lock.json; running npm install"
  npm install --no-audit --no-fund || die "npm install failed"
  # npm may leave the folder's own mtime older than the lockfile (and creates no folder for a
  # package without dependencies); mark it fresh so the next run is a no-op.
  mkdir -p node_modules
  touch node_modules
fi
