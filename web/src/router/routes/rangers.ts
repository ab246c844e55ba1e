import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'rangers',
    name: 'rangers',
    component: () => import('@/views/rangers/list.vue'),
    meta: { titleKey: 'common.menu.rangers', icon: 'User', permission: 'rangers:read', order: 6 },
  },
] satisfies RouteRecordRaw[];
