/**
 * The flags mesref starts a headless Chromium with: for the écoscore runner's measures, and for the page tests.
 * No sandbox user namespace (root in a container), no GPU, no background traffic, and none of the browser's own
 * interface: a headless window still preloads the address bar's suggestion popup as a page of its own (a
 * renderer process per window, most of a second of CPU each), which neither a measure nor a test ever shows.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup,PreloadTopChromeWebUI',
];
