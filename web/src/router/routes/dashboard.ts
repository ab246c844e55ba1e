import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: '',
    name: 'dashboard',
    component: () => import('@/views/dashboard/index.vue'),
    meta: { titleKey: 'common.menu.dashboard', icon: 'DataAnalysis', permission: 'sites:read', order: 1 },
  },
] satisfies RouteRecordRaw[];
