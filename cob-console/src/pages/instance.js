// One instance: the diagram with the path taken, the active elements and each element coloured
// by the cloud that ran it; incidents with Retry; variables; the history as a timeline; Cancel.
import { api, problemView } from '../lib/api.js';
import { h, replace, table, time, link, badge, jsonView } from '../lib/dom.js';
import { Diagram } from '../lib/diagram.js';
import { cloudChip, cloudClass, cloudLegend } from '../lib/clouds.js';

const ENDED = new Set(['COMPLETED', 'TERMINATED', 'CANCELED']);

/** What the history says about the diagram: elements run (with cloud), completed, flows taken. */
export function pathOf(history) {
  const cloudOf = new Map();
  const done = new Set();
  const flows = new Set();
  for (const r of history) {
    const d = r.data ?? {};
    switch (r.type) {
      case 'ElementActivated':
        cloudOf.set(r.elementId, r.cloud);
        if (d.viaFlowId) flows.add(d.viaFlowId);
        for (const f of d.joinedFlows ?? []) flows.add(f);
        break;
      case 'StepPlaced':
        cloudOf.set(r.elementId, r.cloud);
        break;
      case 'TokenArrivedAtJoin':
        if (d.flowId) flows.add(d.flowId);
        break;
      case 'ElementCompleted':
        done.add(r.elementId);
        break;
      default:
    }
  }
  return { cloudOf, done, flows };
}

export async function mount(root, { segments }) {
  const id = segments[1];
  let inst = await api(`/instances/${encodeURIComponent(id)}`);
  const head = h('div');
  const notice = h('div', { 'aria-live': 'polite' });
  const incidents = h('section', { 'aria-labelledby': 'h-incidents' });
  const legend = h('div', { class: 'legend-box' });
  const variables = h('section', { 'aria-labelledby': 'h-vars' });
  const history = h('section', { 'aria-labelledby': 'h-history' });
  replace(root, head, notice, incidents, h('h2', { text: 'Diagram' }), legend);
  const diagram = new Diagram(root, `BPMN diagram of instance ${id}`);
  root.append(variables, history);
  await diagram.show(await api(
    `/processes/${encodeURIComponent(inst.processId)}/xml?version=${inst.version}`));

  const act = async (label, fn) => {
    replace(notice);
    try {
      await fn();
      replace(notice, h('p', { class: 'ok', role: 'status', text: label }));
    } catch (err) {
      replace(notice, problemView(err));
    }
    await refresh(true);
  };
  const retry = (incident) => act(`Incident at ${incident.elementId} retried.`,
    () => api(`/incidents/${encodeURIComponent(incident.id)}/retry`, { method: 'POST', body: {} }));
  const cancel = () => {
    if (!window.confirm(`Cancel instance ${id}? Its active steps are terminated.`)) return;
    act('Instance canceled.', () => api(`/instances/${encodeURIComponent(id)}`, { method: 'DELETE' }));
  };

  let seenLength = -1;
  let lastSeen = null;
  let endedSeen = false;
  async function refresh(force = false) {
    if (endedSeen && !force) return; // an ended instance no longer changes
    let log;
    [inst, log] = await Promise.all([
      api(`/instances/${encodeURIComponent(id)}`),
      api(`/instances/${encodeURIComponent(id)}/history`),
    ]);
    endedSeen = ENDED.has(inst.state);
    // Re-render only what changed, so a selection or an open detail survives the poll.
    const seen = JSON.stringify(inst);
    if (seen === lastSeen && log.length === seenLength) return;
    lastSeen = seen;
    renderHead(head, inst, cancel);
    renderIncidents(incidents, inst, retry);
    const clouds = paint(diagram, inst, log);
    replace(legend, h('span', { class: 'muted', text: 'Clouds: ' }), cloudLegend(clouds));
    replace(variables, h('h2', { id: 'h-vars', text: 'Variables' }),
      jsonView(inst.variables ?? {}, 'Instance variables'));
    if (log.length !== seenLength) {
      seenLength = log.length;
      renderHistory(history, log);
    }
  }
  await refresh(true);
  return { refresh: () => refresh(false), unmount: () => diagram.destroy() };
}

function renderHead(el, inst, cancel) {
  const active = !ENDED.has(inst.state);
  replace(el,
    h('h1', {}, 'Instance ', h('code', { text: inst.id }), ' ',
      h('span', { id: 'instance-state', 'data-state': inst.state }, badge(inst.state))),
    h('dl', { class: 'meta' },
      h('dt', { text: 'Process' }),
      h('dd', {}, link(`/processes/${encodeURIComponent(inst.processId)}?version=${inst.version}`,
        `${inst.processId} v${inst.version}`)),
      h('dt', { text: 'Business key' }), h('dd', { text: inst.businessKey ?? '—' }),
      h('dt', { text: 'Owner cloud' }), h('dd', {}, cloudChip(inst.ownerCloud)),
      h('dt', { text: 'Epoch' }), h('dd', { text: inst.epoch }),
      h('dt', { text: 'Started' }), h('dd', {}, time(inst.startedAt)),
      h('dt', { text: 'Ended' }), h('dd', {}, time(inst.endedAt)),
      inst.parentInstanceId ? [h('dt', { text: 'Parent' }),
        h('dd', {}, link(`/instances/${encodeURIComponent(inst.parentInstanceId)}`,
          inst.parentInstanceId))] : null),
    active ? h('div', { class: 'toolbar' },
      h('button', { type: 'button', class: 'danger', id: 'cancel', onclick: cancel,
        text: 'Cancel instance' })) : null);
}

function renderIncidents(el, inst, retry) {
  if (inst.incidents.length === 0) {
    replace(el);
    return;
  }
  replace(el, h('h2', { id: 'h-incidents', text: 'Incidents' }),
    table('Open incidents', ['Element', 'Kind', 'Message', 'Since', ''],
      inst.incidents.map((i) => [
        h('code', { text: i.elementId }),
        i.kind ?? '',
        h('span', { class: 'incident-message', text: i.message }),
        time(i.createdAt),
        h('button', { type: 'button', class: 'retry', 'data-incident': i.id,
          onclick: () => retry(i), text: 'Retry' }),
      ])));
}

/** Sets the markers on the diagram; returns the clouds that ran something, in order of use. */
function paint(diagram, inst, log) {
  const { cloudOf, done, flows } = pathOf(log);
  const markers = new Map();
  const attrs = new Map();
  const add = (elementId, cls) => {
    if (!markers.has(elementId)) markers.set(elementId, new Set());
    markers.get(elementId).add(cls);
  };
  for (const a of inst.activeElements) cloudOf.set(a.elementId, a.cloud ?? cloudOf.get(a.elementId));
  for (const [elementId, cloud] of cloudOf) {
    if (!diagram.has(elementId)) continue;
    add(elementId, 'cob-ran');
    if (cloud) {
      add(elementId, cloudClass(cloud));
      attrs.set(elementId, { cloud });
    }
  }
  for (const e of done) add(e, 'cob-done');
  for (const f of flows) add(f, 'cob-taken');
  for (const a of inst.activeElements) add(a.elementId, 'cob-active');
  for (const i of inst.incidents) add(i.elementId, 'cob-incident');
  diagram.setMarkers(markers, attrs);
  const clouds = [];
  for (const [elementId, cloud] of cloudOf) {
    if (cloud && diagram.has(elementId) && !clouds.includes(cloud)) clouds.push(cloud);
  }
  return clouds;
}

function renderHistory(el, log) {
  replace(el, h('h2', { id: 'h-history', text: `History (${log.length} events)` }),
    h('ol', { class: 'timeline' }, log.map((r) => h('li', { class: cloudClass(r.cloud ?? '') },
      h('span', { class: 'tl-time' }, time(r.at)),
      h('span', { class: 'tl-cloud' }, cloudChip(r.cloud)),
      h('span', { class: 'tl-event', text: r.type }),
      h('span', { class: 'tl-element' }, r.elementId ? h('code', { text: r.elementId }) : '',
        r.elementType ? h('span', { class: 'muted', text: ` ${r.elementType}` }) : ''),
      summary(r),
      h('details', { class: 'tl-data' }, h('summary', { text: 'data' }),
        jsonView(r.data ?? {}, `Event ${r.seq}`))))));
}

/** A word on the events whose data matters most at a glance. */
function summary(r) {
  const d = r.data ?? {};
  const text =
    r.type === 'StepPlaced' ? d.reason
      : r.type === 'JobFailed' ? `${d.errorMessage} (retries left ${d.retries})`
        : r.type === 'IncidentCreated' ? d.message
          : r.type === 'InstanceEnded' ? d.state
            : r.type === 'JobErrorThrown' ? `${d.errorCode}: ${d.errorMessage ?? ''}`
              : null;
  return h('span', { class: 'tl-summary', text: text ?? '' });
}
