import { api, unwrap } from './client';

/** A background job (an import): its phase, progress, result or problems. */
export type Job = Awaited<ReturnType<typeof getJob>>;

export const getJob = (id: string) => unwrap(api.GET('/api/jobs/{id}', { params: { path: { id } } }));

/** Posts a file as the multipart field `file` to an import route; answers the job to follow. */
export function uploadWorkbook(path: '/api/sites/import' | '/api/cameras/import', file: File) {
  const form = new FormData();
  form.append('file', file);
  return unwrap(api.POST(path, { body: form as never, bodySerializer: (body: unknown) => body as FormData }));
}
