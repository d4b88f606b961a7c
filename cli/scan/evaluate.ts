// The rule evaluation lives in shared/reconcile/evaluate.ts, used by `scan` and the audit-log function alike.
export * from '../../shared/reconcile/evaluate';
