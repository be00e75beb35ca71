// dist-dynamic/ holds the Red Hat Developer Hub export (scripts/rhdh/export.sh): built bundles, not sources.
module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  ignorePatterns: ['dist-dynamic/**'],
});
