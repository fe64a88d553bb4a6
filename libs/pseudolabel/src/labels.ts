/** Label values (DESIGN.md): 0 background, 1 lung, 2 GGO, 3 consolidation, 4 vessels. */
export const LABEL = { background: 0, lung: 1, ggo: 2, consolidation: 3, vessels: 4 } as const;
export type ClassLabel = typeof LABEL.ggo | typeof LABEL.consolidation | typeof LABEL.vessels;
