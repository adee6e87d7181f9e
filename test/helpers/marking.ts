/**
 * Helpers of the marking-system contract tests: a clock tests move by hand, a test CA with a
 * server certificate for 127.0.0.1 (openssl), and dataset codes by kind.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../src/clock.ts';

/** A clock that moves only when told to. */
export interface TestClock extends Clock {
  advance(ms: number): void;
}

/** A clock starting at the system time (the emulators use real time for their own tokens). */
export function testClock(start = Date.now()): TestClock {
  let t = start;
  return { now: () => new Date(t), advance(ms) { t += ms; } };
}

/** True when the openssl CLI is there (CI installs it). */
export const HAVE_OPENSSL = spawnSync('openssl', ['version']).status === 0;

/** A test CA and a server certificate for 127.0.0.1 / localhost, made in `dir`. */
export function makeTestCert(dir: string): { caFile: string; key: Buffer; cert: Buffer } {
  const p = (n: string): string => join(dir, n);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  execFileSync('openssl', ['req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '2', '-subj', '/CN=Tanba Test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], { stdio: 'ignore' });
  execFileSync('openssl', ['req', ...ec, '-keyout', p('srv.key'), '-out', p('srv.csr'), '-subj', '/CN=localhost'], { stdio: 'ignore' });
  writeFileSync(p('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  execFileSync('openssl', ['x509', '-req', '-in', p('srv.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial',
    '-out', p('srv.pem'), '-days', '2', '-extfile', p('ext.cnf')], { stdio: 'ignore' });
  return { caFile: p('ca.pem'), key: readFileSync(p('srv.key')), cert: readFileSync(p('srv.pem')) };
}
