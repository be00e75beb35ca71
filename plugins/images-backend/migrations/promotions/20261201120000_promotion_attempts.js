// @ts-check

/**
 * What makes every promotion attempt traceable on its own: a retry is a new attempt that names the one it finished
 * (`resumed_from`), the finished one names its successor (`superseded_by`), and a running attempt shows it is alive
 * (`heartbeat_at`, renewed with its lock) so that one whose backend died is recorded as interrupted; a promotion
 * from an entity that claimed a contested repository second names who must approve it (`approvers`).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('images_promotions', table => {
    table.string('resumed_from', 64).nullable();
    table.string('superseded_by', 64).nullable();
    table.timestamp('heartbeat_at', { useTz: true }).nullable();
    table.text('approvers').nullable();
    table.index(['rollback_tag'], 'images_promotions_rollback_tag_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('images_promotions', table => {
    table.dropIndex(['rollback_tag'], 'images_promotions_rollback_tag_idx');
    table.dropColumn('approvers');
    table.dropColumn('heartbeat_at');
    table.dropColumn('superseded_by');
    table.dropColumn('resumed_from');
  });
};
