// Starts the real notbetrieb binary (NB_BINARY) with a fresh demo office on a free
// loopback port, for the browser tests; stop() sends SIGTERM and waits for a clean exit.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function startDemo() {
  const binary = process.env.NB_BINARY ?? new URL('../../build-check/notbetrieb', import.meta.url).pathname;
  const data = mkdtempSync(join(tmpdir(), 'nb-browser-'));
  const port = await freePort();
  const log = openSync(join(data, 'server.log'), 'w');
  const proc = spawn(binary, ['demo', '--data', data, '--listen', `127.0.0.1:${port}`],
    { stdio: ['ignore', log, log] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`);
    try {
      const r = await fetch(base + '/');
      if (r.ok) break;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    data,
    async stop() {
      const exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
      proc.kill('SIGTERM');
      const code = await exited;
      rmSync(data, { recursive: true, force: true });
      return code;
    },
  };
}

// Chromium as the probe of this machine starts it: headless, no sandbox as root, and no
// background networking (the machine has no network but loopback).
export const chromiumOptions = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};
