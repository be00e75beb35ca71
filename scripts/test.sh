#!/usr/bin/env bash
# Installs everything Berth needs and runs every test: type check, unit and integration tests (each starts its own
# real registry on a free loopback port), then end-to-end tests in Debian's Chromium against the built app.
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
export CI=true
provision_all

log "type check"
yarn tsc

log "unit and integration tests"
yarn test

log "end-to-end tests"
bash "$BERTH_ROOT/scripts/e2e.sh"

log "all tests passed"
