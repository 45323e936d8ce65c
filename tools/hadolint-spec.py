#!/usr/bin/env python3
"""hadolint-spec.py - turns hadolint's rule specifications into distill's test data.

usage: tools/hadolint-spec.py HADOLINT_CHECKOUT OUTDIR

Reads the hspec files of a hadolint checkout (test/Hadolint/Rule/*Spec.hs and
test/Hadolint/PragmaSpec.hs) at its HEAD commit and writes one case file per
spec into OUTDIR (tests/hadolint-spec/ in this repository), in the format that
tests/conformance/drv_hadolint.c reads and tests/hadolint-spec/README.md
describes. Only the cases are taken: the Dockerfile text, the rule code, the
expectation and the configuration a case runs with. Nothing of hadolint's
Haskell is kept.

The reader understands the shapes the specifications use: string literals
(with Haskell escapes and string gaps), lists of them, Text.unlines,
let-bound names, `let ?config = def { ... }` (allowedRegistries,
labelSchema, strictLabels), and the assertions ruleCatches, ruleCatchesNot,
onBuildRuleCatches, onBuildRuleCatchesNot, and assertChecks /
assertOnBuildChecks with failsWith N. A statement it cannot read is reported
on stderr and skipped, so a new shape never passes silently.
"""
import os
import re
import subprocess
import sys

ESCAPES = {'n': '\n', 't': '\t', '\\': '\\', '"': '"', "'": "'", 'r': '\r', '&': '', 'a': '\a',
           'b': '\b', 'f': '\f', 'v': '\v', '0': '\0'}


def lex(src):
    """Yields (kind, value, line) tokens: str, name, num, sym."""
    i, n, line = 0, len(src), 1
    while i < n:
        c = src[i]
        if c == '\n':
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif src.startswith('--', i) and not re.match(r'--[!#$%&*+./<=>?@\\^|~:]', src[i:i + 3]):
            while i < n and src[i] != '\n':
                i += 1
        elif src.startswith('{-', i):
            j = src.index('-}', i)
            line += src.count('\n', i, j)
            i = j + 2
        elif c == '"':
            start = line
            i += 1
            out = []
            while src[i] != '"':
                if src[i] == '\\':
                    i += 1
                    e = src[i]
                    if e.isspace():  # a string gap: \ whitespace \
                        while src[i] != '\\':
                            if src[i] == '\n':
                                line += 1
                            i += 1
                        i += 1
                    elif e in ESCAPES:
                        out.append(ESCAPES[e])
                        i += 1
                    elif e.isdigit():
                        m = re.match(r'\d+', src[i:])
                        out.append(chr(int(m.group(0))))
                        i += len(m.group(0))
                    elif e == 'x':
                        m = re.match(r'x([0-9a-fA-F]+)', src[i:])
                        out.append(chr(int(m.group(1), 16)))
                        i += len(m.group(0))
                    else:
                        raise ValueError('line %d: escape \\%s' % (line, e))
                else:
                    if src[i] == '\n':
                        line += 1
                    out.append(src[i])
                    i += 1
            i += 1
            yield ('str', ''.join(out), start)
        elif c.isalpha() or c == '_' or c == '?':
            m = re.match(r"\??[A-Za-z_][A-Za-z0-9_']*(\.[A-Za-z_][A-Za-z0-9_']*)*", src[i:])
            yield ('name', m.group(0), line)
            i += len(m.group(0))
        elif c.isdigit():
            m = re.match(r'\d+', src[i:])
            yield ('num', int(m.group(0)), line)
            i += len(m.group(0))
        else:
            m = re.match(r'[!#$%&*+./<=>?@\\^|~:-]+', src[i:])
            if m:
                yield ('sym', m.group(0), line)
                i += len(m.group(0))
            else:
                yield ('sym', c, line)
                i += 1


class Unreadable(Exception):
    pass


class Reader:
    FUNCS = {'Text.unlines', 'unlines', 'Text.pack', 'T.unlines', 'Text.concat'}
    ASSERT = {'ruleCatches': ('catches', False), 'ruleCatchesNot': ('none', False),
              'onBuildRuleCatches': ('exactly 1', True), 'onBuildRuleCatchesNot': ('none', True)}

    def __init__(self, toks, name):
        self.t = toks
        self.i = 0
        self.name = name
        self.env = {}
        self.config = None  # None: hadolint's defaults
        self.spec_config = None
        self.spec_env = {}
        self.title = ''
        self.cases = []
        self.skipped = 0

    def peek(self, k=0):
        j = self.i + k
        return self.t[j] if j < len(self.t) else ('eof', None, 0)

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def expect(self, kind, value=None):
        tok = self.take()
        if tok[0] != kind or (value is not None and tok[1] != value):
            raise Unreadable('line %d: expected %s %r, got %r' % (tok[2], kind, value, tok[1]))
        return tok

    # ---- expressions ----
    def atom(self):
        kind, v, line = self.peek()
        if kind == 'str':
            self.take()
            return v
        if kind == 'sym' and v == '[':
            self.take()
            items = []
            if self.peek()[1] != ']':
                while True:
                    items.append(self.expr())
                    if self.peek()[1] == ',':
                        self.take()
                        continue
                    break
            self.expect('sym', ']')
            return items
        if kind == 'sym' and v == '(':
            self.take()
            e = self.expr()
            self.expect('sym', ')')
            return e
        if kind == 'sym' and v == '$':
            self.take()
            return self.expr()
        if kind == 'name' and v in self.FUNCS:
            self.take()
            arg = self.atom()
            if v.endswith('unlines'):
                if not isinstance(arg, list):
                    raise Unreadable('line %d: unlines of %r' % (line, arg))
                return ''.join(s + '\n' for s in arg)
            if v == 'Text.concat':
                return ''.join(arg)
            return arg
        if kind == 'name' and v in self.env:
            self.take()
            return self.env[v]
        raise Unreadable('line %d: cannot read %r' % (line, v))

    def expr(self):
        v = self.atom()
        while self.peek()[1] in ('<>', '++'):
            self.take()
            w = self.atom()
            v = v + w
        return v

    # ---- configuration ----
    def config_expr(self):
        self.expect('name', 'def')
        cfg = {}
        if self.peek()[1] != '{':
            return cfg
        self.take()
        while self.peek()[1] != '}':
            field = self.expect('name')[1]
            self.expect('sym', '=')
            if field == 'allowedRegistries':
                cfg['trustedRegistries'] = self.expr()
            elif field == 'strictLabels':
                cfg['strict-labels'] = self.expect('name')[1] == 'True'
            elif field == 'labelSchema':
                self.expect('name', 'Map.fromList')
                self.expect('sym', '[')
                schema = []
                while self.peek()[1] != ']':
                    self.expect('sym', '(')
                    key = self.expect('str')[1]
                    self.expect('sym', ',')
                    typ = self.expect('name')[1].split('.')[-1]
                    self.expect('sym', ')')
                    schema.append((key, {'RawText': 'text', 'Url': 'url', 'Rfc3339': 'rfc3339', 'Spdx': 'spdx',
                                         'GitHash': 'hash', 'SemVer': 'semver', 'Email': 'email'}[typ]))
                    if self.peek()[1] == ',':
                        self.take()
                self.expect('sym', ']')
                cfg['label-schema'] = schema
            else:
                raise Unreadable('configuration field %s' % field)
            if self.peek()[1] == ',':
                self.take()
        self.expect('sym', '}')
        return cfg

    # ---- statements ----
    def add(self, code, expect, onbuild, text):
        if not isinstance(code, str) or not re.fullmatch(r'(DL|SC)[0-9]*', code):
            raise Unreadable('the rule code %r is not a code' % (code,))
        if onbuild:
            text = wrap_onbuild(text)
        self.cases.append({'code': code, 'expect': expect, 'onbuild': onbuild, 'text': text,
                           'config': self.config, 'title': self.title})

    def statement(self):
        kind, v, line = self.peek()
        if kind == 'name' and v == 'it':
            self.take()
            self.title = self.expect('str')[1]
            self.env = dict(self.spec_env)
            self.config = self.spec_config
            return
        if kind == 'name' and v == 'describe':
            self.take()
            self.take()
            return
        if kind == 'name' and v == 'let':
            self.take()
            while True:
                name = self.expect('name')[1]
                self.expect('sym', '=')
                if name == '?config':
                    cfg = self.config_expr()
                    if self.spec_config is None and not self.cases and self.title == '':
                        self.spec_config = cfg
                    self.config = cfg
                else:
                    self.env[name] = self.expr()
                    if self.title == '':
                        self.spec_env[name] = self.env[name]
                # several bindings of one let, one per line
                if self.peek()[0] == 'name' and self.peek(1)[1] == '=' and self.peek()[1] not in ('it',):
                    continue
                return
        if kind == 'name' and v in self.ASSERT:
            self.take()
            code = self.atom()
            expect, onbuild = self.ASSERT[v]
            self.add(code, expect, onbuild, self.expr())
            return
        if kind == 'name' and v in ('assertChecks', 'assertOnBuildChecks'):
            self.take()
            text = self.expr()
            if self.peek()[0] == 'name' and self.peek()[1] in ('failsShellcheck', 'passesShellcheck'):
                how = self.take()[1]
                self.add('SC', 'catches' if how == 'failsShellcheck' else 'none', v == 'assertOnBuildChecks', text)
                return
            self.expect('sym', '(')
            self.expect('name', 'failsWith')
            times = self.expect('num')[1]
            code = self.atom()
            self.expect('sym', ')')
            self.add(code, 'none' if times == 0 else 'exactly %d' % times, v == 'assertOnBuildChecks', text)
            return
        self.take()

    def run(self):
        while self.peek()[0] != 'eof':
            start = self.i
            try:
                self.statement()
            except (Unreadable, KeyError, IndexError, ValueError) as e:
                line = self.t[start][2]
                print('%s:%d: skipped: %s' % (self.name, line, e), file=sys.stderr)
                self.skipped += 1
                self.i = start + 1


def wrap_onbuild(text):
    """What hadolint's onBuild helpers do: every RUN instruction becomes ONBUILD RUN."""
    out, cont = [], False
    for ln in text.split('\n'):
        if not cont and re.match(r'\s*RUN\b', ln, re.I):
            ln = re.sub(r'^(\s*)', r'\1ONBUILD ', ln, count=1)
        stripped = ln.rstrip()
        cont = stripped.endswith('\\') and not stripped.lstrip().startswith('#')
        out.append(ln)
    return '\n'.join(out)


def yaml_config(cfg):
    parts = []
    for k, v in cfg.items():
        if k == 'trustedRegistries':
            parts.append('trustedRegistries: [%s]' % ', '.join('"%s"' % r for r in v))
        elif k == 'strict-labels':
            parts.append('strict-labels: %s' % ('true' if v else 'false'))
        elif k == 'label-schema':
            parts.append('label-schema: {%s}' % ', '.join('"%s": %s' % kv for kv in v))
    return '{' + ', '.join(parts) + '}'


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split('\n\n')[1])
    repo, outdir = sys.argv[1], sys.argv[2]
    commit = subprocess.check_output(['git', '-C', repo, 'rev-parse', 'HEAD'], text=True).strip()
    files = subprocess.check_output(['git', '-C', repo, 'ls-tree', '--name-only', 'HEAD', 'test/Hadolint/Rule/'],
                                    text=True).split()
    files = [f for f in files if f.endswith('Spec.hs')] + ['test/Hadolint/PragmaSpec.hs']
    os.makedirs(outdir, exist_ok=True)
    total = skipped = 0
    for f in files:
        src = subprocess.check_output(['git', '-C', repo, 'show', 'HEAD:' + f], text=True)
        r = Reader(list(lex(src)), f)
        r.run()
        skipped += r.skipped
        if not r.cases:
            continue
        base = os.path.basename(f)[:-len('Spec.hs')]
        with open(os.path.join(outdir, base + '.cases'), 'w', encoding='utf-8') as out:
            out.write('# hadolint/hadolint %s\n# %s, read by tools/hadolint-spec.py\n' % (commit, f))
            for c in r.cases:
                out.write('\ncase %s %s%s\n' % (c['code'], c['expect'], ' onbuild' if c['onbuild'] else ''))
                out.write('it %s\n' % c['title'].replace('\n', ' '))
                if c['config']:
                    out.write('config %s\n' % yaml_config(c['config']))
                text = c['text']
                if text.endswith('\n'):
                    text = text[:-1]
                for ln in text.split('\n'):
                    out.write('|' + (' ' + ln if ln else '') + '\n')
            total += len(r.cases)
    print('%d cases from %d files at %s; %d statements skipped' % (total, len(files), commit, skipped))


if __name__ == '__main__':
    main()
