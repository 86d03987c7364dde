import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { createActivityLabel, readActivityLabel, writeActivityLabel } from '../../src/plugins/supervision.js';

test('the shared activity label: written, replaced, cleared, long labels cut', () => {
  const buf = createActivityLabel();
  assert.equal(readActivityLabel(buf), '');
  writeActivityLabel(buf, 'plugin project, apply() of transform project:Évil');
  assert.equal(readActivityLabel(buf), 'plugin project, apply() of transform project:Évil');
  writeActivityLabel(buf, 'plugin brainsmith, apply() of transform brainsmith:X');
  assert.equal(readActivityLabel(buf), 'plugin brainsmith, apply() of transform brainsmith:X');
  writeActivityLabel(buf, '');
  assert.equal(readActivityLabel(buf), '');
  writeActivityLabel(buf, 'x'.repeat(5000));
  assert.equal(readActivityLabel(buf).length, 1024);
});

test('the shared activity label is read from another thread while that thread is stuck in a loop', async () => {
  const buf = createActivityLabel();
  const url = new URL('../../src/plugins/supervision.js', import.meta.url).href;
  const w = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     import(${JSON.stringify(url)}).then(({ writeActivityLabel }) => {
       writeActivityLabel(workerData, 'plugin p, apply() of transform p:Loop');
       parentPort.postMessage('looping');
       for (;;) {}
     });`,
    { eval: true, workerData: buf },
  );
  try {
    await new Promise((resolve) => w.once('message', resolve));
    assert.equal(readActivityLabel(buf), 'plugin p, apply() of transform p:Loop');
  } finally {
    await w.terminate();
  }
});
