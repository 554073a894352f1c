// What GitHub runs (action.yml: dist/index.mjs, bundled from this file): the Action's run().
import { run } from './main.js';

void run();
