import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deviceFormOf, deviceRequestOf, EMPTY_DEVICE_FORM } from './device-form.ts';

describe('device form', () => {
  test('a serial scanner becomes a request the contract accepts', () => {
    const r = deviceRequestOf({ ...EMPTY_DEVICE_FORM, id: 'scanner-1', path: '/dev/ttyACM0', baudRate: '115200', terminator: 'crlf', idleMs: '40' });
    assert.deepEqual(r, { ok: true, request: { id: 'scanner-1', role: 'scanner', transport: 'serial', path: '/dev/ttyACM0', baudRate: 115200, framing: { terminator: 'crlf', idleMs: 40 } } });
  });

  test('names the wrong field before anything is sent', () => {
    assert.deepEqual(deviceRequestOf({ ...EMPTY_DEVICE_FORM, id: 'bad id!', path: '/dev/ttyS0' }), { ok: false, field: 'id: letters, digits, _ . - only' });
    const baud = deviceRequestOf({ ...EMPTY_DEVICE_FORM, id: 's', path: '/dev/ttyS0', baudRate: '96OO' });
    assert.equal(baud.ok, false);
    assert.match(baud.ok ? '' : baud.field, /^baudRate:/);
    assert.deepEqual(deviceRequestOf({ ...EMPTY_DEVICE_FORM, id: 's' }), { ok: false, field: 'path: required' });
    const hid = deviceRequestOf({ ...EMPTY_DEVICE_FORM, id: 'h', transport: 'hid', vendorId: '0c2' });
    assert.match(hid.ok ? '' : hid.field, /^vendorId: must be 4 hex digits/);
  });

  test('a printer sends its port and baud only: the scanner framing is not its setting (issue 16)', () => {
    const r = deviceRequestOf({ ...EMPTY_DEVICE_FORM, id: 'printer-1', role: 'printer', path: '/dev/ttyUSB0', terminator: 'lf', idleMs: 'x' });
    assert.deepEqual(r, { ok: true, request: { id: 'printer-1', role: 'printer', transport: 'serial', path: '/dev/ttyUSB0', baudRate: 9600 } });
  });

  test('round trip: an assigned HID device edits back to the same request', () => {
    const config = { id: 'hid-1', role: 'scanner' as const, transport: 'hid' as const, vendorId: '0c2e', productId: '0b61', baudRate: 9600, framing: { terminator: 'none' as const, idleMs: 30, maxLength: 4096 } };
    const r = deviceRequestOf(deviceFormOf(config));
    assert.deepEqual(r, { ok: true, request: { id: 'hid-1', role: 'scanner', transport: 'hid', vendorId: '0c2e', productId: '0b61', framing: { terminator: 'none', idleMs: 30 } } });
  });
});
