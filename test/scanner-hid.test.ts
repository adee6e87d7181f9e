/**
 * HID POS: recorded report sequences in several vendor layouts replayed through a fake
 * node-hid device (no USB device can exist here), through the real driver.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  HID_POS_PROFILES, HidPosAssembler, HidPosScanner, type HidPosError, type HidScanFrame,
} from '../drivers/scanner/hid-pos/index.ts';
import { FakeHidBus } from '../emulators/scanner/index.ts';
import { nextEvent } from './helpers/events.ts';

interface Seq { vendor: string; vendorId: number; productId: number; reportIdPrefixed: boolean; aim: string; code: string; reports: string[] }
const fixture = JSON.parse(readFileSync(new URL('./fixtures/scanner/hid-pos-reports.json', import.meta.url), 'utf8')) as { sequences: Seq[] };

function collect(sc: HidPosScanner) {
  const frames: HidScanFrame[] = [];
  const errors: HidPosError[] = [];
  sc.on('frame', (f) => frames.push(f));
  sc.on('frame-error', (e) => errors.push(e));
  return { frames, errors };
}

/** One turn of the event loop: lets the driver handle reports already delivered. */
const tick = () => new Promise((r) => setImmediate(r));

describe('HID POS', () => {
  test('a hand-written Honeywell report decodes (report id prefixed, AIM, GS kept)', () => {
    const body = Buffer.alloc(63);
    const data = Buffer.from('0104870000000026215ABCDE\x1d93XyZw', 'latin1');
    body[0] = data.length; // length byte
    body.write(']d2', 1, 'latin1');
    data.copy(body, 4);
    const a = new HidPosAssembler(HID_POS_PROFILES.honeywell!);
    const out = a.push(Buffer.concat([Buffer.from([0x02]), body]));
    assert.equal(out?.kind, 'frame');
    if (out?.kind === 'frame') {
      assert.equal(out.data.toString('latin1'), data.toString('latin1'));
      assert.equal(out.symbology, 'gs1-datamatrix');
      assert.equal(out.raw.toString('latin1'), `]d2${data.toString('latin1')}`);
    }
  });

  for (const vendor of ['honeywell', 'zebra', 'datalogic', 'generic']) {
    test(`${vendor}: recorded sequences replay to the exact codes, including one spanning several reports`, async () => {
      const seqs = fixture.sequences.filter((s) => s.vendor === vendor);
      assert.ok(seqs.some((s) => s.reports.length > 1), 'fixture has a multi-report code');
      const first = seqs[0] as Seq;
      const bus = new FakeHidBus();
      const path = `/dev/hidraw-${vendor}`;
      bus.plug({ vendorId: first.vendorId, productId: first.productId, path, release: 1, interface: 0, usagePage: 0x8c, usage: 0x02 });
      const sc = new HidPosScanner({ match: { vendorId: first.vendorId, productId: first.productId }, hid: bus });
      assert.equal(sc.profileName, vendor);
      const { frames, errors } = collect(sc);
      await sc.open();
      const dev = bus.opened.get(path);
      assert.ok(dev);
      for (const s of seqs) dev.replay(s.reports.map((h) => Buffer.from(h, 'hex')));
      await tick();
      assert.deepEqual(errors, []);
      assert.deepEqual(frames.map((f) => f.data.toString('latin1')), seqs.map((s) => s.code));
      assert.deepEqual(frames.map((f) => f.aim), seqs.map((s) => s.aim));
      assert.deepEqual(frames.map((f) => f.reports), seqs.map((s) => s.reports.length));
      await sc.close();
    });
  }

  test('the wrong report-id assumption is detected, not trusted: the same code with and without the id byte', () => {
    const s = fixture.sequences.find((x) => x.vendor === 'honeywell' && x.reports.length > 1) as Seq;
    const stripped = s.reports.map((h) => Buffer.from(h, 'hex').subarray(1));
    const a = new HidPosAssembler(HID_POS_PROFILES.honeywell!);
    const outs = stripped.map((r) => a.push(r));
    const last = outs[outs.length - 1];
    assert.equal(last?.kind === 'frame' && last.data.toString('latin1'), s.code);
  });

  test('a code cut by an unplug is reported, and the scanner reconnects and reads on', async () => {
    const s = fixture.sequences.find((x) => x.vendor === 'zebra' && x.reports.length > 1) as Seq;
    const bus = new FakeHidBus();
    const info = { vendorId: s.vendorId, productId: s.productId, path: '/dev/hidraw9', release: 1, interface: 0, usagePage: 0x8c, usage: 2 };
    bus.plug(info);
    const sc = new HidPosScanner({ match: { vendorId: s.vendorId, productId: s.productId }, hid: bus, reconnect: { initialMs: 20, maxMs: 100 } });
    const { frames, errors } = collect(sc);
    const states: string[] = [];
    sc.on('status', (st) => states.push(st.state));
    await sc.open();
    bus.opened.get(info.path)?.replay([Buffer.from(s.reports[0] as string, 'hex')]);
    const lost = nextEvent<[{ state: string }]>(sc, 'status', (st) => st.state === 'reconnecting');
    bus.unplug(info.path);
    await lost;
    const back = nextEvent<[{ state: string }]>(sc, 'status', (st) => st.state === 'connected');
    bus.plug(info);
    await back;
    assert.deepEqual(states, ['connected', 'reconnecting', 'connected']);
    assert.equal(errors[0]?.code, 'INCOMPLETE_FRAME');
    bus.opened.get(info.path)?.replay(s.reports.map((h) => Buffer.from(h, 'hex')));
    await tick();
    assert.deepEqual(frames.map((f) => f.data.toString('latin1')), [s.code]);
    await sc.close();
  });

  test('too long, a missing device, a keyboard-class device and a bad profile give clear errors', async () => {
    const s = fixture.sequences.find((x) => x.vendor === 'generic' && x.reports.length > 1) as Seq;
    const a = new HidPosAssembler(HID_POS_PROFILES.generic!, 40);
    const outs = s.reports.map((h) => a.push(Buffer.from(h, 'hex')));
    const last = outs.at(-1);
    assert.equal(last?.kind === 'error' && last.code, 'FRAME_TOO_LONG');
    const bus = new FakeHidBus();
    await assert.rejects(new HidPosScanner({ match: { vendorId: 1, productId: 2 }, hid: bus }).open(), /no HID device 0001:0002 is connected/);
    bus.plug({ vendorId: 1, productId: 2, path: '/dev/hidraw1', release: 1, interface: 0, usagePage: 0x01, usage: 0x06 });
    await assert.rejects(new HidPosScanner({ match: { vendorId: 1, productId: 2 }, hid: bus }).open(), /keyboard/);
    assert.throws(() => new HidPosScanner({ match: { vendorId: 1, productId: 2 }, profile: 'acme' }), /unknown HID POS profile 'acme'/);
    assert.throws(() => new HidPosScanner({ match: { vendorId: -1, productId: 2 } }), TypeError);
  });
});
