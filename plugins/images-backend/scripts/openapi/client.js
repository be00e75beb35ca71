// The client files, in the layout of Backstage's generated clients (catalog-client's DefaultApiClient):
// models/<Name>.model.ts, models/index.ts, apis/DefaultApi.client.ts, apis/index.ts, index.ts.
const {
  docComment,
  modelDeclaration,
  modelName,
  propertyKey,
  tsType,
} = require('./types');

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

const pascal = id => id.charAt(0).toUpperCase() + id.slice(1);
const camel = id => id.charAt(0).toLowerCase() + id.slice(1);

function resolve(spec, item) {
  if (!item?.$ref) return item;
  const path = item.$ref.replace(/^#\//, '').split('/');
  return path.reduce((node, key) => node?.[key], spec);
}

function imports(names, from) {
  return [...new Set(names)]
    .sort()
    .map(name => `import type { ${name} } from '${from}${name}.model';\n`)
    .join('');
}

/** Every operation of the spec, in spec order, with its parameters resolved. */
function operations(spec) {
  const found = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      if (!operation.operationId) {
        throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      }
      const parameters = [
        ...(item.parameters ?? []),
        ...(operation.parameters ?? []),
      ].map(p => resolve(spec, p));
      found.push({ path, method, operation, parameters });
    }
  }
  return found;
}

const jsonSchema = content => content?.['application/json']?.schema;

/** The JSON schema and description of an operation's success response, when it has one. */
function successSchema(spec, operation) {
  const status = Object.keys(operation.responses ?? {}).find(code =>
    /^2/.test(code),
  );
  if (!status) return undefined;
  const response = resolve(spec, operation.responses[status]);
  return {
    schema: jsonSchema(response.content),
    description: response.description,
  };
}

/**
 * Every model: the named schemas, then inline request and response bodies named as Backstage's generator names them
 * (`GetPromotions200Response`), which the operations then refer to.
 */
function models(spec, ops) {
  const all = new Map(
    Object.entries(spec.components?.schemas ?? {}).map(([name, schema]) => [
      modelName(name),
      schema,
    ]),
  );
  // An inline model takes the description of the body it is.
  const named = (schema, name, description) => {
    if (!schema || schema.$ref || !schema.properties) return schema;
    all.set(name, { description, ...schema });
    return { $ref: `#/components/schemas/${name}` };
  };
  for (const op of ops) {
    const id = pascal(op.operation.operationId);
    const body = resolve(spec, op.operation.requestBody);
    op.body = body && {
      required: Boolean(body.required),
      schema: named(jsonSchema(body.content), `${id}Request`, body.description),
    };
    const success = successSchema(spec, op.operation);
    op.response = named(
      success?.schema,
      `${id}200Response`,
      success?.description,
    );
  }
  return all;
}

function member(name, schema, required, description, refs) {
  return `${docComment(description)}${propertyKey(name)}${
    required ? '' : '?'
  }: ${tsType(schema, refs)};`;
}

/** The request type of an operation: `{ path, query, body }`, each part only when the operation has it. */
function requestType(op, refs) {
  const parts = [];
  for (const where of ['path', 'query', 'header']) {
    const params = op.parameters.filter(p => p.in === where);
    if (params.length === 0) continue;
    const members = params.map(p =>
      member(p.name, p.schema, p.required, p.description, refs),
    );
    const required = params.some(p => p.required);
    parts.push(`${where}${required ? '' : '?'}: {\n${members.join('\n')}\n};`);
  }
  if (op.body) {
    parts.push(member('body', op.body.schema, op.body.required, '', refs));
  }
  const name = pascal(op.operation.operationId);
  return `${docComment(
    `The request of {@link DefaultApiClient.${camel(name)}}.`,
    ['@public'],
  )}export type ${name} = {\n${parts.join('\n')}\n};\n`;
}

const access = (object, key) =>
  /^[A-Za-z_$][\w$]*$/.test(key)
    ? `${object}.${key}`
    : `${object}[${JSON.stringify(key)}]`;

function methodSource(op, refs) {
  const name = pascal(op.operation.operationId);
  const path = op.path.replace(
    /\{([^}]+)\}/g,
    (_, param) => `\${encodeURIComponent(${access('request.path', param)})}`,
  );
  const queryParams = op.parameters.filter(p => p.in === 'query');
  const queryOptional = !queryParams.some(p => p.required);
  const query = queryParams.map(
    p =>
      `[${JSON.stringify(p.name)}, ${access(
        `request.query${queryOptional ? '?' : ''}`,
        p.name,
      )}]`,
  );
  const init = [
    query.length > 0 && `query: [${query.join(', ')}],`,
    op.parameters.some(p => p.in === 'header') && 'headers: request.header,',
    op.body && 'body: request.body,',
    'options,',
  ].filter(Boolean);
  const response = op.response ? tsType(op.response, refs) : 'void';
  const empty = op.parameters.length === 0 && !op.body;
  const doc = [op.operation.summary, op.operation.description]
    .filter(Boolean)
    .join('\n\n');
  return `${docComment(doc)}public async ${camel(name)}(
    ${empty ? `_request: ${name} = {}` : `request: ${name}`},
    options?: RequestOptions,
  ): Promise<TypedResponse<${response}>> {
    return this.send('${op.method.toUpperCase()}', \`${path}\`, {
      ${init.join('\n')}
    });
  }
`;
}

function clientSource(spec, ops) {
  const refs = new Set();
  const requests = ops.map(op => requestType(op, refs)).join('\n');
  const methods = ops.map(op => methodSource(op, refs)).join('\n');
  return `${imports(refs, '../models/')}
/** The plugin whose base URL the discovery API gives: the spec's title. */
const pluginId = ${JSON.stringify(spec.info.title)};

${docComment('Wraps the Response type to convey a type on the json call.', [
  '@public',
])}export type TypedResponse<T> = Omit<Response, 'json'> & {
  json: () => Promise<T>;
};

${docComment(
  'Options you can pass into a request for additional information.',
  ['@public'],
)}export interface RequestOptions {
  /** Sent as \`Authorization: Bearer <token>\`. */
  token?: string;
}

${requests}
${docComment(
  `${spec.info.description ?? spec.info.title}\n\n` +
    'One method per operation of the OpenAPI spec; each returns the response whatever its status, for the caller ' +
    'to check.',
  ['@public'],
)}export class DefaultApiClient {
  private readonly discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  private readonly fetchApi: { fetch: typeof fetch };

  constructor(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi?: { fetch: typeof fetch };
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi ?? { fetch: (input, init) => fetch(input, init) };
  }

${methods}
  private async send(
    method: string,
    path: string,
    request: {
      query?: Array<[string, unknown]>;
      headers?: Record<string, unknown>;
      body?: unknown;
      options?: RequestOptions;
    },
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl(pluginId);
    const params = new URLSearchParams();
    for (const [name, value] of request.query ?? []) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item !== undefined) params.append(name, String(item));
      }
    }
    const search = params.toString();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (value !== undefined) headers[name] = String(value);
    }
    // A request without a body says nothing of its content type.
    if (request.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (request.options?.token) {
      headers.Authorization = \`Bearer \${request.options.token}\`;
    }
    return this.fetchApi.fetch(\`\${baseUrl}\${path}\${search ? \`?\${search}\` : ''}\`, {
      method,
      headers,
      ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
    });
  }
}
`;
}

/** The client's files from the spec: path below the generated folder to TypeScript source (unformatted). */
function clientFiles(spec) {
  const ops = operations(spec);
  const all = models(spec, ops);
  const files = new Map();
  for (const [name, schema] of all) {
    const { source, refs } = modelDeclaration(name, schema);
    files.set(`models/${name}.model.ts`, `${imports(refs, './')}\n${source}`);
  }
  files.set(
    'models/index.ts',
    [...all.keys()].map(name => `export * from './${name}.model';\n`).join(''),
  );
  files.set('apis/DefaultApi.client.ts', clientSource(spec, ops));
  files.set('apis/index.ts', "export * from './DefaultApi.client';\n");
  files.set('index.ts', "export * from './apis';\nexport * from './models';\n");
  return files;
}

module.exports = { clientFiles };
