// glibc malloc settings for every process that runs LanceDB: the language server, `qlp` (its
// shebang) and the search benchmark. LanceDB's native threads each grow an arena that keeps its
// high-water mark, and its index builds free large buffers that glibc keeps for reuse unless they
// were mapped on their own: two arenas, and buffers from 128 KiB up mapped and returned directly,
// bound the process's memory (docs/search.md, *Figures*).
export const allocatorEnv = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' } as const;
