import { api, unwrap } from './client';

/** Settings readable before sign-in: the optional raster basemap URL. */
export const fetchPublicSettings = () => unwrap(api.GET('/api/settings/public'));
