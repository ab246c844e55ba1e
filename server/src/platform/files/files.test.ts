import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { sniffContentType } from './files.service.js';
import { inlineImageType } from './image-check.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** The smallest valid PNG: one transparent pixel. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

async function upload(as: string | null, data: Buffer, fileName = 'photo.png', field = 'file') {
  const boundary = '----safeforest-files';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.request(as, {
    method: 'POST',
    url: '/api/files',
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

describe('uploading files', () => {
  it('a ranger uploads a photo: it is stored in their unit with its SHA-256, and audited', async () => {
    const res = await upload('ranger1', PNG, '巡护照片.png');
    expect(res.statusCode).toBe(201);
    const file = res.json();
    expect(file).toEqual({ id: expect.any(String), name: '巡护照片.png', contentType: 'image/png', size: PNG.length });
    const { rows } = await t.database.pool.query(
      `SELECT f.sha256, u.code AS unit, f.uploaded_by IS NOT NULL AS has_uploader FROM files f JOIN org_units u ON u.id = f.org_unit_id WHERE f.id = $1`,
      [file.id],
    );
    expect(rows[0]).toEqual({ sha256: createHash('sha256').update(PNG).digest('hex'), unit: '53040200101', has_uploader: true });
    const audit = await t.database.pool.query('SELECT actor_name, action FROM audit_log WHERE entity = $1 AND entity_id = $2', [
      'file',
      file.id,
    ]);
    expect(audit.rows).toEqual([{ actor_name: 'ranger1', action: 'file.upload' }]);
  });

  it('takes the type from the bytes, not from the name the client gave', async () => {
    const res = await upload('hongta', JPEG, 'scan.pdf');
    expect(res.statusCode).toBe(201);
    expect(res.json().contentType).toBe('image/jpeg');
    expect((await upload('hongta', PDF, 'permit.pdf')).json().contentType).toBe('application/pdf');
  });

  it('keeps only the base name of a path', async () => {
    const res = await upload('hongta', PNG, '../../etc/passwd.png');
    expect(res.json().name).toBe('passwd.png');
  });

  it('refuses a file that is neither an image nor a PDF, naming the field', async () => {
    const res = await upload('hongta', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'), 'x.svg');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([
      { path: 'body.file', message: 'only JPEG, PNG, WebP or HEIC images and PDF documents are accepted' },
    ]);
  });

  it('refuses a file over 10 MB with 413', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]);
    const res = await upload('hongta', big, 'big.png');
    expect(res.statusCode).toBe(413);
    expect(res.json().error.details[0].path).toBe('body.file');
  });

  it('refuses an upload without the file field or not multipart', async () => {
    expect((await upload('hongta', PNG, 'a.png', 'photo')).statusCode).toBe(400);
    const res = await t.post('hongta', '/api/files', { file: 'x' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.file');
  });

  it('an anonymous upload is refused with 401', async () => {
    expect((await upload(null, PNG)).statusCode).toBe(401);
  });

  it('read-only accounts (checkpoint staff, liaison officers) cannot upload', async () => {
    for (const who of ['checkpoint1', 'liaison1']) {
      const res = await upload(who, PNG);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.details).toEqual({ permission: 'files:write' });
    }
  });
});

describe('reading files', () => {
  it('serves the bytes with their type to the uploader and to their county, 404 to another county', async () => {
    const { id } = (await upload('ranger1', PNG)).json();
    for (const who of ['ranger1', 'hongta', 'city']) {
      const res = await t.get(who, `/api/files/${id}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.rawPayload.equals(PNG)).toBe(true);
    }
    expect((await t.get('jiangchuan', `/api/files/${id}`)).statusCode).toBe(404);
    expect((await t.get(null, `/api/files/${id}`)).statusCode).toBe(401);
  });

  it('answers 304 when the client already holds the same bytes', async () => {
    const { id } = (await upload('hongta', PNG)).json();
    const first = await t.get('hongta', `/api/files/${id}`);
    const again = await t.request('hongta', {
      method: 'GET',
      url: `/api/files/${id}`,
      headers: { 'if-none-match': first.headers.etag as string },
    });
    expect(again.statusCode).toBe(304);
  });

  it('a malformed id is a 400 on params.id', async () => {
    const res = await t.get('hongta', '/api/files/nope');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('params.id');
  });
});

/** A small JPEG whose segments walk to EOI: SOI, APP0 (JFIF), SOS with entropy data (a stuffed 0xFF00 and a restart marker), EOI. */
const WHOLE_JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xda, 0x00,
  0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xd9,
]);
const HTML = Buffer.from('<html><script>alert(document.cookie)</script></html>');

describe('how files are served', () => {
  const served = async (data: Buffer, name: string) => {
    const res = await upload('hongta', data, name);
    expect(res.statusCode, res.body).toBe(201);
    return t.get('hongta', `/api/files/${res.json().id}`);
  };

  it('a whole PNG or JPEG is shown inline, with nosniff and a sandboxing policy', async () => {
    for (const [data, type] of [
      [PNG, 'image/png'],
      [WHOLE_JPEG, 'image/jpeg'],
    ] as const) {
      const res = await served(data, 'photo');
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['content-disposition']).toMatch(/^inline;/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    }
  });

  it('a PNG or JPEG with a page behind it, and every PDF, are downloads', async () => {
    for (const [data, name] of [
      [Buffer.concat([PNG, HTML]), 'polyglot.png'],
      [Buffer.concat([WHOLE_JPEG, HTML]), 'polyglot.jpg'],
      [PDF, 'permit.pdf'],
      [JPEG, 'truncated.jpg'],
    ] as const) {
      const res = await served(data, name);
      expect([name, res.headers['content-disposition']]).toEqual([name, expect.stringMatching(/^attachment;/)]);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    }
  });
});

describe('telling a whole image from a signature', () => {
  it.each([
    ['PNG', PNG, 'image/png', 'image/png'],
    ['PNG with bytes after IEND', Buffer.concat([PNG, Buffer.from('x')]), 'image/png', null],
    ['PNG with a broken CRC', Buffer.concat([PNG.subarray(0, 30), Buffer.from([PNG[30] ^ 1]), PNG.subarray(31)]), 'image/png', null],
    ['JPEG', WHOLE_JPEG, 'image/jpeg', 'image/jpeg'],
    ['JPEG cut short', WHOLE_JPEG.subarray(0, 30), 'image/jpeg', null],
    [
      'WebP',
      Buffer.from('RIFF\x14\x00\x00\x00WEBPVP8L\x07\x00\x00\x00\x2f\x00\x00\x00\x00\x00\x00\x00', 'latin1'),
      'image/webp',
      'image/webp',
    ],
    [
      'WebP with a page behind it',
      Buffer.from('RIFF\x14\x00\x00\x00WEBPVP8L\x07\x00\x00\x00\x2f\x00\x00\x00\x00\x00\x00\x00<html>', 'latin1'),
      'image/webp',
      null,
    ],
    ['HEIC', Buffer.from('\x00\x00\x00\x18ftypheic\x00\x00\x00\x00', 'latin1'), 'image/heic', null],
    ['PDF', PDF, 'application/pdf', null],
  ])('%s', (_, data, declared, inline) => {
    expect(inlineImageType(data, declared)).toBe(inline);
  });
});

describe('recognising file types', () => {
  it.each([
    ['webp', Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1'), 'image/webp'],
    ['heic', Buffer.from('\x00\x00\x00\x18ftypheic\x00\x00\x00\x00', 'latin1'), 'image/heic'],
    ['gif', Buffer.from('GIF89a', 'latin1'), null],
    ['empty', Buffer.alloc(0), null],
  ])('%s', (_, data, type) => {
    expect(sniffContentType(data)).toBe(type);
  });
});
