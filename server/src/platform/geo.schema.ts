import { z } from 'zod';

/** A GeoJSON point in WGS 84 / CGCS2000 longitude and latitude (RFC 7946 order). */
export const GeoPoint = z
  .object({
    type: z.literal('Point'),
    coordinates: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]),
  })
  .meta({ id: 'GeoPoint' });

/** `west,south,east,north` in degrees. */
export const Bbox = z
  .string()
  .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'expected west,south,east,north')
  .transform((s) => s.split(',').map(Number) as [number, number, number, number])
  .refine(([w, s, e, n]) => w < e && s < n, 'west must be below east and south below north');

/** A query parameter that may appear once or repeated (`kind=a&kind=b`), or comma-separated. */
export function oneOrMany<T extends z.ZodType<string, string>>(item: T) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(item));
}

/** Paging as every list takes it. */
export const Paging = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
};
