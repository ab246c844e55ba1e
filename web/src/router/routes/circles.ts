import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'circles',
    name: 'circles',
    component: () => import('@/views/circles/index.vue'),
    meta: { titleKey: 'common.menu.circles', icon: 'Aim', permission: 'circles:read', order: 5, group: 'prevention' },
  },
] satisfies RouteRecordRaw[];
