#!/usr/bin/env bash
# Exports Berth as Red Hat Developer Hub dynamic plugins (scripts/rhdh/export.sh), then loads them in a real Backstage
# backend with Backstage's dynamic feature loader and asks them over HTTP (scripts/rhdh/dynamic-plugins.test.cjs).
# scripts/test.sh runs it after the unit tests.
source "$(dirname "${BASH_SOURCE[0]}")/../toolchain.sh"
# The test runs on the provisioned Node 22 too: the workspace's native modules (better-sqlite3) are built for it.
provision_node
provision_yarn
bash "$BERTH_ROOT/scripts/rhdh/export.sh"
cd "$BERTH_ROOT"
log "rhdh check: load the exported plugins in a backend (node --test scripts/rhdh/dynamic-plugins.test.cjs)"
node --test --test-reporter=spec scripts/rhdh/dynamic-plugins.test.cjs
