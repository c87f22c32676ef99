// Clouds: every cloud the node knows, with health and nodes, and a picture of them around the
// bus. Needs GET /api/v1/clouds; a node without it gets a page saying so (nothing made up).
import { api, ApiError, problemView } from '../lib/api.js';
import { h, replace, table, time, badge } from '../lib/dom.js';
import { cloudChip, cloudClass } from '../lib/clouds.js';

export async function mount(root) {
  const picture = h('div', { class: 'clouds-picture' });
  const list = h('div', { 'aria-live': 'polite' });
  replace(root, h('h1', { text: 'Clouds' }), picture, list);
  const refresh = async () => {
    let clouds;
    try {
      clouds = await api('/clouds');
    } catch (err) {
      replace(picture);
      if (err instanceof ApiError && err.status === 404) {
        replace(list, h('p', { class: 'placeholder', id: 'clouds-unavailable' },
          'This node does not serve ', h('code', { text: 'GET /api/v1/clouds' }),
          ' yet, so there is nothing to show about clouds here.'));
      } else {
        replace(list, problemView(err));
      }
      return;
    }
    replace(picture, drawing(clouds));
    replace(list, table('Clouds',
      ['Cloud', 'Health', 'Provider', 'Region', 'Jurisdiction', 'Cost per step', 'Availability',
        'Latency', 'Replication', 'Steps run', 'Cost so far', 'Nodes', 'Last seen'],
      clouds.map((c) => [
        cloudChip(c.name), badge(c.health ?? 'UNKNOWN'), c.provider ?? '', c.region ?? '',
        (c.jurisdiction ?? []).join(', '), c.costPerStep ?? '', c.availability ?? '',
        c.latencyMs == null ? '' : `${c.latencyMs} ms`,
        replication(c.replication),
        String(c.stepsRun ?? 0),
        c.costSoFar == null ? '' : String(c.costSoFar),
        h('ul', { class: 'plain' }, (c.nodes ?? []).map((n) => h('li', {},
          typeof n === 'string' ? n : `${n.id}${n.self ? ' (this node)' : ''}`)))
        , time(c.lastSeen),
      ]), 'The node knows no cloud.'));
  };
  await refresh();
  return { refresh };
}

/** A standby of this node's cloud: the lag of what was shipped to it and not yet acknowledged. */
function replication(r) {
  if (!r) return '';
  const pending = r.pendingInstances === 1 ? '1 instance' : `${r.pendingInstances} instances`;
  return h('span', { class: 'replication', 'data-lag-ms': String(r.lagMs) },
    `${r.role} · lag ${Math.round(r.lagMs)} ms · ${pending} pending`);
}

/** The clouds on a ring around the bus, each joined to it; the line is dashed unless UP. */
function drawing(clouds) {
  const size = 420;
  const c = size / 2;
  const ring = clouds.length > 1 ? 150 : 0;
  const svg = h('svg:svg', { viewBox: `0 0 ${size} ${size}`, width: size, height: size,
    role: 'img', 'aria-label': `${clouds.length} clouds joined by the bus` });
  svg.append(h('svg:title', { text: 'Clouds and the bus' }));
  const spots = clouds.map((cloud, i) => {
    const angle = (2 * Math.PI * i) / clouds.length - Math.PI / 2;
    return { cloud, x: c + ring * Math.cos(angle), y: c + ring * Math.sin(angle) };
  });
  for (const s of spots) {
    svg.append(h('svg:line', { x1: c, y1: c, x2: s.x, y2: s.y,
      class: `bus-link health-${String(s.cloud.health).toLowerCase()}` }));
  }
  if (clouds.length > 1) {
    svg.append(h('svg:circle', { cx: c, cy: c, r: 26, class: 'bus-hub' }),
      h('svg:text', { x: c, y: c + 5, 'text-anchor': 'middle', class: 'bus-label', text: 'bus' }));
  }
  for (const s of spots) {
    const nodes = (s.cloud.nodes ?? []).length;
    svg.append(h('svg:g', { class: `cloud-spot ${cloudClass(s.cloud.name)} health-${String(s.cloud.health).toLowerCase()}`,
      'data-cloud': s.cloud.name },
    h('svg:circle', { cx: s.x, cy: s.y, r: 46 }),
    h('svg:text', { x: s.x, y: s.y - 2, 'text-anchor': 'middle', class: 'cloud-name', text: s.cloud.name }),
    h('svg:text', { x: s.x, y: s.y + 16, 'text-anchor': 'middle', class: 'cloud-sub',
      text: `${s.cloud.health ?? '?'} · ${nodes} node${nodes === 1 ? '' : 's'}` })));
  }
  return svg;
}
