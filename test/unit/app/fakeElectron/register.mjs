// `node --import ./register.mjs main.js`: make `import 'electron'` load the fake.
import { register } from 'node:module';
register('./hooks.mjs', import.meta.url);
