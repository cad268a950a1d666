#!/usr/bin/env python3
"""Fails when a C++ function definition is longer than --max lines (signature to closing brace).

Reads the files as text (no compiler): comments, string and character literals are skipped, and a
brace opens a function body when the text before it, back to the last ';', '{' or '}', has a
parameter list and is neither a type, a namespace nor an initialiser. Lambdas and local classes
count towards the function that holds them. Used by `make lint-fast` on tb/ (issue: no function
there over 80 lines, so the testbench reads as parts).
"""
import argparse
import re
import sys

CONTAINER = re.compile(
    r'^(?:template\s*<.*>\s*)?(?:namespace|class|struct|union|enum|extern\s+"C")\b', re.S)


def strip(text):
    """The text with comments and literals blanked out, newlines kept (line numbers stay)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:j]))
            i = j
        elif text.startswith('R"', i):
            m = re.match(r'R"([^(]*)\(', text[i:])
            end = text.find(')' + m.group(1) + '"', i) if m else -1
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:j]))
            i = j
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            out.append(c + ' ' * (j - i - 1) + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    # Preprocessor lines (with their continuations) are blanked too.
    return re.sub(r'(?m)^[ \t]*#(?:[^\n]*\\\n)*[^\n]*', lambda m: re.sub(r'[^\n]', ' ', m.group(0)),
                  ''.join(out))


def functions(text):
    """(name, first line, last line) of every function definition outside another function."""
    code = strip(text)
    found, stack = [], []  # stack: 'container', 'function' or 'other' per open brace
    head_start = 0
    i = 0
    while i < len(code):
        c = code[i]
        if c in ';}':
            if c == '}' and stack:
                kind, start, name = stack.pop()
                if kind == 'function':
                    found.append((name, code.count('\n', 0, start) + 1,
                                  code.count('\n', 0, i) + 1))
            head_start = i + 1
        elif c == '{':
            head = code[head_start:i]
            inside = any(k == 'function' or k == 'other' for k, _, _ in stack)
            stripped = head.strip()
            if inside:
                kind = 'other'
            elif CONTAINER.match(stripped):
                kind = 'container'
            elif '(' in stripped and not re.search(r'(?<![=!<>])=(?!=)', stripped.split('(')[0]):
                kind = 'function'
            else:
                kind = 'other'
            start = head_start + len(head) - len(head.lstrip())
            name = re.sub(r'\s+', ' ', stripped.split('(')[0])[-60:]
            stack.append((kind, start, name))
            head_start = i + 1
        i += 1
    return found


def self_test(limit):
    """The check passes a function of `limit` lines and fails one a line longer, also with a
    comment, a string and a lambda holding braces, and a namespace and a struct around it."""
    def source(lines):
        body = ['  auto f = [] { return "}"; };  // }'] + ['  ;'] * (lines - 3)
        return '\n'.join(['#include <x>', 'namespace n {', 'struct S { int a{0}; };',
                          'int f(int x) {'] + body + ['}', '}  // namespace n', ''])
    fits = [(n, a, b) for n, a, b in functions(source(limit))]
    over = [(n, a, b) for n, a, b in functions(source(limit + 1))]
    ok = ([b - a + 1 for _, a, b in fits] == [limit] and
          [b - a + 1 for _, a, b in over] == [limit + 1])
    print(f'function size self-test: {"pass" if ok else "FAIL"} ({fits} / {over})')
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('files', nargs='*')
    ap.add_argument('--max', type=int, default=80, help='most lines a function may have')
    ap.add_argument('--self-test', action='store_true',
                    help='check the measure on functions of --max and --max + 1 lines')
    args = ap.parse_args()
    if args.self_test:
        return self_test(args.max)
    if not args.files:
        ap.error('no files')
    long = []
    for path in args.files:
        with open(path, encoding='utf-8') as f:
            for name, first, last in functions(f.read()):
                if last - first + 1 > args.max:
                    long.append(f'{path}:{first}: {name}: {last - first + 1} lines')
    for line in long:
        print(line)
    if long:
        print(f'function size: {len(long)} function(s) over {args.max} lines', file=sys.stderr)
        return 1
    print(f'function size: no function over {args.max} lines in {len(args.files)} files')
    return 0


if __name__ == '__main__':
    sys.exit(main())
