// TypeScript types from the OpenAPI schemas the images spec uses: $ref, objects (required and optional
// properties, additionalProperties), arrays, enums (as unions of literals), oneOf/anyOf/allOf and nullable.

// Backstage's generator renames a schema whose name TypeScript already uses (Error becomes ModelError).
const RESERVED = new Set(['Error', 'Array', 'Date', 'Object', 'Record']);

function modelName(name) {
  return RESERVED.has(name) ? `Model${name}` : name;
}

function refName(ref) {
  const match = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
  if (!match) throw new Error(`Only #/components/schemas refs: ${ref}`);
  return modelName(match[1]);
}

/** Words of a line, wrapped to lines of at most `width` characters (a longer word keeps a line of its own). */
function wrap(line, width = 108) {
  const lines = [];
  let current = '';
  for (const word of line.split(' ')) {
    if (current && current.length + word.length + 1 > width) {
      lines.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  return [...lines, current];
}

/** A doc comment from spec text; `*\/` cannot close it early. */
function docComment(text, tags = []) {
  const lines = [
    ...(text
      ? String(text)
          .trim()
          .split('\n')
          .flatMap(l => wrap(l))
      : []),
    ...(text && tags.length ? [''] : []),
    ...tags,
  ];
  if (lines.length === 0) return '';
  const escape = line => line.replace(/\*\//g, '*\\/');
  if (lines.length === 1) return `/** ${escape(lines[0])} */\n`;
  const body = lines
    .map(line => ` *${line ? ` ${escape(line)}` : ''}`)
    .join('\n');
  return `/**\n${body}\n */\n`;
}

function propertyKey(key) {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

/** Whether a type needs parentheses inside a union, intersection or array: a `|` or `&` outside any bracket. */
function isCompound(type) {
  let depth = 0;
  for (const char of type) {
    if ('{[(<'.includes(char)) depth++;
    else if ('}])>'.includes(char)) depth--;
    else if (depth === 0 && (char === '|' || char === '&')) return true;
  }
  return false;
}

const grouped = type => (isCompound(type) ? `(${type})` : type);

/** The members of an object schema, one per line, with their descriptions as doc comments. */
function objectMembers(schema, refs) {
  const required = new Set(schema.required ?? []);
  const members = Object.entries(schema.properties ?? {}).map(
    ([key, property]) =>
      `${docComment(property.description)}${propertyKey(key)}${
        required.has(key) ? '' : '?'
      }: ${tsType(property, refs)};`,
  );
  const extra = schema.additionalProperties;
  if (extra && members.length > 0) {
    // Declared properties must fit the index signature, so it stays open.
    members.push('[key: string]: unknown;');
  }
  return members;
}

function objectType(schema, refs) {
  const extra = schema.additionalProperties;
  if (!schema.properties) {
    if (extra === false) return 'Record<string, never>';
    return `Record<string, ${
      extra && extra !== true ? tsType(extra, refs) : 'unknown'
    }>`;
  }
  return `{\n${objectMembers(schema, refs).join('\n')}\n}`;
}

function baseType(schema, refs) {
  if (schema.$ref) {
    const name = refName(schema.$ref);
    refs.add(name);
    return name;
  }
  const union = schema.oneOf ?? schema.anyOf;
  if (union) return union.map(s => grouped(tsType(s, refs))).join(' | ');
  if (schema.allOf) {
    return schema.allOf.map(s => grouped(tsType(s, refs))).join(' & ');
  }
  if (schema.enum) return schema.enum.map(v => JSON.stringify(v)).join(' | ');
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array': {
      const item = tsType(schema.items, refs);
      return isCompound(item) ? `Array<${item}>` : `${item}[]`;
    }
    case 'object':
      return objectType(schema, refs);
    default:
      return schema.properties ? objectType(schema, refs) : 'unknown';
  }
}

/** The TypeScript type of a schema; every model it names is added to `refs`. */
function tsType(schema, refs) {
  if (!schema) return 'unknown';
  const type = baseType(schema, refs);
  return schema.nullable ? `${grouped(type)} | null` : type;
}

/**
 * The declaration of a named model, and the models it refers to. Objects are type aliases rather than interfaces, as
 * json-schema-to-ts gives them: they describe JSON, and only a type alias is assignable to `JsonValue` (a scaffolder
 * checkpoint stores a PromotionInfo).
 */
function modelDeclaration(name, schema) {
  const refs = new Set();
  const doc = docComment(schema.description, ['@public']);
  const source = `${doc}export type ${name} = ${tsType(schema, refs)};\n`;
  refs.delete(name);
  return { source, refs: [...refs] };
}

module.exports = {
  docComment,
  modelDeclaration,
  modelName,
  propertyKey,
  tsType,
};
