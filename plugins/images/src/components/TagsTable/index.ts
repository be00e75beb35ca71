export { TagsTable, TAGS_PAGE_SIZE, SEARCH_DEBOUNCE_MS } from './TagsTable';
