import type { RouteRecordRaw } from 'vue-router';

export default [
  // The public's page: no account, its own phone layout (the router lets `public` pages through).
  {
    path: '/report',
    name: 'tipoff-public',
    component: () => import('@/views/tipoffs/public.vue'),
    meta: { titleKey: 'tipoffs.public.title', public: true, standalone: true },
  },
  {
    path: 'tipoffs',
    name: 'tipoffs',
    component: () => import('@/views/tipoffs/list.vue'),
    meta: { titleKey: 'common.menu.tipoffs', icon: 'ChatLineSquare', permission: 'incidents:read', order: 4 },
  },
] satisfies RouteRecordRaw[];
