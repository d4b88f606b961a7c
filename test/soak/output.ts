/**
 * Every output line of every soak process goes through one sink: filed for the reviewer, scanned for the
 * planted secret, and the engine's log lines read for which instance settled which event.
 */
import { createWriteStream } from 'node:fs';
import type { LineSink } from './processes';

export class OutputSink {
  readonly hits: { source: string; excerpt: string }[] = [];
  readonly settledBy = new Map<string, Set<string>>();
  private readonly file;
  private lines = 0;
  private warn = 0;
  private error = 0;

  constructor(
    private readonly path: string,
    private readonly planted: string,
  ) {
    this.file = createWriteStream(path);
  }

  readonly sink: LineSink = (instance, stream, line) => {
    this.file.write(`${instance} ${stream} ${line}\n`);
    // The sandbox knows every key by design: only what the functions print is held to the rule.
    if (instance === 'sandbox') return;
    this.lines++;
    this.scan(line, `${instance} ${stream}`);
    if (stream !== 'stderr' || !line.startsWith('{')) return;
    let entry: { level?: number; eventId?: string; status?: string };
    try {
      entry = JSON.parse(line);
    } catch {
      return;
    }
    if ((entry.level ?? 0) >= 50) this.error++;
    else if ((entry.level ?? 0) >= 40) this.warn++;
    if (entry.eventId && entry.status && entry.status !== 'retry-later') {
      const set = this.settledBy.get(entry.eventId) ?? new Set<string>();
      set.add(instance);
      this.settledBy.set(entry.eventId, set);
    }
  };

  /** Half the marker is enough to count: a secret cut short in a message is still a leak. */
  scan(text: string, source: string): void {
    const at = text.indexOf(this.planted.slice(0, this.planted.length / 2));
    if (at !== -1 && this.hits.length < 20)
      this.hits.push({ source, excerpt: text.slice(Math.max(0, at - 80), at + 60) });
    else if (at !== -1) this.hits.push({ source, excerpt: '' });
  }

  summary() {
    return { file: this.path, lines: this.lines, warn: this.warn, error: this.error };
  }

  close(): Promise<void> {
    return new Promise((done) => this.file.end(done));
  }
}
