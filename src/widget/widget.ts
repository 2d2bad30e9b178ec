/**
 * Entry of dist/widget.js: defines `<local-rec>` (once, even if the script is included twice).
 * Models, catalog and the worker come from the directory this script was loaded from.
 * In a page marked `<html data-local-rec-frame>` (public/embed-frame.html) it also starts the
 * iframe-mode bridge (src/widget/frame-bridge.ts).
 */
import '../store/zod-jitless.ts'; // first: before any zod schema is created
import { startFrameBridge } from './frame-bridge.ts';
import { createLocalRecElement } from './local-rec-element.ts';

/** Directory of widget.js (this entry always sits in widget.js itself, never in a shared chunk). */
const widgetBase = new URL(/* @vite-ignore */ './', import.meta.url).href;

if (!customElements.get('local-rec')) customElements.define('local-rec', createLocalRecElement(widgetBase));
if (document.documentElement.hasAttribute('data-local-rec-frame')) startFrameBridge(document);
