// The plan as an editable list: each file's path and purpose can be changed, a file removed or
// added; Approve sends the edited plan, Cancel refuses it (the run stops, nothing is written).
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { kindOfPath, type PlannedFile, type ProjectPlan } from '../../protocol/generate';
import { button, el, icon } from './dom';

interface TextField extends HTMLElement {
  value: string;
}

function textField(value: string, label: string, onInput: (value: string) => void): HTMLElement {
  const field = document.createElement('vscode-textfield') as TextField;
  field.value = value;
  field.setAttribute('aria-label', label);
  field.addEventListener('input', () => onInput(field.value));
  return field;
}

export interface PlanChoice {
  approve(plan: ProjectPlan): void;
  reject(): void;
}

/** The plan under review: editable when `choice` is given, read-only otherwise. */
export function planView(plan: ProjectPlan, choice?: PlanChoice): HTMLElement {
  const files: PlannedFile[] = plan.files.map((f) => ({ ...f }));
  const list = el('ol', { className: 'plan-files' });
  const section = el('section', { className: 'plan' });
  const heading = el('h2', {});

  const renderRows = () => {
    heading.replaceChildren(icon('list-ordered'), ` Plan: ${files.length} files`);
    list.replaceChildren(
      ...files.map((file, i) => {
        if (!choice) return el('li', {}, el('code', {}, file.path), el('span', { className: 'muted' }, ` — ${file.purpose}`));
        const remove = button(
          'Remove',
          () => {
            files.splice(i, 1);
            renderRows();
          },
          true,
        );
        remove.setAttribute('aria-label', `Remove ${file.path}`);
        const kind = el('span', { className: 'kind' }, file.kind);
        return el(
          'li',
          { className: 'plan-row' },
          textField(file.path, `Path of file ${i + 1}`, (v) => {
            file.path = v.trim();
            file.kind = kindOfPath(file.path);
            kind.textContent = file.kind;
          }),
          textField(file.purpose, `Purpose of ${file.path}`, (v) => (file.purpose = v)),
          kind,
          remove,
        );
      }),
    );
  };
  renderRows();

  section.append(heading, el('p', {}, plan.summary));
  section.append(list);
  if (choice) {
    const add = button(
      'Add file',
      () => {
        files.push({ path: '', purpose: '', kind: 'code' });
        renderRows();
        (list.lastElementChild?.querySelector('vscode-textfield') as HTMLElement | null)?.focus();
      },
      true,
    );
    const approve = button('Approve', () => {
      const kept = files.filter((f) => f.path);
      choice.approve({ ...plan, files: kept });
    });
    section.append(
      el(
        'div',
        { className: 'actions' },
        approve,
        button('Cancel', () => choice.reject(), true),
        add,
      ),
    );
  }
  section.append(
    el('p', { className: 'muted' }, `Install: ${plan.commands.install || '—'} · Test: ${plan.commands.test || '—'} · Run: ${plan.commands.run || '—'}`),
  );
  return section;
}
