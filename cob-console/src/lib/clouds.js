// Stable colours for clouds: a cloud's colour depends on its name only, so it is the same on every
// page, in every instance and after a reload. The style sheet defines classes cob-cloud-0..11.
import { h } from './dom.js';

export const PALETTE_SIZE = 12;

/** The palette slot of a cloud name (FNV-1a hash of its UTF-16 code units). */
export function cloudIndex(name) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % PALETTE_SIZE;
}

/** The marker class of a cloud, for diagram elements and swatches. */
export function cloudClass(name) {
  return `cob-cloud-${cloudIndex(name)}`;
}

/** A coloured chip naming the cloud. */
export function cloudChip(name) {
  if (!name) return h('span', { class: 'muted', text: '—' });
  return h('span', { class: `cloud-chip ${cloudClass(name)}`, 'data-cloud': name },
    h('span', { class: 'swatch', 'aria-hidden': 'true' }), name);
}

/** The legend of the clouds shown, in the order given. */
export function cloudLegend(names) {
  if (names.length === 0) return null;
  return h('ul', { class: 'legend', 'aria-label': 'Clouds' }, names.map((n) => h('li', {}, cloudChip(n))));
}
