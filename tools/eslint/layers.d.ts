export const ALLOWED: Record<string, string[]>;
export const COMPOSITION_ROOTS: { file: string; may: string[] }[];
export const PACKAGES: Record<string, string[]>;
export const BANNED_HELPERS: string[];
export function layerOf(root: string, file: string): string | null;
export function findCycle(start: string, readImports?: (file: string) => string[]): string[] | null;
declare const plugin: { rules: Record<string, unknown> };
export default plugin;
