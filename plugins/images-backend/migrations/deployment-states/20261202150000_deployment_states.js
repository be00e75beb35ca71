// @ts-check

/**
 * What each environment's deployment ran when Berth last looked, so that owners are told when it starts to drift
 * from its tag (and when it is back), once, whichever replica looks.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('images_deployment_states', table => {
    table.comment('The last deployment state Berth saw per entity, image and environment');
    table.string('entity_ref', 255).notNullable();
    table.string('image', 512).notNullable();
    table.string('environment', 63).notNullable();
    table.string('state', 32).notNullable();
    table.text('running').notNullable().defaultTo('');
    table.string('tag_digest', 128).nullable();
    table.timestamp('seen_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'image', 'environment']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('images_deployment_states');
};
