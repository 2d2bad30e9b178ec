/// <reference lib="webworker" />
/**
 * The widget's SASRec worker entry: the same worker as the demo page's (workers/sasrec.worker.ts),
 * which takes its model origin from its own module URL, so it works under a cross-origin Blob start.
 */
import '../../workers/sasrec.worker.ts';
