/**
 * The 18-byte frame header of protocol 2.0.3 (unchanged since 2.0.2) (every number little-endian):
 *
 * | offset | size | field   |
 * |-------:|-----:|---------|
 * |      0 |    2 | APPCODE = 0x81A2 (bytes A2 81) |
 * |      2 |    2 | VERSION (203 = "2.0.3") |
 * |      4 |    4 | SIZE: whole message length, header included |
 * |      8 |    4 | ID: device id issued by the OFD |
 * |     12 |    4 | TOKEN: current exchange key |
 * |     16 |    2 | REQNUM: request number |
 *
 * Pure code: no sockets here, so it can be tested byte for byte.
 */

/** Protocol magic, always 0x81A2. */
export const APPCODE = 0x81a2;
/** "2.0.3": X.Y.Z is sent as the decimal XYZ (bytes CB 00). */
export const PROTOCOL_VERSION = 203;
/** Bytes in the header. */
export const HEADER_SIZE = 18;
/**
 * Largest frame we accept (1 MiB). A ticket with a few hundred lines is tens of kilobytes; a
 * bigger SIZE means a corrupt or hostile stream, and trusting it would let one header make us
 * buffer gigabytes.
 */
export const MAX_FRAME_SIZE = 1024 * 1024;
/** REQNUM is a 16-bit word. */
export const MAX_REQNUM = 0xffff;

/** The header fields a caller chooses (APPCODE and SIZE are computed). */
export interface FrameHeader {
  version: number;
  deviceId: number;
  token: number;
  reqNum: number;
}

/** A whole frame: header plus protobuf payload. */
export interface Frame {
  header: FrameHeader;
  payload: Uint8Array;
}

/** A frame that breaks the framing rules (bad APPCODE, SIZE out of range, truncated). */
export class FrameError extends Error {
  override name = 'FrameError';
}

function checkUint(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer 0..${max}, got ${value}`);
  }
}

/** Builds header + payload into one buffer ready for the socket. */
export function encodeFrame(header: FrameHeader, payload: Uint8Array): Buffer {
  checkUint('VERSION', header.version, 0xffff);
  checkUint('ID', header.deviceId, 0xffffffff);
  checkUint('TOKEN', header.token, 0xffffffff);
  checkUint('REQNUM', header.reqNum, MAX_REQNUM);
  const size = HEADER_SIZE + payload.length;
  if (size > MAX_FRAME_SIZE) throw new FrameError(`frame of ${size} bytes exceeds the ${MAX_FRAME_SIZE}-byte limit`);
  const buf = Buffer.allocUnsafe(size);
  buf.writeUInt16LE(APPCODE, 0);
  buf.writeUInt16LE(header.version, 2);
  buf.writeUInt32LE(size, 4);
  buf.writeUInt32LE(header.deviceId, 8);
  buf.writeUInt32LE(header.token, 12);
  buf.writeUInt16LE(header.reqNum, 16);
  buf.set(payload, HEADER_SIZE);
  return buf;
}

/** Reads and checks the 18 header bytes; returns the header and the SIZE it announces. */
export function decodeHeader(bytes: Uint8Array): { header: FrameHeader; size: number } {
  if (bytes.length < HEADER_SIZE) throw new FrameError(`header needs ${HEADER_SIZE} bytes, got ${bytes.length}`);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const appcode = buf.readUInt16LE(0);
  if (appcode !== APPCODE) {
    throw new FrameError(`bad APPCODE 0x${appcode.toString(16).padStart(4, '0')} (expected 0x81a2): not an OFD protocol frame`);
  }
  const size = buf.readUInt32LE(4);
  if (size < HEADER_SIZE) throw new FrameError(`SIZE ${size} is smaller than the ${HEADER_SIZE}-byte header`);
  if (size > MAX_FRAME_SIZE) throw new FrameError(`SIZE ${size} exceeds the ${MAX_FRAME_SIZE}-byte limit`);
  return {
    header: {
      version: buf.readUInt16LE(2),
      deviceId: buf.readUInt32LE(8),
      token: buf.readUInt32LE(12),
      reqNum: buf.readUInt16LE(16),
    },
    size,
  };
}

/** Decodes one complete frame held in `bytes` (exactly SIZE bytes). */
export function decodeFrame(bytes: Uint8Array): Frame {
  const { header, size } = decodeHeader(bytes);
  if (bytes.length !== size) throw new FrameError(`frame holds ${bytes.length} bytes but its SIZE says ${size}`);
  return { header, payload: bytes.subarray(HEADER_SIZE, size) };
}

/**
 * Incremental decoder for a byte stream: push chunks as they arrive, take whole frames out.
 * Throws FrameError as soon as a header is wrong, before waiting for a body that may never come.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private length = 0;
  private expected: number | null = null;

  /** Adds received bytes; returns every frame now complete. */
  push(chunk: Uint8Array): Frame[] {
    this.chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.length += chunk.byteLength;
    const out: Frame[] = [];
    for (;;) {
      if (this.expected === null) {
        if (this.length < HEADER_SIZE) break;
        this.expected = decodeHeader(this.peek(HEADER_SIZE)).size;
      }
      if (this.length < this.expected) break;
      const all = this.take(this.expected);
      this.expected = null;
      out.push(decodeFrame(all));
    }
    return out;
  }

  /** Bytes received but not yet part of a complete frame. */
  get buffered(): number {
    return this.length;
  }

  private peek(n: number): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return (this.chunks[0] as Buffer).subarray(0, n);
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    const head = Buffer.from(all.subarray(0, n));
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    return head;
  }
}

/** The REQNUM after `current`: +1, wrapping from 65535 to 1 (0 is skipped, as clients do). */
export function nextReqNum(current: number): number {
  return current >= MAX_REQNUM ? 1 : current + 1;
}
