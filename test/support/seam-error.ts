/** Asserting on the errors users see: a SeamError with the expected code and a message saying what went wrong. */
import assert from 'node:assert/strict';
import { SeamError } from '../../src/shared/errors';

export async function rejectsWithSeamError(promise: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof SeamError, String(error));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  });
}
