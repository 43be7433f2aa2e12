// The explorer's offset arithmetic (static/js/dom.js) under Node: offsets
// are code points (docs/search.md), which JavaScript strings are not.
// Run: node --test dom_test.mjs
import assert from 'node:assert/strict';
import {copyFileSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';

// dom.js is an ES module named .js (as browsers want it); Node reads it as one
// under the name .mjs, whatever its version's defaults. It imports nothing.
const dir = mkdtempSync(join(tmpdir(), 'explorer-dom-'));
process.on('exit', () => rmSync(dir, {recursive: true, force: true}));
const copy = join(dir, 'dom.mjs');
copyFileSync(new URL('../../service/server/explorer/static/js/dom.js', import.meta.url), copy);
const {sentenceContext, splitByCodePointRanges} = await import(copy);

const pieces = (text, ranges) =>
  splitByCodePointRanges(text, ranges).map(({text, covering}) => [text, covering]);

test('ASCII text splits at the offsets', () => {
  assert.deepEqual(pieces('KU and KAIST signed', [{start: 7, end: 12}]),
    [['KU and ', []], ['KAIST', [0]], [' signed', []]]);
});

test('offsets count code points, not UTF-16 units', () => {
  // U+1D11E (musical symbol G clef) is two UTF-16 units and one code point.
  assert.deepEqual(pieces('a\u{1D11E}b KAIST', [{start: 4, end: 9}]),
    [['a\u{1D11E}b ', []], ['KAIST', [0]]]);
  assert.deepEqual(pieces('\u{1F600}\u{1F600}x', [{start: 1, end: 2}]),
    [['\u{1F600}', []], ['\u{1F600}', [0]], ['x', []]]);
});

test('Hangul is one code point per syllable', () => {
  assert.deepEqual(pieces('고려대학교의 KAIST', [{start: 0, end: 5}, {start: 7, end: 12}]),
    [['고려대학교', [0]], ['의 ', []], ['KAIST', [1]]]);
});

test('overlapping and nested ranges split into pieces covered by each', () => {
  assert.deepEqual(pieces('abcdef', [{start: 1, end: 4}, {start: 2, end: 6}]),
    [['a', []], ['b', [0]], ['cd', [0, 1]], ['ef', [1]]]);
  assert.deepEqual(pieces('abc', [{start: 0, end: 3}, {start: 0, end: 3}]),
    [['abc', [0, 1]]]);
});

test('ranges past the end are clamped, empty ranges cover nothing', () => {
  assert.deepEqual(pieces('abc', [{start: 2, end: 99}, {start: 1, end: 1}]),
    [['a', []], ['b', []], ['c', [0]]]);
  assert.deepEqual(pieces('', [{start: 0, end: 3}]), []);
});

test('a quote is shown within its sentence', () => {
  const text = 'First one. KU and KAIST signed it on May 2. Then more.';
  assert.deepEqual(sentenceContext(text, 18, 23),
    {before: 'KU and ', quote: 'KAIST', after: ' signed it on May 2.'});
  // A quote that is a whole sentence has no context; a line break ends one too.
  assert.deepEqual(sentenceContext(text, 11, 43), {before: '', quote: text.slice(11, 43), after: ''});
  assert.deepEqual(sentenceContext('Title\nKAIST is here\nNext', 6, 11),
    {before: '', quote: 'KAIST', after: ' is here'});
  // A decimal point is no sentence end.
  assert.deepEqual(sentenceContext('It rose 2.5 percent. No.', 8, 11),
    {before: 'It rose ', quote: '2.5', after: ' percent.'});
});

test('the sentence context counts code points and is cut at the limit', () => {
  assert.deepEqual(sentenceContext('\u{1F600}가 KAIST 나.', 3, 8),
    {before: '\u{1F600}가 ', quote: 'KAIST', after: ' 나.'});
  assert.deepEqual(sentenceContext('abcdefghij', 4, 6, 2),
    {before: '…cd', quote: 'ef', after: 'gh…'});
});
