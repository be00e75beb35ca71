#!/usr/bin/env bash
# Installs everything Berth needs and runs every test: type check, lint, unit and integration tests (each starts its own
# real registry on a free loopback port), then end-to-end tests in Debian's Chromium against the built app.
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
export CI=true
provision_all

log "type check"
# From scratch: the API reports below print inferred union types in the order a full build checks them, which an
# incremental build can change.
rm -rf "$BERTH_ROOT/dist-types"
yarn tsc

# The public surface of the five published packages, as committed in each report.api.md (from the declarations tsc
# just wrote): a change to it fails here until `yarn build:api-reports` records it for review.
log "API reports"
yarn api-reports:check

log "lint"
yarn lint:all

results="$(mktemp -d "${TMPDIR:-/tmp}/berth-test-XXXXXX")"
trap 'rm -rf "$results"' EXIT

log "unit and integration tests"
yarn test 2>&1 | tee "$results/unit.log"

log "end-to-end tests"
bash "$BERTH_ROOT/scripts/e2e.sh" 2>&1 | tee "$results/e2e.log"

log "Red Hat Developer Hub: export dynamic plugins and load the backend one"
bash "$BERTH_ROOT/scripts/rhdh/check.sh"

log "adopter check: a stock Backstage app installs Berth from packed tarballs"
bash "$BERTH_ROOT/scripts/adopter-check.sh"

# One closing line for the whole run: Jest's and Playwright's counts added up (any failure has exited above).
unit=$(grep -E '^Tests:' "$results/unit.log" | tail -1 | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || echo 0)
e2e=$(grep -E '^ +[0-9]+ passed' "$results/e2e.log" | tail -1 | grep -oE '[0-9]+' | head -1 || echo 0)
log "unit and integration: $unit passed; end-to-end: $e2e passed"
echo "$((unit + e2e)) passed, 0 failed"
