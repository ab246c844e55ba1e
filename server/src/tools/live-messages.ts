import openapiTS, { astToString } from 'openapi-typescript';
import { z } from 'zod';
import { isLiveTopic } from '../platform/events.js';

/**
 * The TypeScript of every message a client receives on the live socket, generated from the event
 * catalogue: each event's payload with its `type` and `topic`, dates as ISO strings (as JSON
 * carries them). Events of internal topics reach no client and are left out.
 */
export async function liveMessageTypes(): Promise<string> {
  // Loaded when asked for, after the app: the modules' schemas then register in the order the API document has always listed them.
  const { EVENT_CATALOGUE } = await import('../events.catalogue.js');
  const registry = z.registry<{ id: string }>();
  for (const [type, definition] of Object.entries(EVENT_CATALOGUE)) {
    if (!isLiveTopic(definition.topic)) continue;
    const message = definition.payload.extend({ type: z.literal(type), topic: z.literal(definition.topic) });
    registry.add(message.describe(`\`${type}\` on \`${definition.topic}\`, scoped by ${definition.scopedBy}`), { id: type });
  }
  const { schemas } = z.toJSONSchema(registry, {
    io: 'output',
    unrepresentable: 'any',
    // Marked so the references can be rewritten below to the document's components.
    uri: (id) => `@${id}`,
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === 'date') Object.assign(ctx.jsonSchema, { type: 'string', format: 'date-time' });
    },
  });
  // The records messages carry (`Site`, `Patrol`, …) are shared definitions: components beside the messages.
  const { __shared: shared, ...messages } = schemas;
  const components = { ...(shared?.$defs ?? {}), ...messages };
  for (const schema of Object.values(components)) {
    delete schema.$schema;
    delete schema.$id;
  }
  const text = JSON.stringify({
    openapi: '3.1.0',
    info: { title: 'SafeForest live messages', version: '1' },
    paths: {},
    components: { schemas: components },
  })
    .replaceAll('"@__shared#/$defs/', '"#/components/schemas/')
    .replaceAll('"$ref":"@', '"$ref":"#/components/schemas/');
  const ast = await openapiTS(JSON.parse(text), { alphabetize: true });
  const names = Object.keys(messages)
    .sort()
    .map((name) => `'${name}'`);
  return `${astToString(ast)}
/** Every message of the live socket, by event name. */
export type LiveMessages = Pick<components['schemas'], ${names.join(' | ')}>;
export type LiveMessageType = keyof LiveMessages;
export type LiveMessage = LiveMessages[LiveMessageType];
export type LiveTopic = LiveMessage['topic'];
/** The messages of one topic. */
export type LiveMessageOf<T extends LiveTopic> = Extract<LiveMessage, { topic: T }>;
`;
}
