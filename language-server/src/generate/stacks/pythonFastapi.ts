import type { StackProfile } from './types';

export const pythonFastapi: StackProfile = {
  id: 'python-fastapi',
  label: 'Python FastAPI service',
  description: "An HTTP API with FastAPI, tested with pytest and FastAPI's TestClient.",
  language: 'python',
  sandbox: 'python',
  signals: [/\b(api|rest|http|endpoints?|service|crud|server)\b/i, /\bpython|fastapi|pydantic\b/i],
  commands: { install: 'pip install -r requirements.txt', test: 'python -m pytest -q', run: 'uvicorn app.main:app --reload' },
  requiredFiles: [
    { path: 'requirements.txt', purpose: 'Runtime and test dependencies, one per line, unpinned names only.', kind: 'config' },
    {
      path: 'pyproject.toml',
      purpose: 'Project metadata plus [tool.ruff] and [tool.pytest.ini_options] (testpaths = ["tests"], pythonpath = ["."]).',
      kind: 'config',
    },
    { path: 'app/__init__.py', purpose: 'Marks the app package.', kind: 'code' },
    { path: 'app/main.py', purpose: 'Creates the FastAPI `app` and its routes.', kind: 'code' },
    { path: 'tests/test_api.py', purpose: 'pytest tests through fastapi.testclient.TestClient.', kind: 'test' },
    { path: 'README.md', purpose: 'What the service does, how to install, test and run it.', kind: 'doc' },
  ],
  offlineDependencies: ['fastapi', 'pydantic', 'httpx', 'pytest', 'uvicorn'],
  rules: [
    'Standard library plus fastapi, pydantic and httpx only; keep state in memory unless the requirements ask for storage.',
    'Type hints on every function; no secrets or credentials in code (read them from environment variables).',
    'Tests import the app as `from app.main import app` and use `TestClient(app)`.',
  ],
};
