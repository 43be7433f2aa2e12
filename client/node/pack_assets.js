'use strict';
// `npm pack` runs this (prepack): copies the API's .proto files and the
// recommended service config from the checkout into the package, so that an
// installed client needs no checkout. Both are build outputs, not committed
// here (see .gitignore).

const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
fs.rmSync(path.join(__dirname, 'proto'), { recursive: true, force: true });
fs.cpSync(path.join(root, 'proto', 'factgraph', 'v1'),
    path.join(__dirname, 'proto', 'factgraph', 'v1'), { recursive: true });
fs.copyFileSync(path.join(root, 'client', 'service_config.json'),
    path.join(__dirname, 'service_config.json'));
