// @ts-check

/**
 * Promotions that need several approvals (`policies.approvals`): how many, from whose members, and each approval
 * given, one per person.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('images_promotions', table => {
    table.integer('approvals_needed').notNullable().defaultTo(1);
    table.string('approval_group', 255).nullable();
  });
  await knex.schema.createTable('images_promotion_approvals', table => {
    table.comment(
      'Each approval of a promotion that needs several, one per person',
    );
    table.string('promotion_id', 64).notNullable();
    table.string('approved_by', 255).notNullable();
    table.text('comment').nullable();
    table.timestamp('approved_at', { useTz: true }).notNullable();
    table.primary(['promotion_id', 'approved_by']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('images_promotion_approvals');
  await knex.schema.alterTable('images_promotions', table => {
    table.dropColumn('approval_group');
    table.dropColumn('approvals_needed');
  });
};
