// Processes: every deployed definition with its versions; one version's diagram with the number
// of active element instances and open incidents on each element.
import { api, query, problemView } from '../lib/api.js';
import { h, replace, table, time, link } from '../lib/dom.js';
import { Diagram } from '../lib/diagram.js';

/** The versions of each process, newest first, processes by id. */
function byProcess(list) {
  const groups = new Map();
  for (const p of list) {
    if (!groups.has(p.processId)) groups.set(p.processId, []);
    groups.get(p.processId).push(p);
  }
  for (const versions of groups.values()) versions.sort((a, b) => b.version - a.version);
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

export async function mountList(root) {
  const body = h('div', { 'aria-live': 'polite' });
  replace(root, h('h1', { text: 'Processes' }), body);
  const refresh = async () => {
    const groups = byProcess(await api('/processes'));
    const rows = groups.map(([id, versions]) => {
      const latest = versions[0];
      return [
        link(`/processes/${encodeURIComponent(id)}?version=${latest.version}`, id,
          { 'data-process': id }),
        latest.name ?? '',
        h('span', {}, versions.map((v, i) => [
          i ? ', ' : '',
          link(`/processes/${encodeURIComponent(id)}?version=${v.version}`, `v${v.version}`),
        ])),
        latest.resourceName ?? '',
        time(latest.deployedAt),
        h('span', { class: 'actions' },
          link(`/instances?processId=${encodeURIComponent(id)}`, 'Instances'),
          link(`/deploy?processId=${encodeURIComponent(id)}`, 'Start')),
      ];
    });
    replace(body, table('Deployed processes',
      ['Process', 'Name', 'Versions', 'File', 'Deployed', ''], rows,
      'No process is deployed yet. Deploy a BPMN file on the Deploy page.'));
  };
  await refresh();
  return { refresh };
}

export async function mountDetail(root, { segments, params }) {
  const id = segments[1];
  const all = (await api('/processes')).filter((p) => p.processId === id);
  if (all.length === 0) {
    replace(root, h('h1', { text: id }), problemView(new Error(`process '${id}' is not deployed`)));
    return {};
  }
  all.sort((a, b) => b.version - a.version);
  const version = Number(params.get('version')) || all[0].version;
  const def = all.find((p) => p.version === version) ?? all[0];
  const select = h('select', {
    id: 'version', onchange: (e) => {
      location.hash = `#/processes/${encodeURIComponent(id)}?version=${e.target.value}`;
    },
  }, all.map((p) => h('option', { value: p.version, selected: p.version === def.version },
    `version ${p.version}`)));
  const summary = h('p', { class: 'muted', 'aria-live': 'polite' });
  const counts = h('div');
  const status = h('div');
  replace(root,
    h('h1', {}, def.name ? `${def.name} ` : '', h('code', { text: id })),
    h('div', { class: 'toolbar' },
      h('label', { for: 'version' }, 'Version '), select,
      link(`/instances?processId=${encodeURIComponent(id)}`, 'Instances', { class: 'button' }),
      link(`/deploy?processId=${encodeURIComponent(id)}`, 'Start an instance', { class: 'button' })),
    summary, status);
  const diagram = new Diagram(root, `BPMN diagram of ${id} version ${def.version}`);
  root.append(h('h2', { text: 'Per element' }), counts);
  await diagram.show(await api(`/processes/${encodeURIComponent(id)}/xml?version=${def.version}`));

  const refresh = async () => {
    let stats;
    try {
      stats = await api(`/processes/${encodeURIComponent(id)}/statistics${query({ version: def.version })}`);
      replace(status);
    } catch (err) {
      replace(status, problemView(err));
      return;
    }
    replace(summary,
      `${stats.instances} active instance${stats.instances === 1 ? '' : 's'} of version ${def.version}`,
      stats.truncated ? ' (counted the first ones only)' : '');
    const markers = new Map();
    const badges = [];
    for (const e of stats.elements) {
      const cls = new Set();
      if (e.active > 0) {
        cls.add('cob-active');
        badges.push({ elementId: e.elementId, position: { bottom: 10, left: -10 },
          node: h('span', { class: 'count count-active', title: `${e.active} active`,
            'data-count': 'active', text: e.active }) });
      }
      if (e.incidents > 0) {
        cls.add('cob-incident');
        badges.push({ elementId: e.elementId, position: { bottom: 10, right: 10 },
          node: h('span', { class: 'count count-incident', title: `${e.incidents} incidents`,
            'data-count': 'incidents', text: e.incidents }) });
      }
      markers.set(e.elementId, cls);
    }
    diagram.setMarkers(markers);
    diagram.setOverlays('cob-count', badges);
    replace(counts, table('Active instances and incidents per element',
      ['Element', 'Active', 'Incidents'],
      stats.elements.map((e) => [h('code', { text: e.elementId }), String(e.active),
        e.incidents ? h('span', { class: 'bad', text: e.incidents }) : '0']),
      'No active instance of this version.'));
  };
  await refresh();
  return { refresh, unmount: () => diagram.destroy() };
}
