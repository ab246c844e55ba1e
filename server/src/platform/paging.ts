/** What every list query takes: one paging convention (`page` from 1, `pageSize`) and repeatable filters. */
import { z } from 'zod';

/** Paging as every list takes it; a list whose page is longer by default passes its own default size. */
export function pagingQuery(defaultPageSize = 20) {
  return {
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(defaultPageSize),
  };
}
export const Paging = pagingQuery();

/** A page as a list route hands it to its service. */
export type PageRequest = { page: number; pageSize: number };

/** The rows a page covers, as a repo's `LIMIT`/`OFFSET`. */
export const pageWindow = ({ page, pageSize }: PageRequest) => ({ limit: pageSize, offset: (page - 1) * pageSize });

/** A query parameter that may appear once or repeated (`kind=a&kind=b`), or comma-separated. */
export function oneOrMany<T extends z.ZodType<string, string>>(item: T) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(item));
}
