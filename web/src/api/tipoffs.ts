import { api, type JsonBody, type QueryOf, type Schemas, unwrap } from './client';

/** A tip-off as the API answers it (GeoJSON coordinates as a plain array). */
export type Tipoff = Awaited<ReturnType<typeof getTipoff>>;
export type TipoffSummary = Awaited<ReturnType<typeof listTipoffs>>['items'][number];
export type TipoffCategory = Schemas['Tipoff']['category'];
export type PublicTipoffStatus = Schemas['PublicTipoffStatus'];
export type PublicStatusCode = PublicTipoffStatus['status'];
export type CreateTipoffInput = JsonBody<'/api/public/tipoffs', 'post'>;
export type TipoffQuery = QueryOf<'/api/tipoffs', 'get'>;

/** What the public may report: 森林火情, 盗伐滥伐林木, 非法占用林地, 破坏野生动物资源. */
export const TIPOFF_CATEGORIES: TipoffCategory[] = ['forest_fire', 'illegal_logging', 'land_occupation', 'wildlife'];
export const PUBLIC_STATUSES: PublicStatusCode[] = ['received', 'in_progress', 'resolved', 'closed'];

/**
 * The photos a tip-off takes. The server reads them from a multipart stream and states these in the
 * operation's description only (not as schema limits, so `limits.ts` cannot carry them); the form
 * checks them before upload and the server checks them again from the bytes.
 */
export const TIPOFF_PHOTOS = { maxCount: 3, maxBytes: 10 * 1024 * 1024, types: ['image/jpeg', 'image/png', 'image/webp'] } as const;

/**
 * Sends a tip-off without an account: JSON when there are no photos, else a multipart form with
 * the same fields (`location` as GeoJSON text) and the `photos`.
 */
export function createTipoff(body: CreateTipoffInput, photos: File[]) {
  if (!photos.length) return unwrap(api.POST('/api/public/tipoffs', { body }));
  const form = new FormData();
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined) continue;
    form.append(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  for (const photo of photos) form.append('photos', photo, photo.name);
  return unwrap(api.POST('/api/public/tipoffs', { body: form as never, bodySerializer: (b: unknown) => b as FormData }));
}

/** The progress of a tip-off by its tracking code: status and public replies, nothing else. */
export const getTipoffStatus = (trackingCode: string) =>
  unwrap(api.GET('/api/public/tipoffs/{trackingCode}', { params: { path: { trackingCode } } }));

export const listTipoffs = (query: TipoffQuery) => unwrap(api.GET('/api/tipoffs', { params: { query } }));
export const getTipoff = (id: string) => unwrap(api.GET('/api/tipoffs/{id}', { params: { path: { id } } }));
export const replyToTipoff = (id: string, text: string) =>
  unwrap(api.POST('/api/tipoffs/{id}/replies', { params: { path: { id } }, body: { text } }));

/** The address of a stored photo (officers only: the file route needs a session). */
export const fileUrl = (fileId: string) => `/api/files/${fileId}`;
