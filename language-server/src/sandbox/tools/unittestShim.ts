// Runs unittest exactly as `python3 -m unittest …` would (same arguments, same output), and
// writes every test's outcome as JUnit XML to QLP's report folder.
import { reportDir } from '../reportBlocks';

export const unittestShimFile = 'qlp_unittest.py';

export const unittestShimSource = String.raw`
import inspect
import os
import sys
import time
import traceback
import unittest
from xml.etree import ElementTree

# As with "python3 -m unittest": the working folder comes first on the path, not this script's.
sys.path[0] = os.getcwd()


def _where(test):
    try:
        cls = type(test)
        method = getattr(cls, test._testMethodName)
        return os.path.abspath(inspect.getsourcefile(cls)), inspect.getsourcelines(method)[1]
    except Exception:
        return None, None


class _Recorder(unittest.TextTestResult):
    last = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _Recorder.last = self
        self.records = []
        self._started = {}

    def startTest(self, test):
        self._started[test.id()] = time.perf_counter()
        super().startTest(test)

    def _record(self, test, status, err=None, message=None, name=None):
        started = self._started.get(test.id())
        ident = test.id()
        cls, _, method = ident.rpartition(".")
        file, line = _where(test)
        text = "".join(traceback.format_exception(*err)) if err else ""
        if err and not message:
            message = "".join(traceback.format_exception_only(err[0], err[1])).strip()
        self.records.append({"classname": cls if method else "", "name": name or method or ident, "file": file, "line": line,
                             "time": 0.0 if started is None else time.perf_counter() - started,
                             "status": status, "message": message, "text": text})

    def addSuccess(self, test):
        super().addSuccess(test)
        self._record(test, "passed")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, "failure", err)

    def addError(self, test, err):
        super().addError(test, err)
        self._record(test, "error", err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._record(test, "skipped", message=reason)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._record(test, "xfailed", err)

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._record(test, "xpassed")

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            failed = issubclass(err[0], test.failureException)
            self._record(test, "failure" if failed else "error", err, name=test._testMethodName + " " + subtest._subDescription())


def _write(records):
    suites = ElementTree.Element("testsuites")
    suite = ElementTree.SubElement(suites, "testsuite", name="unittest", tests=str(len(records)))
    for r in records:
        attrs = {"classname": r["classname"], "name": r["name"], "time": "%.6f" % r["time"]}
        if r["file"]:
            attrs["file"] = r["file"]
            attrs["line"] = str(r["line"])
        case = ElementTree.SubElement(suite, "testcase", attrs)
        if r["status"] in ("failure", "error"):
            ElementTree.SubElement(case, r["status"], message=r["message"] or "").text = r["text"]
        elif r["status"] == "skipped":
            ElementTree.SubElement(case, "skipped", message=r["message"] or "")
        elif r["status"] == "xfailed":
            ElementTree.SubElement(case, "skipped", type="unittest.expectedFailure", message=r["message"] or "")
        elif r["status"] == "xpassed":
            ElementTree.SubElement(case, "properties").append(ElementTree.Element("property", name="outcome", value="unexpected success"))
    os.makedirs("${reportDir}", exist_ok=True)
    ElementTree.ElementTree(suites).write(os.path.join("${reportDir}", "unittest.xml"), encoding="utf-8", xml_declaration=True)


class _Runner(unittest.TextTestRunner):
    resultclass = _Recorder


if __name__ == "__main__":
    try:
        unittest.main(module=None, argv=["python3 -m unittest"] + sys.argv[1:], testRunner=_Runner)
    finally:
        if _Recorder.last is not None:
            _write(_Recorder.last.records)
`;
