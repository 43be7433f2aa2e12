// The start page: what the knowledge base holds, and its articles.
import {knowledgeBaseInfo} from './api.js';
import {documentHref, h} from './dom.js';

export async function homeView() {
  const info = await knowledgeBaseInfo();
  const counts = Object.entries(info.counts || {}).sort(([a], [b]) => a.localeCompare(b));
  return [
    h('h1', {}, 'factgraph explorer'),
    h('p', {}, 'Search above, open a resource to see every value with the article sentence ',
      'that states it, or find how two resources are linked.'),
    h('section', {'aria-labelledby': 'counts-heading'},
      h('h2', {id: 'counts-heading'}, 'Resources'),
      h('ul', {class: 'counts'}, counts.map(([collection, count]) =>
        h('li', {}, h('span', {class: 'count'}, count), ' ', collection)))),
    h('section', {'aria-labelledby': 'documents-heading'},
      h('h2', {id: 'documents-heading'}, 'Articles'),
      h('ul', {class: 'documents'}, (info.documents || []).map((document) =>
        h('li', {}, h('a', {href: documentHref(document.name)}, document.displayName || document.name),
          document.publisher ? h('span', {class: 'muted'}, ' — ', document.publisher.displayName) : '')))),
    h('p', {class: 'muted'}, `Snapshot ${info.snapshotId || ''}, ${info.factCount || 0} facts.`),
  ];
}
