import { rawStatement, type RawStatement } from "../../db/atomic";

/** Placed right after a conditional UPDATE in a batch: aborts the whole batch if that UPDATE changed nothing. */
export const abortUnlessChanged = (): RawStatement => rawStatement(`INSERT INTO batch_guard (ok) SELECT 0 WHERE changes() = 0`, []);
export const isGuardAbort = (err: unknown) => /batch_guard_precondition|CHECK constraint failed/.test(String(err));
