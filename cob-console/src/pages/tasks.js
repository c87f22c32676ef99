// Tasks: the open user tasks; a task's form, one field per variable typed by its JSON value
// (text, number, yes/no, JSON for objects, lists and null), and Complete.
import { api, problemView } from '../lib/api.js';
import { h, replace, table, time, link } from '../lib/dom.js';

export async function mountList(root) {
  const body = h('div', { 'aria-live': 'polite' });
  replace(root, h('h1', { text: 'Tasks' }), body);
  const refresh = async () => {
    const tasks = await api('/tasks');
    replace(body, table('Open user tasks',
      ['Task', 'Element', 'Process', 'Instance', 'Assignee', 'Groups', 'Created'],
      tasks.map((t) => [
        link(`/tasks/${encodeURIComponent(t.id)}`, t.name || t.elementId,
          { 'data-task': t.id, 'data-element': t.elementId }),
        h('code', { text: t.elementId }),
        t.processId,
        link(`/instances/${encodeURIComponent(t.instanceId)}`, t.instanceId, { class: 'mono' }),
        t.assignee ?? '',
        (t.candidateGroups ?? []).join(', '),
        time(t.createdAt),
      ]), 'No open user task.'));
  };
  await refresh();
  return { refresh };
}

/** The kind of form field for a JSON value. */
export function kindOf(value) {
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'json';
}

function control(name, value, index) {
  const id = `v-${index}`;
  const kind = kindOf(value);
  const common = { id, name, 'data-kind': kind, 'data-var': name };
  const input =
    kind === 'boolean' ? h('input', { ...common, type: 'checkbox', checked: value })
      : kind === 'number' ? h('input', { ...common, type: 'number', step: 'any', value: String(value) })
        : kind === 'text' ? h('input', { ...common, type: 'text', value })
          : h('textarea', { ...common, rows: 4, spellcheck: 'false', value: JSON.stringify(value, null, 2) });
  return h('div', { class: `field field-${kind}` },
    h('label', { for: id }, name, h('span', { class: 'muted', text: ` (${kind})` })), input);
}

/** Reads a field back to a JSON value; throws naming the field when it is not valid. */
function read(input) {
  const name = input.dataset.var;
  switch (input.dataset.kind) {
    case 'boolean': return input.checked;
    case 'number': {
      if (input.value.trim() === '' || !Number.isFinite(Number(input.value))) {
        throw new Error(`'${name}' must be a number`);
      }
      return Number(input.value);
    }
    case 'text': return input.value;
    default:
      try {
        return JSON.parse(input.value);
      } catch (e) {
        throw new Error(`'${name}' is not valid JSON: ${e.message}`);
      }
  }
}

export async function mountDetail(root, { segments }) {
  const id = segments[1];
  const task = (await api('/tasks')).find((t) => t.id === id);
  if (!task) {
    replace(root, h('h1', { text: 'Task' }),
      h('p', {}, `Task ${id} is not open (completed, canceled or unknown). `,
        link('/tasks', 'Back to the task list')));
    return {};
  }
  const vars = task.variables ?? {};
  const names = Object.keys(vars).sort();
  const message = h('div', { 'aria-live': 'polite' });
  const extraName = h('input', { id: 'new-name', type: 'text', autocomplete: 'off' });
  const extraValue = h('input', { id: 'new-value', type: 'text', placeholder: 'JSON, e.g. true or "text"' });
  const form = h('form', { class: 'task-form', onsubmit: async (e) => {
    e.preventDefault();
    replace(message);
    let variables;
    try {
      variables = collect(form, vars, extraName.value.trim(), extraValue.value);
    } catch (err) {
      replace(message, problemView(err));
      return;
    }
    try {
      await api(`/tasks/${encodeURIComponent(id)}/complete`, { method: 'POST', body: { variables } });
      replace(root, h('h1', { text: task.name || task.elementId }),
        h('p', { class: 'ok', role: 'status', id: 'task-completed' }, 'Task completed. ',
          link(`/instances/${encodeURIComponent(task.instanceId)}`, 'Show the instance'), ' · ',
          link('/tasks', 'Back to the task list')));
    } catch (err) {
      replace(message, problemView(err));
    }
  } },
  names.length ? names.map((n, i) => control(n, vars[n], i))
    : h('p', { class: 'muted', text: 'The task has no variables.' }),
  h('fieldset', {}, h('legend', { text: 'Add a variable' }),
    h('div', { class: 'field' }, h('label', { for: 'new-name', text: 'Name' }), extraName),
    h('div', { class: 'field' }, h('label', { for: 'new-value', text: 'Value' }), extraValue)),
  h('button', { type: 'submit', id: 'complete', text: 'Complete task' }));

  replace(root,
    h('h1', {}, task.name || task.elementId),
    h('p', { class: 'muted' }, 'Element ', h('code', { text: task.elementId }), ' of ',
      link(`/instances/${encodeURIComponent(task.instanceId)}`, `instance ${task.instanceId}`),
      ` (${task.processId})`, task.assignee ? ` · assignee ${task.assignee}` : ''),
    message, form);
  return {};
}

/** The variables to send: the fields whose value changed, and the added one. */
function collect(form, original, extraName, extraValue) {
  const out = {};
  for (const input of form.querySelectorAll('[data-var]')) {
    const value = read(input);
    if (JSON.stringify(value) !== JSON.stringify(original[input.dataset.var])) {
      out[input.dataset.var] = value;
    }
  }
  if (extraName) {
    try {
      out[extraName] = JSON.parse(extraValue);
    } catch (e) {
      throw new Error(`the value of '${extraName}' is not valid JSON: ${e.message}`);
    }
  }
  return out;
}
