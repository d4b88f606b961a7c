/**
 * The Redis database the tests use: REMEDIATE_TEST_REDIS_DB (0-15), default 15, so `npm test` never writes
 * to database 0, where a developer's own data usually is. Every test also keeps its keys under a unique
 * prefix and deletes them.
 */
function testDatabase(value = process.env.REMEDIATE_TEST_REDIS_DB): number {
  if (value === undefined || value === '') return 15;
  if (!/^\d+$/.test(value) || Number(value) > 15)
    throw new Error(`REMEDIATE_TEST_REDIS_DB: must be a Redis database number from 0 to 15, got '${value}'`);
  return Number(value);
}

export const TEST_REDIS_DB = testDatabase();
export const TEST_REDIS_URL = `redis://127.0.0.1:6379/${TEST_REDIS_DB}`;
