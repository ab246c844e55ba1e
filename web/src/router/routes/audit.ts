import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'audit',
    name: 'audit',
    component: () => import('@/views/audit/list.vue'),
    meta: { titleKey: 'common.menu.audit', icon: 'Tickets', permission: 'audit:read', order: 11 },
  },
] satisfies RouteRecordRaw[];
