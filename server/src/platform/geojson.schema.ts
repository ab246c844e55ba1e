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

/** A GeoJSON line (a patrol's track, one line of a day track). */
export const LineString = z
  .object({ type: z.literal('LineString'), coordinates: z.array(z.tuple([z.number(), z.number()])) })
  .meta({ id: 'LineString' });

export const Feature = z
  .object({
    type: z.literal('Feature'),
    id: z.union([z.string(), z.number()]).optional(),
    geometry: z.unknown(),
    properties: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Feature' });

export const FeatureCollection = z
  .object({ type: z.literal('FeatureCollection'), features: z.array(Feature) })
  .meta({ id: 'FeatureCollection' });
