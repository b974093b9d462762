/** What other modules (and the CLI) may use of the écoscore module. */

export { ecoscoreMessages } from './messages.ts';
export { Eth32EcoscoreEvidence, ecoscorePath } from './pages.tsx';
export { ecoscorePlugin } from './plugin.ts';
export {
  createJourney,
  type EcoscoreDeps,
  type Eth32Evidence,
  ecoscoreRunHandler,
  eth32Evidence,
  OFFICIAL_GAP_WARNING,
  recordOfficial,
  seedDemoJourney,
} from './service.ts';
