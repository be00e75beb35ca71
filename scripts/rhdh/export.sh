#!/usr/bin/env bash
# Exports Berth as Red Hat Developer Hub (RHDH) dynamic plugins with Red Hat's CLI (`rhdh-cli plugin export`):
#
#   plugins/images-backend/dist-dynamic/                    @berth/plugin-images-backend-dynamic: the backend, with
#                                                           @berth/plugin-images-common and -node embedded and its
#                                                           private dependencies in its own node_modules
#   plugins/scaffolder-backend-module-images/dist-dynamic/  @berth/plugin-scaffolder-backend-module-images-dynamic
#   plugins/images/dist-dynamic/                            @berth/plugin-images-dynamic: the frontend, whose
#                                                           dist-scalprum/ holds the Scalprum assets RHDH loads
#
# then lays the three out as an RHDH dynamic-plugins root holds them (`rhdh-cli plugin package --export-to`, the
# folders that `rhdh-cli plugin package --tag` puts in an image) in .berth/rhdh/dynamic-plugins/. Every output is
# git-ignored (the CLI writes a `*` .gitignore into each dist-dynamic/; .berth/ is ignored by the root .gitignore).
# See docs/red-hat-developer-hub.md.
#
# Usage: bash scripts/rhdh/export.sh   (installs the workspace and the RHDH CLI first when they are missing)
source "$(dirname "${BASH_SOURCE[0]}")/../toolchain.sh"
provision_node
provision_yarn
# scripts/test.sh and scripts/run.sh install the workspace; a fresh clone gets it installed here.
[ -d "$BERTH_ROOT/node_modules" ] || install_workspace
provision_rhdh_cli
cd "$BERTH_ROOT"
export YARN_ENABLE_TELEMETRY=0
started=$SECONDS

# `backstage-cli package build` bundles each package's declarations from dist-types/. `yarn tsc` writes them there
# (incrementally: after the type check of scripts/test.sh this takes seconds). `yarn tsc:full` would too, but it also
# checks the libraries' own declarations and fails on errors inside node_modules that are not Berth's.
log "rhdh export: declarations (yarn tsc)"
yarn tsc

# The embedded libraries first: the CLI packs their dist/ into the backend packages. --no-build below, as they are
# built here, once.
for pkg in images-common images-node images-backend scaffolder-backend-module-images; do
  log "rhdh export: build plugins/$pkg"
  (cd "plugins/$pkg" && yarn backstage-cli package build)
done

# The CLI embeds <name>-common and <name>-node of a backend plugin by itself. The scaffolder module's name does not
# lead it to @berth/plugin-images-common, which is not on npm, so it is named here.
export_plugin() {
  local dir="$1"
  shift
  log "rhdh export: rhdh-cli plugin export in plugins/$dir $*"
  (cd "plugins/$dir" && "$RHDH_CLI" plugin export --clean "$@")
}
export_plugin images-backend --no-build
export_plugin scaffolder-backend-module-images --no-build --embed-package @berth/plugin-images-common
# The frontend export builds from src/ with the CLI's own webpack: Scalprum assets (what RHDH loads) in
# dist-dynamic/dist-scalprum/, and module federation assets (Backstage's own dynamic frontend loading) that it writes
# into the package's dist/ before copying them to dist-dynamic/dist/.
# (webpack's list of the hundreds of chunks it wrote, with their sizes, is left out)
export_plugin images 2>&1 | { grep --line-buffered -vE '^ +[0-9.]+ (B|kB|KB|MB) +dist' || true; }
log "rhdh export: rebuild plugins/images/dist (the export replaced it with its module federation assets)"
(cd plugins/images && yarn backstage-cli package build)

# An RHDH dynamic-plugins root: one folder per plugin, named as the CLI names them in an image
# (berth-plugin-images-backend, ...). It reuses the dist-dynamic/ folders above, it does not export again. Run in each
# plugin's folder: at the repository root the CLI stops at the root package.json, whose "backstage" field (settings
# for `backstage-cli new`) has no "role".
plugins_root="$BERTH_ROOT/.berth/rhdh/dynamic-plugins"
rm -rf "$plugins_root"
for dir in images-backend scaffolder-backend-module-images images; do
  log "rhdh export: rhdh-cli plugin package --export-to .berth/rhdh/dynamic-plugins in plugins/$dir"
  (cd "plugins/$dir" && "$RHDH_CLI" plugin package --export-to "$plugins_root")
done
rm -f "$plugins_root/index.json" # the last plugin's image metadata only; a dynamic-plugins root has none
for expected in berth-plugin-images-backend berth-plugin-scaffolder-backend-module-images berth-plugin-images; do
  if [ ! -f "$plugins_root/$expected/package.json" ]; then
    echo "rhdh export: $plugins_root/$expected is missing: the package step left it out (see its log above)" >&2
    exit 1
  fi
done
log "rhdh export: done in $((SECONDS - started)) s"
