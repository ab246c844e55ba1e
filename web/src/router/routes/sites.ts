import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'sites',
    name: 'sites',
    component: () => import('@/views/sites/list.vue'),
    meta: { titleKey: 'common.menu.sites', icon: 'Guide', permission: 'sites:read', order: 5 },
  },
] satisfies RouteRecordRaw[];
