import type { SwaggerTransform } from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/**
 * What the upload routes' form holds. Their handlers read the multipart stream themselves (so a
 * 10 MB photo is never parsed into a body object), which leaves the route with no body schema to
 * document; this one is given to the API document only.
 */
const MULTIPART_FORM = {
  type: 'object',
  required: ['file'],
  properties: { file: { type: 'string', format: 'binary', description: 'the file, as the multipart field `file`' } },
};

/**
 * The API document's transform: zod schemas to JSON Schema, the form of every route that
 * consumes `multipart/form-data`, and what each route requires as `x-access` (a permission code,
 * `signed-in` or `public`), so clients and the role-matrix test read it from the document.
 */
export const documentTransform: SwaggerTransform = (input) => {
  const out = jsonSchemaTransform(input as Parameters<typeof jsonSchemaTransform>[0]);
  const access = (input.route as { config?: { access?: string } } | undefined)?.config?.access;
  const schema = { ...out.schema, ...(access ? { 'x-access': access } : {}) };
  const consumes = (input.schema as { consumes?: string[] } | undefined)?.consumes;
  // A route with a body schema of its own (JSON or the same fields as a form) documents that schema.
  if (!consumes?.includes('multipart/form-data') || (input.schema as { body?: unknown }).body) return { ...out, schema };
  return { ...out, schema: { ...schema, body: MULTIPART_FORM } };
};
