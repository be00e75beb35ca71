/**
 * A concurrency limit with two queues: work a person is waiting for (a page view) goes before background work (the
 * tag index completing), so that a large repository's indexing never delays someone's page.
 */
export class PriorityLimit {
  readonly #limit: number;
  #active = 0;
  readonly #foreground: Array<() => void> = [];
  readonly #background: Array<() => void> = [];

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  async run<T>(work: () => Promise<T>, background = false): Promise<T> {
    await this.#acquire(background);
    try {
      return await work();
    } finally {
      this.#release();
    }
  }

  #acquire(background: boolean): Promise<void> {
    if (this.#active < this.#limit) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise(resolve =>
      (background ? this.#background : this.#foreground).push(resolve),
    );
  }

  #release(): void {
    const next = this.#foreground.shift() ?? this.#background.shift();
    if (next) next();
    else this.#active--;
  }
}
