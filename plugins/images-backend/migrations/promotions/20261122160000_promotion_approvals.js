// @ts-check

/**
 * What approvals and gates add to the audit trail: the gates' verdicts when the promotion was asked for, and who
 * approved or rejected a promotion to a protected environment, when, and with which comment.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('images_promotions', table => {
    table.text('gates').notNullable().defaultTo('[]');
    table.string('decided_by', 255).nullable();
    table.text('decision_comment').nullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.index(
      ['image', 'environment', 'created_at'],
      'images_promotions_environment_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('images_promotions', table => {
    table.dropIndex(
      ['image', 'environment', 'created_at'],
      'images_promotions_environment_idx',
    );
    table.dropColumn('decision_comment');
    table.dropColumn('decided_at');
    table.dropColumn('decided_by');
    table.dropColumn('gates');
  });
};
