// The console: hash routes to pages, a poll every 2 s while the page is visible, the node badge.
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import './style.css';
import * as processes from './pages/processes.js';
import * as instances from './pages/instances.js';
import * as instance from './pages/instance.js';
import * as tasks from './pages/tasks.js';
import * as deploy from './pages/deploy.js';
import * as clouds from './pages/clouds.js';
import { h, replace } from './lib/dom.js';
import { problemView } from './lib/api.js';

export const POLL_MS = 2000;

/** Page by first path segment; `detail` handles /section/ID. */
const PAGES = {
  processes: { list: processes.mountList, detail: processes.mountDetail, title: 'Processes' },
  instances: { list: instances.mount, detail: instance.mount, title: 'Instances' },
  tasks: { list: tasks.mountList, detail: tasks.mountDetail, title: 'Tasks' },
  deploy: { list: deploy.mount, title: 'Deploy & start' },
  clouds: { list: clouds.mount, title: 'Clouds' },
};

let current = null; // { page, timer, generation }
let generation = 0;

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/processes';
  const [path, q] = raw.split('?');
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { segments, params: new URLSearchParams(q ?? '') };
}

async function route() {
  const gen = ++generation;
  stop();
  const { segments, params } = parseHash();
  const section = PAGES[segments[0]] ? segments[0] : 'processes';
  const def = PAGES[section];
  const main = document.getElementById('main');
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const mountFn = segments.length > 1 && def.detail ? def.detail : def.list;
  const root = h('div', { class: `page page-${section}`, 'data-page': section });
  replace(main, root);
  document.title = `${def.title} · cob console`;
  let page;
  try {
    page = (await mountFn(root, { segments, params })) ?? {};
  } catch (err) {
    replace(root, h('h1', { text: def.title }), problemView(err));
    return;
  }
  if (gen !== generation) {
    page.unmount?.();
    return;
  }
  current = { page, timer: null, gen };
  schedule(gen);
}

function schedule(gen) {
  if (!current?.page.refresh || current.gen !== gen) return;
  current.timer = setTimeout(async () => {
    if (gen !== generation) return;
    if (document.visibilityState === 'visible') {
      try {
        await current.page.refresh();
      } catch (err) {
        console.warn('refresh failed', err);
      }
    }
    schedule(gen);
  }, POLL_MS);
}

function stop() {
  if (current) {
    clearTimeout(current.timer);
    current.page.unmount?.();
    current = null;
  }
}

async function nodeStatus() {
  const el = document.getElementById('node-status');
  try {
    const res = await fetch('health', { headers: { Accept: 'application/json' } });
    const body = await res.json();
    if (res.ok) {
      el.textContent = `${body.node} · cloud ${body.cloud}`;
      el.className = 'node node-up';
    } else {
      el.textContent = body.detail || 'node unhealthy';
      el.className = 'node node-down';
    }
  } catch {
    el.textContent = 'node unreachable';
    el.className = 'node node-down';
  }
}

window.addEventListener('hashchange', route);
route();
nodeStatus();
setInterval(() => document.visibilityState === 'visible' && nodeStatus(), 10_000);
