import { registerDns } from './dns.js';
import { registerFs } from './fs.js';
import { registerHttp } from './http.js';
import { registerNet } from './net.js';

/** Registers every runtime provider's probes. Cheap: no Node hook is installed until a probe is enabled. */
export function registerProviders(): void {
  registerHttp();
  registerFs();
  registerNet();
  registerDns();
}
