import { api, type Schemas, unwrap } from './client';

export type Basemap = Schemas['Basemap'];
export type BasemapSetting = Schemas['BasemapSettingInput'];
export type MapBasemap = Schemas['MapBasemap'];

export const listBasemaps = () => unwrap(api.GET('/api/basemaps'));

export const deleteBasemap = (id: string) => unwrap(api.DELETE('/api/basemaps/{id}', { params: { path: { id } } }));

export const getBasemapSetting = () => unwrap(api.GET('/api/settings/basemap'));

export const updateBasemapSetting = (body: BasemapSetting) => unwrap(api.PUT('/api/settings/basemap', { body }));

/**
 * `fetch` for one request, sent with XMLHttpRequest so the upload's progress can be reported
 * (fetch has no upload progress). It sends the request the client built, with every header its
 * middleware set, and answers a normal `Response`.
 */
export function fetchWithUploadProgress(onProgress: (fraction: number) => void) {
  return async (request: Request): Promise<Response> => {
    const body = await request.blob();
    return new Promise<Response>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(request.method, request.url);
      xhr.withCredentials = request.credentials === 'include' || request.credentials === 'same-origin';
      for (const [name, value] of request.headers) xhr.setRequestHeader(name, value);
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      };
      xhr.onload = () => {
        const headers = new Headers();
        for (const line of xhr
          .getAllResponseHeaders()
          .trim()
          .split(/[\r\n]+/)) {
          const at = line.indexOf(':');
          if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
        }
        resolve(new Response(xhr.status === 204 ? null : xhr.response, { status: xhr.status, statusText: xhr.statusText, headers }));
      };
      xhr.onerror = () => reject(new TypeError('Network error'));
      xhr.onabort = () => reject(new DOMException('Aborted', 'AbortError'));
      xhr.send(body);
    });
  };
}

/**
 * Uploads an MBTiles or PMTiles package, reporting progress (0–1). The OpenAPI document declares
 * no request body for this multipart route, so the form is passed as is.
 */
export function uploadBasemap(file: File, onProgress: (fraction: number) => void) {
  const form = new FormData();
  form.append('file', file);
  return unwrap(
    api.POST('/api/basemaps', {
      body: form as never,
      bodySerializer: (body: unknown) => body as FormData,
      fetch: fetchWithUploadProgress(onProgress),
    }),
  );
}
