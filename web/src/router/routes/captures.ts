import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'captures',
    name: 'captures',
    component: () => import('@/views/captures/list.vue'),
    meta: { titleKey: 'captures.menu', icon: 'Camera', permission: 'captures:read', order: 4.6, group: 'prevention' },
  },
  {
    path: 'watchlists',
    name: 'watchlists',
    component: () => import('@/views/watchlists/list.vue'),
    meta: { titleKey: 'watchlists.menu', icon: 'Lock', permission: 'watchlists:read', order: 4.7, group: 'prevention' },
  },
] satisfies RouteRecordRaw[];
