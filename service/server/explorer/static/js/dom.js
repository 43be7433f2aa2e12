// Small DOM helpers. Every text from the server goes in through textContent
// (never innerHTML), so that no data can become markup (docs/explorer.md,
// "Security").

/** Creates an element: h('a', {href: '#/'}, 'text', child, ...). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** Creates an SVG element with attributes. */
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attributes)) {
    element.setAttribute(key, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false || child === '') continue;
    element.append(child instanceof Node ? child : String(child));
  }
}

/** The route of a resource's page: '#/entity/institutions/kaist'. */
export function entityHref(name) {
  return '#/entity/' + name.split('/').map(encodeURIComponent).join('/');
}

/** A link to a resource's page, showing its display name when known. */
export function entityLink(ref) {
  const label = ref.displayName || ref.name;
  return h('a', {href: entityHref(ref.name), class: 'entity-link', 'data-name': ref.name}, label);
}

/** The route of a document view, optionally on one citation of a resource. */
export function documentHref(documentName, subject, citationIndex) {
  let href = '#/document/' + documentName.split('/').map(encodeURIComponent).join('/');
  if (subject !== undefined) {
    href += '?' + new URLSearchParams({subject, citation: String(citationIndex)});
  }
  return href;
}

/** The collection of a resource name: 'institutions/kaist' -> 'institutions'. */
export function collectionOf(name) {
  return name.split('/')[0];
}

/**
 * Splits `text` into pieces at code-point offsets (the unit of every offset
 * the API returns: docs/search.md, Citation.start_offset), returning for each
 * piece its text and the indexes of the ranges that cover it.
 * ranges: [{start, end}], end exclusive, in code points.
 */
export function splitByCodePointRanges(text, ranges) {
  const codePoints = Array.from(text);
  const cuts = new Set([0, codePoints.length]);
  for (const range of ranges) {
    cuts.add(clamp(range.start, 0, codePoints.length));
    cuts.add(clamp(range.end, 0, codePoints.length));
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const pieces = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const start = sorted[i];
    const end = sorted[i + 1];
    const covering = [];
    ranges.forEach((range, index) => {
      if (range.start <= start && end <= range.end) covering.push(index);
    });
    pieces.push({text: codePoints.slice(start, end).join(''), covering});
  }
  return pieces;
}

// What ends a sentence: a terminator followed by a space, or a line break.
const SENTENCE_END = new Set(['.', '!', '?', '\u3002', '\uFF01', '\uFF1F']);
const CONTEXT_LIMIT = 240;

function isSentenceBoundary(codePoints, index) {
  if (index <= 0 || index >= codePoints.length) return true;
  const previous = codePoints[index - 1];
  return previous === '\n' || (SENTENCE_END.has(previous) && /\s/u.test(codePoints[index]));
}

/**
 * The code-point range [start, end) of `text` within its sentence (from the
 * sentence's start to its end, at most `limit` code points each side, cut
 * with an ellipsis): {before, quote, after}, so that a quote can be shown
 * where it stands in its article.
 */
export function sentenceContext(text, start, end, limit = CONTEXT_LIMIT) {
  const codePoints = Array.from(text);
  const quoteStart = clamp(start, 0, codePoints.length);
  const quoteEnd = clamp(end, quoteStart, codePoints.length);
  let from = quoteStart;
  while (!isSentenceBoundary(codePoints, from) && quoteStart - from < limit) from--;
  let to = quoteEnd;
  while (!isSentenceBoundary(codePoints, to) && to - quoteEnd < limit) to++;
  const before = codePoints.slice(from, quoteStart).join('').trimStart();
  const after = codePoints.slice(quoteEnd, to).join('').trimEnd();
  return {
    before: (isSentenceBoundary(codePoints, from) ? '' : '…') + before,
    quote: codePoints.slice(quoteStart, quoteEnd).join(''),
    after: after + (isSentenceBoundary(codePoints, to) ? '' : '…'),
  };
}

function clamp(value, low, high) {
  return Math.min(Math.max(value, low), high);
}

/** `text` with the code-point ranges wrapped in <mark class="match">. */
export function highlighted(text, ranges) {
  return splitByCodePointRanges(text, ranges).map((piece) =>
    piece.covering.length ? h('mark', {class: 'match'}, piece.text) : piece.text);
}

/** 'CITATION_KIND_CURATED' -> 'curated', given the enum's prefix. */
export function enumLabel(value, prefix) {
  if (!value) return '';
  const bare = value.startsWith(prefix) ? value.slice(prefix.length) : value;
  return bare.toLowerCase().replaceAll('_', ' ');
}
