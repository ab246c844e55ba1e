import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'plans',
    name: 'plans',
    component: () => import('@/views/plans/list.vue'),
    meta: { titleKey: 'common.menu.plans', icon: 'Memo', permission: 'plans:read', order: 4.5 },
  },
] satisfies RouteRecordRaw[];
