// The explorer's entry point: hash routing, so that every view has a URL
// (docs/explorer.md, "Views"). Each view is a function (params) -> Promise of
// the nodes to show in <main>.
import {h} from './dom.js';
import {homeView} from './home.js';
import {searchView} from './search.js';
import {entityView} from './entity.js';
import {documentView} from './document.js';
import {pathsView} from './paths.js';
import {graphView} from './graph.js';

// '#/entity/institutions/kaist?x=1' -> view 'entity', path 'institutions/kaist'.
const ROUTES = {
  '': homeView,
  'search': searchView,
  'entity': entityView,
  'document': documentView,
  'paths': pathsView,
  'graph': graphView,
};

function parseHash(hash) {
  const text = hash.replace(/^#\/?/, '');
  const [route, queryText = ''] = text.split('?', 2);
  const [view, ...rest] = route.split('/');
  return {
    view: decodeURIComponent(view),
    path: rest.map(decodeURIComponent).join('/'),
    query: new URLSearchParams(queryText),
  };
}

let renderCount = 0;

async function render() {
  const main = document.getElementById('main');
  const route = parseHash(location.hash);
  const view = ROUTES[route.view];
  const ticket = ++renderCount;
  document.body.dataset.state = 'loading';
  document.body.dataset.view = route.view || 'home';
  main.setAttribute('aria-busy', 'true');
  let nodes;
  let state = 'ready';
  try {
    if (!view) throw new Error(`No view "${route.view}".`);
    nodes = await view(route);
  } catch (error) {
    state = 'error';
    nodes = [h('h1', {}, 'Error'), h('p', {class: 'error', role: 'alert'}, error.message)];
  }
  if (ticket !== renderCount) return;  // A later navigation won.
  main.replaceChildren(...[nodes].flat());
  main.removeAttribute('aria-busy');
  const searchInput = document.getElementById('search-input');
  if (route.view === 'search') searchInput.value = route.query.get('q') || '';
  document.title = (main.querySelector('h1')?.textContent || 'Home') + ' — factgraph explorer';
  // Keyboard and screen-reader users land on the new content.
  const focusTarget = main.querySelector('[data-autofocus]') || main.querySelector('h1');
  if (focusTarget) {
    if (!focusTarget.hasAttribute('tabindex') && !focusTarget.matches('a, input, button')) {
      focusTarget.setAttribute('tabindex', '-1');
    }
    focusTarget.focus({preventScroll: true});
    window.scrollTo(0, 0);
    // A target below the fold (a quote far into its article) is centred.
    const box = focusTarget.getBoundingClientRect();
    if (focusTarget.dataset.autofocus === 'scroll' && box.bottom > window.innerHeight) {
      focusTarget.scrollIntoView({block: 'center'});
    }
  }
  // What the browser tests wait for: this hash rendered.
  document.body.dataset.hash = location.hash;
  document.body.dataset.state = state;
}

document.getElementById('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = document.getElementById('search-input').value.trim();
  if (text) location.hash = '#/search?' + new URLSearchParams({q: text});
});
document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  document.getElementById('main').focus();
});
window.addEventListener('hashchange', render);
render();
