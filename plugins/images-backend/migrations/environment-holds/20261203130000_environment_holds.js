// @ts-check

/**
 * Environments held: no promotion goes in until the hold is released, and the lane says who holds it and why.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('images_environment_holds', table => {
    table.comment(
      'Environments no promotion may enter until released, with who and why',
    );
    // The repository the environment's tags live in (`registry/repository`).
    table.string('image', 512).notNullable();
    table.string('environment', 64).notNullable();
    table.string('held_by', 255).notNullable();
    table.text('reason').notNullable();
    table.timestamp('held_at', { useTz: true }).notNullable();
    table.primary(['image', 'environment']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('images_environment_holds');
};
