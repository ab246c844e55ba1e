import { api, unwrap } from './client';

/** Settings readable before sign-in: the basemap every map draws. */
export const fetchPublicSettings = () => unwrap(api.GET('/api/settings/public'));
