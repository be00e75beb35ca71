// @ts-check

/**
 * Which digest each environment ran, from when until when: release policies ask whether a digest ran in the
 * environment before (upstream first) and for how long (soak time), and the fleet view shows how long each has run.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('images_environment_stays', table => {
    table.comment(
      'Each stay of a digest in an environment: entered when Berth first saw it there, left when it saw another',
    );
    // The repository the environment's tags live in (`registry/repository`).
    table.string('image', 512).notNullable();
    table.string('environment', 64).notNullable();
    // Stays of one environment in order; two replicas recording the same change race for one number.
    table.integer('seq').notNullable();
    table.string('digest', 100).notNullable();
    table.timestamp('entered_at', { useTz: true }).notNullable();
    table.timestamp('left_at', { useTz: true }).nullable();
    // `promotion` (Berth moved it there) or `observed` (its tag was seen there).
    table.string('source', 16).notNullable();
    table.primary(['image', 'environment', 'seq']);
    table.index(['image', 'environment', 'digest'], 'images_stays_digest_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('images_environment_stays');
};
