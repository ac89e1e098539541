import type * as PlayerModule from './player';

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The player's code, in three steps: media-chrome's controls, hls.js, then the player itself. Each is evaluated in
 * a task of its own, so the page answers input between them instead of freezing for the whole bundle at once
 * (Lighthouse's Total Blocking Time on the watch page: docs/performance.md, "Web page").
 */
export async function loadPlayer(): Promise<typeof PlayerModule> {
  await import('./controls');
  await nextTask();
  await import('hls.js/dist/hls.mjs');
  await nextTask();
  return import('./player');
}
