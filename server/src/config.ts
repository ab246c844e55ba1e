import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { S3StoreConfig } from './modules/captures/index.js';

const boolean = z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', '']).transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

/** Failed sign-ins one client address may make in a minute; an office behind one NAT may raise it. */
export const DEFAULT_LOGIN_FAILURES_PER_MINUTE = 20;

/** Environment variables the server reads; every one is documented in README.md. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().url().optional(),
  DEMO_DATA: boolean.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  COOKIE_SECURE: z.enum(['auto', 'always', 'never']).default('auto'),
  SESSION_HOURS: z.coerce.number().positive().default(12),
  TRUST_PROXY: boolean.default(false),
  LOGIN_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(DEFAULT_LOGIN_FAILURES_PER_MINUTE),
  TILE_URL: z.string().optional(),
  WEB_DIST: z.string().optional(),
  OSMAND_PORT: z.union([z.literal('off'), z.coerce.number().int().min(0).max(65535)]).default(5055),
  MQTT_URL: z.string().url().optional(),
  MQTT_CLIENT_ID: z.string().min(1).max(64).optional(),
  ANALYZER_INTERVAL_SECONDS: z.coerce.number().min(0).default(30),
  NOTIFY_INTERVAL_SECONDS: z.coerce.number().min(0).default(5),
  SECRETS_KEY: z.string().optional(),
  SIMULATE: boolean.optional(),
  HOTSPOT_POLL_DIR: z.string().min(1).optional(),
  HOTSPOT_POLL_URL: z.string().url().optional(),
  HOTSPOT_POLL_MINUTES: z.coerce
    .number()
    .min(0)
    .max(24 * 60)
    .default(0),
  PUBLIC_URL: z.string().url().optional(),
  PUBLIC_TIPOFFS_PER_HOUR: z.coerce.number().int().min(1).default(20),
  CAPTURE_S3_BUCKET: z.string().min(1).optional(),
  CAPTURE_S3_ENDPOINT: z.string().url().optional(),
  CAPTURE_S3_REGION: z.string().min(1).default('us-east-1'),
  CAPTURE_S3_ACCESS_KEY_ID: z.string().optional(),
  CAPTURE_S3_SECRET_ACCESS_KEY: z.string().optional(),
  CAPTURE_S3_PREFIX: z.string().optional(),
});

/** The names of every environment variable the server reads (README's configuration table lists them all). */
export const CONFIG_VARIABLES = Object.keys(EnvSchema.shape);

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  demoData: boolean;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  cookieSecure: 'auto' | 'always' | 'never';
  sessionHours: number;
  trustProxy: boolean;
  /** Failed sign-ins one client address may make in a minute before it must wait; successes are not counted. */
  loginFailuresPerMinute: number;
  tileUrl: string | undefined;
  webDist: string;
  /** Port of the OsmAnd protocol server, or null when off. */
  osmandPort: number | null;
  mqttUrl: string | undefined;
  mqttClientId: string;
  analyzerIntervalMs: number;
  /** How often the delivery worker sends queued notifications; 0 stops it. */
  notifyIntervalMs: number;
  /** The key that encrypts stored integration secrets (else `secrets.key` in the data directory). */
  secretsKey: string | undefined;
  /** Run the demo simulation (defaults to on with demo data). */
  simulate: boolean;
  /** Satellite hotspots polled from a folder and/or a URL every so many minutes (0: off). */
  hotspotPoll: { dir?: string; url?: string; intervalMinutes: number };
  /** The address the public reaches SafeForest at: CAP alerts' sender and link, the Atom feed's links. */
  publicUrl: string | undefined;
  /** Public tip-offs one client address may send in an hour. */
  tipoffLimits: { reportsPerHour: number };
  /** An S3-compatible store for capture snapshots (else they go under the data directory). */
  captureS3: S3StoreConfig | undefined;
};

/** Reads the configuration from the environment; a wrong value stops the process with its name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    demoData: e.DEMO_DATA,
    logLevel: e.LOG_LEVEL,
    cookieSecure: e.COOKIE_SECURE,
    sessionHours: e.SESSION_HOURS,
    trustProxy: e.TRUST_PROXY,
    loginFailuresPerMinute: e.LOGIN_FAILURES_PER_MINUTE,
    tileUrl: e.TILE_URL,
    webDist: path.resolve(e.WEB_DIST ?? new URL('../../web/dist', import.meta.url).pathname),
    osmandPort: e.OSMAND_PORT === 'off' ? null : e.OSMAND_PORT,
    mqttUrl: e.MQTT_URL,
    mqttClientId: e.MQTT_CLIENT_ID ?? `safeforest-${os.hostname()}`,
    analyzerIntervalMs: e.ANALYZER_INTERVAL_SECONDS * 1000,
    notifyIntervalMs: e.NOTIFY_INTERVAL_SECONDS * 1000,
    secretsKey: e.SECRETS_KEY,
    simulate: e.SIMULATE ?? e.DEMO_DATA,
    hotspotPoll: {
      dir: e.HOTSPOT_POLL_DIR ? path.resolve(e.HOTSPOT_POLL_DIR) : undefined,
      url: e.HOTSPOT_POLL_URL,
      intervalMinutes: e.HOTSPOT_POLL_MINUTES,
    },
    publicUrl: e.PUBLIC_URL,
    tipoffLimits: { reportsPerHour: e.PUBLIC_TIPOFFS_PER_HOUR },
    captureS3: e.CAPTURE_S3_BUCKET
      ? {
          bucket: e.CAPTURE_S3_BUCKET,
          endpoint: e.CAPTURE_S3_ENDPOINT,
          region: e.CAPTURE_S3_REGION,
          accessKeyId: e.CAPTURE_S3_ACCESS_KEY_ID ?? '',
          secretAccessKey: e.CAPTURE_S3_SECRET_ACCESS_KEY ?? '',
          prefix: e.CAPTURE_S3_PREFIX,
        }
      : undefined,
  };
}
