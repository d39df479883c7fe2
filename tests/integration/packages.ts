/**
 * For the tests that install a packed package as a user would (client-package, resolver-package).
 */
import { execFileSync } from 'child_process';

/**
 * Runs npm as a user would in that directory. The `npm_*` variables an npm script (`npm test`)
 * passes down, such as npm_config_local_prefix, would point the child npm at this repository.
 */
export function npmAsUser(args: string[], cwd: string): string {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return execFileSync('npm', args, {
    cwd,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
