/**
 * Side-effect module, imported FIRST by the page and widget entries (src/main.ts, src/widget/widget.ts):
 * zod compiles object parsers with `new Function` after probing whether eval is allowed, and it
 * probes when a schema is created — at module load. Under the page's strict Content-Security-Policy
 * (no 'unsafe-eval') the caught probe is still reported as a script-src violation, so zod is set
 * jitless before any schema module loads (parsing is the same, without generated code).
 */
import { z } from 'zod';

z.config({ jitless: true });
