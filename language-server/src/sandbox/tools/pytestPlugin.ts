// QLP's pytest plugin: what pytest's JUnit XML leaves out — the tests it was told not to run
// (`-k`, `-m`) and the expected failures that passed — written beside the XML.
import { reportDir } from '../reportBlocks';

export const pytestPluginModule = 'qlp_pytest_report';

export const pytestPluginSource = String.raw`
import json
import os

_deselected = []
_xpassed = []


def _address(nodeid):
    # The classname and name pytest's JUnit XML gives this test (as its mangle_test_address does).
    parts = nodeid.replace("::()::", "::").split("::")
    parts[0] = parts[0].replace("/", ".")
    if parts[0].endswith(".py"):
        parts[0] = parts[0][:-3]
    return {"classname": ".".join(parts[:-1]), "name": parts[-1]}


def pytest_deselected(items):
    for item in items:
        path, line, _ = item.location
        _deselected.append({"file": path, "line": None if line is None else line + 1, **_address(item.nodeid)})


def pytest_runtest_logreport(report):
    if report.when == "call" and report.passed and hasattr(report, "wasxfail"):
        _xpassed.append(_address(report.nodeid))


def pytest_sessionfinish(session):
    os.makedirs("${reportDir}", exist_ok=True)
    with open(os.path.join("${reportDir}", "pytest-extra.json"), "w") as out:
        json.dump({"deselected": _deselected, "xpassed": _xpassed}, out)
`;
