import { api, type JsonBody, type Schemas, unwrap } from './client';

export type FieldReport = Schemas['FieldReport'];
export type FieldReportKind = FieldReport['kind'];
export type CreateFieldReportInput = JsonBody<'/api/field-reports', 'post'>;

export const FIELD_REPORT_KINDS: FieldReportKind[] = ['fire_hazard', 'illegal_logging', 'pests', 'land_occupation', 'wildlife', 'other'];

export const createFieldReport = (body: CreateFieldReportInput) => unwrap(api.POST('/api/field-reports', { body }));

/**
 * Uploads a photo (or PDF) and answers the stored file (`id` for a report's `photoFileId`). The
 * OpenAPI document declares no request body for this multipart route, so the form is passed as is.
 */
export function uploadFile(file: File) {
  const form = new FormData();
  form.append('file', file);
  return unwrap(api.POST('/api/files', { body: form as never, bodySerializer: (body: unknown) => body as FormData }));
}
