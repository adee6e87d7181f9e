export const ALLOWED: Record<string, string[]>;
export const PATH_EXCEPTIONS: { from: string; to: string }[];
export function layerOf(root: string, file: string): string | null;
declare const plugin: { rules: Record<string, unknown> };
export default plugin;
