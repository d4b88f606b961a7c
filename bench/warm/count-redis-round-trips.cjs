// Preloaded (`node --require`) into a process that runs a function from its TypeScript source, so that its
// store's ioredis is the one in node_modules: counts Redis round trips and commands as the client sends
// them. A command sent on its own is one round trip; a pipeline (or MULTI … EXEC, or an auto-pipelined
// group) is one round trip however many commands it carries: ioredis's Pipeline#exec hands each of its
// commands to Redis#sendCommand with one stream object of its own (node_modules/ioredis/built/Pipeline.js),
// so a new stream object is a new round trip. A script's EVALSHA answered NOSCRIPT and sent again as EVAL
// counts twice, as it costs. Read with globalThis.__benchRedisCounts().
const Redis = require('ioredis').default;

const counts = { roundTrips: 0, commands: 0 };
const seenCommands = new WeakSet();
const seenPipelines = new WeakSet();

const sendCommand = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function countedSendCommand(...args) {
  const [command, stream] = args;
  // A command queued while offline is handed over again on connect: count it once.
  if (command && typeof command === 'object' && !seenCommands.has(command)) {
    seenCommands.add(command);
    counts.commands += 1;
    if (stream === undefined || stream === null) counts.roundTrips += 1;
    else if (!seenPipelines.has(stream)) {
      seenPipelines.add(stream);
      counts.roundTrips += 1;
    }
  }
  return sendCommand.apply(this, args);
};

globalThis.__benchRedisCounts = () => ({ ...counts });
