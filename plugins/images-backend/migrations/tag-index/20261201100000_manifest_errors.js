// @ts-check

/**
 * What is wrong with a digest whose content is malformed (an index with null entries, a manifest without layers, a
 * config that is no JSON object). Content is addressed by its digest, so the verdict is kept like a description:
 * that digest is not fetched again, and the page shows why it cannot be described.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('images_manifests', table => {
    table.string('error_kind', 32).nullable();
    table.text('error').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('images_manifests', table => {
    table.dropColumn('error');
    table.dropColumn('error_kind');
  });
};
