import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'basemaps',
    name: 'basemaps',
    component: () => import('@/views/basemaps/index.vue'),
    meta: { titleKey: 'common.menu.basemaps', icon: 'Picture', permission: 'basemaps:write', order: 12 },
  },
] satisfies RouteRecordRaw[];
