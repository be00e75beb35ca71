// @ts-check

/**
 * Listings through a registry product's own API (Quay, Docker Hub, GitHub, DigitalOcean, Harbor, ACR, ECR) say
 * when each tag was pushed: newest first is right from the first view. A newest-first listing may stop at the first
 * page it already knows, so the last complete listing is kept apart from the last listing. A registry's rate limit
 * may hold background indexing back: why, and until when, for the tab to say.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('images_tags', table => {
    table.timestamp('pushed_at', { useTz: true }).nullable();
  });
  await knex.schema.alterTable('images_repositories', table => {
    table.timestamp('full_listed_at', { useTz: true }).nullable();
    table.text('held_back').nullable();
    table.timestamp('held_until', { useTz: true }).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('images_repositories', table => {
    table.dropColumn('held_until');
    table.dropColumn('held_back');
    table.dropColumn('full_listed_at');
  });
  await knex.schema.alterTable('images_tags', table => {
    table.dropColumn('pushed_at');
  });
};
