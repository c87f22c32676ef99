// A read-only BPMN diagram (bpmn-js NavigatedViewer: pan with the mouse, zoom with the wheel)
// with markers (CSS classes on the SVG groups of elements) and overlays (small HTML badges).
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { h } from './dom.js';

const ROOT_TYPES = new Set(['bpmn:Process', 'bpmn:Collaboration', 'bpmn:Participant', 'bpmn:Lane']);

export class Diagram {
  /** Creates the viewer in a new box appended to `parent`. */
  constructor(parent, label) {
    this.box = h('div', { class: 'diagram', role: 'img', 'aria-label': label });
    parent.append(this.box);
    this.viewer = new NavigatedViewer({ container: this.box });
    this.markers = new Map(); // elementId -> Set of classes applied by us
    this.xml = null;
  }

  /** Shows the BPMN document, fitted to the box; a no-op when it is the one already shown. */
  async show(xml) {
    if (xml === this.xml) return;
    this.xml = xml;
    const { warnings } = await this.viewer.importXML(xml);
    if (warnings.length) console.warn('bpmn-js import warnings', warnings);
    this.viewer.get('canvas').zoom('fit-viewport', 'auto');
    this.markers.clear();
  }

  /** Ids of the flow elements on the diagram (not the process, pools or lanes). */
  elementIds() {
    return this.viewer
      .get('elementRegistry')
      .filter((e) => !ROOT_TYPES.has(e.type) && e.type !== 'label' && e.businessObject)
      .map((e) => e.id);
  }

  has(id) {
    const e = this.viewer.get('elementRegistry').get(id);
    return Boolean(e) && !ROOT_TYPES.has(e.type);
  }

  /**
   * Sets the classes of every element at once: `wanted` maps element id to a Set of classes.
   * Only the difference to the previous call touches the DOM, so polling does not flicker.
   * `attributes` maps element id to data attributes put on the element's SVG group.
   */
  setMarkers(wanted, attributes = new Map()) {
    const canvas = this.viewer.get('canvas');
    const registry = this.viewer.get('elementRegistry');
    for (const [id, had] of this.markers) {
      const want = wanted.get(id) ?? new Set();
      for (const cls of had) if (!want.has(cls)) canvas.removeMarker(id, cls);
    }
    for (const [id, want] of wanted) {
      if (!this.has(id)) continue;
      const had = this.markers.get(id) ?? new Set();
      for (const cls of want) if (!had.has(cls)) canvas.addMarker(id, cls);
    }
    this.markers = new Map([...wanted].filter(([id]) => this.has(id)));
    for (const [id, attrs] of attributes) {
      const gfx = this.has(id) ? registry.getGraphics(id) : null;
      if (gfx) for (const [k, v] of Object.entries(attrs)) gfx.setAttribute(`data-${k}`, v);
    }
  }

  /** Replaces the overlays of `type` with one badge per entry: {elementId, html: Node}. */
  setOverlays(type, entries) {
    const overlays = this.viewer.get('overlays');
    overlays.remove({ type });
    for (const { elementId, node, position } of entries) {
      if (!this.has(elementId)) continue;
      overlays.add(elementId, type, { position: position ?? { bottom: 8, right: 8 }, html: node });
    }
  }

  destroy() {
    this.viewer.destroy();
  }
}
