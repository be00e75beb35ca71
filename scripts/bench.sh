#!/usr/bin/env bash
# `yarn bench`: provisions what the benchmark needs (Node 22, yarn, docker-registry, skopeo, the workspace) and runs
# scripts/bench/registry.ts, which prints a table per part and writes bench-results/{registry,tab,promotion}.json.
# Arguments are passed on (--only=tab --rtt=50 --tags=10000 --image-mb=200 --reps=3 --copy-reps=3 --no-skopeo; --help
# lists them).
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"

provision_skopeo() {
  [ -x /usr/bin/skopeo ] && return 0
  log "installing Debian's skopeo (the benchmark's point of comparison)"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends skopeo >/dev/null
}

provision_debian_packages
provision_skopeo
provision_node
provision_yarn
log "node $(node --version), yarn $(yarn --version)"
install_workspace

cd "$BERTH_ROOT"
yarn tsx scripts/bench/registry.ts "$@"
