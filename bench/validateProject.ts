// A 20-file TypeScript + Python project for the validation benchmark: ordinary service code
// with a few real defects, the kind a generator writes.
import { writeProject } from '../test/support/projects';

function tsModule(i: number): string {
  const prev = i === 0 ? '' : `import { Item${i - 1}, total${i - 1} } from './module${i - 1}.js';\n`;
  return `${prev}
export interface Item${i} {
  id: number;
  name: string;
  price: number;
  tags: string[];
}

export function total${i}(items: Item${i}[]): number {
  return items.reduce((sum, item) => sum + item.price, 0);
}

export function byTag${i}(items: Item${i}[], tag: string): Item${i}[] {
  return items.filter((item) => item.tags.includes(tag));
}

export class Store${i} {
  private readonly items = new Map<number, Item${i}>();

  add(item: Item${i}): void {
    if (this.items.has(item.id)) throw new Error(\`duplicate id \${item.id}\`);
    this.items.set(item.id, item);
  }

  find(id: number): Item${i} | undefined {
    return this.items.get(id);
  }

  all(): Item${i}[] {
    return [...this.items.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
${
  i === 0
    ? ''
    : `
  combined(previous: Item${i - 1}[]): number {
    return total${i}(this.all()) + total${i - 1}(previous);
  }
`
}}
${i % 4 === 3 ? `\nexport const broken${i}: number = 'not a number';\n` : ''}`;
}

function pyModule(i: number): string {
  return `from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
${i % 4 === 1 ? 'import os\n' : ''}

@dataclass
class Record${i}:
    key: str
    amount: int
    labels: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"key": self.key, "amount": self.amount, "labels": self.labels}


class Repository${i}:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.records: dict[str, Record${i}] = {}

    def add(self, record: Record${i}) -> None:
        if record.key in self.records:
            raise ValueError(f"duplicate key {record.key}")
        self.records[record.key] = record

    def total(self) -> int:
        return sum(r.amount for r in self.records.values())

    def save(self) -> None:
        data = [r.to_dict() for r in self.records.values()]
        self.path.write_text(json.dumps(data, indent=2), encoding="utf-8")

    def load(self) -> None:
        for item in json.loads(self.path.read_text(encoding="utf-8")):
            self.add(Record${i}(item["key"], int(item["amount"]), list(item.get("labels", []))))
${
  i % 4 === 2
    ? `

def bad_total(repo: Repository${i}) -> str:
    return repo.total()
`
    : ''
}`;
}

export function benchmarkProject(): string {
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'bench-app', version: '1.0.0', type: 'module', private: true }),
    'tsconfig.json': JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true },
      include: ['src'],
    }),
    'pyproject.toml': '[project]\nname = "bench-app"\nversion = "1.0.0"\nrequires-python = ">=3.10"\ndependencies = []\n',
  };
  for (let i = 0; i < 8; i++) files[`src/module${i}.ts`] = tsModule(i);
  for (let i = 0; i < 8; i++) files[`app/repo${i}.py`] = pyModule(i);
  files['app/__init__.py'] = '';
  return writeProject(files, 'qlp-bench-');
}
