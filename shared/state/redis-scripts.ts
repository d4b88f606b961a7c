/**
 * The Lua scripts behind RedisStore: each decision reads and writes in one script, which Redis runs
 * atomically. Times arrive as decimal strings computed by the caller (its `now`, lease and expiry ends);
 * a script only compares them, except the slot arithmetic, formatted with %.17g so that no precision is lost
 * (Redis would otherwise turn a Lua number into a string with 14 digits).
 */

/** Idempotency record: a hash { status, owner, outcome, expiresAt }; expiresAt is the lease or retention end. */
const claim = `
local now = tonumber(ARGV[4])
local record = redis.call('HMGET', KEYS[1], 'status', 'outcome', 'expiresAt')
if record[1] and tonumber(record[3]) > now then
  if record[1] == 'completed' then return {'completed', record[2]} end
  return {'in-progress', record[3]}
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'status', 'in-progress', 'owner', ARGV[1], 'expiresAt', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {'claimed', ARGV[2]}`;

// Recorded even when the lease lapsed or another owner claimed since: the action did happen.
const complete = `
local record = redis.call('HMGET', KEYS[1], 'status', 'expiresAt')
if record[1] == 'completed' and tonumber(record[2]) > tonumber(ARGV[5]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'status', 'completed', 'owner', ARGV[1], 'outcome', ARGV[2], 'expiresAt', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;

const release = `
local record = redis.call('HMGET', KEYS[1], 'status', 'owner')
if record[1] == 'in-progress' and record[2] == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** The key's value is its expiry (caller's clock). */
const remember = `
local expiresAt = redis.call('GET', KEYS[1])
if expiresAt and tonumber(expiresAt) > tonumber(ARGV[3]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/** Dead letters: KEYS[1] hash id → JSON, KEYS[2] sorted set of ids by createdAt (ties by id). */
const putLetter = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1`;

const listLetters = `
local ids = redis.call('ZRANGE', KEYS[2], 0, tonumber(ARGV[1]) - 1)
local letters = {}
for _, id in ipairs(ids) do
  local letter = redis.call('HGET', KEYS[1], id)
  if letter then table.insert(letters, letter) end
end
return letters`;

const deleteLetter = `
redis.call('ZREM', KEYS[2], ARGV[1])
return redis.call('HDEL', KEYS[1], ARGV[1])`;

/** Breaker: a sorted set of actions scored by time; the window is (now - windowMs, now]. */
const recordAction = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local count = redis.call('ZCARD', KEYS[1])
if count >= tonumber(ARGV[3]) then return {0, count} end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return {1, count + 1}`;

/** Takes back one action recorded at ARGV[1] (members are `<at>:<uuid>`, scored by `at`). */
const uncountInWindow = `
local members = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1], 'LIMIT', 0, 1)
if members[1] then redis.call('ZREM', KEYS[1], members[1]) end
return 0`;

/** GCRA: the key holds the theoretical arrival time (TAT) of the next free slot. */
const reserveSlot = `
local now = tonumber(ARGV[1])
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or ARGV[1]), now)
if tat - now > tonumber(ARGV[3]) then return false end
local nextTat = tat + tonumber(ARGV[2])
redis.call('SET', KEYS[1], string.format('%.17g', nextTat), 'PX', math.max(1, math.ceil(nextTat - now)))
return string.format('%.17g', tat)`;

/**
 * Limiter sends: a sorted set scored by send time (a place held for a send not answered yet is scored in
 * the future), counted after ARGV[2] = now - windowMs. When full, answers the limit-th newest send's time
 * (ZRANGE counts from the end with negative indexes), at which + windowMs the window has room again. The
 * key's time to live only ever grows (PEXPIRE's GT option needs Redis 7), so no held place expires early.
 */
const extendLife = `
local function extendLife(key, ms)
  if redis.call('PTTL', key) < tonumber(ms) then redis.call('PEXPIRE', key, ms) end
end`;

const trySend = `${extendLife}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local limit = tonumber(ARGV[3])
if redis.call('ZCARD', KEYS[1]) >= limit then
  return {0, redis.call('ZRANGE', KEYS[1], -limit, -limit, 'WITHSCORES')[2]}
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
extendLife(KEYS[1], ARGV[5])
return {1, ARGV[1]}`;

/** Moves one recorded send (ARGV[1]) to its real time (ARGV[2]); a send no longer recorded stays gone. */
const retimeSend = `${extendLife}
if redis.call('ZADD', KEYS[1], 'XX', 'CH', ARGV[2], ARGV[1]) == 1 then extendLife(KEYS[1], ARGV[3]) end
return 1`;

export const SCRIPTS = {
  remediateClaim: { keys: 1, lua: claim },
  remediateComplete: { keys: 1, lua: complete },
  remediateRelease: { keys: 1, lua: release },
  remediateRemember: { keys: 1, lua: remember },
  remediatePutLetter: { keys: 2, lua: putLetter },
  remediateListLetters: { keys: 2, lua: listLetters },
  remediateDeleteLetter: { keys: 2, lua: deleteLetter },
  remediateRecordAction: { keys: 1, lua: recordAction },
  remediateReserveSlot: { keys: 1, lua: reserveSlot },
  remediateReleaseAction: { keys: 1, lua: uncountInWindow },
  remediateTrySend: { keys: 1, lua: trySend },
  remediateRetimeSend: { keys: 1, lua: retimeSend },
} as const;

export type ScriptName = keyof typeof SCRIPTS;
