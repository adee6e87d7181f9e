/** Pure filtering of audit entries (unit-tested; the table uses it). */
import type { AuditEntry } from '../../server/contract/index.ts';

export interface AuditFilter {
  /** Exact action, or '' for all. */
  action: string;
  /** Exact outcome, or '' for all. */
  outcome: string;
  /** Case-insensitive text searched in user, role, action, remote address and details. */
  text: string;
}

/** The entries matching every non-empty part of the filter, order kept. */
export function filterAudit(entries: readonly AuditEntry[], filter: AuditFilter): AuditEntry[] {
  const needle = filter.text.trim().toLowerCase();
  return entries.filter((e) => {
    if (filter.action && e.action !== filter.action) return false;
    if (filter.outcome && e.outcome !== filter.outcome) return false;
    if (!needle) return true;
    const hay = [e.userName ?? '', e.role ?? '', e.action, e.remote ?? '', JSON.stringify(e.details)].join('\n').toLowerCase();
    return hay.includes(needle);
  });
}

/** Overrides and refused privileged calls: what a manager reviews first. */
export function isOverrideEntry(e: AuditEntry): boolean {
  return e.action.startsWith('override') || e.action.includes('.override');
}
