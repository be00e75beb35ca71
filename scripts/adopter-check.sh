#!/usr/bin/env bash
# Adopter check: Berth installs into a stock Backstage app the way an adopter would try it.
#
#  1. builds the five publishable packages and packs them with `yarn pack` (backstage-cli's prepack/postpack), and
#     checks each tarball's package.json and files (scripts/adopter-check/checkTarballs.ts);
#  2. publishes the tarballs to a local npm registry (verdaccio, installed into .toolchain/verdaccio) that serves
#     @berth/* only, with no uplink: everything else comes from npm itself;
#  3. creates stock apps with `npx @backstage/create-app@latest`, the default template (new frontend system) and
#     the legacy one, bumped to the release line Berth is built for;
#  4. installs Berth with exactly the commands and snippets of the plugin READMEs (the blocks marked
#     `<!-- berth-install: <id> -->`; scripts/adopter-check/readmeSnippets.ts, installBerth.ts);
#  5. builds the app, starts its backend serving it against a local registry (Debian's docker-registry) seeded with
#     one image per environment, and checks in Chromium that the Images tab shows the digest the registry reports
#     for each environment's tag (scripts/adopter-check/imagesTab.spec.ts), with screenshots;
#  6. checks that Berth brings no second version of any @backstage package and no unmet peer dependency
#     (scripts/adopter-check/checkInstall.ts).
#
# Environment: ADOPTER_CHECK_TEMPLATES (default "default-app legacy-app"), ADOPTER_CHECK_RESULTS (screenshots and
# logs of a failed step; default .berth/adopter-check/), ADOPTER_CHECK_KEEP=1 keeps the temporary folder.
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
provision_debian_packages
provision_node
provision_yarn
cd "$BERTH_ROOT"
[ -d node_modules ] || install_workspace

# The release line Berth is built for, from its backstage.json; the stock apps are bumped to it.
RELEASE="$(node -p 'require("./backstage.json").version')"
CHECK="$BERTH_ROOT/scripts/adopter-check"
READMES=(
  "$BERTH_ROOT/plugins/images/README.md"
  "$BERTH_ROOT/plugins/images-backend/README.md"
  "$BERTH_ROOT/plugins/scaffolder-backend-module-images/README.md"
)
PACKAGES=(images-common images-node images-backend scaffolder-backend-module-images images)
read -r -a TEMPLATES <<<"${ADOPTER_CHECK_TEMPLATES:-default-app legacy-app}"
RESULTS="${ADOPTER_CHECK_RESULTS:-$BERTH_ROOT/.berth/adopter-check}"
VERDACCIO_DIR="$TOOLCHAIN/verdaccio"
VERDACCIO_VERSION=6.10.4

# What an adopter's machine would have: yarn without telemetry, better-sqlite3 compiled fast (-O0), and one global
# yarn cache (Yarn 4's default) shared by both apps and Berth's own workspace, so the second install is fast.
export YARN_ENABLE_TELEMETRY=0 YARN_ENABLE_GLOBAL_CACHE=true
export CFLAGS="${CFLAGS:--O0}" CXXFLAGS="${CXXFLAGS:--O0}"

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
tsx() { yarn tsx "$@"; }
elapsed() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }
# Runs a command with its output in a log; on failure shows the log's end and fails.
logged() {
  local logfile="$1"
  shift
  if ! "$@" >"$logfile" 2>&1; then
    tail -60 "$logfile" >&2
    echo "[adopter-check] failed: $* (log: $logfile)" >&2
    return 1
  fi
}

work="$(mktemp -d "${TMPDIR:-/tmp}/berth-adopter-XXXXXX")"
export ADOPTER_CHECK_NOTES="$work/notes.txt"
: >"$ADOPTER_CHECK_NOTES"
rm -rf "$RESULTS"
mkdir -p "$RESULTS" "$work/tarballs"
verdaccio_pid=""
registry_port="$(free_port)"
cleanup() {
  local status=$?
  set +e
  for pidfile in "$work"/*.backend.pid; do
    [ -f "$pidfile" ] && kill -- -"$(cat "$pidfile")" 2>/dev/null
  done
  [ -n "$verdaccio_pid" ] && kill -- -"$verdaccio_pid" 2>/dev/null
  BERTH_REGISTRY_PORT="$registry_port" BERTH_REGISTRY_DIR="$work/registry" yarn registry stop >/dev/null 2>&1
  # A pack interrupted between backstage-cli's prepack and postpack leaves a rewritten package.json behind.
  for p in "${PACKAGES[@]}"; do
    if [ -f "plugins/$p/package.json-prepack" ]; then mv "plugins/$p/package.json-prepack" "plugins/$p/package.json"; fi
  done
  if [ "${ADOPTER_CHECK_KEEP:-}" = 1 ]; then echo "[adopter-check] kept $work"; else rm -rf "$work"; fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM
started=$SECONDS

# --- the README snippets, before anything slow: a missing marker fails at once -------------------------------------
log "adopter check: README snippets"
tsx "$CHECK/readmeSnippets.ts" "$work/snippets" "${READMES[@]}"

# --- 1. build and pack the five packages ----------------------------------------------------------------------------
log "adopter check: building the five packages (yarn tsc:full, then backstage-cli package build)"
step=$SECONDS
# `backstage-cli package build` takes the declarations from the root's dist-types. tsc:full checks the declaration
# files of node_modules too (skipLibCheck false); errors there are not Berth's and do not stop the declarations
# from being written, so only errors in Berth's own files fail the check.
if ! yarn tsc:full >"$work/tsc-full.log" 2>&1; then
  sed -E 's/\x1b\[[0-9;]*m//g' "$work/tsc-full.log" | grep -E 'error TS[0-9]+' | sort -u >"$work/tsc-errors.txt" || true
  if [ ! -s "$work/tsc-errors.txt" ] || grep -vqE '^node_modules/' "$work/tsc-errors.txt"; then
    tail -40 "$work/tsc-full.log" >&2
    echo "[adopter-check] yarn tsc:full failed in Berth's own sources" >&2
    exit 1
  fi
  echo "warning: yarn tsc:full reports $(wc -l <"$work/tsc-errors.txt") error(s), all in node_modules' declaration files: $(cut -d'(' -f1 "$work/tsc-errors.txt" | cut -d: -f1 | sort -u | tr '\n' ' ')" |
    tee -a "$ADOPTER_CHECK_NOTES"
fi
for p in "${PACKAGES[@]}"; do
  (cd "plugins/$p" && logged "$work/build-$p.log" yarn build)
done
log "adopter check: yarn pack (prepack/postpack point main, types and exports at dist/)"
for p in "${PACKAGES[@]}"; do
  (cd "plugins/$p" && logged "$work/pack-$p.log" yarn pack --out "$work/tarballs/%s-%v.tgz")
done
tsx "$CHECK/checkTarballs.ts" "$work"/tarballs/*.tgz
pack_time=$((SECONDS - step))

# --- 2. a local npm registry serving the tarballs -------------------------------------------------------------------
if [ ! -x "$VERDACCIO_DIR/node_modules/.bin/verdaccio" ]; then
  log "adopter check: installing verdaccio@$VERDACCIO_VERSION into .toolchain/verdaccio"
  npm install --prefix "$VERDACCIO_DIR" --no-audit --no-fund --loglevel=error "verdaccio@$VERDACCIO_VERSION" >/dev/null
fi
npm_port="$(free_port)"
npm_url="http://127.0.0.1:$npm_port"
mkdir -p "$work/verdaccio/storage"
cat >"$work/verdaccio/config.yaml" <<YAML
# Serves @berth/* only, published anonymously; no uplink, so a stale or missing tarball cannot be fetched from npm.
storage: $work/verdaccio/storage
auth:
  htpasswd:
    file: $work/verdaccio/htpasswd
    max_users: -1
uplinks: {}
packages:
  '@berth/*':
    access: \$all
    publish: \$anonymous \$authenticated
log: { type: stdout, format: pretty, level: warn }
YAML
set -m
"$VERDACCIO_DIR/node_modules/.bin/verdaccio" --config "$work/verdaccio/config.yaml" --listen "127.0.0.1:$npm_port" \
  >"$work/verdaccio.log" 2>&1 &
verdaccio_pid=$!
set +m
for _ in $(seq 1 150); do
  curl -fs "$npm_url/-/ping" >/dev/null 2>&1 && break
  kill -0 "$verdaccio_pid" 2>/dev/null || { cat "$work/verdaccio.log" >&2; exit 1; }
  sleep 0.2
done
log "adopter check: publishing to verdaccio on $npm_url"
# npm publish insists on a token for the registry; verdaccio lets anonymous users publish @berth/*, whatever it is.
printf '//127.0.0.1:%s/:_authToken=anonymous\n' "$npm_port" >"$work/npmrc"
for tarball in "$work"/tarballs/*.tgz; do
  NPM_CONFIG_USERCONFIG="$work/npmrc" logged "$work/publish-$(basename "$tarball").log" \
    npm publish "$tarball" --registry "$npm_url/" --access public
  grep -h '^+ ' "$work/publish-$(basename "$tarball").log" || true
done

# --- the image registry ---------------------------------------------------------------------------------------------
registry_url="http://127.0.0.1:$registry_port"
BERTH_REGISTRY_PORT="$registry_port" BERTH_REGISTRY_DIR="$work/registry" yarn registry start

# --- 3. the stock apps ----------------------------------------------------------------------------------------------
log "adopter check: npx @backstage/create-app@latest ($(npm view @backstage/create-app@latest version 2>/dev/null || echo '?'))"
step=$SECONDS
for t in "${TEMPLATES[@]}"; do
  flags=(--path "$work/$t" --skip-install)
  [ "$t" = legacy-app ] && flags+=(--legacy)
  # The app name is asked for unless BACKSTAGE_APP_NAME gives it; --skip-install because the README's `yarn add`
  # installs the app anyway (after the version bump below, so that it installs once).
  (cd "$work" && BACKSTAGE_APP_NAME="stock-${t%-app}" logged "$work/create-$t.log" npx -y @backstage/create-app@latest "${flags[@]}")
  echo "$t: created on the $(node -p "require('$work/$t/backstage.json').version") release line"
done

# Stock-app workaround (a): create-app scaffolds an older release line than npm serves (create-app 0.9.2: 1.55),
# and `backstage-cli versions:bump` reads release manifests from versions.backstage.io, which is not reachable here.
# The manifest is built from npm instead (every @backstage package of the apps at npm's latest) and handed over with
# BACKSTAGE_MANIFEST_FILE, as Berth itself was bumped. The CLI is Berth's own (same release line): the stock app's
# is not installed yet, and installing the app twice (before and after the bump) would only cost time.
tsx "$CHECK/bumpManifest.ts" "$RELEASE" "$work/manifest.json" "${TEMPLATES[@]/#/$work/}"
for t in "${TEMPLATES[@]}"; do
  (cd "$work/$t" && BACKSTAGE_MANIFEST_FILE="$work/manifest.json" logged "$work/bump-$t.log" \
    "$BERTH_ROOT/node_modules/.bin/backstage-cli" versions:bump --skip-install --skip-migrate)
  echo "$t: bumped to $(node -p "require('$work/$t/backstage.json').version")"
done
# Stock-app workaround (b), for the record: with create-app's own pins, the newest @backstage/plugin-signals-backend
# needs a newer @backstage/backend-defaults than the app has (its root HTTP router's WebSocket handlers). After the
# bump the app has the backend-defaults of the same release, so no pin is needed; should the backend fail to start
# on signals again, pin @backstage/plugin-signals-backend to the previous patch here.
create_time=$((SECONDS - step))

# --- 4 to 6, per template -------------------------------------------------------------------------------------------
run_template() {
  local t="$1" app="$work/$1" step port url
  # An adopter adds packages on their machine: Yarn turns immutable installs on by itself when CI is set (as
  # scripts/test.sh does), which would refuse the README's `yarn add`s in the stock app.
  export YARN_ENABLE_IMMUTABLE_INSTALLS=false
  export ADOPTER_CHECK_NOTE_PREFIX="$t: "
  port="$(free_port)"
  url="http://localhost:$port"

  # Stock-app workaround (c): the app reaches the local npm registry for the @berth scope only (the packages are
  # not on npmjs.org), over plain HTTP on loopback. New apps also set `npmMinimalAgeGate: 3d`, which quarantines
  # the @berth packages published a moment ago ("The version for tag latest is quarantined"); they are pre-approved
  # next to the @backstage/* the stock app already pre-approves.
  (
    cd "$app"
    yarn config set npmScopes.berth.npmRegistryServer "$npm_url" >/dev/null
    yarn config set unsafeHttpWhitelist --json '["127.0.0.1"]' >/dev/null
    yarn config set npmPreapprovedPackages --json '["@backstage/*","@berth/*"]' >/dev/null
  )

  log "$t: installing Berth with the READMEs' commands"
  step=$SECONDS
  local id logs=()
  for id in app-add backend-add scaffolder-add; do
    echo "$t: \$ $(tr '\n' ' ' <"$work/snippets/$id.sh")($(cat "$work/snippets/$id.source"))"
    (cd "$app" && logged "$work/$t-$id.log" bash -euo pipefail "$work/snippets/$id.sh")
    logs+=("$work/$t-$id.log")
  done
  local install_time=$((SECONDS - step))
  tsx "$CHECK/installBerth.ts" "$app" "$t" "$registry_url" "$port" "$work/$t-expected.json" "${READMES[@]}"
  tsx "$CHECK/seedRegistry.ts" "$registry_url" "$work/$t-expected.json"

  log "$t: checking the app's dependencies"
  tsx "$CHECK/checkInstall.ts" "$app" "${logs[@]}"

  log "$t: building the app"
  step=$SECONDS
  (cd "$app" && logged "$work/$t-app-build.log" yarn workspace app build --config ../../app-config.yaml --config ../../app-config.local.yaml)
  local build_time=$((SECONDS - step))

  log "$t: backend serving the app on $url"
  step=$SECONDS
  set -m
  (cd "$app/packages/backend" && exec yarn start --config ../../app-config.yaml --config ../../app-config.local.yaml \
    >"$work/$t-backend.log" 2>&1) &
  local backend_pid=$!
  set +m
  echo "$backend_pid" >"$work/$t.backend.pid"
  local ready=""
  for _ in $(seq 1 300); do
    if curl -fs "$url/api/images/health" >/dev/null 2>&1 && curl -fs "$url/" >/dev/null 2>&1; then ready=1; break; fi
    if ! kill -0 "$backend_pid" 2>/dev/null; then break; fi
    sleep 1
  done
  if [ -z "$ready" ]; then
    cp "$work/$t-backend.log" "$RESULTS/"
    tail -60 "$work/$t-backend.log" >&2
    echo "[adopter-check] $t: the backend did not start (log: $RESULTS/$t-backend.log)" >&2
    return 1
  fi
  local start_time=$((SECONDS - step))

  log "$t: Chromium: guest sign-in, the entity's Images tab"
  step=$SECONDS
  if ! PLAYWRIGHT_URL="$url" ADOPTER_CHECK_EXPECTED="$work/$t-expected.json" ADOPTER_CHECK_REGISTRY="$registry_url" \
    ADOPTER_CHECK_TEMPLATE="$t" ADOPTER_CHECK_RESULTS="$RESULTS" \
    yarn playwright test --config "$CHECK/playwright.config.ts" 2>&1 | tee "$work/$t-playwright.log"; then
    grep -v incomingRequest "$work/$t-backend.log" | tail -40 >&2
    cp "$work/$t-backend.log" "$RESULTS/"
    return 1
  fi
  local browser_time=$((SECONDS - step))
  kill -- -"$backend_pid" 2>/dev/null || true
  rm -f "$work/$t.backend.pid"

  local lanes
  lanes="$(grep -oE "^$t: .* = sha256:[0-9a-f]{12}" "$work/$t-playwright.log" | sed -E "s/^$t: [^ ]+ ([a-z0-9-]+) \(([^)]+)\) = sha256:(.{12})/\1=\3/" | tr '\n' ' ')"
  echo "$t: ok (install $(elapsed "$install_time"), app build $(elapsed "$build_time"), backend start $(elapsed "$start_time"), browser $(elapsed "$browser_time")); lanes ${lanes}" >"$work/$t.summary"
}

failed=()
removing=()
for t in "${TEMPLATES[@]}"; do
  set +e
  (
    set -e
    run_template "$t"
  )
  status=$?
  set -e
  if [ "$status" -ne 0 ]; then
    failed+=("$t")
    echo "$t: FAILED (see the output above; logs and screenshots in $RESULTS)" >"$work/$t.summary"
    cp "$work/$t"-*.log "$RESULTS/" 2>/dev/null || true
  fi
  # The backend of a failed template is stopped before the next one starts.
  if [ -f "$work/$t.backend.pid" ]; then kill -- -"$(cat "$work/$t.backend.pid")" 2>/dev/null || true; rm -f "$work/$t.backend.pid"; fi
  # A finished app (a gigabyte of node_modules) is removed while the next one installs, not all at the end.
  if [ "${ADOPTER_CHECK_KEEP:-}" != 1 ] && [ -d "$work/$t" ]; then
    mv "$work/$t" "$work/$t.done"
    rm -rf "$work/$t.done" &
    removing+=($!)
  fi
done
if [ "${#removing[@]}" -gt 0 ]; then wait "${removing[@]}"; fi

log "adopter check: summary"
echo "packages built and packed in $(elapsed "$pack_time"); stock apps created and bumped in $(elapsed "$create_time")"
if [ -s "$ADOPTER_CHECK_NOTES" ]; then sort -u "$ADOPTER_CHECK_NOTES"; fi
for t in "${TEMPLATES[@]}"; do cat "$work/$t.summary"; done
echo "screenshots: $RESULTS"
echo "adopter check: $(elapsed $((SECONDS - started))) in all"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "adopter check failed for: ${failed[*]}" >&2
  exit 1
fi
