/** The emulator process's entry (see emulator-process.ts): starts it and tells the parent its URL. */
import { startEmulator } from '../../emulator/index.js';

const emulator = await startEmulator({ port: 0 });
process.send?.({ url: emulator.url });
