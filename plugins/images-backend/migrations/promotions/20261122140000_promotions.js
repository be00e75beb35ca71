// @ts-check

/**
 * The promotion audit trail (every attempt, with its outcome and progress, so that a retry after a crash finishes the
 * job instead of repeating it) and the locks that keep two promotions of one environment apart across replicas.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('images_promotions', table => {
    table.comment(
      'Every promotion and rollback attempt, with who, why, what moved and how it ended',
    );
    table.string('id', 64).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('image', 512).notNullable();
    table.string('environment', 64).notNullable();
    table.string('kind', 16).notNullable();
    table.string('status', 24).notNullable();
    table.string('requested_by', 255).notNullable();
    table.text('reason').notNullable();
    table.string('source', 255).notNullable();
    table.string('source_digest', 100).nullable();
    table.string('previous_digest', 100).nullable();
    table.string('rollback_tag', 128).nullable();
    table.text('tags').notNullable().defaultTo('[]');
    table.text('progress').notNullable().defaultTo('{}');
    table.boolean('forced').notNullable().defaultTo(false);
    table.text('error').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.index(['entity_ref', 'created_at'], 'images_promotions_entity_idx');
  });
  await knex.schema.createTable('images_locks', table => {
    table.comment('Locks held across backend replicas; each expires by itself');
    table.string('lock_key', 600).primary();
    table.string('owner', 64).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('images_locks');
  await knex.schema.dropTable('images_promotions');
};
