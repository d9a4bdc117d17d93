// Before any test file: compile the sources to dist/ once (scripts/launch.js --build, a no-op when dist is fresh), so
// that the tests that start the CLI or the service in a process of their own never pay for it or print its notice.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

module.exports = async () => {
  const r = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'launch.js'), '--build'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`compiling to dist/ failed:\n${r.stderr}`);
};
