import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'integrations',
    name: 'integrations',
    component: () => import('@/views/integrations/index.vue'),
    meta: { titleKey: 'common.menu.integrations', icon: 'Connection', permission: 'integrations:write', order: 12.5 },
  },
] satisfies RouteRecordRaw[];
