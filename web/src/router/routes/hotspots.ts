import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'hotspots',
    name: 'hotspots',
    component: () => import('@/views/hotspots/list.vue'),
    meta: { titleKey: 'common.menu.hotspots', icon: 'Sunny', permission: 'hotspots:read', order: 4 },
  },
] satisfies RouteRecordRaw[];
