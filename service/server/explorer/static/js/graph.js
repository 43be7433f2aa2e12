// An SVG drawing of one resource's neighbourhood (ListNeighbors): the
// resource in the centre, each distance on a ring around it, grouped by
// collection, and an edge per linking fact. Every node is a link that
// re-centres the graph; the page of the resource is one link away.
import {listNeighbors} from './api.js';
import {collectionOf, entityLink, h, svg} from './dom.js';

const NODE_SPACING = 16;  // Pixels of ring per node: a line of label text.
const RING_MIN = 90;
const LABEL_CHARS = 30;
const CHAR_WIDTH = 6.6;

export async function graphView({path: name, query}) {
  const depth = Math.min(Math.max(Number(query.get('depth') || 1), 1), 2);
  const response = await listNeighbors(name, depth);
  const neighbors = response.neighbors || [];
  const center = {name, displayName: name, distance: 0};
  const nodes = layout(center, neighbors);
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const centerDisplay = findCenterDisplayName(name, neighbors);
  if (centerDisplay) byName.get(name).displayName = centerDisplay;
  return [
    h('h1', {}, 'Neighbourhood of ', centerDisplay || name),
    h('p', {class: 'subtitle'}, entityLink({name, displayName: 'Open ' + name}),
      ' · ', depth === 1
        ? h('a', {href: `#/graph/${name}?depth=2`}, 'Two links away')
        : h('a', {href: `#/graph/${name}`}, 'One link away'),
      ` · ${neighbors.length} neighbours${response.truncated ? ' (cut at 100)' : ''}`),
    drawing(nodes, edges(neighbors, byName)),
    legend(nodes),
  ];
}

// The centre's display name, from a fact that links it.
function findCenterDisplayName(name, neighbors) {
  for (const neighbor of neighbors) {
    for (const link of neighbor.links || []) {
      if (link.subject === name && link.subjectDisplayName) return link.subjectDisplayName;
      const object = link.object?.entityValue;
      if (object?.name === name && object.displayName) return object.displayName;
    }
  }
  return '';
}

function layout(center, neighbors) {
  const nodes = [{...center, x: 0, y: 0}];
  let radius = 0;
  for (const distance of [1, 2]) {
    const ring = neighbors.filter((neighbor) => neighbor.distance === distance)
      .sort((a, b) => a.entity.name.localeCompare(b.entity.name));
    if (!ring.length) continue;
    radius += Math.max(RING_MIN, (ring.length * NODE_SPACING) / (2 * Math.PI));
    ring.forEach((neighbor, i) => {
      const angle = (2 * Math.PI * i) / ring.length - Math.PI / 2;
      nodes.push({name: neighbor.entity.name, displayName: neighbor.entity.displayName,
        distance, angle, x: radius * Math.cos(angle), y: radius * Math.sin(angle)});
    });
  }
  return nodes;
}

function edges(neighbors, byName) {
  const seen = new Map();
  for (const neighbor of neighbors) {
    for (const link of neighbor.links || []) {
      const from = byName.get(link.subject);
      const to = byName.get(link.object?.entityValue?.name);
      if (!from || !to) continue;
      const key = `${from.name}|${to.name}`;
      if (!seen.has(key)) seen.set(key, {from, to, predicates: new Set()});
      seen.get(key).predicates.add(link.predicate);
    }
  }
  return [...seen.values()];
}

function shortLabel(text) {
  const chars = Array.from(text || '');
  return chars.length > LABEL_CHARS ? chars.slice(0, LABEL_CHARS - 1).join('') + '…' : text;
}

// Labels run outward along each node's ray, so that neighbours on a ring
// never write over each other however many there are.
function drawing(nodes, edgeList) {
  let minX = -100; let maxX = 100; let minY = -60; let maxY = 60;
  for (const node of nodes) {
    const reach = node.distance
      ? Math.hypot(node.x, node.y) + 12 + Array.from(shortLabel(node.displayName)).length * CHAR_WIDTH
      : 20;
    const x = node.distance ? reach * Math.cos(node.angle) : 0;
    const y = node.distance ? reach * Math.sin(node.angle) : 0;
    minX = Math.min(minX, x - 10); maxX = Math.max(maxX, x + 10);
    minY = Math.min(minY, y - 10); maxY = Math.max(maxY, y + 10);
  }
  const picture = svg('svg', {class: 'graph', role: 'group', 'aria-label': 'Neighbourhood graph',
    viewBox: `${minX} ${minY} ${maxX - minX} ${maxY - minY}`});
  const lines = svg('g', {class: 'edges'});
  for (const edge of edgeList) {
    lines.append(svg('line', {x1: edge.from.x, y1: edge.from.y, x2: edge.to.x, y2: edge.to.y},
      svg('title', {}, `${edge.from.name} ${[...edge.predicates].join(', ')} → ${edge.to.name}`)));
  }
  picture.append(lines);
  const points = svg('g', {class: 'nodes'});
  for (const node of nodes) points.append(nodeElement(node));
  picture.append(points);
  return h('figure', {class: 'graph-figure'}, picture);
}

function nodeElement(node) {
  let label;
  if (node.distance === 0) {
    label = svg('text', {x: node.x, y: node.y - 16, 'text-anchor': 'middle', class: 'center-label'},
      shortLabel(node.displayName));
  } else {
    // On the left half the text is turned half a circle more, to stay upright.
    const left = Math.cos(node.angle) < 0;
    const degrees = (node.angle * 180) / Math.PI + (left ? 180 : 0);
    label = svg('text', {x: left ? node.x - 10 : node.x + 10, y: node.y + 4,
      'text-anchor': left ? 'end' : 'start',
      transform: `rotate(${degrees.toFixed(2)} ${node.x.toFixed(2)} ${node.y.toFixed(2)})`},
    shortLabel(node.displayName));
  }
  return svg('a', {href: `#/graph/${node.name}`, class: 'node ' + collectionOf(node.name),
    'data-name': node.name},
  svg('title', {}, `${node.displayName} (${node.name})`),
  svg('circle', {cx: node.x, cy: node.y, r: node.distance === 0 ? 10 : 6}),
  label);
}

function legend(nodes) {
  const collections = [...new Set(nodes.map((node) => collectionOf(node.name)))].sort();
  return h('ul', {class: 'legend', 'aria-label': 'Collections'}, collections.map((collection) =>
    h('li', {}, h('span', {class: 'swatch ' + collection, 'aria-hidden': 'true'}), collection)));
}

