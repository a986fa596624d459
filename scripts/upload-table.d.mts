// Types of scripts/upload-table.mjs for the tests that import it.
export const uploadStates: Record<string, unknown>;
export const uploadActions: Record<string, unknown>;
export function uploadTable(reduceUpload: (state: never, action: never) => { upload: { status: string; pausedReason?: string | undefined } } | null): string;
export const tableStart: string;
export const tableEnd: string;
export function documentedTable(page: string): string;
