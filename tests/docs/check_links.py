#!/usr/bin/python3
"""Checks that every relative link in the project's Markdown documents (the
*.md files at the root and in docs/) points at a file or directory that
exists and, when it names an anchor (#section), at a heading of that file;
and that README.md links every one of those documents, so that a reader
finds each from the front page.

  /usr/bin/python3 tests/docs/check_links.py SOURCE_DIR

Links with a scheme (https:, mailto:) are not followed. Anchors are compared
with the ids GitHub gives headings: lower case, punctuation other than "-"
and "_" dropped, spaces as "-", a repeated heading suffixed "-1", "-2"...
Prints every broken link as "file:line: link: why" and exits 1 if any.
"""
import os
import re
import sys

LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")


def documents(root):
    """The checked files, relative to root, sorted."""
    found = []
    for folder in ("", "docs"):
        directory = os.path.join(root, folder)
        for name in sorted(os.listdir(directory)):
            if name.endswith(".md"):
                found.append(os.path.join(folder, name))
    return found


def prose_lines(text):
    """(line number, line) of every line outside fenced code blocks."""
    fenced = False
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


def slug(heading):
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path):
    ids = set()
    seen = {}
    with open(path, encoding="utf-8") as f:
        for _, line in prose_lines(f.read()):
            match = HEADING.match(line)
            if not match:
                continue
            base = slug(match.group(2))
            count = seen.get(base, 0)
            seen[base] = count + 1
            ids.add(base if count == 0 else f"{base}-{count}")
    return ids


def check(root):
    problems = []
    cache = {}
    linked_from_readme = set()
    for document in documents(root):
        path = os.path.join(root, document)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for number, line in prose_lines(text):
            for match in LINK.finditer(INLINE_CODE.sub("", line)):
                target = match.group(1)
                if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target):
                    continue
                file_part, _, anchor = target.partition("#")
                where = f"{document}:{number}: {target}"
                resolved = (os.path.normpath(os.path.join(os.path.dirname(path), file_part))
                            if file_part else path)
                if not resolved.startswith(os.path.abspath(root)):
                    problems.append(f"{where}: outside the repository")
                    continue
                if not os.path.exists(resolved):
                    problems.append(f"{where}: no such file")
                    continue
                if document == "README.md":
                    linked_from_readme.add(os.path.relpath(resolved, root))
                if anchor:
                    if not resolved.endswith(".md") or os.path.isdir(resolved):
                        problems.append(f"{where}: an anchor into a file that is not Markdown")
                        continue
                    if resolved not in cache:
                        cache[resolved] = anchors(resolved)
                    if anchor not in cache[resolved]:
                        problems.append(f"{where}: no heading with the id \"{anchor}\"")
    for document in documents(root):
        if document != "README.md" and document not in linked_from_readme:
            problems.append(f"README.md: does not link {document}")
    return problems


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
    problems = check(root)
    for problem in problems:
        print(problem)
    checked = len(documents(root))
    if problems:
        print(f"FAIL: {len(problems)} problems in {checked} documents")
        return 1
    print(f"PASS: every relative link of {checked} documents resolves; README links each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
