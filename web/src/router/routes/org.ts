import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'org',
    name: 'org',
    component: () => import('@/views/org/list.vue'),
    meta: { titleKey: 'common.menu.org', icon: 'OfficeBuilding', permission: 'org:read', order: 10 },
  },
] satisfies RouteRecordRaw[];
