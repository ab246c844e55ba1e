// `npm start`: rebuilds the server or the web client when their sources are newer than the last
// build (`npm ci` built both), then runs the server in this same process, so a signal to
// `npm start` reaches the server itself and stops everything.
import { buildServer, buildWeb, phase, serverIsStale, webIsStale } from './build.mjs';

if (serverIsStale()) await phase('compiled the server to server/dist', buildServer);
if (webIsStale()) await phase('built the web client in web/dist', buildWeb);
await import('../server/dist/main.js');
