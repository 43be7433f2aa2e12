// Paths between two resources (FindPaths). Either end may be a resource name
// or words, which are resolved to the best search hit.
import {findPaths, searchEntities} from './api.js';
import {entityLink, h} from './dom.js';

const RESOURCE_NAME = /^[a-z][a-z0-9-]*\/[^\s/]+$/;

export async function pathsView({query}) {
  const from = query.get('from') || '';
  const to = query.get('to') || '';
  const nodes = [h('h1', {}, 'Paths between two resources'), pathsForm(from, to)];
  if (!from || !to) return nodes;
  const [fromName, toName] = await Promise.all([resolve(from), resolve(to)]);
  const response = await findPaths(fromName, toName);
  const paths = response.paths || [];
  nodes.push(h('p', {id: 'paths-summary'}, paths.length
    ? `${paths.length} shortest path${paths.length === 1 ? '' : 's'}` +
      ` of ${(paths[0].links || []).length} links${response.truncated ? ' (more exist)' : ''}.`
    : 'No path within 4 links.'));
  nodes.push(h('ol', {class: 'paths'}, paths.map(pathItem)));
  return nodes;
}

async function resolve(text) {
  if (RESOURCE_NAME.test(text)) return text;
  const hit = (await searchEntities(text)).results?.[0];
  if (!hit) throw new Error(`Nothing matches "${text}".`);
  return hit.entity.name;
}

function pathsForm(from, to) {
  const form = h('form', {class: 'paths-form', id: 'paths-form'},
    h('label', {for: 'paths-from'}, 'From'),
    h('input', {id: 'paths-from', name: 'from', value: from, required: true,
      placeholder: 'institutions/korea-university or words'}),
    h('label', {for: 'paths-to'}, 'To'),
    h('input', {id: 'paths-to', name: 'to', value: to, required: true,
      placeholder: 'people/ye-jong-chul or words'}),
    h('button', {type: 'submit'}, 'Find paths'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    location.hash = '#/paths?' + new URLSearchParams({
      from: data.get('from').trim(), to: data.get('to').trim()});
  });
  return form;
}

// entity —predicate→ entity ←predicate— entity: a link may be followed in
// either direction, so each step says which way its fact points.
function pathItem(path) {
  const entities = path.entities || [];
  const links = path.links || [];
  const steps = [h('li', {class: 'path-entity'}, entityLink(entities[0]))];
  links.forEach((link, i) => {
    const forward = link.subject === entities[i].name;
    steps.push(h('li', {class: 'path-link'},
      forward ? `— ${link.predicate} →` : `← ${link.predicate} —`));
    steps.push(h('li', {class: 'path-entity'}, entityLink(entities[i + 1])));
  });
  return h('li', {class: 'path'}, h('ol', {class: 'path-steps'}, steps));
}
