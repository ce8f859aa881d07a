#!/usr/bin/env python3
"""Lists Java sources (and the .java.template files the build generates Java from) over 600 lines
and methods or constructors over a limit (default 80 lines).

Usage: .ci/sizes.py [LIMIT] [DIR...]   (default: 80 src)
A method is counted from its signature line to its closing brace; lambdas and anonymous classes
count towards the method around them. Exit status 1 when any file or method is too long.
"""
import os
import re
import sys

SIGNATURE = re.compile(
    r'^\s*(?:(?:public|private|protected|static|final|abstract|synchronized|default)\s+)*'
    r'(?:<[^>]+>\s+)?[\w.<>\[\], ?]+?\s+(\w+)\s*\([^;{]*$|'
    r'^\s*(?:(?:public|private|protected|static|final|abstract|synchronized|default)\s+)*'
    r'(?:<[^>]+>\s+)?[\w.<>\[\], ?]+?\s+(\w+)\s*\(.*\)\s*(?:throws [\w., ]+)?\s*\{\s*$')
# The GEMM micro-kernel is unrolled on purpose: its registers are its local variables.
ALLOWED = {('VectorBlocks.java.template', 'block8x2')}
FILE_LIMIT = 600
KEYWORDS = {'if', 'for', 'while', 'switch', 'catch', 'synchronized', 'return', 'new', 'else'}


def strip(line):
    """The line without string literals, char literals and line comments."""
    line = re.sub(r'"(?:\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(?:\\.|[^'\\])*'", "''", line)
    return line.split('//', 1)[0]


def methods(path):
    lines = open(path, encoding='utf-8').read().split('\n')
    depth = 0
    in_block_comment = False
    current = None  # (name, start line, depth before the body)
    for number, raw in enumerate(lines, 1):
        line = strip(raw)
        if in_block_comment:
            if '*/' not in line:
                continue
            line = line.split('*/', 1)[1]
            in_block_comment = False
        if '/*' in line:
            before, after = line.split('/*', 1)
            in_block_comment = '*/' not in after
            line = before
        if current is None:
            m = SIGNATURE.match(line)
            name = m and (m.group(1) or m.group(2))
            declares_type = re.search(r'\b(record|class|interface|enum)\b', line)
            if name and name not in KEYWORDS and depth >= 1 and not declares_type:
                current = (name, number, depth)
        for ch in line:
            if ch == '{':
                depth += 1
            elif ch == '}':
                depth -= 1
                if current is not None and depth == current[2]:
                    yield current[0], current[1], number - current[1] + 1
                    current = None
        if current is not None and line.rstrip().endswith(';') and depth == current[2]:
            current = None  # an abstract or interface method


def main():
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 80
    roots = sys.argv[2:] or ['src']
    long_ones = []
    for root in roots:
        for folder, _, files in os.walk(root):
            for f in sorted(files):
                if f.endswith(('.java', '.java.template')):
                    path = os.path.join(folder, f)
                    lines = open(path, encoding='utf-8').read().count('\n')
                    if lines > FILE_LIMIT:
                        long_ones.append((lines, path, 1, 'the file'))
                    for name, start, length in methods(path):
                        if length > limit and (f, name) not in ALLOWED:
                            long_ones.append((length, path, start, name))
    for length, path, start, name in sorted(long_ones, reverse=True):
        print(f'{path}:{start}: {name} has {length} lines')
    return 1 if long_ones else 0


if __name__ == '__main__':
    sys.exit(main())
