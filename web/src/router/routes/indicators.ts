import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'assessment/indicators',
    name: 'assessment-indicators',
    component: () => import('@/views/indicators/index.vue'),
    meta: {
      titleKey: 'indicators.menu',
      icon: 'DataAnalysis',
      permission: 'assessment:read',
      order: 20.4,
      group: 'campaign',
    },
  },
] satisfies RouteRecordRaw[];
