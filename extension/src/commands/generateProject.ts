// QLP: Generate project — opens (or reveals) the generation panel. The panel's code is its own
// bundle (dist/generatePanel.js), loaded on first use: activation stays small and fast.
import { join } from 'node:path';
import type { GeneratePanel } from '../panels/generatePanel';
import type { CommandDeps } from './index';

type PanelModule = { GeneratePanel: typeof GeneratePanel };

export const generateProject = (deps: CommandDeps) => {
  let panel: GeneratePanel | undefined;
  // `{ replay: 'sample' }` (the walkthrough's button) replays the shipped sample in the panel.
  return (request?: unknown) => {
    panel ??= new (require(join(__dirname, 'generatePanel.js')) as PanelModule).GeneratePanel(deps);
    panel.show(request);
  };
};
