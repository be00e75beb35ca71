// @ts-check

/**
 * Which entities claim which repositories (their `berth.dev/images`), and since when: a repository claimed by more
 * than one entity is contested, and the entity that claimed it first decides on promotions from the others.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('images_repository_claims', table => {
    table.comment('Entities whose berth.dev/images names a repository');
    table.string('repository', 512).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.text('owners').notNullable().defaultTo('[]');
    table.timestamp('claimed_at', { useTz: true }).notNullable();
    table.primary(['repository', 'entity_ref']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('images_repository_claims');
};
