/**
 * Entry of dist/widget.js: defines `<local-rec>` (once, even if the script is included twice).
 * Models, catalog and the worker come from the directory this script was loaded from.
 */
import { createLocalRecElement } from './local-rec-element.ts';

/** Directory of widget.js (this entry always sits in widget.js itself, never in a shared chunk). */
const widgetBase = new URL(/* @vite-ignore */ './', import.meta.url).href;

if (!customElements.get('local-rec')) customElements.define('local-rec', createLocalRecElement(widgetBase));
