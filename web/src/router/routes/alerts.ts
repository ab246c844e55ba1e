import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'alerts',
    name: 'alerts',
    component: () => import('@/views/alerts/list.vue'),
    meta: { titleKey: 'common.menu.alerts', icon: 'Bell', permission: 'alerts:read', order: 3 },
  },
] satisfies RouteRecordRaw[];
