// Element Plus components bring their own CSS where a template uses them (see vite.config.ts);
// the services called from scripts (messages, message boxes) need theirs here.
import 'element-plus/theme-chalk/base.css';
import 'element-plus/theme-chalk/el-message.css';
import 'element-plus/theme-chalk/el-message-box.css';
import 'maplibre-gl/dist/maplibre-gl.css';
import './styles/main.css';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { onUnauthenticated } from './api/client';
import { i18n } from './i18n';
import * as ICONS from './icons';
import { router } from './router';
import { useSessionStore } from './stores/session';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(i18n);
app.use(router);
for (const [name, component] of Object.entries(ICONS)) app.component(name, component);

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
