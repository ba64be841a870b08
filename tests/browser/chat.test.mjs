// The chat demo in a real browser: two tabs join, one sends a message the
// other sees, and closing a tab shows the leave notice in the other.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Waits until something listens on port, from the kernel's socket table:
// a probe connection would be a session of its own.
async function waitListening(port, server) {
  const hex = ':' + port.toString(16).toUpperCase().padStart(4, '0');
  for (let i = 0; i < 600; i++) {
    const table = readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1);
    if (table.some((line) => {
      const f = line.trim().split(/\s+/);
      return f[1]?.endsWith(hex) && f[3] === '0A';
    })) return;
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} never opened`);
}

test('chat in two browser tabs', { timeout: 120_000 }, async () => {
  const port = await freePort();
  const server = spawn(join(root, 'bin/php-swoole'), [join(root, 'examples/chat/server.php'), String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  after(() => server.kill('SIGKILL'));
  await waitListening(port, server);

  // A new empty profile (playwright passes it as --user-data-dir).
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'chromium-')), {
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  after(() => context.close());
  const url = (name) => `http://127.0.0.1:${port}/?name=${name}`;

  const ann = await context.newPage();
  await ann.goto(url('ann'));
  await ann.getByText('you are ann').waitFor();

  const bob = await context.newPage();
  await bob.goto(url('bob'));
  await bob.getByText('you are bob; online: ann, bob').waitFor();
  await ann.locator('#log').getByText('bob joined').waitFor();

  await bob.fill('#text', 'hello from bob');
  await bob.click('#send');
  await ann.locator('#log').getByText('bob: hello from bob').waitFor();
  await bob.locator('#log').getByText('bob: hello from bob').waitFor();

  await bob.close();
  await ann.locator('#log').getByText('bob left').waitFor();
  const lines = await ann.locator('#log p').allInnerTexts();
  assert.deepEqual(lines, ['ann joined', 'bob joined', 'bob: hello from bob', 'bob left']);
  await ann.screenshot({ path: join(root, 'build', 'chat.png') });
});
