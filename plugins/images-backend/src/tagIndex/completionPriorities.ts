/**
 * What page views showed undone, per repository: tags not resolved and digests not described. Completion takes
 * them before the rest, so that the rows a user looks at settle first (on one replica; another replica's completion
 * simply goes in listing order).
 */
export class CompletionPriorities {
  readonly #byRepository = new Map<
    string,
    { tags: Set<string>; digests: Set<string> }
  >();

  mark(repository: string, undone: { tags: string[]; digests: string[] }) {
    if (undone.tags.length === 0 && undone.digests.length === 0) return;
    const marked = this.#byRepository.get(repository) ?? {
      tags: new Set<string>(),
      digests: new Set<string>(),
    };
    for (const tag of undone.tags) marked.tags.add(tag);
    for (const digest of undone.digests) marked.digests.add(digest);
    this.#byRepository.set(repository, marked);
  }

  /** Tags to resolve first (read again before each batch, as views go on). */
  tags(repository: string): Set<string> {
    return this.#byRepository.get(repository)?.tags ?? new Set();
  }

  /** Digests to describe first, of those present; the repository's marks are done with. */
  takeDigests(repository: string, present: Set<string>): string[] {
    const marked = this.#byRepository.get(repository)?.digests ?? new Set();
    this.#byRepository.delete(repository);
    return [...marked].filter(digest => present.has(digest));
  }
}
