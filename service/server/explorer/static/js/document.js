// An article with its cited passages highlighted at their offsets (code
// points from the start of the file: Citation.start_offset). Opened on one
// citation of one resource, that quote is the selected highlight, marked
// stated or curated; the resource's other quotes in the article are lighter.
// Opened alone, every passage that some fact cites is highlighted.
import {getResource, queryFacts} from './api.js';
import {entityLink, h, splitByCodePointRanges} from './dom.js';
import {citationKey, isCurated, valueNodes} from './values.js';

export async function documentView({path: name, query}) {
  const subjectName = query.get('subject');
  const selectedIndex = Number(query.get('citation') ?? -1);
  const [article, subject, subjectFacts] = await Promise.all([
    getResource(name), subjectName ? getResource(subjectName) : null,
    subjectName ? queryFacts({subject: subjectName}) : []]);
  const ranges = subject
    ? subjectRanges(subject, name, selectedIndex)
    : await citedRanges(name);
  const selected = ranges.find((range) => range.selected);
  if (subject && !selected) {
    throw new Error(`${subjectName} has no citation ${selectedIndex} quoting ${name}.`);
  }
  return [
    h('h1', {}, article.displayName || name),
    h('p', {class: 'subtitle'}, entityLink({name, displayName: name}),
      article.publisher ? [' — ', entityLink(article.publisher)] : ''),
    selected ? citationPanel(subject, selected.citation, subjectFacts) : h('p', {class: 'muted'},
      `${ranges.length} cited passages highlighted.`),
    h('article', {class: 'document-text', lang: article.language || 'en'},
      articleNodes(article.content || '', ranges)),
  ];
}

function subjectRanges(subject, documentName, selectedIndex) {
  return (subject.citations || []).flatMap((citation, index) =>
    citation.document === documentName && citation.endOffset
      ? [{start: citation.startOffset || 0, end: citation.endOffset, citation,
        selected: index === selectedIndex,
        title: `${subject.name}: ${(citation.fieldPaths || []).join(', ')}`}]
      : []);
}

// Every passage of the article that a fact cites, once per distinct range.
async function citedRanges(documentName) {
  const facts = await queryFacts({document: documentName});
  const byRange = new Map();
  for (const fact of facts) {
    for (const citation of fact.citations || []) {
      if (citation.document !== documentName || !citation.endOffset) continue;
      const key = `${citation.startOffset || 0}-${citation.endOffset}`;
      if (!byRange.has(key)) {
        byRange.set(key, {start: citation.startOffset || 0, end: citation.endOffset, citation,
          selected: false, subjects: new Set()});
      }
      byRange.get(key).subjects.add(fact.subject);
    }
  }
  return [...byRange.values()].map((range) =>
    ({...range, title: 'Cited by ' + [...range.subjects].join(', ')}));
}

// What the highlighted quote supports: the subject, the kind of citation and
// the values it covers (the subject's facts that carry this citation).
function citationPanel(subject, citation, facts) {
  const curated = isCurated(citation);
  const key = citationKey(citation);
  const supported = facts.filter((fact) =>
    (fact.citations || []).some((factCitation) => citationKey(factCitation) === key));
  return h('aside', {class: 'citation-panel ' + (curated ? 'curated' : 'stated'),
    'aria-label': 'The highlighted citation'},
  h('p', {},
    h('span', {class: 'badge ' + (curated ? 'curated' : 'stated')}, curated ? 'Curated' : 'Stated'),
    curated ? ' context of ' : ' quote of ',
    entityLink({name: subject.name, displayName: subject.displayName}), ' for'),
  h('dl', {class: 'supported'}, supported.map((fact) => [
    h('dt', {}, h('code', {}, fact.path)), h('dd', {}, valueNodes(fact.object || {}))])),
  curated ? h('p', {class: 'note'}, 'No article states the value; the curator\'s note: ',
    citation.note) : '',
  h('p', {}, jumpButton()));
}

function jumpButton() {
  const button = h('button', {type: 'button', id: 'jump-to-quote'}, 'Jump to the quote');
  button.addEventListener('click', () => {
    const quote = document.getElementById('quote');
    quote.scrollIntoView({block: 'center'});
    quote.focus({preventScroll: true});
  });
  return button;
}

function articleNodes(content, ranges) {
  let first = true;
  return splitByCodePointRanges(content, ranges).map((piece) => {
    if (!piece.covering.length) return piece.text;
    const covering = piece.covering.map((index) => ranges[index]);
    const selected = covering.find((range) => range.selected);
    if (!selected) {
      return h('mark', {class: 'cited', title: covering.map((range) => range.title).join('\n')},
        piece.text);
    }
    const curated = isCurated(selected.citation);
    const mark = h('mark', {class: 'selected ' + (curated ? 'curated' : 'stated')}, piece.text);
    if (first) {
      first = false;
      mark.id = 'quote';
      mark.dataset.autofocus = 'scroll';
      mark.tabIndex = -1;
    }
    return mark;
  });
}
