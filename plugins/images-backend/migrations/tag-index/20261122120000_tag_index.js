// @ts-check

/**
 * The tag index: what each repository's tags point at, and what each digest is. Rows keyed by a digest never
 * change once written (content addressing); tag rows move as tags move.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('images_repositories', table => {
    table.comment(
      'Repositories Berth indexes, and when their tags were last listed',
    );
    table.string('registry', 255).notNullable();
    table.string('repository', 255).notNullable();
    table.timestamp('listed_at', { useTz: true }).nullable();
    table.integer('tag_count').notNullable().defaultTo(0);
    table.boolean('truncated').notNullable().defaultTo(false);
    table.text('list_error').nullable();
    table
      .string('lease_owner', 64)
      .nullable()
      .comment('Replica resolving this repository now');
    table.timestamp('lease_until', { useTz: true }).nullable();
    table.primary(['registry', 'repository']);
  });
  await knex.schema.createTable('images_tags', table => {
    table.comment(
      'Each tag of an indexed repository and the digest it pointed at when last resolved',
    );
    table.string('registry', 255).notNullable();
    table.string('repository', 255).notNullable();
    table.string('tag', 128).notNullable();
    table.string('digest', 100).nullable();
    table.timestamp('resolved_at', { useTz: true }).nullable();
    table.primary(['registry', 'repository', 'tag']);
    table.index(['registry', 'repository', 'digest'], 'images_tags_digest_idx');
  });
  await knex.schema.createTable('images_manifests', table => {
    table.comment('What a digest is: immutable, so written once and kept');
    table.string('registry', 255).notNullable();
    table.string('repository', 255).notNullable();
    table.string('digest', 100).notNullable();
    table.string('media_type', 255).notNullable();
    table.string('created', 64).nullable();
    table.bigInteger('size').nullable();
    table.text('platforms').notNullable().defaultTo('[]');
    table.text('labels').notNullable().defaultTo('{}');
    table.timestamp('described_at', { useTz: true }).notNullable();
    table.primary(['registry', 'repository', 'digest']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('images_manifests');
  await knex.schema.dropTable('images_tags');
  await knex.schema.dropTable('images_repositories');
};
