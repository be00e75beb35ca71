/** Token scopes (`repository:<name>:<actions>`): how Berth orders, compares and caches them. */

/** `repository:x:push,pull` and `repository:x:pull,push` are one scope: write actions in a fixed order. */
export function normalizeScope(scope: string): string {
  const last = scope.lastIndexOf(':');
  if (last < 0) return scope;
  const order = ['pull', 'push', 'delete', '*'];
  const rank = (action: string) =>
    order.includes(action) ? order.indexOf(action) : order.length;
  const actions = scope
    .slice(last + 1)
    .split(',')
    .filter(Boolean)
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return `${scope.slice(0, last + 1)}${[...new Set(actions)].join(',')}`;
}

/** Push scopes first: a few registries only look at the first scope. */
export function orderScopes(scopes: string[]): string[] {
  const unique = [...new Set(scopes)];
  return [
    ...unique.filter(scope =>
      /push|delete|\*/.test(scope.split(':').pop() ?? ''),
    ),
    ...unique.filter(
      scope => !/push|delete|\*/.test(scope.split(':').pop() ?? ''),
    ),
  ];
}

/** The key a token for these scopes is cached under. */
export function scopeKey(scopes: string[]): string {
  return [...scopes].sort().join(' ');
}

/** True when scope `a` grants everything scope `b` asks (same repository, superset of actions). */
export function covers(a: string, b: string): boolean {
  const [typeA, nameA, actionsA] = splitScope(a);
  const [typeB, nameB, actionsB] = splitScope(b);
  if (typeA !== typeB || nameA !== nameB) return false;
  const granted = new Set(actionsA);
  return actionsB.every(action => granted.has(action) || granted.has('*'));
}

function splitScope(scope: string): [string, string, string[]] {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  return [
    scope.slice(0, first),
    scope.slice(first + 1, last),
    scope.slice(last + 1).split(','),
  ];
}

/** The scope to read a repository. */
export function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

/** The scope to write a repository (which reads it too). */
export function pushScope(repository: string): string {
  return `repository:${repository}:pull,push`;
}

/** The scope to delete from a repository. */
export function deleteScope(repository: string): string {
  return `repository:${repository}:delete`;
}

/**
 * The scopes of a request made by a scoped client: its own and the client's, less any that another one already
 * grants, so that every request of a copy shares one token.
 */
export function mergeScopes(
  requestScopes: string[],
  clientScopes: string[],
): string[] {
  const all = [...new Set([...requestScopes, ...clientScopes])];
  return all.filter(
    (scope, i) =>
      !all.some(
        (other, j) =>
          j !== i && covers(other, scope) && (!covers(scope, other) || j < i),
      ),
  );
}
