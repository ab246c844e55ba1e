import 'element-plus/dist/index.css';
import 'maplibre-gl/dist/maplibre-gl.css';
import './styles/main.css';
import * as ElementPlusIcons from '@element-plus/icons-vue';
import ElementPlus from 'element-plus';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { onUnauthenticated } from './api/client';
import { i18n } from './i18n';
import { router } from './router';
import { useSessionStore } from './stores/session';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(i18n);
app.use(router);
app.use(ElementPlus);
for (const [name, component] of Object.entries(ElementPlusIcons)) app.component(name, component);

// A 401 from any call after sign-in: the session expired or was ended elsewhere.
onUnauthenticated(() => {
  const session = useSessionStore(pinia);
  if (!session.signedIn) return;
  session.forget();
  const current = router.currentRoute.value;
  if (current.name !== 'login') void router.push({ name: 'login', query: { redirect: current.fullPath, expired: '1' } });
});

document.documentElement.lang = i18n.global.locale.value;
app.mount('#app');
