import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'map',
    name: 'map',
    component: () => import('@/views/map/index.vue'),
    meta: { titleKey: 'common.menu.map', icon: 'MapLocation', permission: 'sites:read', order: 4, fullBleed: true },
  },
] satisfies RouteRecordRaw[];
