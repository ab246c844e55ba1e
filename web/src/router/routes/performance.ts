import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'performance',
    name: 'performance',
    component: () => import('@/views/performance/index.vue'),
    meta: { titleKey: 'common.menu.performance', icon: 'Trophy', permission: 'performance:read', order: 9 },
  },
] satisfies RouteRecordRaw[];
