/**
 * The retry rule after a server block (15) against an OFD that compares a resend with "the
 * previous request of ANY kind" (the emulator's strictPrevious): after the unblocking
 * COMMAND_SYSTEM, a resend under the old REQNUM would not be a retry there. The sender asks
 * COMMAND_INFO what the OFD holds (5.4.1) and sends only what is missing, under a new REQNUM.
 * Real TCP to the emulator, real SQLite files; no ticket lost, none doubled.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getOutbox, outboxStats } from '../src/store/index.ts';
import { syncRig, type SyncRig } from './helpers/sync-fixtures.ts';

let rig: SyncRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

function tickets(r: SyncRig): ReturnType<SyncRig['emu']['documents']> {
  return r.emu.documents().filter((d) => d.command === 'TICKET');
}

describe('server block (15) with an OFD that compares against the previous request of any kind', () => {
  test('a lost answer, a block, the unblock: the accepted ticket is not sent again and nothing is blocked', async () => {
    rig = await syncRig({ faults: { strictPrevious: true, dropAfter: 1 } });
    rig.sell(0);
    assert.equal((await rig.sender.deliverOnce()).stopped?.kind, 'transient');
    assert.equal(tickets(rig).length, 1, 'accepted, its answer lost');
    rig.sell(1);
    rig.emu.setFaults({ strictPrevious: true, blocked: true });
    rig.now.ms += 60_000;
    assert.equal((await rig.sender.deliverOnce()).stopped?.kind, 'blocked');
    rig.emu.setFaults({ strictPrevious: true });
    rig.now.ms += 600_000;
    assert.deepEqual(await rig.sender.deliverOnce(), { delivered: 2, remaining: 0, stopped: null });
    assert.deepEqual(tickets(rig).map((d) => d.printedDocumentNumber), [1, 2], 'each ticket once, in order');
    assert.equal(getOutbox(rig.db, 1)!.state, 'delivered');
    assert.equal(getOutbox(rig.db, 2)!.ticketNumber, tickets(rig)[1]!.ticketNumber);
    assert.ok(!rig.emu.requests().some((r) => r.result !== 0 && r.result !== 15), `no refusal other than the block: ${JSON.stringify(rig.emu.requests().map((r) => `${r.command}:${r.result}`))}`);
    assert.equal(rig.client.state().blocked, null);
  });

  test('a block on the first transmission: after the unblock the ticket goes out once, under a new REQNUM, with its ticket number', async () => {
    rig = await syncRig({ faults: { strictPrevious: true, blocked: true } });
    rig.sell(0);
    rig.sell(1);
    assert.equal((await rig.sender.deliverOnce()).stopped?.kind, 'blocked');
    rig.emu.setFaults({ strictPrevious: true });
    rig.now.ms += 600_000;
    assert.deepEqual(await rig.sender.deliverOnce(), { delivered: 2, remaining: 0, stopped: null });
    const reqs = rig.emu.requests();
    assert.deepEqual(reqs.map((r) => `${r.command}:${r.result}`), ['TICKET:15', 'SYSTEM:0', 'INFO:0', 'TICKET:0', 'TICKET:0']);
    assert.notEqual(reqs[3]!.reqNum, reqs[0]!.reqNum);
    assert.deepEqual(tickets(rig).map((d) => d.printedDocumentNumber), [1, 2]);
    assert.equal(outboxStats(rig.db).delivered, 2);
    assert.equal(getOutbox(rig.db, 1)!.ticketNumber, tickets(rig)[0]!.ticketNumber);
  });
});
