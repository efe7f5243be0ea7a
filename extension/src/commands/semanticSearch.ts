import * as vscode from 'vscode';
import { serverRequests } from '../../../protocol/lsp';
import type { SearchResult } from '../../../protocol/search';
import { openResult } from '../views/searchView';
import type { CommandDeps } from './index';

type Item = vscode.QuickPickItem & { result: SearchResult };

/** QLP: Semantic search — a quick pick whose results follow the typed query. */
export const semanticSearch =
  ({ ctx }: CommandDeps) =>
  () => {
    const pick = vscode.window.createQuickPick<Item>();
    pick.placeholder = 'Describe the code you are looking for';
    pick.matchOnDescription = pick.matchOnDetail = false;
    let seq = 0;
    let timer: NodeJS.Timeout | undefined;
    pick.onDidChangeValue((query) => {
      clearTimeout(timer);
      const mine = ++seq;
      timer = setTimeout(async () => {
        if (!query.trim()) return void (pick.items = []);
        pick.busy = true;
        try {
          const { results } = await ctx.request(serverRequests.search, { query, limit: 20 });
          if (mine !== seq) return;
          // alwaysShow: the quick pick must not filter our ranking by its own fuzzy match
          pick.items = results.map((r) => ({
            label: `${r.path}:${r.startLine}`,
            description: `${r.symbol} ${r.score.toFixed(2)}`,
            detail: r.snippet.trim().split('\n')[0],
            alwaysShow: true,
            result: r,
          }));
        } catch (err) {
          pick.items = [];
          pick.title = (err as Error).message;
        } finally {
          if (mine === seq) pick.busy = false;
        }
      }, 120);
    });
    pick.onDidAccept(() => {
      const r = pick.selectedItems[0]?.result;
      pick.hide();
      if (r) void openResult(r.path, r.startLine, r.endLine);
    });
    pick.onDidHide(() => pick.dispose());
    pick.show();
  };
