import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { RequestHandler } from 'express';

const validator = makeValidator();

// The catalog's own rules for each part of an entity reference, and how to say them.
const ENTITY_PARTS = [
  {
    part: 'kind',
    valid: (v: string) => validator.isValidKind(v),
    rule: 'a letter followed by letters and digits, at most 63',
  },
  {
    // Entity references are case-insensitive; the catalog stores namespaces in lower case.
    part: 'namespace',
    valid: (v: string) => validator.isValidNamespace(v.toLowerCase()),
    rule: 'letters and digits separated by single dashes, at most 63',
  },
  {
    part: 'name',
    valid: (v: string) => validator.isValidEntityName(v),
    rule: 'letters and digits, with - _ or . between them, at most 63',
  },
] as const;

/** A value as an error message may quote it: short, and with control characters escaped. */
function quote(value: string): string {
  const shown = value.length > 70 ? `${value.slice(0, 70)}…` : value;
  return JSON.stringify(shown);
}

/**
 * The entity reference that `/entities/{kind}/{namespace}/{name}` names, once each part passes the catalog's rules;
 * a 400 naming the part otherwise (a decoded slash, an empty or over-long part), before the catalog is asked.
 */
export function entityRefFromParams(params: Record<string, unknown>): string {
  return checkedEntityRef(params, 'in the path');
}

/**
 * An entity reference from a request body (`component:default/dotca`, `component:dotca`), held to the same rules.
 */
export function entityRefFromBody(field: string, value: string): string {
  let parsed;
  try {
    parsed = parseEntityRef(value);
  } catch {
    throw new InputError(
      `${field} ${quote(
        value,
      )} is not an entity reference: write it as kind:namespace/name, such as component:default/dotca`,
    );
  }
  return checkedEntityRef(parsed, `in ${field}`);
}

function checkedEntityRef(parts: Record<string, unknown>, where: string) {
  for (const { part, valid, rule } of ENTITY_PARTS) {
    const value = parts[part];
    if (typeof value !== 'string' || value === '') {
      throw new InputError(`The entity ${part} ${where} is empty`);
    }
    if (!valid(value)) {
      throw new InputError(
        `The entity ${part} ${where}, ${quote(
          value,
        )}, is not valid: write ${rule} characters`,
      );
    }
  }
  return stringifyEntityRef({
    kind: parts.kind as string,
    namespace: parts.namespace as string,
    name: parts.name as string,
  });
}

/**
 * Why no route took an entity path: a 400 for a missing or empty part (`/entities/component//dotca/overview`),
 * else a 404 for a route the API does not have.
 */
export function entityPathError(method: string, originalUrl: string): Error {
  // The original URL: Express drops the empty part after a mount point (`/entities//default` → `/default`).
  const path = originalUrl.split('?')[0];
  const parts = path.slice(path.indexOf('/entities/') + 10).split('/');
  for (const [i, { part }] of ENTITY_PARTS.entries()) {
    if (!parts[i]) {
      return new InputError(
        `The entity ${part} in the path is empty: write /entities/{kind}/{namespace}/{name}/…`,
      );
    }
  }
  return new NotFoundError(
    `The images API has no route ${method} ${
      path.length > 200 ? `${path.slice(0, 200)}…` : path
    }`,
  );
}

/**
 * An optional whole-number query parameter within its range, read from the URL as sent (the OpenAPI validator,
 * which checks the same range first, coerces `1e2` or `0x10` to numbers); a 400 naming the parameter for anything
 * but decimal digits in range (`1e999`, `-1`, `1.5`, `abc`, a repeated parameter).
 */
export function integerQuery(
  originalUrl: string,
  name: string,
  range: { min: number; max: number },
): number | undefined {
  const values = new URL(originalUrl, 'http://localhost').searchParams.getAll(
    name,
  );
  if (values.length === 0) return undefined;
  const [text] = values;
  const number =
    values.length === 1 && /^\d{1,16}$/.test(text) ? Number(text) : undefined;
  if (number === undefined || number < range.min || number > range.max) {
    throw new InputError(
      `The query parameter ${name} must be a whole number from ${range.min} to ${range.max}`,
    );
  }
  return number;
}

/**
 * Refuses a path that is not valid percent-encoding (`%E0%A4%A`) with a sentence, before the OpenAPI validator
 * answers it with a terse one of its own.
 */
export const checkPathEncoding: RequestHandler = (req, _res, next) => {
  try {
    decodeURIComponent(req.path);
  } catch {
    next(new InputError('The path is not valid percent-encoding (RFC 3986)'));
    return;
  }
  next();
};
