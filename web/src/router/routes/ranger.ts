import type { RouteRecordRaw } from 'vue-router';

export default [
  // The ranger's phone page: its own mobile layout, without the side menu.
  {
    path: '/ranger',
    name: 'ranger',
    component: () => import('@/views/ranger/index.vue'),
    meta: { permission: 'patrols:self', titleKey: 'ranger.title', standalone: true },
  },
] satisfies RouteRecordRaw[];
