#!/usr/bin/env bash
# Installs everything Berth needs and runs it: the local registry, seeded with the demo images, and the Backstage
# app (frontend on http://localhost:3000, backend on http://localhost:7007). Ctrl-C stops the app; the registry
# keeps running until `yarn registry stop`.
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
provision_all

log "starting the demo registry on 127.0.0.1:5500 and seeding it"
yarn registry up

log "starting Berth: open http://localhost:3000 and enter as guest"
exec yarn start
