import net from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseMode } from '../../test/databases.js';
import { createTestApp, type TestApp } from '../../test/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const NUL_TEXT = 'a\u0000b';

describe('the database connection after queries the database refuses', () => {
  it('keeps answering every query with its own result, inside and outside transactions', async () => {
    const { pool, db } = t.database;
    const unexpected: unknown[] = [];
    const onUncaught = (error: unknown) => unexpected.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const refused: string[] = [];
      const answers: Promise<void>[] = [];
      for (let round = 0; round < 15; round++) {
        for (let k = 0; k < 4; k++) {
          const n = round * 10 + k;
          // Sent straight to the database, past every check of the API.
          answers.push(
            pool.query('SELECT id FROM org_units WHERE name = $1', [NUL_TEXT]).then(
              () => void refused.push('select was not refused'),
              () => {},
            ),
          );
          answers.push(
            db
              .transaction(async (tx) => {
                await tx.execute(sql`SELECT 1`);
                await tx.execute(sql`UPDATE org_units SET name = ${NUL_TEXT} WHERE id = -1`);
              })
              .then(
                () => void refused.push('update was not refused'),
                () => {},
              ),
          );
          answers.push(
            pool.query(`SELECT $1::jsonb AS j`, [JSON.stringify({ note: NUL_TEXT })]).then(
              () => void refused.push('json was not refused'),
              () => {},
            ),
          );
          // Every good query must get its own answer, not the tail of a refused one.
          answers.push(
            pool.query<{ n: number }>('SELECT $1::int AS n', [n]).then((r) => {
              if (r.rows[0]?.n !== n) refused.push(`query ${n} answered ${JSON.stringify(r.rows)}`);
            }),
          );
          answers.push(
            db.transaction(async (tx) => {
              const r = await tx.execute<{ n: number }>(sql`SELECT ${n}::int + 1 AS n`);
              if (r.rows[0]?.n !== n + 1) refused.push(`transaction ${n} answered ${JSON.stringify(r.rows)}`);
            }),
          );
        }
        await Promise.all(answers.splice(0));
      }
      expect(refused).toEqual([]);
      const { rows } = await pool.query<{ n: number }>('SELECT count(*) AS n FROM org_units');
      expect(rows[0].n).toBeGreaterThan(80);
      expect((await t.get(null, '/api/health')).statusCode).toBe(200);
      // Every refused query was answered before these two went out: an error thrown by one has been thrown by now.
      expect(unexpected).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  }, 60_000);

  it.skipIf(testDatabaseMode() === 'postgres')(
    'answers a refused extended-protocol message with exactly one ReadyForQuery, at Sync (embedded)',
    async () => {
      const [host, port] = new URL(t.database.url).host.split(':');
      const socket = net.connect(Number(port), host);
      await new Promise((resolve) => socket.once('connect', resolve));
      const received: Buffer[] = [];
      socket.on('data', (d) => received.push(d));
      const startup = Buffer.concat([
        int32(196608),
        cstring('user'),
        cstring('postgres'),
        cstring('database'),
        cstring('postgres'),
        Buffer.from([0]),
      ]);
      socket.write(Buffer.concat([int32(startup.length + 4), startup]));
      await until(() => typesOf(Buffer.concat(received)).includes('Z'));
      received.length = 0;
      // Parse, Bind with text holding U+0000 (refused), Describe, Execute, Sync — as `pg` sends a query.
      const bind = Buffer.concat([cstring(''), cstring(''), int16(0), int16(1), int32(3), Buffer.from('a\0b'), int16(0)]);
      socket.write(
        Buffer.concat([
          frame('P', Buffer.concat([cstring(''), cstring('SELECT $1::text'), int16(0)])),
          frame('B', bind),
          frame('D', Buffer.concat([Buffer.from('P'), cstring('')])),
          frame('E', Buffer.concat([cstring(''), int32(0)])),
          frame('S', Buffer.alloc(0)),
          frame('Q', cstring('SELECT 42')),
        ]),
      );
      await until(() => typesOf(Buffer.concat(received)).filter((x) => x === 'C').length >= 1);
      socket.end();
      // ParseComplete, ErrorResponse, ReadyForQuery (the Sync); then the simple query's own answer.
      expect(typesOf(Buffer.concat(received)).join(' ')).toBe('1 E Z T D C Z');
    },
  );
});

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const int16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const cstring = (s: string) => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);
const frame = (type: string, body: Buffer) => Buffer.concat([Buffer.from(type), int32(body.length + 4), body]);

function typesOf(bytes: Buffer): string[] {
  const types: string[] = [];
  for (let at = 0; at + 5 <= bytes.length; at += 1 + bytes.readInt32BE(at + 1)) types.push(String.fromCharCode(bytes[at]));
  return types;
}

async function until(done: () => boolean) {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
}
