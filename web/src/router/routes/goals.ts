import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'goals',
    name: 'goals',
    component: () => import('@/views/goals/index.vue'),
    meta: { titleKey: 'common.menu.goals', icon: 'Aim', permission: 'goals:read', order: 20.0, group: 'campaign' },
  },
] satisfies RouteRecordRaw[];
