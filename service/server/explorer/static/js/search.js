// Search results with the matched words highlighted: SearchResult.matches
// carries each matched text and its spans in code points (docs/search.md,
// "Explanations").
import {searchEntities} from './api.js';
import {enumLabel, entityLink, h, highlighted} from './dom.js';

export async function searchView({query}) {
  const text = query.get('q') || '';
  if (!text) return [h('h1', {}, 'Search'), h('p', {}, 'Type words in the search box.')];
  const response = await searchEntities(text, query.get('page') || undefined);
  const results = response.results || [];
  const nodes = [
    h('h1', {}, 'Search: ', text),
    h('p', {class: 'muted', id: 'result-count'},
      `${response.totalSize || 0} result${response.totalSize === 1 ? '' : 's'}`),
    h('ol', {class: 'results'}, results.map(resultItem)),
  ];
  if (response.nextPageToken) {
    const next = new URLSearchParams({q: text, page: response.nextPageToken});
    nodes.push(h('p', {}, h('a', {href: '#/search?' + next, rel: 'next'}, 'Next results')));
  }
  return nodes;
}

function resultItem(result) {
  return h('li', {class: 'result'},
    h('div', {class: 'result-head'},
      entityLink(result.entity),
      h('span', {class: 'badge'}, result.collection),
      h('span', {class: 'muted'}, enumLabel(result.matchKind, 'MATCH_KIND_'))),
    h('dl', {class: 'matches'}, (result.matches || []).map((match) => [
      h('dt', {}, match.field),
      h('dd', {}, match.textOffset ? '…' : '',
        highlighted(match.text, (match.spans || []).map((span) =>
          ({start: span.startOffset || 0, end: span.endOffset || 0})))),
    ])));
}
