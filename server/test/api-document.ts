import type { InjectOptions } from 'fastify';

/**
 * The API document (GET /api/openapi.json) as the tests that walk every route read it: its
 * operations with what each requires (`x-access`), their parameters and bodies, and sample values
 * good enough to pass the type checks.
 */

export type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  minLength?: number;
  minItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};
export type Parameter = { in: 'path' | 'query'; name: string; required?: boolean; schema?: Schema };
type DocOperation = {
  operationId: string;
  /** What the route requires: a permission code, `signed-in` or `public`. */
  'x-access': string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
};
export type Doc = { paths: Record<string, Record<string, DocOperation>>; components: { schemas: Record<string, Schema> } };
export type Path = (string | number)[];
/** A text field of a sample body; `date` when the document says it is a date. */
export type Leaf = { path: Path; date: boolean };

export const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/** The API document: operations, their parameters and bodies, sample values. */
export class ApiDocument {
  constructor(private readonly doc: Doc) {}

  *operations() {
    for (const [template, methods] of Object.entries(this.doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const parameters = op.parameters ?? [];
        const content = op.requestBody?.content ?? {};
        /** The URL with good path parameters, or one of them replaced. */
        const url = (override?: [string, string]) =>
          template.replace(/\{([^}]+)\}/g, (_, name: string) => {
            if (override?.[0] === name) return override[1];
            return encodeURIComponent(String(this.sample(parameters.find((p) => p.name === name)?.schema)));
          });
        /** The required query parameters with sample values, as a query string (`?…`, or empty). */
        const query = () => {
          const required = parameters.filter((p) => p.in === 'query' && p.required);
          const pairs = required.map((p) => `${p.name}=${encodeURIComponent(String(this.sample(p.schema)))}`);
          return pairs.length ? `?${pairs.join('&')}` : '';
        };
        yield {
          template,
          operationId: op.operationId,
          access: op['x-access'],
          query,
          method: method.toUpperCase() as InjectOptions['method'],
          parameters,
          url,
          multipart: Boolean(content['multipart/form-data']),
          jsonBody: content['application/json']?.schema,
        };
      }
    }
  }

  resolve(schema: Schema | undefined): Schema {
    let s = schema ?? {};
    for (let i = 0; s.$ref && i < 10; i++) s = this.doc.components.schemas[s.$ref.split('/').pop() as string] ?? {};
    return s;
  }

  isDate(schema: Schema | undefined): boolean {
    const s = this.resolve(schema);
    const inner = (s.anyOf ?? s.oneOf ?? [s]).map((x) => this.resolve(x));
    return inner.some((x) => x.format === 'date-time' || x.format === 'date');
  }

  /**
   * A value of the schema good enough to pass the type checks, with every optional field present;
   * its text fields are listed in `leaves`.
   */
  sample(schema: Schema | undefined, leaves: Leaf[] = [], path: Path = []): unknown {
    const s = this.resolve(schema);
    const choice = s.anyOf ?? s.oneOf;
    if (choice) {
      if (this.isDate(s)) leaves.push({ path, date: true });
      if (this.isDate(s)) return new Date().toISOString();
      return this.sample(choice.find((c) => this.resolve(c).type !== 'null') ?? {}, leaves, path);
    }
    if (s.allOf) return Object.assign({}, ...s.allOf.map((c) => this.sample(c, leaves, path)));
    const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
    const value = this.value(s, type, leaves, path);
    if (typeof value === 'string') leaves.push({ path, date: this.isDate(s) });
    return value;
  }

  private value(s: Schema, type: string | undefined, leaves: Leaf[], path: Path): unknown {
    if (s.const !== undefined) return s.const;
    if (s.enum) return s.enum[0];
    if (s.default !== undefined) return s.default;
    if (s.format === 'uuid') return ZERO_UUID;
    if (s.format === 'date-time') return new Date().toISOString();
    if (s.format === 'date') return new Date().toISOString().slice(0, 10);
    if (type === 'string') return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    if (type === 'number' || type === 'integer') return s.minimum ?? 1;
    if (type === 'boolean') return true;
    const deep = path.length > 4;
    if (type === 'array')
      return deep ? [] : Array.from({ length: Math.max(1, s.minItems ?? 1) }, (_, i) => this.sample(s.items, leaves, [...path, i]));
    if (type === 'object' || s.properties) {
      if (deep) return {};
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, this.sample(v, leaves, [...path, k])]));
    }
    return 'x';
  }
}
