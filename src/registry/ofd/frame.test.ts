import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder, FrameError, MAX_FRAME_SIZE, decodeFrame, decodeHeader, encodeFrame, nextReqNum } from './frame.ts';

// Hand-computed: APPCODE 0x81A2 -> A2 81; VERSION 203 = 0x00CB -> CB 00; SIZE 18+2 = 20 -> 14 00 00 00;
// ID 1 -> 01 00 00 00; TOKEN 0x01020304 -> 04 03 02 01; REQNUM 5 -> 05 00; payload 08 01.
const VECTOR_1 = Buffer.from('a281cb0014000000010000000403020105000801', 'hex');
// ID 123456789 = 0x075BCD15 -> 15 CD 5B 07; TOKEN 4294967295 -> FF FF FF FF; REQNUM 65535 -> FF FF; empty payload, SIZE 18 -> 12 00 00 00.
const VECTOR_2 = Buffer.from('a281cb001200000015cd5b07ffffffffffff', 'hex');

describe('frame header', () => {
  test('encodes the hand-computed vectors byte for byte', () => {
    assert.deepEqual(encodeFrame({ version: 203, deviceId: 1, token: 0x01020304, reqNum: 5 }, Uint8Array.of(0x08, 0x01)), VECTOR_1);
    assert.deepEqual(encodeFrame({ version: 203, deviceId: 123456789, token: 0xffffffff, reqNum: 65535 }, new Uint8Array(0)), VECTOR_2);
  });

  test('decodes the vectors back', () => {
    const f = decodeFrame(VECTOR_1);
    assert.deepEqual(f.header, { version: 203, deviceId: 1, token: 0x01020304, reqNum: 5 });
    assert.deepEqual(Buffer.from(f.payload), Buffer.from([0x08, 0x01]));
    assert.deepEqual(decodeHeader(VECTOR_2), { header: { version: 203, deviceId: 123456789, token: 0xffffffff, reqNum: 65535 }, size: 18 });
  });

  test('refuses a wrong APPCODE, a SIZE below the header or above the limit, and out-of-range fields', () => {
    const bad = Buffer.from(VECTOR_1); bad[0] = 0xa3;
    assert.throws(() => decodeHeader(bad), (e: unknown) => e instanceof FrameError && /APPCODE 0x81a3/.test(e.message));
    const small = Buffer.from(VECTOR_2); small.writeUInt32LE(17, 4);
    assert.throws(() => decodeHeader(small), /smaller than the 18-byte header/);
    const big = Buffer.from(VECTOR_2); big.writeUInt32LE(MAX_FRAME_SIZE + 1, 4);
    assert.throws(() => decodeHeader(big), /exceeds the 1048576-byte limit/);
    assert.throws(() => encodeFrame({ version: 203, deviceId: 1, token: 1, reqNum: 65536 }, new Uint8Array(0)), /REQNUM/);
    assert.throws(() => decodeFrame(VECTOR_1.subarray(0, 19)), /SIZE says 20/);
  });

  test('the stream decoder reassembles frames split at every byte and back to back', () => {
    const d = new FrameDecoder();
    const stream = Buffer.concat([VECTOR_1, VECTOR_2, VECTOR_1]);
    const frames = [];
    for (const b of stream) frames.push(...d.push(Uint8Array.of(b)));
    assert.equal(frames.length, 3);
    assert.equal(frames[1]?.header.deviceId, 123456789);
    assert.deepEqual(Buffer.from(frames[2]?.payload ?? []), Buffer.from([0x08, 0x01]));
    assert.equal(d.buffered, 0);
    const whole = new FrameDecoder().push(stream);
    assert.equal(whole.length, 3);
  });

  test('the stream decoder fails on a bad header without waiting for a body', () => {
    const d = new FrameDecoder();
    const big = Buffer.from(VECTOR_2); big.writeUInt32LE(0x7fffffff, 4);
    assert.throws(() => d.push(big), FrameError);
  });

  test('REQNUM wraps from 65535 to 1, skipping 0', () => {
    assert.equal(nextReqNum(0), 1);
    assert.equal(nextReqNum(1), 2);
    assert.equal(nextReqNum(65534), 65535);
    assert.equal(nextReqNum(65535), 1);
  });
});
