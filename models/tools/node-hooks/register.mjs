// `tsx --import ./models/tools/node-hooks/register.mjs <cli>.ts`: adds the `?raw` import hook.
import { register } from 'node:module';

register('./raw-hooks.mjs', import.meta.url);
