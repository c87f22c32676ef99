// Clouds: every cloud the node knows, with health, nodes, instances and the bus traffic between
// them, drawn and listed. Needs GET /api/v1/clouds; a node without it gets a page saying so
// (nothing made up). Redrawn at every poll, like the other pages.
import { api, ApiError, problemView } from '../lib/api.js';
import { h, replace, table, time, badge } from '../lib/dom.js';
import { cloudChip, cloudClass } from '../lib/clouds.js';

export async function mount(root) {
  const picture = h('div', { class: 'clouds-picture' });
  const list = h('div', { 'aria-live': 'polite' });
  const traffic = h('div');
  replace(root, h('h1', { text: 'Clouds' }), picture, list, traffic);
  const refresh = async () => {
    let clouds;
    try {
      clouds = await api('/clouds');
    } catch (err) {
      replace(picture);
      replace(traffic);
      if (err instanceof ApiError && err.status === 404) {
        replace(list, h('p', { class: 'placeholder', id: 'clouds-unavailable' },
          'This node does not serve ', h('code', { text: 'GET /api/v1/clouds' }),
          ' yet, so there is nothing to show about clouds here.'));
      } else {
        replace(list, problemView(err));
      }
      return;
    }
    replace(picture, h('figure', {}, drawing(clouds), h('figcaption', { class: 'muted' },
      'Each cloud filled by its health (green UP, amber SUSPECT, red DOWN) and ringed in its own ',
      'colour, with its running instances below it; an arrow for the messages its nodes sent to ',
      'another cloud over the bus, as thick as its share (heartbeats, sent to every cloud, are ',
      'listed under Bus traffic).')));
    replace(traffic, trafficTable(clouds));
    replace(list, table('Clouds',
      ['Cloud', 'Health', 'Provider', 'Region', 'Jurisdiction', 'Cost per step', 'Availability',
        'Latency', 'Replication', 'Instances', 'Steps run', 'Cost so far', 'Nodes', 'Last seen'],
      clouds.map((c) => [
        cloudChip(c.name), badge(c.health ?? 'UNKNOWN'), c.provider ?? '', c.region ?? '',
        (c.jurisdiction ?? []).join(', '), c.costPerStep ?? '', c.availability ?? '',
        c.latencyMs == null ? '' : `${c.latencyMs} ms`,
        replication(c.replication),
        instances(c.instances),
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

/** `3 owned · 5 standby`, or a dash before a node of the cloud counted them. */
function instances(i) {
  if (!i) return h('span', { class: 'muted', text: '—' });
  return h('span', { class: 'instances', 'data-owned': String(i.owned), 'data-standby': String(i.standby) },
    `${i.owned} owned · ${i.standby} standby`);
}

/** 512 B, 9.1 kB, 3.4 MB, 1.2 GB. */
function bytes(n) {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Every pair of clouds something went between (announcements to every cloud left out). */
function pairs(clouds) {
  const known = new Set(clouds.map((c) => c.name));
  return clouds.flatMap((c) => (c.traffic ?? [])
    .filter((t) => t.to !== '*' && t.to !== t.from && known.has(t.to) && t.messages > 0));
}

/** The traffic drawn above, as a table: the same figures for screen readers and for copying. */
function trafficTable(clouds) {
  const announced = clouds.flatMap((c) => (c.traffic ?? []).filter((t) => t.to === '*'));
  const rows = pairs(clouds).map((t) => [cloudChip(t.from), cloudChip(t.to), String(t.messages),
    h('span', { title: `${t.bytes} bytes of payload` }, bytes(t.bytes))]);
  for (const t of announced) {
    rows.push([cloudChip(t.from), h('span', { class: 'muted', text: 'every cloud (heartbeats)' }),
      String(t.messages), h('span', { title: `${t.bytes} bytes of payload` }, bytes(t.bytes))]);
  }
  return h('div', { class: 'traffic-table' }, h('h2', { text: 'Bus traffic' }),
    table('Bus traffic between clouds', ['From', 'To', 'Messages', 'Payload'], rows,
      'Nothing went over the bus yet.'));
}

/**
 * The clouds on a ring, each coloured by its health (the ring in the cloud's own colour), and an
 * arrow from cloud to cloud for the messages that went between them over the bus, as thick as its
 * share of the busiest pair (on a log scale, so a quiet pair stays visible) and labelled with its
 * figures. The two ways between a pair curve apart, so both show.
 */
function drawing(clouds) {
  const size = 520;
  const c = size / 2;
  const ring = clouds.length > 1 ? 180 : 0;
  const radius = 50;
  const svg = h('svg:svg', { viewBox: `0 0 ${size} ${size}`, width: size, height: size,
    class: 'clouds-map', role: 'img',
    'aria-label': `${clouds.length} clouds and the bus traffic between them` });
  svg.append(h('svg:title', { text: 'Clouds and the bus traffic between them' }),
    h('svg:defs', {}, h('svg:marker', { id: 'traffic-arrow', viewBox: '0 0 10 10', refX: 8, refY: 5,
      markerWidth: 3, markerHeight: 3, orient: 'auto-start-reverse' },
    h('svg:path', { d: 'M0,0 L10,5 L0,10 z', class: 'traffic-arrowhead' }))));
  const spots = new Map(clouds.map((cloud, i) => {
    const angle = (2 * Math.PI * i) / clouds.length - Math.PI / 2;
    return [cloud.name, { cloud, x: c + ring * Math.cos(angle), y: c + ring * Math.sin(angle) }];
  }));
  const traffic = pairs(clouds);
  const busiest = Math.max(1, ...traffic.map((t) => t.messages));
  for (const t of traffic) {
    const a = spots.get(t.from);
    const b = spots.get(t.to);
    const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const ux = (b.x - a.x) / length;
    const uy = (b.y - a.y) / length;
    // Bent to the right of the way it goes: the way back bends to the other side.
    const bend = 40;
    const sx = a.x + ux * radius;
    const sy = a.y + uy * radius;
    const ex = b.x - ux * (radius + 3);
    const ey = b.y - uy * (radius + 3);
    const mx = (sx + ex) / 2 - uy * bend;
    const my = (sy + ey) / 2 + ux * bend;
    const width = 1.5 + 7 * (Math.log1p(t.messages) / Math.log1p(busiest));
    // The label sits on the outer side of its own curve, clear of the way back's.
    const lx = 0.25 * sx + 0.5 * mx + 0.25 * ex - uy * 14;
    const ly = 0.25 * sy + 0.5 * my + 0.25 * ey + ux * 14;
    const label = `${t.messages} msg · ${bytes(t.bytes)}`;
    svg.append(h('svg:g', { class: 'traffic', 'data-from': t.from, 'data-to': t.to,
      'data-messages': String(t.messages) },
    h('svg:title', { text: `${t.from} → ${t.to}: ${t.messages} messages, ${t.bytes} bytes of payload` }),
    h('svg:path', { d: `M${sx},${sy} Q${mx},${my} ${ex},${ey}`, class: 'traffic-edge',
      'stroke-width': width.toFixed(1), 'marker-end': 'url(#traffic-arrow)' }),
    h('svg:text', { x: lx, y: ly, 'text-anchor': 'middle', 'dominant-baseline': 'middle',
      class: 'traffic-label', text: label })));
  }
  for (const s of spots.values()) {
    const health = String(s.cloud.health ?? 'unknown').toLowerCase();
    const nodes = (s.cloud.nodes ?? []).length;
    const i = s.cloud.instances;
    svg.append(h('svg:g', { class: `cloud-spot ${cloudClass(s.cloud.name)} health-${health}`,
      'data-cloud': s.cloud.name, 'data-health': s.cloud.health },
    h('svg:title', { text: `${s.cloud.name}: ${s.cloud.health}` }),
    h('svg:circle', { cx: s.x, cy: s.y, r: radius }),
    h('svg:text', { x: s.x, y: s.y - 4, 'text-anchor': 'middle', class: 'cloud-name', text: s.cloud.name }),
    h('svg:text', { x: s.x, y: s.y + 14, 'text-anchor': 'middle', class: 'cloud-sub',
      text: `${s.cloud.health ?? '?'} · ${nodes} node${nodes === 1 ? '' : 's'}` }),
    i ? h('svg:text', { x: s.x, y: s.y + radius + 16, 'text-anchor': 'middle',
      class: 'cloud-instances', text: `${i.owned} owned · ${i.standby} standby` }) : null));
  }
  return svg;
}
