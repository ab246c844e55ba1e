import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'replay',
    name: 'replay',
    component: () => import('@/views/replay/index.vue'),
    meta: { titleKey: 'common.menu.replay', icon: 'VideoPlay', permission: 'patrols:read', order: 8, fullBleed: true },
  },
] satisfies RouteRecordRaw[];
