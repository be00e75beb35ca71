// The helpers push test images with the backend's own registry client, so this private test package imports the
// backend plugin's package, which a published node library must not do.
module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: { '@backstage/no-mixed-plugin-imports': 'off' },
});
