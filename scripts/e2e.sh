#!/usr/bin/env bash
# End-to-end tests: a registry on a free port seeded with the demo images, the backend serving the built app on
# another free port, and Playwright driving Debian's Chromium. Expects scripts/toolchain.sh to have provisioned.
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
provision_node
provision_yarn
cd "$BERTH_ROOT"

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

work="$(mktemp -d "${TMPDIR:-/tmp}/berth-e2e-XXXXXX")"
registry_port="$(free_port)"
backend_port="$(free_port)"
backend_pid=""
cleanup() {
  [ -n "$backend_pid" ] && kill -- -"$backend_pid" 2>/dev/null
  BERTH_REGISTRY_PORT="$registry_port" BERTH_REGISTRY_DIR="$work/registry" yarn registry stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

log "e2e: registry on 127.0.0.1:$registry_port"
BERTH_REGISTRY_PORT="$registry_port" BERTH_REGISTRY_DIR="$work/registry" \
  BERTH_EVENTS_URL="http://127.0.0.1:$backend_port/api/images/events" yarn registry up

cat > "$work/app-config.e2e.yaml" <<YAML
app:
  baseUrl: http://localhost:$backend_port
backend:
  baseUrl: http://localhost:$backend_port
  listen:
    port: $backend_port
  cors:
    origin: http://localhost:$backend_port
images:
  registries:
    - { host: registry.digitalocean.com, endpoint: 'http://127.0.0.1:$registry_port', insecure: true, events: { token: berth-demo-events } }
    - { host: quay.io, endpoint: 'http://127.0.0.1:$registry_port', insecure: true, events: { token: berth-demo-events } }
    - { host: ghcr.io, endpoint: 'http://127.0.0.1:$registry_port', insecure: true, events: { token: berth-demo-events } }
    - { host: 'localhost:$registry_port', endpoint: 'http://127.0.0.1:$registry_port', insecure: true, events: { token: berth-demo-events } }
berthDemo:
  deployments:
    filesPort: 7012
    clusterPort: 7011
    registryUrl: 'http://127.0.0.1:$registry_port'
YAML

# Rebuild the app when anything it bundles (sources, config schemas, manifests) changed since the last build.
stale="$(find packages/app plugins/images plugins/images-common app-config.yaml -newer packages/app/dist/index.html -type f \
  -not -path '*/node_modules/*' -not -path '*/dist/*' -not -path '*/e2e-tests/*' 2>/dev/null | head -1 || true)"
if [ ! -f packages/app/dist/index.html ] || [ -n "$stale" ]; then
  log "e2e: building the app"
  yarn workspace app build >"$work/app-build.log" 2>&1 || { cat "$work/app-build.log"; exit 1; }
fi

log "e2e: backend serving the app on http://localhost:$backend_port"
set -m
(cd packages/backend && exec yarn start --config ../../app-config.yaml --config "$work/app-config.e2e.yaml" >"$work/backend.log" 2>&1) &
backend_pid=$!
set +m
# Ready when it answers its health route; a busy machine may need minutes for the first start.
ready=""
for _ in $(seq 1 300); do
  if curl -fs "http://localhost:$backend_port/api/images/health" >/dev/null 2>&1; then ready=1; break; fi
  if ! kill -0 "$backend_pid" 2>/dev/null; then
    cat "$work/backend.log"
    echo "the backend exited before it was ready" >&2
    exit 1
  fi
  sleep 1
done
if [ -z "$ready" ]; then
  tail -40 "$work/backend.log"
  echo "the backend did not answer within 300 s" >&2
  exit 1
fi

PLAYWRIGHT_URL="http://localhost:$backend_port" BERTH_E2E_REGISTRY_URL="http://127.0.0.1:$registry_port" \
  yarn playwright test || { grep -v incomingRequest "$work/backend.log" | tail -40; exit 1; }
