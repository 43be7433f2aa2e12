// How a fact's value and a citation are shown, shared by the entity page and
// the article view.
import {entityLink, h} from './dom.js';

const LONG_TEXT = 300;

/** The nodes showing a FactValue: a link for a reference, else its text. */
export function valueNodes(object) {
  if ('entityValue' in object) return entityLink(object.entityValue);
  if ('enumValue' in object) return h('code', {}, object.enumValue);
  if ('dateValue' in object) return dateText(object.dateValue);
  if ('moneyValue' in object) {
    const money = object.moneyValue;
    return money.text || `${money.currencyCode || ''} ${money.units || 0}`;
  }
  for (const key of ['stringValue', 'intValue', 'doubleValue', 'boolValue']) {
    if (key in object) {
      const text = String(object[key]);
      return text.length > LONG_TEXT ? Array.from(text).slice(0, LONG_TEXT).join('') + '…' : text;
    }
  }
  return '';
}

function dateText(date) {
  const parts = [date.year, date.month, date.day].filter((part) => part);
  const text = date.text || parts.join('-');
  return date.inferred ? [text, h('span', {class: 'muted'}, ' (inferred: ', date.inference, ')')] : text;
}

export function isCurated(citationOrFact) {
  return citationOrFact.kind === 'CITATION_KIND_CURATED';
}

/**
 * Identifies a citation by its content: facts carry copies of their
 * resource's citations, and this finds which one a copy is.
 */
export function citationKey(citation) {
  return JSON.stringify([citation.document || '', citation.startOffset || 0,
    citation.endOffset || 0, citation.kind || '', citation.note || '', citation.quote || '',
    citation.fieldPaths || []]);
}
