import { ApiError } from '@/api/client';

/**
 * Saves a file the API answered (an openapi-fetch call made with `parseAs: 'blob'`) under the
 * name of its Content-Disposition, or `fallbackName`. Throws an `ApiError` for a failed answer.
 */
export function saveDownload(result: { data?: unknown; error?: unknown; response: Response }, fallbackName: string) {
  const { data, error, response } = result;
  if (!response.ok || !data)
    throw new ApiError(
      response.status,
      'export_failed',
      String((error as { error?: { message?: string } })?.error?.message ?? response.statusText),
    );
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename="([^"]+)"/i.exec(disposition)?.[1];
  const name = encoded ? decodeURIComponent(encoded) : (plain ?? fallbackName);
  const url = URL.createObjectURL(data as Blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
