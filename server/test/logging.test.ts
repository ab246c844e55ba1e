import { PassThrough } from 'node:stream';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type AppConfig, buildApp, QUIET_APP_CONFIG } from '../src/app.js';
import { type DatabaseHandle, openDatabase } from '../src/db/connection.js';
import { loggerOptions, requestLogLevel, SLOW_REQUEST_MS } from '../src/platform/logging.js';
import { cloneTemplate } from './databases.js';

type LogLine = { level: number; msg: string; req?: { method: string; url: string }; res?: { statusCode: number } };
const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 };

/** The whole app logging JSON lines at `level` into an array. */
async function appLoggingAt(database: DatabaseHandle, level: AppConfig['logLevel']) {
  const stream = new PassThrough();
  const lines: LogLine[] = [];
  stream.on('data', (chunk: Buffer) => {
    for (const text of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(text));
  });
  const { app } = await buildApp({ ...QUIET_APP_CONFIG, logLevel: level, logStream: stream }, database);
  await app.ready();
  return { app, lines };
}

describe('request logging', () => {
  let copy: Awaited<ReturnType<typeof cloneTemplate>>;
  let database: DatabaseHandle;
  beforeAll(async () => {
    copy = await cloneTemplate(inject('template'));
    database = await openDatabase({ databaseUrl: copy.databaseUrl, dataDir: copy.dataDir ?? '' });
  });
  afterAll(async () => {
    await database.close();
    await copy.drop();
  });

  it('writes nothing at the default level for requests that succeed', async () => {
    const { app, lines } = await appLoggingAt(database, 'info');
    for (let i = 0; i < 5; i++) expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    await app.close();
    expect(lines.filter((l) => l.req || l.res)).toEqual([]);
  });

  it('writes one info line naming the request for a client error', async () => {
    const { app, lines } = await appLoggingAt(database, 'info');
    expect((await app.inject({ method: 'GET', url: '/api/sites?pageSize=5' })).statusCode).toBe(401);
    await app.close();
    const requestLines = lines.filter((l) => l.req || l.res);
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({
      level: LEVEL.info,
      req: { method: 'GET', url: '/api/sites?pageSize=5' },
      res: { statusCode: 401 },
    });
  });

  it('logs every request at debug when asked', async () => {
    const { app, lines } = await appLoggingAt(database, 'debug');
    await app.inject({ method: 'GET', url: '/api/health' });
    await app.close();
    expect(lines.filter((l) => l.msg === 'incoming request' || l.msg === 'request completed').map((l) => l.level)).toEqual([
      LEVEL.debug,
      LEVEL.debug,
    ]);
  });

  it('raises slow requests to warn and server errors to error', () => {
    expect(requestLogLevel(200, SLOW_REQUEST_MS + 1, false)).toBe('warn');
    expect(requestLogLevel(200, 5, false)).toBe('debug');
    expect(requestLogLevel(404, 5, false)).toBe('info');
    expect(requestLogLevel(503, 5, false)).toBe('error');
    expect(requestLogLevel(200, 5, true)).toBe('error');
  });

  it('prints readable lines on a terminal and JSON otherwise', async () => {
    const written = async (isTTY: boolean) => {
      const stream = new PassThrough();
      let text = '';
      stream.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      const app = Fastify({ ...loggerOptions('info', { isTTY, stream }) });
      app.log.info('the server is up');
      await app.close();
      return text;
    };
    const terminal = await written(true);
    expect(terminal).toContain('INFO');
    expect(terminal).toContain('the server is up');
    expect(() => JSON.parse(terminal)).toThrow();
    expect(JSON.parse(await written(false))).toMatchObject({ level: LEVEL.info, msg: 'the server is up' });
  });
});
