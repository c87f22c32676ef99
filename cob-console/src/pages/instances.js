// Instances: a filtered list (state, process, business key, cloud) in pages of 50 with `next`.
// The filters live in the address (#/instances?state=ACTIVE&...), so a view can be shared.
import { api, query, problemView } from '../lib/api.js';
import { h, replace, table, time, link, badge } from '../lib/dom.js';
import { cloudChip } from '../lib/clouds.js';

const STATES = ['', 'ACTIVE', 'INCIDENT', 'COMPLETED', 'TERMINATED', 'CANCELED'];
const PAGE = 50;

export async function mount(root, { params }) {
  const filters = {
    state: params.get('state') ?? '',
    processId: params.get('processId') ?? '',
    businessKey: params.get('businessKey') ?? '',
    cloud: params.get('cloud') ?? '',
  };
  const after = params.get('after') ?? '';
  const processIds = [...new Set((await api('/processes')).map((p) => p.processId))].sort();

  const field = (name, label, control) =>
    h('div', { class: 'field' }, h('label', { for: `f-${name}`, text: label }), control);
  const form = h('form', { class: 'filters', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    location.hash = `#/instances${query(data)}`;
  } },
  field('state', 'State', h('select', { id: 'f-state', name: 'state' },
    STATES.map((s) => h('option', { value: s, selected: s === filters.state }, s || 'any')))),
  field('processId', 'Process', h('select', { id: 'f-processId', name: 'processId' },
    ['', ...processIds].map((p) => h('option', { value: p, selected: p === filters.processId }, p || 'any')))),
  field('businessKey', 'Business key', h('input', { id: 'f-businessKey', name: 'businessKey',
    value: filters.businessKey, type: 'search', autocomplete: 'off' })),
  field('cloud', 'Owner cloud', h('input', { id: 'f-cloud', name: 'cloud', value: filters.cloud,
    type: 'search', autocomplete: 'off' })),
  h('button', { type: 'submit', text: 'Search' }),
  h('a', { href: '#/instances', class: 'button secondary', text: 'Clear' }));

  const list = h('div', { 'aria-live': 'polite' });
  const pager = h('div', { class: 'pager' });
  replace(root, h('h1', { text: 'Instances' }), form, list, pager);

  const refresh = async () => {
    let page;
    try {
      page = await api(`/instances${query({ ...filters, limit: PAGE, after })}`);
    } catch (err) {
      replace(list, problemView(err));
      return;
    }
    const rows = page.items.map((i) => [
      link(`/instances/${encodeURIComponent(i.id)}`, i.id, { class: 'mono', 'data-instance': i.id }),
      h('span', {}, i.processId, h('span', { class: 'muted', text: ` v${i.version}` })),
      i.businessKey ?? '',
      badge(i.state),
      cloudChip(i.ownerCloud),
      time(i.startedAt),
      time(i.endedAt),
      i.activeElements.map((a) => a.elementId).join(', '),
      i.incidents.length ? h('span', { class: 'bad', text: i.incidents.length }) : '',
    ]);
    replace(list, table('Process instances',
      ['Instance', 'Process', 'Business key', 'State', 'Owner', 'Started', 'Ended', 'Waiting at',
        'Incidents'], rows, 'No instance matches.'));
    replace(pager,
      after ? h('a', { class: 'button secondary', href: `#/instances${query(filters)}`,
        text: 'First page' }) : null,
      page.next ? h('a', { class: 'button secondary', rel: 'next',
        href: `#/instances${query({ ...filters, after: page.next })}`, text: 'Next page' }) : null);
  };
  await refresh();
  return { refresh };
}
