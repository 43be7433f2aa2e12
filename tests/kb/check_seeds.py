#!/usr/bin/python3
"""Independent checker of the seeds (a second opinion beside the C++ loader).

Usage: check_seeds.py SEEDS_DIR PYTHON_STUBS_DIR
PYTHON_STUBS_DIR holds `protoc --python_out` output for proto/factgraph/v1.
Prints "file:line: problem" for each problem; exit status 1 if any.
"""
import glob
import hashlib
import os
import re
import sys

sys.path.insert(0, sys.argv[2])
from google.protobuf import text_format  # noqa: E402
from factgraph.v1 import knowledge_base_pb2  # noqa: E402

SEEDS = sys.argv[1]
ID_RE = re.compile(r"^[a-z0-9-]+$")
OUTPUT_ONLY = {("EntityRef", "display_name"), ("Citation", "start_offset"),
               ("Citation", "end_offset"), ("Document", "content")}
problems = []
CURATED = 2  # CitationKind.CITATION_KIND_CURATED


def normalise(text):
    text = re.sub(r"[\u2018\u2019]", "'", text)
    text = re.sub(r"[\u201c\u201d]", '"', text)
    return re.sub(r"\s+", " ", text)


def line_of(path, needle):
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if needle in line:
                return number
    return 0


def report(path, needle, message):
    problems.append("%s:%d: %s" % (os.path.relpath(path, SEEDS),
                                     line_of(path, needle), message))


files = [os.path.join(SEEDS, "documents.textproto")] + sorted(
    glob.glob(os.path.join(SEEDS, "kb", "*.textproto")))
entities = {}  # name -> (message, path)
for path in files:
    kb = knowledge_base_pb2.KnowledgeBase()
    with open(path, encoding="utf-8") as f:
        try:
            text_format.Parse(f.read(), kb)
        except text_format.ParseError as error:
            problems.append("%s: %s" % (os.path.relpath(path, SEEDS), error))
            continue
    for field, resources in kb.ListFields():
        for resource in resources:
            collection, _, rid = resource.name.partition("/")
            if collection != field.name or not ID_RE.match(rid):
                report(path, '"%s"' % resource.name,
                       "bad name %r for collection %s" % (resource.name, field.name))
            if resource.name in entities:
                report(path, '"%s"' % resource.name, "duplicate name " + resource.name)
            entities[resource.name] = (resource, path)

documents = {}
for name, (resource, path) in entities.items():
    if name.startswith("documents/"):
        file_path = os.path.join(SEEDS, "documents", resource.file_name)
        data = open(file_path, "rb").read()
        documents[name] = normalise(data.decode("utf-8"))
        if hashlib.sha256(data).hexdigest() != resource.sha256:
            report(path, resource.file_name, "sha256 mismatch for " + name)
        if len(data) != resource.size_bytes:
            report(path, resource.file_name, "size mismatch for " + name)


def leaves(message, prefix):
    """Yields (path components, value) for every set leaf."""
    for field, value in message.ListFields():
        if (message.DESCRIPTOR.name, field.name) in OUTPUT_ONLY:
            report_output_only.append((prefix, field.name))
            continue
        if not prefix and field.name in ("name", "citations"):
            continue
        items = list(enumerate(value)) if field.label == field.LABEL_REPEATED \
            else [(None, value)]
        for index, item in items:
            path = prefix + [(field.name, index)]
            if field.type == field.TYPE_MESSAGE and field.message_type.name != "EntityRef":
                yield from leaves(item, path)
            else:
                yield path, field, item


def covers(citation_path, leaf):
    parts = []
    for token in citation_path.split("."):
        match = re.match(r"^([a-z_0-9]+)(?:\[(\d+)\])?$", token)
        if not match:
            return None
        parts.append((match.group(1), None if match.group(2) is None else int(match.group(2))))
    if len(parts) > len(leaf):
        return False
    return all(p[0] == l[0] and (p[1] is None or p[1] == l[1]) for p, l in zip(parts, leaf))


def check_date(path, name, where, date):
    from factgraph.v1 import common_pb2
    if date.precision == common_pb2.DATE_PRECISION_UNSPECIFIED:
        report(path, name, "%s: %s has no precision" % (name, where))
    if date.precision == common_pb2.DATE_PRECISION_YEAR and (date.month or date.day):
        report(path, name, "%s: %s finer than precision" % (name, where))
    if date.precision == common_pb2.DATE_PRECISION_MONTH and date.day:
        report(path, name, "%s: %s finer than precision" % (name, where))
    if date.inferred != bool(date.inference):
        report(path, name, "%s: %s inferred without reason" % (name, where))
    if not date.text:
        report(path, name, "%s: %s has no text" % (name, where))


for name, (resource, path) in sorted(entities.items()):
    report_output_only = []
    if not resource.citations:
        report(path, '"%s"' % name, name + " has no citation")
    for citation in resource.citations:
        curated = citation.kind == CURATED
        if curated and not citation.note.strip():
            report(path, '"%s"' % name, "%s: curated citation without a note" % name)
        if not curated and (citation.note or citation.reference):
            report(path, citation.quote[:30], "%s: note or reference on a stated citation" % name)
        if curated and not citation.quote:
            if citation.document and citation.document not in documents:
                report(path, '"%s"' % name, "%s: unknown document %s" % (name, citation.document))
            continue
        if citation.document not in documents:
            report(path, citation.quote[:30], "%s: unknown document %s" % (name, citation.document))
        elif normalise(citation.quote) not in documents[citation.document]:
            report(path, citation.quote[:30], "%s: quote not found: %r" % (name, citation.quote))
        if citation.start_offset or citation.end_offset:
            report(path, citation.quote[:30], "%s: offsets are output only" % name)
    for leaf, field, value in leaves(resource, []):
        text_path = ".".join(n if i is None else "%s[%d]" % (n, i) for n, i in leaf)
        if not any(covers(p, leaf) for c in resource.citations for p in c.field_paths):
            report(path, '"%s"' % name, "%s: field %s not covered by a citation" % (name, text_path))
        if field.type == field.TYPE_MESSAGE:  # EntityRef
            if value.name not in entities:
                report(path, value.name, "%s: %s refers to unknown %s" % (name, text_path, value.name))
        if field.type == field.TYPE_ENUM and field.name == "kind" and value == 0:
            report(path, '"%s"' % name, name + ": kind unspecified")
    if "kind" in resource.DESCRIPTOR.fields_by_name and resource.kind == 0:
        report(path, '"%s"' % name, name + ": kind not set")
    for prefix, fname in report_output_only:
        report(path, '"%s"' % name, "%s: output-only %s set" % (name, fname))
    for citation in resource.citations:
        for p in citation.field_paths:
            first = re.match(r"^([a-z_0-9]+)", p)
            if not first or first.group(1) not in resource.DESCRIPTOR.fields_by_name:
                report(path, p, "%s: bad field path %s" % (name, p))
    # Dates and money anywhere in the resource.
    stack = [(resource, name)]
    while stack:
        message, where = stack.pop()
        for field, value in message.ListFields():
            values = value if field.label == field.LABEL_REPEATED else [value]
            for item in values:
                if field.type != field.TYPE_MESSAGE:
                    continue
                if field.message_type.name == "Date":
                    check_date(path, '"%s"' % name, where + "." + field.name, item)
                elif field.message_type.name == "Money":
                    if not re.match(r"^[A-Z]{3}$", item.currency_code) or not item.text \
                            or abs(item.nanos) >= 10**9 or item.units * item.nanos < 0:
                        report(path, '"%s"' % name, "%s: bad money in %s" % (name, field.name))
                else:
                    stack.append((item, where + "." + field.name))

# Support: what a stated citation covers, its quotes must state
# (docs/provenance.md). A second implementation beside support_check.cc.
SCALES = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12}
WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split())}
WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
              "eighty": 80, "ninety": 90, "hundred": 100})
FRACTIONS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5, "tenth": 10}
QUALIFIERS = [("in excess of", "MORE_THAN"), ("more than", "MORE_THAN"),
              ("exceeding", "MORE_THAN"), ("exceeded", "MORE_THAN"),
              ("exceeds", "MORE_THAN"), ("exceed", "MORE_THAN"),
              ("surpassed", "MORE_THAN"), ("above", "MORE_THAN"), ("over", "MORE_THAN"),
              ("approximately", "APPROXIMATE"), ("roughly", "APPROXIMATE"),
              ("around", "APPROXIMATE"), ("about", "APPROXIMATE"),
              ("nearly", "NEARLY"), ("almost", "NEARLY"), ("approaching", "NEARLY"),
              ("approached", "NEARLY"), ("close to", "NEARLY"),
              ("less than", "LESS_THAN"), ("fewer than", "LESS_THAN"),
              ("below", "LESS_THAN"), ("under", "LESS_THAN"), ("at least", "AT_LEAST")]
NUMERAL = re.compile(r"^([0-9]|[a-z]{3} [0-9])")


def numbers(text):
    from fractions import Fraction
    text = text.lower()
    found = set()
    for m in re.finditer(r"(?<![0-9.])([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(\.[0-9]+)?(?:\s*(thousand|million|billion|trillion))?", text):
        value = Fraction(m.group(1).replace(",", "") + (m.group(2) or ""))
        found.add(value)
        if m.group(3):
            found.add(value * 10 ** SCALES[m.group(3)])
    for m in re.finditer(r"\b([a-z]+)(?:-([a-z]+))?(?:\s+(thousand|million|billion|trillion))?", text):
        if m.group(1) in WORDS and WORDS[m.group(1)]:
            value = WORDS[m.group(1)]
            found.add(Fraction(value) * 10 ** SCALES.get(m.group(3), 0))
            fraction = (m.group(2) or "").rstrip("s")
            if fraction in FRACTIONS:
                found.add(Fraction(value, FRACTIONS[fraction]))
    return found


def qualifier_at(quote, position):
    text = quote.lower()
    before = text[:position].rstrip(" (")
    figure = text[position:]
    for phrase, suffix in QUALIFIERS:
        if NUMERAL.match(figure) and re.search(r"(^|[^a-z])" + re.escape(phrase) + "$", before):
            return suffix, phrase
        rest = figure[len(phrase) + 1:]
        if figure.startswith(phrase + " ") and (NUMERAL.match(rest) or rest.split(" ")[0].split("-")[0] in WORDS):
            return suffix, phrase
    return None, None


QUOTED_STRINGS = {("Role", "title"), ("Statistic", "text"), ("Institution", "display_name"),
                  ("Person", "display_name")}


def message_leaves(message, prefix):
    """(path components, parent, field, value), values and dates/money as leaves."""
    for field, value in message.ListFields():
        if not prefix and field.name in ("name", "citations"):
            continue
        items = list(enumerate(value)) if field.label == field.LABEL_REPEATED else [(None, value)]
        for index, item in items:
            path = prefix + [(field.name, index)]
            if field.type == field.TYPE_MESSAGE and field.message_type.name not in ("EntityRef", "Date", "Money"):
                yield from message_leaves(item, path)
            else:
                yield path, message, field, item


def check_support(name, resource, path):
    for leaf, parent, field, value in message_leaves(resource, []):
        stated = [c for c in resource.citations if c.kind != CURATED
                  and any(covers(p, leaf) for p in c.field_paths)]
        if not stated:
            continue
        quotes = [normalise(c.quote) for c in stated]
        where = ".".join(n if i is None else "%s[%d]" % (n, i) for n, i in leaf)

        def quoted(text):
            if not any(normalise(text) in q for q in quotes):
                report(path, '"%s"' % name, "%s: %s %r not in its stated quote" % (name, where, text))
                return False
            return True

        def qualified(message, text, prefix):
            for q in quotes:
                at = q.find(normalise(text))
                if at < 0:
                    continue
                suffix, phrase = qualifier_at(q, at)
                actual = message.DESCRIPTOR.fields_by_name["qualifier"].enum_type.values_by_number[message.qualifier].name
                if suffix and actual != prefix + suffix:
                    report(path, '"%s"' % name, "%s: %s: quote says %r, qualifier is %s" % (name, where, phrase, actual))

        def stated_number(value):
            from fractions import Fraction
            target = Fraction(value).limit_denominator(10**9)
            if not any(abs(target - n) <= Fraction(1, 10**9) * max(1, abs(target)) for q in quotes for n in numbers(q)):
                report(path, '"%s"' % name, "%s: %s %s is not a number of its stated quote" % (name, where, value))

        kind = (parent.DESCRIPTOR.name, field.name)
        if field.type == field.TYPE_STRING:
            if field.name == "aliases" or (kind in QUOTED_STRINGS and (kind[1] != "display_name" or parent is resource)):
                if quoted(value) and kind == ("Statistic", "text"):
                    qualified(parent, value, "STATISTIC_QUALIFIER_")
        elif kind in (("Statistic", "value"), ("Statistic", "value_max")):
            stated_number(value)
        elif field.type == field.TYPE_MESSAGE and field.message_type.name == "Date":
            if value.inferred:
                report(path, '"%s"' % name, "%s: %s: inferred date cited as stated" % (name, where))
            elif value.text:
                quoted(value.text)
        elif field.type == field.TYPE_MESSAGE and field.message_type.name == "Money":
            if quoted(value.text):
                qualified(value, value.text, "MONEY_QUALIFIER_")
            from fractions import Fraction
            stated_number(Fraction(value.units) + Fraction(value.nanos, 10**9))


for name, (resource, path) in sorted(entities.items()):
    check_support(name, resource, path)

# Statements: the words are verbatim, so a quote that claims `text` holds it
# whole; and someone said them.
for name, (resource, path) in sorted(entities.items()):
    if not name.startswith("statements/"):
        continue
    if not resource.speaker.name:
        report(path, '"%s"' % name, name + ": no speaker")
    text_quotes = [normalise(c.quote) for c in resource.citations if "text" in c.field_paths]
    if not any(normalise(resource.text) in quote for quote in text_quotes):
        report(path, '"%s"' % name, name + ": text is not in a quote that cites it")

counts = {}
for name in entities:
    counts[name.split("/")[0]] = counts.get(name.split("/")[0], 0) + 1
print("counts:", sorted(counts.items()))
for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
