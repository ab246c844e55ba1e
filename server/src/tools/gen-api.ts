/**
 * `npm run gen:api`: writes the OpenAPI document and the web client's types generated from it
 * (web/src/api/openapi.json, web/src/api/schema.d.ts), and the live messages' types from the event
 * catalogue (web/src/api/live-messages.d.ts). A test fails when they are stale.
 */
import fs from 'node:fs';
import { generatedClientFiles } from './generated-client.js';

for (const file of await generatedClientFiles()) {
  fs.writeFileSync(file.path, file.content);
  console.log(`wrote ${file.path}`);
}
