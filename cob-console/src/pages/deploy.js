// Deploy BPMN files (all or nothing; a 400 lists every problem with file, line and element) and
// start an instance of a deployed process with variables and a business key.
import { api, problemView } from '../lib/api.js';
import { h, replace, link } from '../lib/dom.js';

export async function mount(root, { params }) {
  const deployResult = h('div', { 'aria-live': 'polite', id: 'deploy-result' });
  const files = h('input', { id: 'bpmn-files', name: 'files', type: 'file', multiple: true,
    accept: '.bpmn,.xml,application/xml,text/xml' });
  const deployForm = h('form', { class: 'card', onsubmit: async (e) => {
    e.preventDefault();
    replace(deployResult);
    if (files.files.length === 0) {
      replace(deployResult, problemView(new Error('choose one or more BPMN files first')));
      return;
    }
    const body = new FormData();
    for (const f of files.files) body.append('file', f, f.name);
    try {
      const res = await api('/deployments', { method: 'POST', body });
      replace(deployResult, h('div', { class: 'ok', role: 'status' },
        h('p', { text: `Deployed (deployment ${res.deploymentId}):` }),
        h('ul', {}, res.processes.map((p) => h('li', {},
          link(`/processes/${encodeURIComponent(p.processId)}?version=${p.version}`,
            `${p.processId} version ${p.version}`, { 'data-deployed': p.processId }))))));
      await fillProcesses(res.processes[0]?.processId);
    } catch (err) {
      replace(deployResult, problemView(err));
    }
  } },
  h('h2', { text: 'Deploy' }),
  h('div', { class: 'field' }, h('label', { for: 'bpmn-files', text: 'BPMN files' }), files),
  h('button', { type: 'submit', id: 'deploy', text: 'Deploy' }),
  deployResult);

  const processSelect = h('select', { id: 'start-process', name: 'processId', required: true });
  const versionSelect = h('select', { id: 'start-version', name: 'version' });
  const businessKey = h('input', { id: 'start-key', name: 'businessKey', type: 'text', autocomplete: 'off' });
  const variables = h('textarea', { id: 'start-variables', name: 'variables', rows: 8,
    spellcheck: 'false', value: '{\n  \n}', 'aria-describedby': 'vars-check' });
  const varsCheck = h('p', { id: 'vars-check', class: 'muted', 'aria-live': 'polite', text: 'A JSON object.' });
  const startResult = h('div', { 'aria-live': 'polite', id: 'start-result' });
  let processes = [];

  async function fillProcesses(selected) {
    processes = await api('/processes');
    const ids = [...new Set(processes.map((p) => p.processId))].sort();
    const want = selected ?? processSelect.value ?? params.get('processId');
    replace(processSelect, ids.map((id) => h('option', { value: id, selected: id === want }, id)));
    fillVersions();
  }
  function fillVersions() {
    const versions = processes.filter((p) => p.processId === processSelect.value)
      .map((p) => p.version).sort((a, b) => b - a);
    replace(versionSelect, h('option', { value: '', text: 'latest' }),
      versions.map((v) => h('option', { value: v, text: `version ${v}` })));
  }
  processSelect.addEventListener('change', fillVersions);
  variables.addEventListener('input', () => {
    const err = parseVariables(variables.value).error;
    varsCheck.textContent = err ?? 'A JSON object.';
    varsCheck.className = err ? 'bad' : 'muted';
  });

  const startForm = h('form', { class: 'card', onsubmit: async (e) => {
    e.preventDefault();
    replace(startResult);
    const parsed = parseVariables(variables.value);
    if (parsed.error) {
      replace(startResult, problemView(new Error(parsed.error)));
      return;
    }
    const body = { processId: processSelect.value, variables: parsed.value };
    if (versionSelect.value) body.version = Number(versionSelect.value);
    if (businessKey.value.trim()) body.businessKey = businessKey.value.trim();
    try {
      const inst = await api('/instances', { method: 'POST', body });
      location.hash = `#/instances/${encodeURIComponent(inst.id)}`;
    } catch (err) {
      replace(startResult, problemView(err));
    }
  } },
  h('h2', { text: 'Start an instance' }),
  h('div', { class: 'field' }, h('label', { for: 'start-process', text: 'Process' }), processSelect),
  h('div', { class: 'field' }, h('label', { for: 'start-version', text: 'Version' }), versionSelect),
  h('div', { class: 'field' }, h('label', { for: 'start-key', text: 'Business key (optional)' }), businessKey),
  h('div', { class: 'field' }, h('label', { for: 'start-variables', text: 'Variables' }), variables, varsCheck),
  h('button', { type: 'submit', id: 'start', text: 'Start' }),
  startResult);

  replace(root, h('h1', { text: 'Deploy & start' }), h('div', { class: 'columns' }, deployForm, startForm));
  await fillProcesses(params.get('processId') ?? undefined);
  return {};
}

/** {value} for a JSON object (empty text is {}), else {error} saying what is wrong. */
export function parseVariables(text) {
  if (text.trim() === '') return { value: {} };
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { error: `The variables are not valid JSON: ${e.message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { error: 'The variables must be a JSON object, e.g. {"amount": 42}' };
  }
  return { value };
}
