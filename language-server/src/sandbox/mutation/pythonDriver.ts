// QLP's mutation driver for Python, run inside the sandbox in /project (the standard ast module
// finds the mutants; pytest or unittest runs in a forked child per mutant). See its docstring.

export const pythonMutationDriverFile = 'qlp_mutate.py';

export const pythonMutationDriverSource = String.raw`
"""QLP's mutation driver for Python, run inside the sandbox in /project.

  python3 qlp_mutate.py <nonce> list '{"files": [...]}'
      prints one report block "candidates": every mutant the standard ast module finds in the
      files, as a text edit (character offsets), and the files that do not parse.
  python3 qlp_mutate.py <nonce> run '{"runner": "pytest"|"unittest", "args": [...], "tests": [...],
                                       "mutants": [...], "budgetMs": n}'
      imports the test runner and the project's third-party modules once, runs the tests once
      unchanged, then for each mutant writes the changed file, forks, runs the tests in the child
      (stopping at the first failure), kills a child past its time limit, and puts the file back.
      Each result is printed as a report block "mutant" as soon as it is known.
"""
import ast
import json
import os
import select
import signal
import sys
import time
import tokenize
import io

NONCE = sys.argv[1]
MODE = sys.argv[2]
CONFIG = json.loads(sys.argv[3])
# Report blocks go to the real stdout; everything else the tests print goes nowhere.
OUT = os.dup(1)
_devnull = os.open(os.devnull, os.O_WRONLY)
os.dup2(_devnull, 1)
os.dup2(_devnull, 2)


def block(name, value):
    text = "\n@@qlp-report %s %s@@\n%s\n@@qlp-end %s@@\n" % (NONCE, name, json.dumps(value), NONCE)
    os.write(OUT, text.encode("utf-8"))


# ---------------------------------------------------------------- finding mutants

COMPARE = {ast.Lt: ("<", "<=", "boundary"), ast.LtE: ("<=", "<", "boundary"), ast.Gt: (">", ">=", "boundary"),
           ast.GtE: (">=", ">", "boundary"), ast.Eq: ("==", "!=", "comparison"), ast.NotEq: ("!=", "==", "comparison")}
ARITH = {ast.Add: ("+", "-"), ast.Sub: ("-", "+"), ast.Mult: ("*", "/"), ast.Div: ("/", "*")}
REMOVABLE = (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Raise, ast.Delete)


class Finder(ast.NodeVisitor):
    def __init__(self, path, source):
        self.path = path
        self.source = source
        self.lines = source.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        self.tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type in (tokenize.OP, tokenize.NAME)]
        self.found = []
        self.in_function = 0

    def offset(self, lineno, col_bytes):
        line = self.lines[lineno - 1] if lineno - 1 < len(self.lines) else ""
        return self.starts[lineno - 1] + len(line.encode("utf-8")[:col_bytes].decode("utf-8", "ignore"))

    def span(self, node):
        return self.offset(node.lineno, node.col_offset), self.offset(node.end_lineno, node.end_col_offset)

    def token_between(self, start, end, text):
        for tok in self.tokens:
            at = self.starts[tok.start[0] - 1] + tok.start[1]
            if at >= end:
                break
            if at >= start and tok.string == text:
                return at, at + len(text)
        return None

    def add(self, start, end, replacement, operator):
        line = self.source.count("\n", 0, start) + 1
        line_start = self.starts[line - 1]
        line_end = self.source.find("\n", start)
        line_end = len(self.source) if line_end < 0 else line_end
        original = self.source[line_start:line_end]
        changed = (self.source[:start] + replacement + self.source[end:])[line_start:]
        mutated = changed.split("\n", 1)[0]
        self.found.append({"file": self.path, "start": start, "end": end, "replacement": replacement, "expected": self.source[start:end],
                           "line": line, "operator": operator, "original": original.strip()[:160], "mutated": mutated.strip()[:160]})

    # Parts of the code that are not behaviour: docstrings, annotations, f-strings' insides.
    def visit_JoinedStr(self, node):
        return

    def visit_arg(self, node):
        return

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self.visit(node.value)
            self.remove(node)

    def body_statements(self, body):
        start = 1 if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str) else 0
        for stmt in body[start:]:
            self.visit(stmt)

    def visit_Module(self, node):
        self.body_statements(node.body)

    def visit_ClassDef(self, node):
        for d in node.decorator_list:
            self.visit(d)
        self.body_statements(node.body)

    def visit_FunctionDef(self, node):
        for d in node.decorator_list:
            self.visit(d)
        for default in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
            self.visit(default)
        self.in_function += 1
        self.body_statements(node.body)
        self.in_function -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def remove(self, node):
        if self.in_function:
            start, end = self.span(node)
            self.add(start, end, "pass", "statement")

    def generic_visit(self, node):
        if isinstance(node, REMOVABLE) and not isinstance(node, ast.AnnAssign):
            self.remove(node)
        super().generic_visit(node)

    def visit_Return(self, node):
        if node.value is not None and not (isinstance(node.value, ast.Constant) and node.value.value is None):
            start, end = self.span(node.value)
            self.add(start, end, "None", "return")
        self.generic_visit(node)

    def visit_Compare(self, node):
        left = node.left
        for op, right in zip(node.ops, node.comparators):
            if type(op) in COMPARE:
                text, other, kind = COMPARE[type(op)]
                at = self.token_between(self.span(left)[1], self.span(right)[0], text)
                if at:
                    self.add(at[0], at[1], other, kind)
            left = right
        self.generic_visit(node)

    def visit_BinOp(self, node):
        if type(node.op) in ARITH:
            text, other = ARITH[type(node.op)]
            at = self.token_between(self.span(node.left)[1], self.span(node.right)[0], text)
            if at:
                self.add(at[0], at[1], other, "arithmetic")
        self.generic_visit(node)

    def visit_AugAssign(self, node):
        if type(node.op) in ARITH:
            text, other = ARITH[type(node.op)]
            at = self.token_between(self.span(node.target)[1], self.span(node.value)[0], text + "=")
            if at:
                self.add(at[0], at[1], other + "=", "arithmetic")
        self.remove(node)
        ast.NodeVisitor.generic_visit(self, node)

    def visit_BoolOp(self, node):
        text, other = ("and", "or") if isinstance(node.op, ast.And) else ("or", "and")
        at = self.token_between(self.span(node.values[0])[1], self.span(node.values[1])[0], text)
        if at:
            self.add(at[0], at[1], other, "boolean")
        self.generic_visit(node)

    def visit_UnaryOp(self, node):
        if isinstance(node.op, ast.Not):
            start = self.span(node)[0]
            operand = self.span(node.operand)[0]
            self.add(start, operand, "", "negation")
        self.generic_visit(node)

    def visit_Constant(self, node):
        start, end = self.span(node)
        value = node.value
        if isinstance(value, bool):
            self.add(start, end, "False" if value else "True", "boolean")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            self.add(start, end, repr(value + 1), "constant")
        elif isinstance(value, str) and value and self.source[start:end][-1:] in "'\"":
            self.add(start, end, "''", "constant")


def list_mutants():
    found, problems = [], []
    for path in CONFIG["files"]:
        try:
            with open(path, encoding="utf-8") as f:
                source = f.read()
            tree = ast.parse(source, path)
            finder = Finder(path, source)
            finder.visit(tree)
            found.extend(finder.found)
        except (SyntaxError, tokenize.TokenError) as err:
            if isinstance(err, tokenize.TokenError):
                err = SyntaxError(err.args[0], (path, err.args[1][0], 0, ""))
            problems.append({"file": path, "message": "%s does not parse (line %s: %s)" % (path, err.lineno, err.msg)})
        except (OSError, UnicodeDecodeError, ValueError) as err:
            problems.append({"file": path, "message": "%s cannot be read (%s)" % (path, err)})
    block("candidates", {"candidates": found, "problems": problems})


# ---------------------------------------------------------------- running mutants

def project_modules():
    """Top-level module names of the project's own code, and every import of its files."""
    own, imports, graph = set(), set(), {}
    for root, dirs, files in os.walk("."):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in ("node_modules", "__pycache__")]
        for name in files:
            if not name.endswith(".py"):
                continue
            path = os.path.normpath(os.path.join(root, name))
            top = path.split(os.sep)[0]
            own.add(top[:-3] if top.endswith(".py") else top)
            try:
                with open(path, encoding="utf-8") as f:
                    tree = ast.parse(f.read(), path)
            except (SyntaxError, OSError, UnicodeDecodeError, ValueError):
                continue
            names = []
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names += [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom):
                    if node.level:
                        base = os.path.dirname(path).split(os.sep) if os.path.dirname(path) else []
                        base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                        prefix = ".".join(base + ([node.module] if node.module else []))
                    else:
                        prefix = node.module or ""
                    names.append(prefix)
                    names += [prefix + "." + a.name if prefix else a.name for a in node.names]
            graph[path] = names
            imports.update(n for n in names if n)
    return own, sorted(n for n in imports if n.split(".")[0] not in own), graph


def module_file(name, importer):
    """The project file a module name means, tried from the root and from the importer's folder."""
    parts = name.split(".")
    for base in ("", os.path.dirname(importer)):
        stem = os.path.normpath(os.path.join(base, *parts))
        for candidate in (stem + ".py", os.path.join(stem, "__init__.py")):
            if os.path.isfile(candidate):
                return candidate
    return None


def reach(graph, start):
    seen, todo = set(), [start]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in graph.get(path, []):
            target = module_file(name, path)
            if target:
                todo.append(target)
            # A package's modules are reached through its __init__ too.
            parts = name.split(".")
            for i in range(1, len(parts)):
                init = module_file(".".join(parts[:i]), path)
                if init:
                    todo.append(init)
    return seen


def run_child(run, timeout):
    """Runs run (returning an exit code) in a forked child; returns ("passed"|"failed:N"|"timeout", seconds)."""
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            os.setpgid(0, 0)
            code = run()
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
        except BaseException:
            code = 71
        finally:
            os._exit(code)
    deadline = started + timeout
    fd = None
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pass
    status = None
    while status is None:
        left = deadline - time.perf_counter()
        if left <= 0:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            if fd is not None:
                os.close(fd)
            return "timeout", time.perf_counter() - started
        if fd is not None:
            select.select([fd], [], [], left)
        else:
            time.sleep(min(left, 0.005))
        done, raw = os.waitpid(pid, os.WNOHANG)
        if done:
            status = raw
    if fd is not None:
        os.close(fd)
    try:
        os.killpg(pid, signal.SIGKILL)  # whatever the tests left running
    except OSError:
        pass
    code = os.waitstatus_to_exitcode(status)
    return ("passed" if code == 0 else "failed:%d" % code), time.perf_counter() - started


def pytest_runs(args, tests):
    """How a child runs pytest on some test files: a configuration prepared here once (plugins,
    ini files and initial conftests loaded before the fork), or pytest.main from scratch."""
    base = ["-x", "-q", "--tb=no", "-p", "no:cacheprovider", *args]
    import pytest
    prepared = None
    try:
        from _pytest.config import _prepareconfig
        prepared = _prepareconfig(base + list(tests))
    except BaseException:
        prepared = None

    def run(files, fresh):
        if prepared is None or fresh:
            return int(pytest.main(base + list(files)))
        prepared.args = list(files)
        return int(prepared.hook.pytest_cmdline_main(config=prepared))
    return run


def unittest_runs(args):
    import unittest

    def run(files, fresh):
        stream = open(os.devnull, "w")
        program = unittest.main(module=None, argv=["python3 -m unittest", *args], exit=False,
                                testRunner=unittest.TextTestRunner(stream=stream, failfast=True))
        result = program.result
        return 0 if result.wasSuccessful() and (result.testsRun or result.skipped) else 1
    return run


def run_mutants():
    began = time.perf_counter()
    budget = CONFIG["budgetMs"] / 1000.0
    runner, args, all_tests = CONFIG["runner"], CONFIG.get("args", []), CONFIG["tests"]
    sys.dont_write_bytecode = True
    for root, dirs, _ in os.walk("."):
        for d in list(dirs):
            if d == "__pycache__":
                import shutil
                shutil.rmtree(os.path.join(root, d), ignore_errors=True)
                dirs.remove(d)
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    own, third_party, graph = project_modules()
    # Imported once here, shared by every forked child.
    for name in third_party:
        try:
            __import__(name)
        except BaseException:
            pass
    conftests = [p for p in graph if os.path.basename(p) == "conftest.py"]
    reached = {t: reach(graph, t) for t in all_tests}
    # Code a conftest imports is loaded before the fork: mutants there need pytest from scratch.
    shared = set().union(*(reach(graph, c) for c in conftests)) - set(conftests) if conftests else set()

    def tests_for(path):
        mine = [t for t in all_tests if path in reached.get(t, ())]
        return mine if runner == "pytest" and mine and path not in shared else all_tests

    needed = sorted({t for m in CONFIG["mutants"] for t in tests_for(m["file"])})
    runs = pytest_runs(args, needed) if runner == "pytest" else unittest_runs(args)
    outcome, seconds = run_child(lambda: runs(needed, False), max(30.0, budget))
    block("baseline", {"status": outcome, "ms": round(seconds * 1000)})
    if outcome != "passed":
        return
    timeout = 1.0 + 3 * seconds
    originals = {}
    for mutant in CONFIG["mutants"]:
        if time.perf_counter() - began >= budget:
            break
        path = mutant["file"]
        if path not in originals:
            with open(path, encoding="utf-8") as f:
                originals[path] = f.read()
        source = originals[path]
        if source[mutant["start"]:mutant["end"]] != mutant["expected"]:
            block("mutant", {"id": mutant["id"], "status": "error", "detail": "the code changed since the mutant was made"})
            continue
        with open(path, "w", encoding="utf-8") as f:
            f.write(source[:mutant["start"]] + mutant["replacement"] + source[mutant["end"]:])
        try:
            tests = tests_for(path)
            outcome, seconds = run_child(lambda: runs(tests, path in shared), timeout)
        finally:
            with open(path, "w", encoding="utf-8") as f:
                f.write(source)
        status = "survived" if outcome == "passed" else "timedOut" if outcome == "timeout" else "killed"
        block("mutant", {"id": mutant["id"], "status": status, "ms": round(seconds * 1000)})


try:
    if MODE == "list":
        list_mutants()
    else:
        run_mutants()
except BaseException:
    import traceback
    block("failure", {"message": traceback.format_exc()})
    sys.exit(1)
`;
