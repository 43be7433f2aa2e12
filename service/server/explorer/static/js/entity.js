// A resource's page: every field as the fact view gives it (QueryFacts on the
// subject: one fact per set field, with the citations that cover it), each
// value linked to its citations; the citations, stated and curated
// (docs/provenance.md), each quote highlighted within its sentence of the
// cited article; and its neighbours.
import {getResource, listNeighbors, queryFacts} from './api.js';
import {collectionOf, documentHref, entityHref, entityLink, h, sentenceContext} from './dom.js';
import {citationKey, isCurated, valueNodes} from './values.js';

export async function entityView({path: name, query}) {
  // The resource first: a wrong name fails with Get's NOT_FOUND alone.
  const resource = await getResource(name);
  const citations = resource.citations || [];
  const [facts, neighbors, articles] = await Promise.all([
    queryFacts({subject: name}), listNeighbors(name, 1), citedArticles(citations)]);
  const indexOf = citationIndexer(citations);
  const focusCitation = query.has('citation') ? Number(query.get('citation')) : -1;
  const collection = collectionOf(name);
  return [
    h('h1', {}, resource.displayName || name),
    h('p', {class: 'subtitle'}, h('code', {}, name), ' ', h('span', {class: 'badge'}, collection)),
    h('nav', {class: 'actions', 'aria-label': 'About this resource'},
      collection === 'documents' ? h('a', {href: documentHref(name)}, 'Read the article') : '',
      h('a', {href: '#/graph/' + name}, 'Graph of its neighbourhood'),
      h('a', {href: '#/paths?' + new URLSearchParams({from: name})}, 'Find paths from here')),
    h('section', {'aria-labelledby': 'fields-heading'},
      h('h2', {id: 'fields-heading'}, 'Fields'),
      fieldsTable(name, facts, citations, indexOf)),
    h('section', {'aria-labelledby': 'citations-heading'},
      h('h2', {id: 'citations-heading'}, 'Citations'),
      h('ol', {class: 'citations'}, citations.map((citation, index) =>
        citationItem(name, citation, index, index === focusCitation, articles)))),
    h('section', {'aria-labelledby': 'neighbors-heading'},
      h('h2', {id: 'neighbors-heading'}, 'Neighbours'),
      neighborsList(name, neighbors.neighbors || [])),
  ];
}

// The articles the citations quote, each fetched once: name -> Document.
async function citedArticles(citations) {
  const names = [...new Set(citations.flatMap((citation) =>
    citation.document && citation.endOffset ? [citation.document] : []))];
  const articles = await Promise.all(names.map(getResource));
  return new Map(names.map((documentName, i) => [documentName, articles[i]]));
}

// A fact's citation by its position in the resource's `citations`, so that a
// link can name it.
function citationIndexer(citations) {
  const indexes = new Map(citations.map((citation, index) => [citationKey(citation), index]));
  return (citation) => indexes.get(citationKey(citation)) ?? -1;
}

function fieldsTable(name, facts, citations, indexOf) {
  return h('table', {class: 'fields'},
    h('thead', {}, h('tr', {},
      h('th', {scope: 'col'}, 'Field'), h('th', {scope: 'col'}, 'Value'),
      h('th', {scope: 'col'}, 'Sources'))),
    h('tbody', {}, facts.map((fact) =>
      h('tr', {'data-path': fact.path, class: isCurated(fact) ? 'curated' : 'stated'},
        h('th', {scope: 'row'}, h('code', {}, fact.path)),
        h('td', {class: 'value'}, valueNodes(fact.object || {})),
        h('td', {class: 'sources'}, (fact.citations || []).map((citation) =>
          sourceLink(name, citation, indexOf(citation))))))));
}

/** One citation of a value: to the article's quote, or to the curator's note. */
function sourceLink(name, citation, index) {
  const curated = isCurated(citation);
  const label = `[${index + 1}]${curated ? ' curated' : ''}`;
  const href = citation.document && citation.endOffset
    ? documentHref(citation.document, name, index)
    : entityHref(name) + '?' + new URLSearchParams({citation: String(index)});
  const title = curated
    ? 'Curated, no article states it: ' + (citation.note || '')
    : 'Stated in ' + citation.document + ': “' + (citation.quote || '') + '”';
  return h('a', {href, class: 'citation ' + (curated ? 'curated' : 'stated'), title}, label);
}

function citationItem(name, citation, index, focused, articles) {
  const curated = isCurated(citation);
  const article = citation.endOffset ? articles.get(citation.document) : undefined;
  return h('li', {class: 'citation-entry ' + (curated ? 'curated' : 'stated'),
    id: `citation-${index}`, 'data-autofocus': focused ? 'scroll' : false},
  h('span', {class: 'badge ' + (curated ? 'curated' : 'stated')}, curated ? 'Curated' : 'Stated'),
  ' for ', (citation.fieldPaths || []).map((path, i) => [i ? ', ' : '', h('code', {}, path)]),
  curated ? h('p', {class: 'note'}, 'No article states it: ', citation.note) : '',
  article ? quoteInContext(name, citation, index, article)
    : citation.quote ? h('blockquote', {}, citation.quote) : '',
  article
    ? h('p', {}, h('a', {href: documentHref(citation.document, name, index), class: 'show-quote'},
      'Show in ', article.displayName || citation.document))
    : '',
  citation.reference ? h('p', {class: 'muted'}, 'Check: ', citation.reference) : '');
}

// The quoted passage at the citation's offsets (code points, as in the
// article view) highlighted within its sentence, linked to the article view.
function quoteInContext(name, citation, index, article) {
  const curated = isCurated(citation);
  const {before, quote, after} = sentenceContext(article.content || '',
    citation.startOffset || 0, citation.endOffset);
  return h('blockquote', {class: 'in-context'},
    before,
    h('a', {href: documentHref(citation.document, name, index), class: 'quote-link',
      title: (curated ? 'Curated context' : 'Stated') + ', in ' + citation.document},
    h('mark', {class: 'quote ' + (curated ? 'curated' : 'stated')}, quote)),
    after);
}

function neighborsList(name, neighbors) {
  if (!neighbors.length) return h('p', {}, 'No linked resources.');
  return h('ul', {class: 'neighbors'}, neighbors.map((neighbor) =>
    h('li', {}, entityLink(neighbor.entity), ' ',
      h('span', {class: 'badge'}, collectionOf(neighbor.entity.name)), ' ',
      h('span', {class: 'muted'}, (neighbor.links || []).map((link) =>
        link.subject === name ? `${link.predicate} →` : `← ${link.predicate}`).join(', ')))));
}

